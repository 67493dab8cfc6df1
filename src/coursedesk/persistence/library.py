"""The library: the store and its database, kept in step on every edit (the auto-save).

``Library.apply`` is the one way to change a course: the operation is applied to the store,
its steps are written in one transaction, and if that write fails the store is put back as
it was and ``SaveFailed`` tells why. Nothing is ever half-applied.

Other writers (a second window on its own ``Library``, ``coursedesk import``) may save to the
same database. Each saved edit leaves an entry in the change feed; ``refresh`` takes what
the others saved over into the store, through ordinary steps. A save is optimistic: it writes
only rows still at the revision this library knows, and its feed entry must directly follow
the last one this library took over. If either fails, someone else saved in between: the
edit is taken back in memory, the store catches up inside a new write transaction (holding
the write lock, so nobody can slip in again), and the edit is applied and saved once more.
Where it overwrote another writer's change, the caller gets a ``Conflict`` to tell the
instructor about (last write wins; undo restores the other writer's value).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from coursedesk.domain.errors import DomainError, InvalidState, InvariantViolation
from coursedesk.domain.external import ApplyExternalChanges
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.model import new_id
from coursedesk.domain.operations import Operation, Revert
from coursedesk.domain.store import Applied, Store
from coursedesk.persistence.change_feed import (
    ORIGIN_WINDOW,
    ChangeFeed,
    Conflict,
    ExternalChange,
    Key,
    OutOfStep,
    Pending,
    aspects_of,
    capture,
    describe,
    overlaps,
    read_pending,
)
from coursedesk.persistence.database import Database, open_database, open_library
from coursedesk.persistence.errors import LibraryCorrupt, LibraryError, SaveFailed
from coursedesk.persistence.repository import Repository, RowsChanged, RowsUnreadable
from coursedesk.persistence.schema import duplicate_dismissals

log = logging.getLogger(__name__)

# An edit of a row another writer changed this recently counts as overwriting that change
# (the instructor may not have noticed it arrive), and is reported once.
RECENT_EXTERNAL_CHANGE_S = 10.0
# Feed entries older than this (and far enough behind) are pruned now and then.
FEED_KEEP_S = 7 * 24 * 3600.0
FEED_KEEP_ENTRIES = 10_000
_PRUNE_EVERY_WRITES = 1_000


@dataclass(frozen=True, slots=True)
class Saved:
    """A saved edit: what it did, and the other writers' changes it was saved over."""

    applied: Applied
    conflicts: tuple[Conflict, ...] = ()


class ChangedElsewhere(DomainError):
    """An edit refused because what it works on was changed by another writer since."""


class _Behind(Exception):
    """Another writer saved after the last change this library took over."""


