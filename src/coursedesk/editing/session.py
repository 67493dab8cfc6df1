"""Where the interface's edits go: applied and saved through the library, then put on the
course's undo stack. Refusals and failed saves come back as one signal with a message; an edit
saved over another writer's change to the same thing is reported on another."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from coursedesk.domain.errors import DomainError
from coursedesk.domain.operations import Operation
from coursedesk.domain.store import Applied, Store
from coursedesk.editing.commands import OperationCommand
from coursedesk.persistence.change_feed import conflict_notice
from coursedesk.persistence.errors import SaveFailed
from coursedesk.persistence.library import Library

log = logging.getLogger(__name__)


class EditSession(QObject):
    """The instructor's edits to one library: one undo stack per course, in one group."""

    # An edit was refused or could not be saved; the text is for the instructor.
    refused = Signal(str)
    # An edit was applied (by do, undo or redo); carries the course id.
    edited = Signal(str)
    # An edit was saved over another window's (or program's) change to the same thing; the
    # text names both, for the instructor. One per edit.
    conflicted = Signal(str)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.group = QUndoGroup(self)
        self._stacks: dict[str, QUndoStack] = {}

    @property
    def store(self) -> Store:
        return self.library.store

    def stack(self, course_id: str) -> QUndoStack:
        """The undo stack of a course (created the first time it is asked for)."""
        stack = self._stacks.get(course_id)
        if stack is None:
            stack = QUndoStack(self.group)
            self._stacks[course_id] = stack
        return stack

    def activate(self, course_id: str | None) -> None:
        stack = None if course_id is None else self.stack(course_id)
        self.group.setActiveStack(stack)  # type: ignore[arg-type]  # None clears it, as in Qt

    def do(
        self,
        operation: Operation,
        text: str,
        course_id: str,
        *,
        merge_id: int = -1,
        merge_target: tuple[str, ...] = (),
    ) -> Applied | None:
        """Apply and save an edit, then make it undoable. None if refused (already told)."""
        applied = self._attempt(operation, text)
        if applied is None or not applied.steps:
            return applied
        command = OperationCommand(
            self, applied.inverse, text, merge_id=merge_id, merge_target=merge_target
        )
        self.stack(course_id).push(command)
        self.edited.emit(course_id)
        return applied

    def apply_untracked(self, operation: Operation) -> Applied | None:
        """An edit outside the undo history (technical fields, emptying the Trash)."""
        return self._attempt(operation, "")

    def replay(
        self, command: OperationCommand, operation: Operation, *, undoing: bool
    ) -> Operation | None:
        """Undo or redo a command's edit. On failure the stack is put back in step."""
        verb = "undo" if undoing else "redo"
        applied = self._attempt(operation, f"{verb} “{command.text()}”")
        if applied is not None:
            return applied.inverse
        stack = self._stack_of(command)
        if stack is not None:
            # Qt has already moved the stack's index; move it back without touching the store.
            command.skip_next()
            QTimer.singleShot(0, stack.redo if undoing else stack.undo)
        return None

    def _attempt(self, operation: Operation, text: str) -> Applied | None:
        try:
            saved = self.library.save(operation)
        except DomainError as exc:
            message = f"Couldn't {text[:1].lower()}{text[1:]}: {exc}" if text else str(exc)
            self.refused.emit(message)
        except SaveFailed as exc:
            self.refused.emit(str(exc))
        else:
            if saved.conflicts:
                notice = conflict_notice(saved.conflicts)
                if text:
                    self.conflicted.emit(notice)
                else:
                    # Background updates (status, metadata) are not the instructor's edits.
                    log.info("a background update was saved over another change: %s", notice)
            return saved.applied
        return None

    def _stack_of(self, command: OperationCommand) -> QUndoStack | None:
        for stack in self._stacks.values():
            for i in range(stack.count()):
                if stack.command(i) is command:
                    return stack
        return None
