"""Videos the upload journal has not caught up with, read straight from the library.

The upload queue follows the store, which holds only the courses opened so far. Videos of the
other courses still need uploading: :func:`videos_to_upload` finds, in one query, every live
video of a live course whose content is known (hashed) and which either has no upload job yet
or whose job is for other content or another file. It reads; it never writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, and_, or_, select

from coursedesk.domain.model import VideoStatus
from coursedesk.persistence.schema import courses, upload_jobs, videos

# Statuses of a video that is imported (read, hashed) and not in trouble with its file.
UPLOADABLE_STATUSES = frozenset(
    {
        VideoStatus.READY,
        VideoStatus.QUEUED,
        VideoStatus.UPLOADING,
        VideoStatus.UPLOADED,
        VideoStatus.FAILED,
    }
)


@dataclass(frozen=True, slots=True)
class SavedVideo:
    """What the upload queue needs of a video row to give it a job."""

    id: str
    course_id: str
    source_path: str
    sha1: str | None
    size_bytes: int | None
    source_mtime: float | None
    status: VideoStatus
    remote_file_id: str | None
    deleted_at: float | None = None


def videos_to_upload(connection: Connection) -> list[SavedVideo]:
    """Live videos of live courses that need an upload job made or brought up to date, in
    the order they were added."""
    job = upload_jobs.c
    video = videos.c
    query = (
        select(
            video.id,
            video.course_id,
            video.source_path,
            video.sha1,
            video.size_bytes,
            video.source_mtime,
            video.status,
            video.remote_file_id,
        )
        .join(courses, courses.c.id == video.course_id)
        .outerjoin(upload_jobs, job.video_id == video.id)
        .where(
            courses.c.deleted_at.is_(None),
            video.deleted_at.is_(None),
            video.sha1.is_not(None),
            video.status.in_([s.value for s in UPLOADABLE_STATUSES]),
            or_(
                and_(
                    job.video_id.is_(None),
                    # Uploaded before the journal existed: nothing to do.
                    or_(
                        video.status != VideoStatus.UPLOADED.value,
                        video.remote_file_id.is_(None),
                    ),
                ),
                job.sha1 != video.sha1,
                job.source_path != video.source_path,
            ),
        )
        .order_by(video.created_at, video.id)
    )
    return [
        SavedVideo(
            id=row.id,
            course_id=row.course_id,
            source_path=row.source_path,
            sha1=row.sha1,
            size_bytes=None if row.size_bytes is None else int(row.size_bytes),
            source_mtime=row.source_mtime,
            status=VideoStatus(row.status),
            remote_file_id=row.remote_file_id,
        )
        for row in connection.execute(query)
    ]
