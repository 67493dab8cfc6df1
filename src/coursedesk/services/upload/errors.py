"""What can go wrong with an upload, as values an instructor can read.

Every problem says whether trying again can help: ``TransientProblem`` (the network, the
server, an expired token: retried with backoff for as long as it stays transient) or
``PermanentProblem`` (a wrong key, a bucket that is gone, a file that vanished: the job stops
with the message and waits for the instructor). ``Offline`` is the transient problem that
pauses the whole queue until the network is back.

Messages never hold the application key, and never a URL (an upload URL is a credential
for a day).
"""

from __future__ import annotations


class UploadProblem(Exception):
    """A problem with an upload; ``message`` is written for the instructor."""

    transient: bool = False

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s


class TransientProblem(UploadProblem):
    """Trying again later can help (timeouts, resets, 408/429/5xx, expired tokens)."""

    transient = True


class Offline(TransientProblem):
    """B2 can't be reached at all (no network, DNS failing, connection refused)."""


class PermanentProblem(UploadProblem):
    """Trying again won't help until something changes (the key, the bucket, the file)."""


class NoAccount(PermanentProblem):
    """No storage account is set up (or its key is not in the keyring)."""


class BadKey(PermanentProblem):
    """B2 does not accept the key id / application key pair."""


class BucketNotAllowed(PermanentProblem):
    """The key is restricted to other buckets (or to other file names)."""


class NoSuchBucket(PermanentProblem):
    """The account has no bucket of that name."""


class MissingCapabilities(PermanentProblem):
    """The key lacks capabilities uploads need (writeFiles, listFiles ...)."""

    def __init__(self, message: str, missing: tuple[str, ...]) -> None:
        super().__init__(message)
        self.missing = missing


class StorageFull(PermanentProblem):
    """The account's storage or transaction cap is reached."""


class LocalFileGone(PermanentProblem):
    """The video's file is no longer where it was imported from."""


class DiskReadError(PermanentProblem):
    """The video's file can't be read (permissions, a failing disk)."""


class VerificationFailed(PermanentProblem):
    """What B2 holds after the upload is not what was sent."""


class RemoteFileGone(TransientProblem):
    """An unfinished large file is no longer in the bucket; the upload starts it again."""


class Refused(PermanentProblem):
    """B2 refused a request for a reason not covered above."""
