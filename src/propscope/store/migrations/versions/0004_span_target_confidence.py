"""A column for the confidence of each span's target, so per-outlet target counts can keep only
the targets the ranker is sure of.

Revision ID: 0004
Revises: 0003
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.add_column(sa.Column("target_confidence", sa.Float, nullable=True))
    connection = op.get_bind()
    analyses = connection.execute(sa.text("SELECT id, document FROM analyses")).all()
    for analysis_id, document in analyses:
        # analyses stored before the ranker have no confidence, and keep none
        stored = json.loads(document) if isinstance(document, str) else document
        confidences = [span.get("target_confidence") for span in stored.get("spans", [])]
        if not any(c is not None for c in confidences):
            continue
        span_ids = connection.execute(
            sa.text("SELECT id FROM spans WHERE analysis_id = :a ORDER BY id"), {"a": analysis_id}
        ).scalars()
        updates = [{"c": c, "i": i} for i, c in zip(span_ids, confidences, strict=False) if c is not None]
        connection.execute(sa.text("UPDATE spans SET target_confidence = :c WHERE id = :i"), updates)


def downgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.drop_column("target_confidence")
