"""Columns for how likely each span's voice and speaker are right, so that exports carry them.
Spans stored before them keep none until their article is analysed again, which the new
attribution version asks for anyway.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.add_column(sa.Column("voice_confidence", sa.Float, nullable=True))
        batch.add_column(sa.Column("speaker_confidence", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.drop_column("speaker_confidence")
        batch.drop_column("voice_confidence")
