"""One video's upload, start to verified finish, run on a worker thread.

Plain Python (no Qt): the queue gives it a gateway, the journal writer, a way to run parts
in parallel, and a ``JobControl`` through which it reports progress and hears pause and
cancel. Small files go up in one request with their SHA-1; larger ones through B2's
large-file API: the large file id is recorded before any part is sent, each part is sent
with its SHA-1 and recorded once B2 confirms it, and a resumed upload trusts B2's list of
parts (checking any part the journal doesn't know against the local bytes). The finished
file is checked (size and SHA-1) before the upload counts as done.
"""

from __future__ import annotations

import logging
import os
import random
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TypeVar, cast

from sqlalchemy import Connection

from coursedesk.persistence import uploads as journal_db
from coursedesk.persistence.uploads import JobRecord
from coursedesk.services.upload.errors import (
    DiskReadError,
    LocalFileGone,
    Offline,
    PermanentProblem,
    RemoteFileGone,
    TransientProblem,
    UploadProblem,
    VerificationFailed,
)
from coursedesk.services.upload.gateway import B2Gateway, RemoteFile
from coursedesk.services.upload.journal import JournalWriter
from coursedesk.services.upload.parts import (
    DEFAULT_PART_SIZE_BYTES,
    FileSlice,
    PartSpan,
    RateLimiter,
    choose_part_size,
    part_spans,
    sha1_of_span,
    sha1_of_whole_file,
    uses_large_file,
)
from coursedesk.services.upload.retry import Clock, RetryPolicy

log = logging.getLogger(__name__)

T = TypeVar("T")
PartRunner = Callable[[Callable[[], T]], "Future[T]"]
# A file that keeps changing under the upload: start over at most this often, then fail.
MAX_RESTARTS = 3


class Interrupted(Exception):
    """The upload stopped because it was asked to: ``reason`` is paused/cancelled/stopping."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _FileChanged(Exception):
    """The local file changed while it was being uploaded: start over."""


@dataclass
class JobControl:
    """Shared between the queue (GUI thread) and the job's threads."""

    video_id: str
    total_bytes: int = 0
    wake: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _confirmed: int = 0
    _in_flight: dict[int, int] = field(default_factory=dict)
    _stop: str | None = None
    notes: list[str] = field(default_factory=list)
    retries: int = 0

    def request(self, reason: str) -> None:
        """Ask the job to stop ("paused", "cancelled" or "stopping")."""
        with self._lock:
            # A cancel overrides a pause, never the other way round.
            if self._stop != "cancelled":
                self._stop = reason
        self.wake.set()

    @property
    def stop_reason(self) -> str | None:
        with self._lock:
            return self._stop

    def checkpoint(self) -> None:
        reason = self.stop_reason
        if reason is not None:
            raise Interrupted(reason)

    def aborting(self) -> bool:
        """Whether a part being sent should be dropped at once (cancel, shutdown)."""
        return self.stop_reason in ("cancelled", "stopping")

    def reset(self, total_bytes: int, confirmed: int = 0) -> None:
        with self._lock:
            self.total_bytes = total_bytes
            self._confirmed = confirmed
            self._in_flight.clear()

    def sending(self, number: int, amount: int) -> None:
        with self._lock:
            self._in_flight[number] = self._in_flight.get(number, 0) + amount

    def part_ended(self, number: int, confirmed_bytes: int) -> None:
        with self._lock:
            self._in_flight.pop(number, None)
            self._confirmed += confirmed_bytes

    def bytes_done(self) -> int:
        with self._lock:
            return min(self.total_bytes, self._confirmed + sum(self._in_flight.values()))


@dataclass
class UploadContext:
    gateway: B2Gateway
    journal: JournalWriter
    run_part: PartRunner[object]
    limiter: RateLimiter
    clock: Clock
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    parts_per_file: int = 4
    preferred_part_bytes: int = DEFAULT_PART_SIZE_BYTES
    rng: random.Random = field(default_factory=random.Random)
    # Called (on the part's thread) after a part was recorded; tests and the crash child
    # use it to know how far an upload got.
    on_part_recorded: Callable[[str, int], None] | None = None


