"""Starting CourseDesk: the window opens on the embedded default library, or says why not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from coursedesk import __version__
from coursedesk.app import run_gui
from coursedesk.paths import DATA_DIR_ENV, data_dir, library_path

_START_AND_QUIT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
from coursedesk.app import run_gui

app = QApplication(sys.argv)

def report_and_quit():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if not windows:
        QTimer.singleShot(20, report_and_quit)
        return
    print("WINDOW", windows[0].windowTitle(), flush=True)
    app.quit()

QTimer.singleShot(20, report_and_quit)
sys.exit(run_gui(data_dir=sys.argv[1]))
"""


def test_first_start_creates_the_library_in_the_data_folder_and_shows_the_window(
    tmp_path: Path,
) -> None:
    # A real start runs the application's own event loop, so it gets a process of its own.
    folder = tmp_path / "fresh data"
    result = subprocess.run(
        [sys.executable, "-c", _START_AND_QUIT, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "WINDOW" in result.stdout and "CourseDesk" in result.stdout
    assert library_path(folder).is_file()


def test_a_file_that_is_not_a_library_is_reported_and_left_untouched(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    impostor = library_path(folder)
    impostor.write_text("shopping list: milk, eggs\n")
    messages: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, _title, text: messages.append(text)
    )
    assert run_gui(data_dir=str(folder)) == 1
    assert messages and "not a CourseDesk library" in messages[0]
    assert impostor.read_text() == "shopping list: milk, eggs\n"
    assert sorted(p.name for p in folder.iterdir()) == ["library.sqlite3"]


def test_data_folder_comes_from_the_option_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert data_dir() == (tmp_path / "from-env").resolve()
    assert data_dir(tmp_path / "from-option") == (tmp_path / "from-option").resolve()
    monkeypatch.delenv(DATA_DIR_ENV)
    assert "CourseDesk" in str(data_dir())


def test_version_is_printed_by_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coursedesk", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == f"CourseDesk {__version__}"
