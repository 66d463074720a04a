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
    targeted = connection.execute(
        sa.text("SELECT DISTINCT analysis_id FROM spans WHERE target IS NOT NULL ORDER BY analysis_id")
    ).scalars()
    # one document at a time: a large store's documents need not fit in memory together
    for analysis_id in list(targeted):
        document = connection.execute(
            sa.text("SELECT document FROM analyses WHERE id = :a"), {"a": analysis_id}
        ).scalar_one()
        spans = (json.loads(document) if isinstance(document, str) else document).get("spans", [])
        rows = connection.execute(
            sa.text("SELECT id, target FROM spans WHERE analysis_id = :a ORDER BY id"), {"a": analysis_id}
        ).all()
        # spans were stored in the order of their analysis document; a row whose target differs
        # from its document span's is left without a confidence rather than given a wrong one
        updates = [
            {"c": span["target_confidence"], "i": span_id}
            for (span_id, target), span in zip(rows, spans, strict=False)
            if span.get("target_confidence") is not None and span.get("target") == target
        ]
        if updates:
            connection.execute(sa.text("UPDATE spans SET target_confidence = :c WHERE id = :i"), updates)


def downgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.drop_column("target_confidence")
