"""Pre-flight notes and source modification time on videos; "not a duplicate" pairs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("videos", sa.Column("notes", sa.Text))
    op.add_column("videos", sa.Column("source_mtime", sa.Float))
    op.create_table(
        "duplicate_dismissals",
        sa.Column("video_id", sa.String(32), nullable=False),
        sa.Column("other_video_id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("video_id", "other_video_id", name="pk_duplicate_dismissals"),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
            ondelete="CASCADE",
            name="fk_duplicate_dismissals_video_id_videos",
        ),
        sa.ForeignKeyConstraint(
            ["other_video_id"],
            ["videos.id"],
            ondelete="CASCADE",
            name="fk_duplicate_dismissals_other_video_id_videos",
        ),
    )


def downgrade() -> None:
    op.drop_table("duplicate_dismissals")
    with op.batch_alter_table("videos") as batch:
        batch.drop_column("source_mtime")
        batch.drop_column("notes")
