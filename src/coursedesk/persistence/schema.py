"""The library's tables. Alembic migrations create and change them; nothing else does.

Order within a chapter (and of chapters within a course) is a fractional ``rank``: a string
key between its neighbours' keys, so moving one video writes one row. The database enforces
that no two videos of a chapter share a rank.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# A fixed marker in the SQLite header ("CDsk"): a file without it is not a CourseDesk library.
APPLICATION_ID = 0x4344736B

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(32)

courses = Table(
    "courses",
    metadata,
    Column("id", ID, primary_key=True),
    Column("title", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("deleted_at", Float),
    Column("revision", Integer, nullable=False, server_default="1"),
)

chapters = Table(
    "chapters",
    metadata,
    Column("id", ID, primary_key=True),
    Column("course_id", ID, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("rank", String, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("deleted_at", Float),
    Column("trash_index", Integer),
    Column("revision", Integer, nullable=False, server_default="1"),
    UniqueConstraint("course_id", "rank"),
)

videos = Table(
    "videos",
    metadata,
    Column("id", ID, primary_key=True),
    Column("course_id", ID, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("chapter_id", ID, ForeignKey("chapters.id", ondelete="RESTRICT"), nullable=True),
    Column("rank", String, nullable=True),
    Column("title", Text, nullable=False),
    Column("source_path", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("error", Text),
    Column("size_bytes", BigInteger),
    Column("duration_s", Float),
    Column("width", Integer),
    Column("height", Integer),
    Column("container", String(64)),
    Column("video_codec", String(64)),
    Column("audio_codec", String(64)),
    Column("bitrate_bps", BigInteger),
    Column("frame_rate", Float),
    Column("sha1", String(40)),
    Column("remote_file_id", Text),
    Column("remote_name", Text),
    Column("notes", Text),  # JSON list of strings; NULL when there are none
    Column("source_mtime", Float),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("deleted_at", Float),
    Column("trash_chapter_id", ID),
    Column("trash_index", Integer),
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("thumbnail_time_s", Float),  # migration 0004: a chosen poster frame
    UniqueConstraint("chapter_id", "rank"),
    Index(None, "course_id"),
    Index(None, "sha1"),
)

# Pairs of videos the instructor said are not duplicates of each other (stored both ways
# round is unnecessary: the smaller id comes first).
duplicate_dismissals = Table(
    "duplicate_dismissals",
    metadata,
    Column("video_id", ID, ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True),
    Column("other_video_id", ID, ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", Float, nullable=False),
)

# Upload journal (migration 0003). No foreign key to videos on purpose: a job outlives its
# video being purged from the Trash, so the remote object can still be found and deleted.
upload_jobs = Table(
    "upload_jobs",
    metadata,
    Column("video_id", ID, primary_key=True),
    Column("course_id", ID, nullable=False),
    Column("sha1", String(40), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("source_mtime", Float),
    Column("source_path", Text, nullable=False),
    Column("object_name", Text, nullable=False),
    Column("large_file_id", Text),
    Column("part_size_bytes", BigInteger),
    Column("state", String(16), nullable=False),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("remote_file_id", Text),
    # The object this upload replaces (the video's earlier content), deleted once the new
    # one is verified.
    Column("old_object_name", Text),
    Column("old_file_id", Text),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

# Every part B2 confirmed, for the large file it belongs to.
upload_parts = Table(
    "upload_parts",
    metadata,
    Column(
        "video_id", ID, ForeignKey("upload_jobs.video_id", ondelete="CASCADE"), primary_key=True
    ),
    Column("part_number", Integer, primary_key=True),
    Column("large_file_id", Text, nullable=False),
    Column("sha1", String(40), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("uploaded_at", Float, nullable=False),
)

# Remote deletions still to do: every version of ``object_name`` (``file_id`` NULL) or one
# version; ``large_file_id``: an unfinished large file to cancel.
remote_deletions = Table(
    "remote_deletions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("object_name", Text, nullable=False),
    Column("file_id", Text),
    Column("large_file_id", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

# The change feed (migration 0005): one row per saved edit, naming the rows it wrote (JSON
# lists of ids), so other windows and processes on the library can follow. ``seq`` only grows
# (AUTOINCREMENT never reuses a number, even after old entries are pruned).
change_log = Table(
    "change_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("writer_id", String(32), nullable=False),
    Column("origin", String(16), nullable=False),
    Column("committed_at", Float, nullable=False),
    Column("course_ids", Text),
    Column("chapter_ids", Text),
    Column("video_ids", Text),
    sqlite_autoincrement=True,
)