@dataclass(frozen=True, slots=True)
class JobOutcome:
    video_id: str
    remote: RemoteFile
    sha1: str
    size_bytes: int
    source_mtime: float
    notes: tuple[str, ...]
    job: JobRecord


def with_retries(ctx: UploadContext, control: JobControl, action: Callable[[], T]) -> T:
    """``action()``, tried again after transient problems for as long as they last;
    ``Offline`` and permanent problems go to the caller."""
    attempt = 0
    while True:
        control.checkpoint()
        try:
            return action()
        except Offline:
            raise
        except TransientProblem as problem:
            attempt += 1
            control.retries += 1
            delay = ctx.retry.delay_s(attempt, problem.retry_after_s, ctx.rng)
            log.info("retrying in %.1f s: %s", delay, problem.message)
            ctx.clock.sleep(delay, control.wake)


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError:
        raise LocalFileGone(
            f"The file {path.name} is no longer in {path.parent}. Put it back, or replace "
            "the video's file, then retry."
        ) from None
    except OSError as exc:
        raise DiskReadError(f"The file {path.name} can't be read: {exc.strerror}.") from None


def _read_problem(path: Path, exc: OSError) -> PermanentProblem:
    if isinstance(exc, FileNotFoundError):
        return LocalFileGone(f"The file {path.name} disappeared while it was being uploaded.")
    return DiskReadError(f"The file {path.name} can't be read: {exc.strerror or exc}.")


def run_upload(video_id: str, ctx: UploadContext, control: JobControl) -> JobOutcome:
    """Upload the video's file as its job in the journal says; raises ``Interrupted``,
    ``Offline`` or a ``PermanentProblem`` when it can't finish."""
    for _restart in range(MAX_RESTARTS + 1):
        job = ctx.journal.write(lambda c: journal_db.load_job(c, video_id))
        if job is None:
            raise Interrupted("cancelled")
        try:
            return _upload(job, ctx, control)
        except _FileChanged:
            control.notes.append(
                f"{Path(job.source_path).name} changed while it was being uploaded; "
                "its upload started over."
            )
            continue
        except OSError as exc:
            raise _read_problem(Path(job.source_path), exc) from None
    raise DiskReadError("The file keeps changing while it is uploaded; try again once it is saved.")


def _upload(job: JobRecord, ctx: UploadContext, control: JobControl) -> JobOutcome:
    path = Path(job.source_path)
    stat = _stat(path)
    if stat.st_size != job.size_bytes or (
        job.source_mtime is not None and abs(stat.st_mtime - job.source_mtime) > 1e-6
    ):
        job = _start_over(job, ctx, control, path, stat)

    def unchanged() -> None:
        now = _stat(path)
        if now.st_size != job.size_bytes or now.st_mtime != stat.st_mtime:
            raise _FileChanged

    facts = with_retries(ctx, control, ctx.gateway.facts)
    part_bytes = job.part_size_bytes or choose_part_size(
        job.size_bytes, facts.absolute_minimum_part_bytes, ctx.preferred_part_bytes
    )
    if uses_large_file(job.size_bytes, part_bytes):
        remote = _upload_large(job, ctx, control, path, part_bytes, unchanged)
    else:
        remote = _upload_small(job, ctx, control, path, unchanged)
    _verify(job, ctx, control, remote)
    return JobOutcome(
        job.video_id, remote, job.sha1, job.size_bytes, stat.st_mtime, tuple(control.notes), job
    )


