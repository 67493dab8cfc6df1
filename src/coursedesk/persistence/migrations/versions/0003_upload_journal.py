"""Upload journal: jobs, confirmed parts, and the queue of remote deletions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upload_jobs",
        sa.Column("video_id", sa.String(32), nullable=False),
        sa.Column("course_id", sa.String(32), nullable=False),
        sa.Column("sha1", sa.String(40), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("source_mtime", sa.Float),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("object_name", sa.Text, nullable=False),
        sa.Column("large_file_id", sa.Text),
        sa.Column("part_size_bytes", sa.BigInteger),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("remote_file_id", sa.Text),
        sa.Column("old_object_name", sa.Text),
        sa.Column("old_file_id", sa.Text),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("video_id", name="pk_upload_jobs"),
    )
    op.create_table(
        "upload_parts",
        sa.Column("video_id", sa.String(32), nullable=False),
        sa.Column("part_number", sa.Integer, nullable=False),
        sa.Column("large_file_id", sa.Text, nullable=False),
        sa.Column("sha1", sa.String(40), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("uploaded_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("video_id", "part_number", name="pk_upload_parts"),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["upload_jobs.video_id"],
            ondelete="CASCADE",
            name="fk_upload_parts_video_id_upload_jobs",
        ),
    )
    op.create_table(
        "remote_deletions",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("object_name", sa.Text, nullable=False),
        sa.Column("file_id", sa.Text),
        sa.Column("large_file_id", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_remote_deletions"),
    )


def downgrade() -> None:
    op.drop_table("remote_deletions")
    op.drop_table("upload_parts")
    op.drop_table("upload_jobs")
