"""The one undo command: it holds the operation that takes the store to the other state.

Applying an operation returns its exact inverse, so a command only ever needs the operation
that flips it: undo applies it and keeps what that returns for redo, and the other way round.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from coursedesk.domain.operations import Operation, Revert

if TYPE_CHECKING:
    from coursedesk.editing.session import EditSession

# Commands with a merge key fold into the previous command with the same key (a run of
# Alt+Down presses on one selection is one undo step). Qt wants an int per kind.
MERGE_SHIFT_VIDEOS = 1
MERGE_RENAME = 2


class OperationCommand(QUndoCommand):
    """An edit that has already been applied when it is pushed."""

    def __init__(
        self,
        session: EditSession,
        flip: Operation,
        text: str,
        *,
        merge_id: int = -1,
        merge_target: tuple[str, ...] = (),
    ) -> None:
        super().__init__(text)
        # The stack (owned by the session's Qt object tree) owns the command; a strong
        # reference back would make a cycle the garbage collector tears down in the wrong
        # order, deleting the command under the stack that is clearing it.
        self._session = weakref.ref(session)
        self._flip = flip
        self._merge_id = merge_id
        self._merge_target = merge_target
        # The edit is applied before the push; Qt's push() calls redo() once more.
        self._skip_next = True

    def skip_next(self) -> None:
        """The next undo()/redo() call only realigns the stack: the store is already there."""
        self._skip_next = True

    def redo(self) -> None:
        self._flip_state(undoing=False)

    def undo(self) -> None:
        self._flip_state(undoing=True)

    def _flip_state(self, *, undoing: bool) -> None:
        if self._skip_next:
            self._skip_next = False
            return
        session = self._session()
        if session is None:
            return
        flipped = session.replay(self, self._flip, undoing=undoing)
        if flipped is not None:
            self._flip = flipped

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, OperationCommand) or other._merge_target != self._merge_target:
            return False
        if not isinstance(self._flip, Revert) or not isinstance(other._flip, Revert):
            return False
        # Undoing both: first the newer edit's inverse, then ours.
        self._flip = Revert(other._flip.steps + self._flip.steps)
        return True
