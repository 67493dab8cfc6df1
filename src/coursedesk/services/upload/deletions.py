"""The durable remote-deletion queue: objects, versions and unfinished large files to remove
from the bucket, recorded in the journal first and removed by ``drain_deletions`` on a worker.
A deletion that fails stays in the journal and is tried again later."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from coursedesk.persistence import uploads as journal_db
from coursedesk.persistence.uploads import JobRecord
from coursedesk.services.upload.errors import Offline, UploadProblem
from coursedesk.services.upload.gateway import B2Gateway
from coursedesk.services.upload.journal import JournalWriter


def drain_deletions(gateway: B2Gateway, journal: JournalWriter) -> int:
    """Carry out every deletion in the journal; return how many failed (kept for later)."""
    failed = 0
    for item in journal.write(journal_db.load_deletions):
        try:
            if item.large_file_id:
                gateway.cancel_large_file(item.large_file_id)
            if item.file_id:
                gateway.delete_version(item.file_id, item.object_name)
            elif item.large_file_id is None:
                gateway.delete_all_versions(item.object_name)
        except UploadProblem as problem:
            failed += 1
            message = problem.message
            journal.submit(deletion_failed(item.id, message))
            if isinstance(problem, Offline):
                break
        else:
            journal.submit(deletion_done(item.id))
    journal.write(lambda c: None)  # every record above is on disk
    return failed


def enqueue(
    name: str, file_id: str | None, large_file_id: str | None
) -> Callable[[Connection], None]:
    return lambda c: journal_db.enqueue_deletion(
        c, name, file_id=file_id, large_file_id=large_file_id
    )


def deletion_done(deletion_id: int) -> Callable[[Connection], None]:
    return lambda c: journal_db.deletion_done(c, deletion_id)


def deletion_failed(deletion_id: int, message: str) -> Callable[[Connection], None]:
    return lambda c: journal_db.deletion_failed(c, deletion_id, message)


def forget_video_job(job: JobRecord) -> Callable[[Connection], None]:
    """A purged video: delete every version of its object (and any earlier content's),
    cancel its unfinished large file, and drop its job."""

    def forget(connection: Connection) -> None:
        current = journal_db.load_job(connection, job.video_id) or job
        journal_db.enqueue_deletion(connection, current.object_name)
        if current.large_file_id:
            journal_db.enqueue_deletion(
                connection, current.object_name, large_file_id=current.large_file_id
            )
        if current.old_object_name and current.old_object_name != current.object_name:
            journal_db.enqueue_deletion(connection, current.old_object_name)
        journal_db.delete_job(connection, job.video_id)

    return forget
