"""The upload journal: jobs, the parts B2 confirmed, and remote deletions still to do.

Plain functions over a SQLAlchemy connection; the upload service decides on which thread
they run (one writer: see ``services/upload/journal.py``). Readers may use any connection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, delete, insert, select, update

from coursedesk.persistence.schema import remote_deletions, upload_jobs, upload_parts, videos


class JobState(StrEnum):
    QUEUED = "queued"  # waiting for a free slot
    RUNNING = "running"
    PAUSED = "paused"  # by the instructor
    FAILED = "failed"  # a permanent problem; waits for Retry
    CANCELLED = "cancelled"  # by the instructor; waits for Retry
    DONE = "done"  # verified in the bucket


@dataclass(frozen=True, slots=True)
class JobRecord:
    video_id: str
    course_id: str
    sha1: str
    size_bytes: int
    source_mtime: float | None
    source_path: str
    object_name: str
    large_file_id: str | None
    part_size_bytes: int | None
    state: JobState
    error: str | None
    attempts: int
    remote_file_id: str | None
    old_object_name: str | None = None
    old_file_id: str | None = None


@dataclass(frozen=True, slots=True)
class PartRecord:
    number: int
    large_file_id: str
    sha1: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class DeletionRecord:
    id: int
    object_name: str
    file_id: str | None
    large_file_id: str | None
    attempts: int
    last_error: str | None


def _job(row: object) -> JobRecord:
    m = row._mapping  # type: ignore[attr-defined]
    return JobRecord(
        video_id=m["video_id"],
        course_id=m["course_id"],
        sha1=m["sha1"],
        size_bytes=int(m["size_bytes"]),
        source_mtime=m["source_mtime"],
        source_path=m["source_path"],
        object_name=m["object_name"],
        large_file_id=m["large_file_id"],
        part_size_bytes=m["part_size_bytes"],
        state=JobState(m["state"]),
        error=m["error"],
        attempts=int(m["attempts"]),
        remote_file_id=m["remote_file_id"],
        old_object_name=m["old_object_name"],
        old_file_id=m["old_file_id"],
    )


def load_jobs(connection: Connection) -> dict[str, JobRecord]:
    return {job.video_id: job for job in map(_job, connection.execute(select(upload_jobs)))}


def load_job(connection: Connection, video_id: str) -> JobRecord | None:
    row = connection.execute(select(upload_jobs).where(upload_jobs.c.video_id == video_id)).first()
    return None if row is None else _job(row)


def load_parts(connection: Connection, video_id: str) -> dict[int, PartRecord]:
    rows = connection.execute(select(upload_parts).where(upload_parts.c.video_id == video_id))
    return {
        row.part_number: PartRecord(
            row.part_number, row.large_file_id, row.sha1, int(row.size_bytes)
        )
        for row in rows
    }


def save_job(connection: Connection, job: JobRecord) -> None:
    """Create or replace the job of a video (its confirmed parts are forgotten when the
    large file changes)."""
    now = time.time()
    values = {
        "course_id": job.course_id,
        "sha1": job.sha1,
        "size_bytes": job.size_bytes,
        "source_mtime": job.source_mtime,
        "source_path": job.source_path,
        "object_name": job.object_name,
        "large_file_id": job.large_file_id,
        "part_size_bytes": job.part_size_bytes,
        "state": job.state.value,
        "error": job.error,
        "attempts": job.attempts,
        "remote_file_id": job.remote_file_id,
        "old_object_name": job.old_object_name,
        "old_file_id": job.old_file_id,
        "updated_at": now,
    }
    old = load_job(connection, job.video_id)
    if old is None:
        connection.execute(
            insert(upload_jobs).values(video_id=job.video_id, created_at=now, **values)
        )
        return
    if old.large_file_id != job.large_file_id:
        connection.execute(delete(upload_parts).where(upload_parts.c.video_id == job.video_id))
    connection.execute(
        update(upload_jobs).where(upload_jobs.c.video_id == job.video_id).values(**values)
    )


def set_state(
    connection: Connection,
    video_id: str,
    state: JobState,
    error: str | None = None,
    *,
    count_attempt: bool = False,
) -> None:
    values: dict[str, object] = {"state": state.value, "error": error, "updated_at": time.time()}
    if count_attempt:
        values["attempts"] = upload_jobs.c.attempts + 1
    connection.execute(
        update(upload_jobs).where(upload_jobs.c.video_id == video_id).values(**values)
    )


def set_large_file(
    connection: Connection, video_id: str, large_file_id: str | None, part_size_bytes: int | None
) -> None:
    """Record the large file an upload goes into (forgetting parts of any earlier one)."""
    connection.execute(delete(upload_parts).where(upload_parts.c.video_id == video_id))
    connection.execute(
        update(upload_jobs)
        .where(upload_jobs.c.video_id == video_id)
        .values(
            large_file_id=large_file_id, part_size_bytes=part_size_bytes, updated_at=time.time()
        )
    )


def record_part(
    connection: Connection,
    video_id: str,
    large_file_id: str,
    number: int,
    sha1: str,
    size_bytes: int,
) -> None:
    """A part B2 confirmed. Ignored if the job has moved on to another large file."""
    current = connection.execute(
        select(upload_jobs.c.large_file_id).where(upload_jobs.c.video_id == video_id)
    ).scalar()
    if current != large_file_id:
        return
    connection.execute(
        insert(upload_parts)
        .prefix_with("OR REPLACE", dialect="sqlite")
        .values(
            video_id=video_id,
            part_number=number,
            large_file_id=large_file_id,
            sha1=sha1,
            size_bytes=size_bytes,
            uploaded_at=time.time(),
        )
    )


def finish_job(connection: Connection, video_id: str, remote_file_id: str) -> None:
    connection.execute(delete(upload_parts).where(upload_parts.c.video_id == video_id))
    connection.execute(
        update(upload_jobs)
        .where(upload_jobs.c.video_id == video_id)
        .values(
            state=JobState.DONE.value,
            error=None,
            remote_file_id=remote_file_id,
            large_file_id=None,
            old_object_name=None,
            old_file_id=None,
            updated_at=time.time(),
        )
    )


def delete_job(connection: Connection, video_id: str) -> None:
    connection.execute(delete(upload_jobs).where(upload_jobs.c.video_id == video_id))


def orphaned_jobs(connection: Connection) -> list[JobRecord]:
    """Jobs whose video is gone from the library (purged from the Trash)."""
    existing = select(videos.c.id)
    rows = connection.execute(select(upload_jobs).where(upload_jobs.c.video_id.not_in(existing)))
    return [_job(row) for row in rows]


def enqueue_deletion(
    connection: Connection,
    object_name: str,
    *,
    file_id: str | None = None,
    large_file_id: str | None = None,
) -> None:
    now = time.time()
    connection.execute(
        insert(remote_deletions).values(
            object_name=object_name,
            file_id=file_id,
            large_file_id=large_file_id,
            created_at=now,
            updated_at=now,
        )
    )


def load_deletions(connection: Connection) -> list[DeletionRecord]:
    rows = connection.execute(select(remote_deletions).order_by(remote_deletions.c.id))
    return [
        DeletionRecord(
            row.id, row.object_name, row.file_id, row.large_file_id, row.attempts, row.last_error
        )
        for row in rows
    ]


def deletion_done(connection: Connection, deletion_id: int) -> None:
    connection.execute(delete(remote_deletions).where(remote_deletions.c.id == deletion_id))


def deletion_failed(connection: Connection, deletion_id: int, error: str) -> None:
    connection.execute(
        update(remote_deletions)
        .where(remote_deletions.c.id == deletion_id)
        .values(attempts=remote_deletions.c.attempts + 1, last_error=error, updated_at=time.time())
    )
