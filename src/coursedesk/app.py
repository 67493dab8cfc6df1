"""The desktop application: open the library, show the editor window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from coursedesk import __version__
from coursedesk.editing.live_updates import LiveUpdates
from coursedesk.editing.session import EditSession
from coursedesk.logs import logging_to_file
from coursedesk.paths import APP_NAME, config_file, library_path
from coursedesk.paths import data_dir as resolve_data_dir
from coursedesk.paths import database_url as resolve_database_url
from coursedesk.persistence.errors import LibraryError
from coursedesk.persistence.library import Library
from coursedesk.preferences import load_preferences
from coursedesk.ui.crash_dialog import reporting_crashes
from coursedesk.ui.import_controller import ImportServices
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.resources import app_icon
from coursedesk.ui.theme import apply_theme
from coursedesk.ui.uploads.center import UploadCenter

log = logging.getLogger(__name__)

# For tests and automation: quit this many milliseconds after the window is shown.
QUIT_AFTER_MS_ENV = "COURSEDESK_QUIT_AFTER_MS"


def main(argv: Sequence[str] | None = None) -> int:
    """The GUI entry point: ``coursedesk`` with no subcommand lands here too."""
    parser = argparse.ArgumentParser(prog="coursedesk", description="Open the CourseDesk window.")
    parser.add_argument("--data-dir", metavar="DIR", help="folder of the library to use")
    parser.add_argument("--database-url", metavar="URL", help="the library's database URL")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return run_gui(data_dir=args.data_dir, database_url=args.database_url)


def run_gui(*, data_dir: str | None = None, database_url: str | None = None) -> int:
    with logging_to_file() as log_file:
        return _run_gui(log_file, data_dir=data_dir, database_url=database_url)


def _run_gui(log_file: Path, *, data_dir: str | None, database_url: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("coursedesk")
    # The theme chosen in Settings, before any window shows (a flash of the wrong one is ugly).
    apply_theme(app, load_preferences(config_file()).theme)
    folder: Path = resolve_data_dir(data_dir)
    url = resolve_database_url(database_url)
    try:
        workspace = open_workspace(folder, url)
    except LibraryError as exc:
        QMessageBox.critical(None, "CourseDesk can't open its library", str(exc))
        return 1
    workspace.window.show()
    log.info("window shown on library %s", url or library_path(folder))
    if quit_after_ms := os.environ.get(QUIT_AFTER_MS_ENV, "").strip():
        QTimer.singleShot(int(quit_after_ms), app.quit)
    try:
        with reporting_crashes(log_file):
            return app.exec()
    finally:
        workspace.shut_down()


@dataclass
class Workspace:
    """One library's editor window and the services it runs on."""

    library: Library
    session: EditSession
    live: LiveUpdates
    uploads: UploadCenter
    imports: ImportServices
    window: MainWindow

    def shut_down(self) -> None:
        """Stop the services (once the window is closed) and close the library."""
        self.imports.shut_down()
        self.uploads.shutdown()
        self.live.stop()
        self.library.close()


def open_workspace(folder: Path, url: str | None = None) -> Workspace:
    """Open the library in ``folder`` (or at ``url``) and build its window, not yet shown;
    services start at once. Raises ``LibraryError`` if the library can't be opened."""
    library = Library.open(library_path(folder)) if url is None else Library.open_url(url)
    session = EditSession(library)
    # What other windows and programs save to the library shows up in this one by itself.
    live = LiveUpdates(library, session)
    live.start()
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    # Uploads start at once and go on in the background (storage.json names the account).
    uploads = UploadCenter.open(session, library.database.engine, folder)
    uploads.start()
    # Imports read files on their own threads; interrupted ones carry on when a course opens.
    imports = ImportServices.create(library, session, resume_interrupted=True)
    window = MainWindow(library, session, settings, uploads=uploads, imports=imports)
    return Workspace(library, session, live, uploads, imports, window)