def _start_over(
    job: JobRecord, ctx: UploadContext, control: JobControl, path: Path, stat: os.stat_result
) -> JobRecord:
    """The file is not what was imported: hash it again and forget any partial upload."""
    if job.large_file_id:
        with_retries(ctx, control, lambda: ctx.gateway.cancel_large_file(job.large_file_id or ""))
    sha1 = sha1_of_whole_file(path)
    control.notes.append(
        f"{path.name} changed since it was imported; it is uploaded again from the start."
    )
    changed = replace(
        job,
        sha1=sha1,
        size_bytes=stat.st_size,
        source_mtime=stat.st_mtime,
        large_file_id=None,
        part_size_bytes=None,
    )
    ctx.journal.write(lambda c: journal_db.save_job(c, changed))
    return changed


def _upload_small(
    job: JobRecord,
    ctx: UploadContext,
    control: JobControl,
    path: Path,
    unchanged: Callable[[], None],
) -> RemoteFile:
    control.reset(job.size_bytes)

    def send() -> RemoteFile:
        unchanged()
        stream = FileSlice(
            path,
            0,
            job.size_bytes,
            on_read=lambda n: control.sending(1, n),
            limiter=ctx.limiter,
            should_abort=control.aborting,
        )
        try:
            remote = ctx.gateway.upload_small(
                job.object_name, cast(IO[bytes], stream), job.size_bytes, job.sha1
            )
        except UploadProblem:
            control.part_ended(1, 0)
            raise
        finally:
            stream.close()
        control.part_ended(1, job.size_bytes)
        return remote

    return with_retries(ctx, control, send)


def _upload_large(
    job: JobRecord,
    ctx: UploadContext,
    control: JobControl,
    path: Path,
    part_bytes: int,
    unchanged: Callable[[], None],
) -> RemoteFile:
    spans = part_spans(job.size_bytes, part_bytes)
    large_id = job.large_file_id
    confirmed: dict[int, str] = {}
    if large_id is not None and job.part_size_bytes == part_bytes:
        found = _reconcile(job, ctx, control, path, large_id, spans)
        if found is None:
            large_id = None
        else:
            confirmed = found
    if large_id is None:
        large_id = with_retries(ctx, control, _starter(job, ctx))
        started = large_id
        ctx.journal.write(lambda c: journal_db.set_large_file(c, job.video_id, started, part_bytes))
    file_id: str = large_id
    control.reset(job.size_bytes, sum(span.length for span in spans if span.number in confirmed))
    pending = [span for span in spans if span.number not in confirmed]
    _send_parts(job, ctx, control, path, file_id, pending, confirmed)
    unchanged()
    sha1s = [confirmed[span.number] for span in spans]
    try:
        return with_retries(ctx, control, lambda: ctx.gateway.finish_large_file(file_id, sha1s))
    except (PermanentProblem, RemoteFileGone):
        # A finish whose reply was lost, tried again: B2 no longer knows the unfinished file
        # because it is finished.
        finished = with_retries(ctx, control, lambda: ctx.gateway.get_file_info(file_id))
        if finished is None:
            raise
        return finished


def _starter(job: JobRecord, ctx: UploadContext) -> Callable[[], str]:
    """Start the large file; a retry first adopts one an unanswered try may have started,
    so no unfinished file is left behind."""
    tried = False

    def start() -> str:
        nonlocal tried
        if tried:
            for unfinished in ctx.gateway.list_unfinished_large_files(job.object_name):
                if unfinished.name == job.object_name and unfinished.large_file_sha1 == job.sha1:
                    return unfinished.file_id
        tried = True
        return ctx.gateway.start_large_file(job.object_name, job.sha1)

    return start


