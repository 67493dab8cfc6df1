"""The window stays live while other programs save to its library: ``coursedesk import`` run
from a terminal into the course on screen shows its videos without reopening anything, rows
arrive in place (no model reset) and the instructor's selection stays where it was. A second
window on the same library shares its store: an edit in one shows in the other at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings
from pytestqt.qtbot import QtBot
from tests.support.clips import make_clip
from tests.support.sync_helpers import saved_snapshot

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, RenameVideo, new_video
from coursedesk.editing.live_updates import LiveUpdates
from coursedesk.editing.session import EditSession
from coursedesk.paths import CACHE_DIR_ENV, LIBRARY_FILE_NAME
from coursedesk.persistence.library import Library
from coursedesk.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
COURSE = "Intro to Photography"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def library(data_dir: Path) -> Iterator[Library]:
    opened = Library.open(data_dir / LIBRARY_FILE_NAME)
    opened.apply(CreateCourse(COURSE, course_id="c1"))
    opened.apply(AddChapter("c1", "Week 1", chapter_id="week1"))
    opened.apply(
        AddVideos(
            tuple(
                new_video(
                    "c1",
                    f"Lesson {n}",
                    f"/clips/{n}.mp4",
                    video_id=f"lesson{n}",
                    status=VideoStatus.READY,
                )
                for n in range(1, 4)
            ),
            "week1",
        )
    )
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, library: Library, tmp_path: Path) -> Iterator[MainWindow]:
    """The window as ``run_gui`` builds it, following the library's change feed."""
    session = EditSession(library)
    live = LiveUpdates(library, session)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    built = MainWindow(library, session, settings)
    qtbot.addWidget(built)
    built.show()
    qtbot.waitExposed(built)
    live.start()
    yield built
    live.stop()


def _select(window: MainWindow, video_id: str) -> None:
    index = window.tree_model.video_index(video_id)
    window.chapter_tree.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _selected(window: MainWindow) -> list[str | None]:
    rows = window.chapter_tree.selectionModel().selectedRows()
    return [window.tree_model.video_id_of(index) for index in rows]


@pytest.mark.slow
def test_videos_imported_from_the_terminal_appear_and_the_selection_stays(
    qtbot: QtBot, window: MainWindow, library: Library, data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "new takes"
    folder.mkdir()
    make_clip(folder / "04 aperture.mp4", seconds=1.0)
    make_clip(folder / "05 shutter.mp4", seconds=1.0)
    assert window.course_id == "c1"
    _select(window, "lesson2")
    resets: list[str] = []
    window.tree_model.modelReset.connect(lambda: resets.append("tree"))
    inserted: list[int] = []
    window.tree_model.rowsInserted.connect(
        lambda _p, first, last: inserted.append(last - first + 1)
    )

    command = subprocess.Popen(
        [
            *(sys.executable, "-m", "coursedesk", "--data-dir", str(data_dir)),
            *("import", str(folder), "--course", COURSE, "--chapter", "Week 1"),
        ],
        cwd=REPO,
        env={**os.environ, CACHE_DIR_ENV: str(tmp_path / "cache")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: len(library.store.video_ids("week1")) == 5, timeout=60_000)
    finally:
        _out, err = command.communicate(timeout=60)
    assert command.returncode == 0, err

    titles = [library.store.video(v).title for v in library.store.video_ids("week1")]
    assert titles[:3] == ["Lesson 1", "Lesson 2", "Lesson 3"]
    assert window.tree_model.rowCount(window.tree_model.chapter_index("week1")) == 5
    assert _selected(window) == ["lesson2"]
    assert resets == []
    assert sum(inserted) >= 2
    # Once the poller has looked again, the window shows exactly what the import saved.
    saved = saved_snapshot(data_dir / LIBRARY_FILE_NAME)
    qtbot.waitUntil(lambda: library.store.snapshot() == saved)


def test_a_second_window_on_the_library_shares_its_store(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    other = window.open_new_window()
    qtbot.waitExposed(other)
    assert other.store is window.store
    assert other.course_id == window.course_id

    other.session.do(RenameVideo("lesson1", "Welcome"), "Rename", "c1")

    index = window.tree_model.video_index("lesson1")
    assert "Welcome" in str(window.tree_model.data(index))
    # Closing it deletes it; the first window carries on with the store.
    other.close()
    qtbot.waitUntil(lambda: not window._other_windows)
    assert window.store.video("lesson1").title == "Welcome"