class Library:
    """An open library: every course it holds, and the content of the courses opened so far."""

    def __init__(
        self, database: Database, store: Store | None = None, *, origin: str = ORIGIN_WINDOW
    ) -> None:
        self.database = database
        self.store = store if store is not None else Store()
        self._repository = Repository()
        self._feed = ChangeFeed(new_id(), origin)
        # The last feed entry the store reflects: everything up to it is shown.
        self._seen = 0
        self._writes = 0
        self._recent: dict[Key, ExternalChange] = {}
        self._writer: Connection = database.engine.connect().execution_options(
            coursedesk_writer=True
        )
        try:
            with database.engine.connect() as connection:
                for course in self._repository.read_courses(connection):
                    if not self.store.has_course(course.id):
                        self.store.add_unloaded_course(course)
                self._seen = self._feed.latest(connection)
        except SQLAlchemyError as exc:
            self._writer.close()
            raise LibraryError(f"CourseDesk can't read its library: {_reason(exc)}") from exc

    @classmethod
    def open(
        cls, path: Path, *, busy_timeout_ms: int = 5000, origin: str = ORIGIN_WINDOW
    ) -> Library:
        database = open_library(path, busy_timeout_ms=busy_timeout_ms)
        try:
            return cls(database, origin=origin)
        except BaseException:
            database.close()
            raise

    @classmethod
    def open_url(cls, url: str, *, origin: str = ORIGIN_WINDOW) -> Library:
        """Open the library behind a database URL (``sqlite:///…`` or a server's)."""
        database = open_database(url)
        try:
            return cls(database, origin=origin)
        except BaseException:
            database.close()
            raise

    @property
    def writer_id(self) -> str:
        return self._feed.writer_id

    @property
    def seen_seq(self) -> int:
        """The last change-feed entry the store reflects."""
        return self._seen

    @property
    def path(self) -> Path | None:
        return self.database.path

    def close(self) -> None:
        self._writer.close()
        self.database.close()

    def open_course(self, course_id: str) -> None:
        """Read a course's chapters and videos into the store (once), checking them."""
        store = self.store
        course = store.course(course_id)
        if store.is_loaded(course_id):
            return
        try:
            with self.database.engine.connect() as connection:
                chapters, videos, order, problems = self._repository.read_course_content(
                    connection, course_id
                )
        except SQLAlchemyError as exc:
            raise LibraryError(
                f"CourseDesk can't read the course '{course.title}': {_reason(exc)}"
            ) from exc
        store.add_loaded_course(course, chapters, videos, order)
        try:
            if problems:
                raise InvariantViolation("; ".join(problems[:5]))
            check_invariants(store)
        except InvariantViolation as exc:
            self._repository.forget_course(store, course_id)
            store.forget_course(course_id)
            raise LibraryCorrupt(
                f"The course '{course.title}' in this library is inconsistent and was not "
                f"opened, so nothing in it gets overwritten ({exc})."
            ) from exc

    def dismiss_duplicate(self, video_id: str, other_video_id: str) -> None:
        """Remember that two videos are not duplicates, so the instructor is not asked again."""
        first, second = sorted((video_id, other_video_id))
        try:
            with self._writer.begin():
                self._writer.execute(
                    insert(duplicate_dismissals)
                    .prefix_with("OR IGNORE", dialect="sqlite")
                    .values(video_id=first, other_video_id=second, created_at=time.time())
                )
        except SQLAlchemyError as exc:
            raise SaveFailed(_save_failed_message(exc)) from exc

    def is_dismissed(self, video_id: str, other_video_id: str) -> bool:
        """Whether the instructor said these two videos are not duplicates."""
        first, second = sorted((video_id, other_video_id))
        with self.database.engine.connect() as connection:
            found = connection.execute(
                select(duplicate_dismissals.c.video_id).where(
                    duplicate_dismissals.c.video_id == first,
                    duplicate_dismissals.c.other_video_id == second,
                )
            ).first()
        return found is not None

    def apply(self, operation: Operation) -> Applied:
        """Apply ``operation`` to the store and save it, or change nothing and raise.

        Raises a ``DomainError`` if the store refuses it, ``SaveFailed`` if it can't be saved.
        """
        return self.save(operation).applied

    def save(self, operation: Operation) -> Saved:
        """``apply``, also naming the other writers' changes the edit was saved over."""
        try:
            applied = self.store.apply(operation)
        except DomainError as exc:
            raise self._explained(exc, operation) from exc
        if not applied.steps:
            return Saved(applied)
        try:
            with self._writer.begin():
                ranks = self._repository.write(self._writer, self.store, applied.steps)
                seq = self._record(ranks.written)
                if seq != self._seen + 1:
                    raise _Behind
        except (RowsChanged, _Behind, IntegrityError) as exc:
            self.store.apply(applied.inverse)
            if isinstance(exc, IntegrityError) and not self._is_behind():
                log.warning("saving an edit failed; rolled it back in memory", exc_info=True)
                raise SaveFailed(_save_failed_message(exc)) from exc
            forced = {exc.table: exc.ids} if isinstance(exc, RowsChanged) else None
            return self._save_caught_up(operation, forced)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("saving an edit failed; rolling it back in memory", exc_info=True)
            self.store.apply(applied.inverse)
            raise SaveFailed(_save_failed_message(exc)) from exc
        except BaseException:
            # Not a database error but a fault of ours: the transaction was rolled back all the
            # same, so the store goes back too; the screen must never show an unsaved edit.
            log.exception("saving an edit failed unexpectedly; rolling it back in memory")
            self.store.apply(applied.inverse)
            raise
        self._repository.remember(ranks)
        self._seen = seq
        return Saved(applied, self._conflicts(applied.steps))

    def _save_caught_up(
        self, operation: Operation, forced: Mapping[str, Iterable[str]] | None
    ) -> Saved:
        """Save again after someone else did: take their changes over first, holding the
        write lock, then apply the edit to what they left."""
        applied: Applied | None = None
        try:
            with self._writer.begin():
                self._take_over(self._writer, forced)
                try:
                    applied = self.store.apply(operation)
                except DomainError as exc:
                    raise self._explained(exc, operation) from exc
                if not applied.steps:
                    return Saved(applied)
                ranks = self._repository.write(self._writer, self.store, applied.steps)
                seq = self._record(ranks.written)
        except DomainError:
            raise
        except (SQLAlchemyError, OSError, RowsChanged, RowsUnreadable, OutOfStep) as exc:
            log.warning("saving an edit failed; rolling it back in memory", exc_info=True)
            if applied is not None:
                self.store.apply(applied.inverse)
            if isinstance(exc, RowsChanged | RowsUnreadable | OutOfStep):
                raise SaveFailed(
                    "Your change could not be saved because another program changed the same "
                    "videos at the same moment. Nothing was changed; try again."
                ) from exc
            raise SaveFailed(_save_failed_message(exc)) from exc
        except BaseException:
            log.exception("saving an edit failed unexpectedly; rolling it back in memory")
            if applied is not None:
                self.store.apply(applied.inverse)
            raise
        self._repository.remember(ranks)
        self._seen = seq
        return Saved(applied, self._conflicts(applied.steps))

    def _record(self, written: Mapping[str, list[str]]) -> int:
        seq = self._feed.record(self._writer, written)
        self._writes += 1
        if self._writes % _PRUNE_EVERY_WRITES == 0:
            self._feed.prune(
                self._writer,
                keep_after_seq=seq - FEED_KEEP_ENTRIES,
                older_than=time.time() - FEED_KEEP_S,
            )
        return seq

    def _is_behind(self) -> bool:
        try:
            with self.database.engine.connect() as connection:
                return self._feed.latest(connection) != self._seen
        except SQLAlchemyError:
            return False

    # ------------------------------------------------------------------ other writers

    def refresh(self) -> list[ExternalChange]:
        """Take over what other writers saved since the last look; what changed, in words.

        Cheap when nothing changed (one ``max(seq)`` query). Raises ``LibraryError`` when the
        library can't be read.
        """
        try:
            with self.database.engine.connect() as connection:
                if self._feed.latest(connection) <= self._seen:
                    return []
                return self._take_over(connection, None)
        except (SQLAlchemyError, RowsUnreadable, OutOfStep, DomainError) as exc:
            raise LibraryError(
                f"CourseDesk can't read the changes saved elsewhere: {_reason(exc)}"
            ) from exc

    def _take_over(
        self, connection: Connection, forced: Mapping[str, Iterable[str]] | None
    ) -> list[ExternalChange]:
        try:
            pending = read_pending(
                connection, self.store, self._repository, self._feed, self._seen, forced=forced
            )
            return self._show(pending)
        except (InvalidState, OutOfStep):
            # Should not happen; reading the open courses afresh puts it right whatever it was.
            log.error(
                "changes saved elsewhere did not fit; reading the courses afresh", exc_info=True
            )
            pending = read_pending(
                connection, self.store, self._repository, self._feed, self._seen, full=True
            )
            return self._show(pending)

    def _show(self, pending: Pending) -> list[ExternalChange]:
        before = capture(self.store, self._repository, pending.state)
        if not pending.state.empty or pending.state.video_orders or pending.state.chapter_orders:
            self.store.apply(ApplyExternalChanges(pending.state))
        self._repository.absorb(
            pending.rows, pending.gone, pending.video_orders, pending.chapter_orders
        )
        self._seen = max(self._seen, pending.latest)
        now = time.monotonic()
        changes = describe(self.store, before, pending, now=now)
        for key in [
            k for k, c in self._recent.items() if now - c.seen_at > RECENT_EXTERNAL_CHANGE_S
        ]:
            del self._recent[key]
        for change in changes:
            if change.aspects:
                self._recent[(change.kind, change.id)] = change
        return changes

    def _conflicts(self, steps: Iterable[object]) -> tuple[Conflict, ...]:
        """The recent changes of other writers this edit was saved over; each told once."""
        if not self._recent:
            return ()
        now = time.monotonic()
        found: list[Conflict] = []
        for key, (aspects, words) in aspects_of(steps).items():  # type: ignore[arg-type]
            change = self._recent.get(key)
            if change is None:
                continue
            if now - change.seen_at > RECENT_EXTERNAL_CHANGE_S:
                del self._recent[key]
            elif overlaps(change.aspects, aspects):
                del self._recent[key]
                found.append(Conflict(change, words))
        return tuple(found)

    def _explained(self, error: DomainError, operation: Operation) -> DomainError:
        """A refusal, naming the other writer's change that caused it, if one did."""
        if not self._recent:
            return error
        named = _ids_named(operation)
        now = time.monotonic()
        for key, change in list(self._recent.items()):
            if key[1] in named and now - change.seen_at <= RECENT_EXTERNAL_CHANGE_S:
                del self._recent[key]
                return ChangedElsewhere(f"{change.text} {change.origin} ({error})")
        return error