def _reconcile(
    job: JobRecord,
    ctx: UploadContext,
    control: JobControl,
    path: Path,
    large_id: str,
    spans: list[PartSpan],
) -> dict[int, str] | None:
    """The parts already in B2 that match the local file (None: the large file is gone)."""
    try:
        remote = with_retries(ctx, control, lambda: ctx.gateway.list_parts(large_id))
    except RemoteFileGone:
        return None
    journal = ctx.journal.read(lambda c: journal_db.load_parts(c, job.video_id))
    confirmed: dict[int, str] = {}
    for span in spans:
        part = remote.get(span.number)
        if part is None or part.size_bytes != span.length:
            continue
        known = journal.get(span.number)
        if known is not None and known.large_file_id == large_id and known.sha1 == part.sha1:
            confirmed[span.number] = part.sha1
        elif sha1_of_span(path, span.offset, span.length) == part.sha1:
            # B2 got it but we never heard (killed before the record): no need to resend.
            confirmed[span.number] = part.sha1
            ctx.journal.submit(_part_record(job.video_id, large_id, span, part.sha1))
    return confirmed


def _part_record(
    video_id: str, large_id: str, span: PartSpan, sha1: str
) -> Callable[[Connection], None]:
    def record(connection: Connection) -> None:
        journal_db.record_part(connection, video_id, large_id, span.number, sha1, span.length)

    return record


def _send_parts(
    job: JobRecord,
    ctx: UploadContext,
    control: JobControl,
    path: Path,
    large_id: str,
    pending: list[PartSpan],
    confirmed: dict[int, str],
) -> None:
    """Send ``pending`` parts, ``parts_per_file`` at a time; on the first failure start no
    more, let the parts in flight end, and raise it."""
    active: dict[Future[object], PartSpan] = {}
    failure: BaseException | None = None
    queue = list(reversed(pending))
    while queue or active:
        while queue and failure is None and len(active) < ctx.parts_per_file:
            if control.stop_reason is not None:
                failure = Interrupted(control.stop_reason)
                break
            span = queue.pop()
            active[ctx.run_part(_part_sender(job, ctx, control, path, large_id, span))] = span
        if not active:
            break
        done, _ = wait(active, return_when=FIRST_COMPLETED)
        for future in done:
            span = active.pop(future)
            exc = future.exception()
            if exc is None:
                confirmed[span.number] = str(future.result())
            elif failure is None or isinstance(failure, Interrupted):
                failure = exc
        if failure is not None:
            queue.clear()
    if failure is not None:
        raise failure


def _part_sender(
    job: JobRecord,
    ctx: UploadContext,
    control: JobControl,
    path: Path,
    large_id: str,
    span: PartSpan,
) -> Callable[[], object]:
    def send_once() -> str:
        sha1 = sha1_of_span(path, span.offset, span.length)
        stream = FileSlice(
            path,
            span.offset,
            span.length,
            on_read=lambda n: control.sending(span.number, n),
            limiter=ctx.limiter,
            should_abort=control.aborting,
        )
        try:
            part = ctx.gateway.upload_part(
                large_id, span.number, cast(IO[bytes], stream), span.length, sha1
            )
        except UploadProblem:
            control.part_ended(span.number, 0)
            raise
        finally:
            stream.close()
        ctx.journal.submit(
            lambda c: journal_db.record_part(
                c, job.video_id, large_id, span.number, part.sha1, span.length
            )
        ).add_done_callback(lambda _f: _recorded(ctx, job.video_id, span.number))
        control.part_ended(span.number, span.length)
        return part.sha1

    def send() -> object:
        return with_retries(ctx, control, send_once)

    return send


def _recorded(ctx: UploadContext, video_id: str, number: int) -> None:
    if ctx.on_part_recorded is not None:
        ctx.on_part_recorded(video_id, number)


def _verify(job: JobRecord, ctx: UploadContext, control: JobControl, remote: RemoteFile) -> None:
    """B2's own record of the finished file must match the local size and SHA-1."""
    stored = with_retries(ctx, control, lambda: ctx.gateway.get_file_info(remote.file_id))
    if stored is None or stored.size_bytes != job.size_bytes or stored.sha1 != job.sha1:
        found = "nothing" if stored is None else f"{stored.size_bytes} bytes"
        raise VerificationFailed(
            f"After uploading {Path(job.source_path).name}, B2 holds {found} with a different "
            "checksum than the file on this computer. Retry to upload it again."
        )
