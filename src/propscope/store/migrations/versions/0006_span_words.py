"""A column for each span's words as echo compares them (lemma and stop-word flag), so an echo
request reads them instead of lemmatising every span of the store again. Spans stored before
it keep no words and are lemmatised when echo needs them.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.add_column(sa.Column("words", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.drop_column("words")
