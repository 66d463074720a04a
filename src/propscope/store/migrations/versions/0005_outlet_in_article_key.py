"""An article's key holds its outlet as well as its text, so the same story from two outlets is
stored twice: echo and the per-outlet figures need each outlet's copy.

Revision ID: 0005
Revises: 0004
"""

import hashlib
import json
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 500


def _sha256(keyed: str) -> str:
    return hashlib.sha256(keyed.encode("utf-8")).hexdigest()


def _outlet_and_text(text: str, source: str) -> str:
    # written out here rather than imported: this revision must keep meaning what it did
    return _sha256(json.dumps([source, text], ensure_ascii=False))


def _rekey(key_of: Callable[[str, str], str]) -> None:
    connection = op.get_bind()
    ids = connection.execute(sa.text("SELECT id FROM articles WHERE source IS NOT NULL ORDER BY id")).scalars().all()
    # a batch at a time: a large store's texts need not fit in memory together
    for start in range(0, len(ids), BATCH):
        rows = connection.execute(
            sa.text("SELECT id, text, source FROM articles WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": ids[start : start + BATCH]},
        ).all()
        connection.execute(
            sa.text("UPDATE articles SET content_hash = :h WHERE id = :i"),
            [{"h": key_of(text, source), "i": article_id} for article_id, text, source in rows],
        )


def upgrade() -> None:
    _rekey(_outlet_and_text)


def downgrade() -> None:
    # copies of one text from several outlets (or with and without one) cannot share the old
    # key: rather than drop an article, the downgrade refuses
    connection = op.get_bind()
    shared = connection.execute(sa.text("SELECT text FROM articles GROUP BY text HAVING COUNT(*) > 1")).first()
    if shared is not None:
        raise RuntimeError("cannot downgrade: the store holds one text from several outlets")
    _rekey(lambda text, _source: _sha256(text))
