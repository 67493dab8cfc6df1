"""Why the store refused an edit, in words an instructor can read.

A refused operation changes nothing: every check runs before the first change.
"""

from __future__ import annotations


class DomainError(Exception):
    """An edit the store refused. ``str(error)`` is the message for the instructor."""


class NotFound(DomainError):
    """The edit names a course, chapter or video that does not exist (any more)."""


class InvalidTitle(DomainError):
    """A title that is empty, only whitespace, or too long."""


class MoveRefused(DomainError):
    """A move that would break the course's structure (wrong course, deleted video ...)."""


class InvalidState(DomainError):
    """The target is not in a state that allows this edit (e.g. restoring a live video)."""


class CourseInTrash(InvalidState):
    """An edit of a course that is in the Trash: it is read-only until it is restored."""


class InvariantViolation(DomainError):
    """The store's structure is inconsistent; raised by ``check_invariants``."""
