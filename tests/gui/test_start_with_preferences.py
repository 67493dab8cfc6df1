"""Starting CourseDesk with saved preferences: the window opens in the saved theme, on the
library in the folder chosen in Settings (unless --data-dir or the environment say else)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from coursedesk.paths import CONFIG_DIR_ENV, DATA_DIR_ENV, library_path
from coursedesk.preferences import Preferences, Theme, save_preferences

_START_AND_REPORT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
from coursedesk.app import run_gui
from coursedesk.ui.theme import is_dark

app = QApplication(sys.argv)

def report_and_quit():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if not windows:
        QTimer.singleShot(20, report_and_quit)
        return
    print("DARK" if is_dark(windows[0].palette()) else "LIGHT", flush=True)
    app.quit()

QTimer.singleShot(0, report_and_quit)
sys.exit(run_gui(data_dir=sys.argv[1] or None))
"""


def start(config_dir: Path, data_dir: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", CONFIG_DIR_ENV: str(config_dir)}
    env.pop(DATA_DIR_ENV, None)
    return subprocess.run(
        [sys.executable, "-c", _START_AND_REPORT, data_dir],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_the_window_opens_dark_on_the_library_folder_chosen_in_settings(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    chosen = tmp_path / "chosen library"
    save_preferences(
        config_dir / "config.json", Preferences(theme=Theme.DARK, library_folder=chosen)
    )
    result = start(config_dir)
    assert result.returncode == 0, result.stderr
    assert "DARK" in result.stdout
    assert library_path(chosen).is_file()


def test_data_dir_wins_over_the_folder_chosen_in_settings_and_light_is_light(
    tmp_path: Path,
) -> None:
    config_dir = tmp_path / "config"
    chosen = tmp_path / "chosen library"
    given = tmp_path / "given on the command line"
    save_preferences(
        config_dir / "config.json", Preferences(theme=Theme.LIGHT, library_folder=chosen)
    )
    result = start(config_dir, str(given))
    assert result.returncode == 0, result.stderr
    assert "LIGHT" in result.stdout
    assert library_path(given).is_file()
    assert not chosen.exists()
