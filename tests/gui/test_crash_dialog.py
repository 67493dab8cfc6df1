"""An exception nobody caught is logged and shown with the log's location, and the library is
left consistent: the edit under way is saved whole or not at all."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from tests.unit.persistence.library_helpers import BuiltCourse, build_course

from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.operations import MoveVideos
from coursedesk.editing.session import EditSession
from coursedesk.logs import logging_to_file
from coursedesk.paths import LOG_DIR_ENV
from coursedesk.persistence.library import Library
from coursedesk.ui.crash_dialog import CrashReporter, crash_message_box, reporting_crashes


@dataclass
class ShownDialogs:
    """Stands in for the dialog: records what it would have shown."""

    shown: list[tuple[str, str, Path | None]] = field(default_factory=list)
    on_gui_thread: list[bool] = field(default_factory=list)

    def __call__(self, summary: str, detail: str, log_file: Path | None) -> None:
        self.shown.append((summary, detail, log_file))
        self.on_gui_thread.append(threading.current_thread() is threading.main_thread())


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    with logging_to_file() as path:
        yield path


@pytest.fixture
def dialogs(log_file: Path, qtbot: QtBot) -> Iterator[ShownDialogs]:
    shown = ShownDialogs()
    with reporting_crashes(log_file, shown):
        yield shown


@pytest.fixture
def course(library: Library) -> BuiltCourse:
    return build_course(library, chapters=2, videos_per_chapter=4, unassigned=0)


def _reloaded(library: Library, course_id: str) -> dict[str, object]:
    assert library.path is not None
    fresh = Library.open(library.path)
    try:
        fresh.open_course(course_id)
        check_invariants(fresh.store)
        return fresh.store.snapshot()
    finally:
        fresh.close()


def _button_doing(qtbot: QtBot, slot: Any) -> QPushButton:
    button = QPushButton("Move")
    qtbot.addWidget(button)
    button.clicked.connect(slot)
    return button


def test_a_fault_halfway_through_saving_an_edit_rolls_it_back_and_shows_the_dialog(
    library: Library,
    course: BuiltCourse,
    dialogs: ShownDialogs,
    log_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = EditSession(library)
    first, second = course.chapter_ids
    before = library.store.snapshot()
    write = library._repository.write

    def write_then_fail(*args: Any, **kwargs: Any) -> Any:
        write(*args, **kwargs)  # the rows are in the transaction ...
        raise RuntimeError("a fault of ours after writing the rows")  # ... and then this

    monkeypatch.setattr(library._repository, "write", write_then_fail)
    moved = course.videos_by_chapter[first][:2]
    button = _button_doing(
        qtbot, lambda: session.do(MoveVideos(moved, second, 1), "Move videos", course.id)
    )
    button.click()

    assert len(dialogs.shown) == 1
    summary, detail, shown_log = dialogs.shown[0]
    assert summary == "RuntimeError: a fault of ours after writing the rows"
    assert "write_then_fail" in detail and "Traceback" in detail
    assert shown_log == log_file
    # Nothing of the edit stayed: not on screen, not on disk, not on the undo stack.
    check_invariants(library.store)
    assert library.store.snapshot() == before
    assert _reloaded(library, course.id) == before
    assert session.stack(course.id).count() == 0
    text = log_file.read_text(encoding="utf-8")
    assert "CRITICAL" in text and "uncaught exception" in text
    assert "RuntimeError: a fault of ours after writing the rows" in text


def test_a_fault_after_the_edit_is_saved_keeps_the_whole_edit(
    library: Library, course: BuiltCourse, dialogs: ShownDialogs, qtbot: QtBot
) -> None:
    session = EditSession(library)
    first, second = course.chapter_ids

    def fail_after_saving(_course_id: str) -> None:
        raise ValueError("a listener broke after the save")

    session.edited.connect(fail_after_saving)
    moved = course.videos_by_chapter[first][:2]
    button = _button_doing(
        qtbot, lambda: session.do(MoveVideos(moved, second, 1), "Move videos", course.id)
    )
    button.click()

    assert [summary for summary, _, _ in dialogs.shown] == [
        "ValueError: a listener broke after the save"
    ]
    check_invariants(library.store)
    assert tuple(library.store.video_ids(second)[1:3]) == moved
    assert _reloaded(library, course.id) == library.store.snapshot()
    assert session.stack(course.id).count() == 1


def test_an_exception_on_a_worker_thread_is_shown_on_the_gui_thread(
    dialogs: ShownDialogs, log_file: Path, qtbot: QtBot
) -> None:
    def work() -> None:
        raise OSError("the disk went away")

    worker = threading.Thread(target=work, name="thumbnail worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    assert dialogs.shown[0][0] == "OSError: the disk went away"
    assert dialogs.on_gui_thread == [True]
    assert "uncaught exception in thread thumbnail worker" in log_file.read_text(encoding="utf-8")


def test_a_failure_repeating_while_the_dialog_is_open_is_only_logged(
    log_file: Path, qtbot: QtBot
) -> None:
    shown: list[str] = []
    button = QPushButton()
    qtbot.addWidget(button)

    def show_and_fail_again(summary: str, _detail: str, _log: Path | None) -> None:
        shown.append(summary)
        if len(shown) == 1:
            button.click()  # the same fault again, while "the dialog" is up

    def fail() -> None:
        raise RuntimeError("again and again")

    button.clicked.connect(fail)
    with reporting_crashes(log_file, show_and_fail_again):
        button.click()
    assert shown == ["RuntimeError: again and again"]
    assert log_file.read_text(encoding="utf-8").count("RuntimeError: again and again") == 2


def test_the_dialog_says_what_happened_where_the_log_is_and_hides_the_traceback(
    qtbot: QtBot, tmp_path: Path
) -> None:
    log_file = tmp_path / "logs" / "coursedesk.log"
    box = crash_message_box(
        "RuntimeError: boom", "Traceback (most recent call last):\n  ...", log_file
    )
    qtbot.addWidget(box)
    assert box.icon() == QMessageBox.Icon.Critical
    assert "Your work is safe" in box.text()
    assert "RuntimeError: boom" in box.informativeText()
    assert str(log_file) in box.informativeText()
    # QMessageBox puts detailed text behind its "Show Details…" button.
    assert box.detailedText().startswith("Traceback")


def test_the_traceback_shown_has_secrets_masked(log_file: Path, qtbot: QtBot) -> None:
    shown = ShownDialogs()
    button = QPushButton()
    qtbot.addWidget(button)

    def fail() -> None:
        raise RuntimeError("refused with app_key=very-secret-value")

    button.clicked.connect(fail)
    with reporting_crashes(log_file, shown):
        button.click()
    summary, detail, _ = shown.shown[0]
    assert "very-secret-value" not in summary + detail
    assert "very-secret-value" not in log_file.read_text(encoding="utf-8")


def test_the_hooks_are_put_back_afterwards(log_file: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    reporter = CrashReporter(log_file, ShownDialogs())
    reporter.install()
    assert sys.excepthook != before[0]
    reporter.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