def _ids_named(operation: object) -> set[str]:
    """The ids an operation works on (for naming what changed under it)."""
    if isinstance(operation, Revert):
        named: set[str] = set()
        for step in operation.steps:
            for name in ("video_id", "chapter_id", "course_id"):
                value = getattr(step, name, None)
                if isinstance(value, str):
                    named.add(value)
            for name in ("video", "chapter", "course"):
                entity = getattr(step, name, None)
                if entity is not None:
                    named.add(entity.id)
        return named
    named = set()
    for name in ("video_ids", "video_id", "chapter_id", "course_id"):
        value = getattr(operation, name, None)
        if isinstance(value, str):
            named.add(value)
        elif isinstance(value, tuple):
            named.update(v for v in value if isinstance(v, str))
    for part in getattr(operation, "operations", ()):
        named |= _ids_named(part)
    return named


def _reason(exc: BaseException) -> str:
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    return str(original).rstrip(".") + "."


def _save_failed_message(exc: BaseException) -> str:
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(original).lower()
    if "full" in text or getattr(original, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        why = "the disk is full. Free some space and try again"
    elif "locked" in text or "busy" in text:
        why = "another program is holding the library locked. Try again in a moment"
    elif "readonly" in text or "read-only" in text:
        why = "the library file is read-only. Check its permissions"
    elif "disk i/o" in text:
        why = "the disk reported an error. Check the drive and try again"
    else:
        why = f"the library reported an error ({original}). Try again"
    return f"Your change could not be saved because {why}. Nothing was changed."
