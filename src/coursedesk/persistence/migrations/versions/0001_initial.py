"""Courses, chapters and videos.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The header marker of a CourseDesk library ("CDsk"), as in schema.APPLICATION_ID.
_APPLICATION_ID = 0x4344736B


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("deleted_at", sa.Float),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_courses"),
    )
    op.create_table(
        "chapters",
        sa.Column("id", sa.String(32)),
        sa.Column("course_id", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("rank", sa.String, nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("deleted_at", sa.Float),
        sa.Column("trash_index", sa.Integer),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_chapters"),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], ondelete="CASCADE", name="fk_chapters_course_id_courses"
        ),
        sa.UniqueConstraint("course_id", "rank", name="uq_chapters_course_id_rank"),
    )
    op.create_table(
        "videos",
        sa.Column("id", sa.String(32)),
        sa.Column("course_id", sa.String(32), nullable=False),
        sa.Column("chapter_id", sa.String(32), nullable=True),
        sa.Column("rank", sa.String, nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("size_bytes", sa.BigInteger),
        sa.Column("duration_s", sa.Float),
        sa.Column("width", sa.Integer),
        sa.Column("height", sa.Integer),
        sa.Column("container", sa.String(64)),
        sa.Column("video_codec", sa.String(64)),
        sa.Column("audio_codec", sa.String(64)),
        sa.Column("bitrate_bps", sa.BigInteger),
        sa.Column("frame_rate", sa.Float),
        sa.Column("sha1", sa.String(40)),
        sa.Column("remote_file_id", sa.Text),
        sa.Column("remote_name", sa.Text),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("deleted_at", sa.Float),
        sa.Column("trash_chapter_id", sa.String(32)),
        sa.Column("trash_index", sa.Integer),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_videos"),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], ondelete="CASCADE", name="fk_videos_course_id_courses"
        ),
        sa.ForeignKeyConstraint(
            ["chapter_id"],
            ["chapters.id"],
            ondelete="RESTRICT",
            name="fk_videos_chapter_id_chapters",
        ),
        sa.UniqueConstraint("chapter_id", "rank", name="uq_videos_chapter_id_rank"),
    )
    op.create_index("ix_videos_course_id", "videos", ["course_id"])
    op.create_index("ix_videos_sha1", "videos", ["sha1"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA application_id = {_APPLICATION_ID}")


def downgrade() -> None:
    op.drop_table("videos")
    op.drop_table("chapters")
    op.drop_table("courses")
