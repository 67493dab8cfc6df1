"""Random edits through a library on disk: after every edit, a second CourseDesk opening the
same file sees exactly the store the first one holds.

The edits, refusals and undo/redo are those of ``tests/support/store_machine.py``; this
machine routes them through ``Library.apply`` and adds saves that fail."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import rule
from sqlalchemy import event
from tests.support.store_machine import StoreMachine
from tests.unit.persistence.library_helpers import Disk

from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.operations import MoveVideos, Operation, RenameVideo, TrashVideos
from coursedesk.domain.store import Applied, Store
from coursedesk.persistence.database import Database, open_library, sqlite_engine
from coursedesk.persistence.errors import SaveFailed
from coursedesk.persistence.library import Library


def _reloaded(path: Path) -> dict[str, Any]:
    """The store a second library on the same file rebuilds, every course opened."""
    library = Library(Database(sqlite_engine(path), path))
    try:
        for course in library.store.courses(include_trashed=True):
            library.open_course(course.id)
        check_invariants(library.store)
        return library.store.snapshot()
    finally:
        library.close()


class PersistedStoreMachine(StoreMachine):
    def make_store(self) -> Store:
        self._folder = tempfile.TemporaryDirectory(prefix="coursedesk-machine-")
        self.path = Path(self._folder.name) / "library.sqlite3"
        self.disk = Disk()
        database = open_library(self.path)
        event.listen(database.engine, "checkout", self.disk.watch)
        self.library = Library(database)
        self._deferred = True  # no reload per edit while the starting courses are built
        self._failed_saves = 0
        return self.library.store

    def populate(self) -> None:
        super().populate()
        self._deferred = False
        self.assert_file_matches_store()

    def perform(self, operation: Operation) -> Applied:
        return self.library.apply(operation)

    def after_apply(self, applied: Applied) -> None:
        if not self._deferred:
            self.assert_file_matches_store()

    def check_rewind_and_replay(self) -> None:
        # Rewinding replays dozens of edits; compare the file once, at the end.
        self._deferred = True
        try:
            super().check_rewind_and_replay()
        finally:
            self._deferred = False
        self.assert_file_matches_store()

    def assert_file_matches_store(self) -> None:
        assert _reloaded(self.path) == self.store.snapshot()

    @rule(data=st.data(), kind=st.sampled_from(["rename", "unassign", "trash"]))
    def save_fails_on_a_read_only_disk(self, data: st.DataObject, kind: str) -> None:
        course_id = self.course_with_videos(data)
        if course_id is None:
            return
        selection = self.pick_some(data, self.live_videos(course_id), "selection")
        placed = tuple(v for v in selection if self.store.video(v).chapter_id is not None)
        self._failed_saves += 1
        edit: Operation = {
            "rename": RenameVideo(selection[0], f"Unsaved {self._failed_saves}"),
            "unassign": MoveVideos(placed, None) if placed else TrashVideos(selection),
            "trash": TrashVideos(selection, at=self.tick()),
        }[kind]
        before = self.store.snapshot()
        self.disk.make_read_only()
        try:
            with pytest.raises(SaveFailed):
                self.library.apply(edit)
        finally:
            self.disk.make_writable()
        assert self.store.snapshot() == before
        self.assert_file_matches_store()

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            self.library.close()
            self._folder.cleanup()


PersistedStoreMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLibraryMatchesStore = PersistedStoreMachine.TestCase
