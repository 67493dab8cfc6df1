"""Shared checks for the several-writers tests: notices as the instructor would get them, and
stores that must agree with the library file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coursedesk.domain.errors import DomainError
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.operations import Operation
from coursedesk.domain.store import Applied
from coursedesk.persistence.change_feed import conflict_notice
from coursedesk.persistence.library import ChangedElsewhere, Library


def saved_snapshot(path: Path) -> dict[str, Any]:
    """What a CourseDesk opening the file now would show, every course opened."""
    library = Library.open(path)
    try:
        for course in library.store.courses(include_trashed=True):
            library.open_course(course.id)
        return library.store.snapshot()
    finally:
        library.close()


def assert_converged(path: Path, *libraries: Library) -> None:
    """Once each has looked at the feed, every store shows exactly what the file holds."""
    for library in libraries:
        library.refresh()
    saved = saved_snapshot(path)
    for library in libraries:
        check_invariants(library.store)
        assert library.store.snapshot() == saved


class Writer:
    """One writer's edits, with the notices the instructor would see for them."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.notices: list[str] = []
        self.refusals: list[str] = []

    def edit(self, operation: Operation) -> Applied | None:
        """Save an edit; a conflict notice or a refusal is recorded (one per edit at most)."""
        try:
            saved = self.library.save(operation)
        except ChangedElsewhere as exc:
            self.notices.append(str(exc))
            return None
        except DomainError as exc:
            self.refusals.append(str(exc))
            return None
        if saved.conflicts:
            self.notices.append(conflict_notice(saved.conflicts))
        return saved.applied
