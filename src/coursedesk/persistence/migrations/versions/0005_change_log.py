"""Change feed: every saved edit names the rows it changed, in commit order, for other writers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("writer_id", sa.String(32), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("committed_at", sa.Float, nullable=False),
        sa.Column("course_ids", sa.Text),
        sa.Column("chapter_ids", sa.Text),
        sa.Column("video_ids", sa.Text),
        sa.PrimaryKeyConstraint("seq", name="pk_change_log"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("change_log")
