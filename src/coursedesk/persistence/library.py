"""The library: the store and its database, kept in step on every edit (the auto-save).

``Library.apply`` is the one way to change a course: the operation is applied to the store,
its steps are written in one transaction, and if that write fails the store is put back as
it was and ``SaveFailed`` tells why. Nothing is ever half-applied.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from coursedesk.domain.errors import InvariantViolation
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.operations import Operation
from coursedesk.domain.store import Applied, Store
from coursedesk.persistence.database import Database, open_library
from coursedesk.persistence.errors import LibraryCorrupt, LibraryError, SaveFailed
from coursedesk.persistence.repository import Repository
from coursedesk.persistence.schema import duplicate_dismissals

log = logging.getLogger(__name__)


class Library:
    """An open library: every course it holds, and the content of the courses opened so far."""

    def __init__(self, database: Database, store: Store | None = None) -> None:
        self.database = database
        self.store = store if store is not None else Store()
        self._repository = Repository()
        self._writer: Connection = database.engine.connect().execution_options(
            coursedesk_writer=True
        )
        try:
            with database.engine.connect() as connection:
                for course in self._repository.read_courses(connection):
                    if not self.store.has_course(course.id):
                        self.store.add_unloaded_course(course)
        except SQLAlchemyError as exc:
            self._writer.close()
            raise LibraryError(f"CourseDesk can't read its library: {_reason(exc)}") from exc

    @classmethod
    def open(cls, path: Path, *, busy_timeout_ms: int = 5000) -> Library:
        database = open_library(path, busy_timeout_ms=busy_timeout_ms)
        try:
            return cls(database)
        except BaseException:
            database.close()
            raise

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
        applied = self.store.apply(operation)
        if not applied.steps:
            return applied
        try:
            with self._writer.begin():
                ranks = self._repository.write(self._writer, self.store, applied.steps)
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
        return applied


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
