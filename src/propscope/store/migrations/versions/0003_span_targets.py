"""A column for each span's target, so per-outlet target counts are one SQL query.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.add_column(sa.Column("target", sa.Text, nullable=True))
    connection = op.get_bind()
    # spans were stored in the order of their analysis document, so the two line up by id
    for analysis_id, document in connection.execute(sa.text("SELECT id, document FROM analyses")):
        spans = (json.loads(document) if isinstance(document, str) else document).get("spans", [])
        span_ids = connection.execute(
            sa.text("SELECT id FROM spans WHERE analysis_id = :a ORDER BY id"), {"a": analysis_id}
        ).scalars()
        for span_id, span in zip(span_ids, spans, strict=False):
            if span.get("target"):
                connection.execute(
                    sa.text("UPDATE spans SET target = :t WHERE id = :i"), {"t": span["target"], "i": span_id}
                )


def downgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.drop_column("target")
