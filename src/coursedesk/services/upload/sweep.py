"""The orphaned-large-file sweep, run when the queue connects to a storage account."""

from __future__ import annotations

from coursedesk.persistence import uploads as journal_db
from coursedesk.services.upload.gateway import B2Gateway
from coursedesk.services.upload.journal import JournalWriter


def sweep_orphans(gateway: B2Gateway, journal: JournalWriter, prefix: str) -> int:
    """Cancel unfinished large files under our names that no job owns (and sign in)."""
    gateway.authorize()
    owned = {
        job.large_file_id
        for job in journal.write(journal_db.load_jobs).values()
        if job.large_file_id
    }
    cancelled = 0
    for unfinished in gateway.list_unfinished_large_files(prefix):
        if unfinished.file_id not in owned:
            gateway.cancel_large_file(unfinished.file_id)
            cancelled += 1
    return cancelled
