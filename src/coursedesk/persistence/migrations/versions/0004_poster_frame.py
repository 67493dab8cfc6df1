"""The moment a video's thumbnail shows, when the instructor chose one (poster frame).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("videos", sa.Column("thumbnail_time_s", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("videos") as batch:
        batch.drop_column("thumbnail_time_s")
