"""Screenshots of CourseDesk's windows with realistic sample data (not run by CI).

    python tools/screenshots.py OUT_DIR [--theme light|dark|both]

builds throwaway libraries and saves, per theme, into OUT_DIR:

- ``window-THEME.png``: the editor on one course (3 chapters, 20 videos of varied lengths,
  sizes and upload states, a few unassigned, a few deleted);
- ``trash-THEME.png``: the same window with the Trash in front;
- ``uploads-THEME.png``: the Uploads panel mid-upload, over the loopback B2 emulator of the
  test suite (a bandwidth limit keeps the uploads going while the picture is taken);
- ``settings-PAGE-THEME.png``: each page of the Settings dialog;
- ``welcome-THEME.png``: the first start, on an empty library;
- ``sample-THEME.png``: the sample course the welcome page makes, with its real thumbnails,
  and the Player dock showing its first lesson (the README's picture).

Nothing touches the user's own library, preferences or keyring.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false;qt.multimedia.*=false")
# The Settings dialog reads and writes preferences: a throwaway folder, never the user's.
os.environ["COURSEDESK_CONFIG_DIR"] = tempfile.mkdtemp(prefix="coursedesk-shots-config-")
# The emulator and the in-memory keyring come from the test suite's support code.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# A tool that drives the GUI, like the tests: Qt is its business (the ban is for lower layers).
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from tests.support.b2_emulator import B2Emulator
from tests.support.keyring_memory import memory_keyring
from tests.support.upload_harness import make_videos

from coursedesk.domain.model import Video, VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    MoveVideos,
    RenameVideo,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.preferences import Theme
from coursedesk.services.upload.account import StorageSettings
from coursedesk.services.upload.parts import MB
from coursedesk.services.upload.settings_file import save_account
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.theme import apply_theme
from coursedesk.ui.uploads.center import UploadCenter

S = VideoStatus
CHAPTERS = {
    "Getting started": [
        ("Welcome", 95, S.UPLOADED),
        ("What you need", 312, S.UPLOADED),
        ("Camera basics", 748, S.UPLOADING),
        ("Holding the camera", 241, S.QUEUED),
        ("Your first photo", 433, S.READY),
        ("Review of the week", 187, S.READY),
    ],
    "Exposure": [
        ("Aperture", 621, S.UPLOADED),
        ("Shutter speed", 539, S.UPLOADED),
        ("ISO and noise", 477, S.FAILED),
        ("The exposure triangle", 1310, S.UPLOADING),
        ("Metering modes", 402, S.PROCESSING),
        ("Bracketing", 266, S.READY),
    ],
    "Composition": [
        ("Rule of thirds", 358, S.READY),
        ("Leading lines", 295, S.QUEUED),
        ("Framing", 201, S.MISSING),
        ("Putting it together", 2250, S.READY),
    ],
}
UNASSIGNED = [
    ("b-roll street 01", 44, S.READY),
    ("b-roll street 02", 51, S.PROCESSING),
    ("Outtakes", 612, S.READY),
    ("Intro music test", 30, S.FAILED),
]


def build_sample(library: Library) -> str:
    """The sample course; returns its id."""
    create = CreateCourse("Intro to Photography")
    library.apply(create)
    course_id = create.course_id
    library.apply(CreateCourse("Lighting for Video"))
    number = 0

    def videos(items: list[tuple[str, int, VideoStatus]]) -> tuple[Video, ...]:
        nonlocal number
        made = []
        for title, seconds, status in items:
            number += 1
            made.append(
                new_video(
                    course_id,
                    title,
                    f"/home/instructor/Videos/photo/{number:02d} {title}.mp4",
                    status=status,
                    duration_s=float(seconds),
                    size_bytes=int(seconds * (2_100_000 + 90_000 * (number % 7))),
                    width=1920,
                    height=1080,
                    error="B2 refused the upload: bucket quota reached."
                    if status == S.FAILED
                    else None,
                )
            )
        return tuple(made)

    for title, items in CHAPTERS.items():
        chapter = AddChapter(course_id, title)
        library.apply(chapter)
        library.apply(AddVideos(videos(items), chapter.chapter_id))
    library.apply(AddVideos(videos(UNASSIGNED)))
    extra = AddChapter(course_id, "Old bonus material")
    library.apply(extra)
    library.apply(AddVideos(videos([("Bonus interview", 1420, S.UPLOADED)]), extra.chapter_id))
    library.apply(TrashChapter(extra.chapter_id, VideosGo.TO_TRASH, at=_hours_ago(26)))
    store = library.store
    first = store.chapter_ids(course_id)[0]
    library.apply(TrashVideos((store.video_ids(first)[5],), at=_hours_ago(3)))
    second = store.chapter_ids(course_id)[1]
    library.apply(TrashVideos((store.video_ids(second)[5],), at=_hours_ago(0.2)))
    trashed_course = CreateCourse("Draft: Night photography")
    library.apply(trashed_course)
    library.apply(TrashCourse(trashed_course.course_id, at=_hours_ago(72)))
    return course_id


def _hours_ago(hours: float) -> float:
    return time.time() - hours * 3600


def shoot_editor(app: QApplication, out: Path, theme: str) -> list[Path]:
    """The editor on the sample course, then with the Trash in front."""
    saved = [out / f"window-{theme}.png", out / f"trash-{theme}.png"]
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "library.sqlite3")
        try:
            course_id = build_sample(library)
            session = EditSession(library)
            settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
            # Not started: the sample's upload states are painted, not uploaded.
            uploads = UploadCenter.open(session, library.database.engine, Path(folder))
            window = MainWindow(library, session, settings, uploads=uploads)
            window.open_course(course_id)
            window.show()
            app.processEvents()
            # A few real edits, so the undo history and the status bar have something to say.
            store = library.store
            first, second = store.chapter_ids(course_id)[:2]
            moving = tuple(store.video_ids(first)[3:5])
            session.do(MoveVideos(moving, second, 2), "Move 2 videos", course_id)
            session.do(
                RenameVideo(moving[0], "Holding the camera steady"), "Rename video", course_id
            )
            window.chapter_tree.select_videos(list(moving))
            window.history_dock.raise_()
            window.statusBar().showMessage("Moved 2 videos to “Exposure” — Ctrl+Z to undo")
            _settle(app)
            window.grab().save(str(saved[0]))
            window.trash_dock.raise_()
            window.trash_view.setFocus()
            window.trash_view.setCurrentIndex(window.trash_panel.model.index(1, 0))
            _settle(app)
            window.grab().save(str(saved[1]))
            shots = shoot_settings(app, window, out, theme)
            window.close()
            uploads.shutdown()
            _settle(app)
        finally:
            library.close()
    return saved + shots


def shoot_settings(app: QApplication, window: MainWindow, out: Path, theme: str) -> list[Path]:
    """Each page of Settings ▸ Settings…, over the window."""
    dialog = window.window_settings.open_settings()
    saved = []
    for row in range(dialog.pages.count()):
        dialog.pages.setCurrentRow(row)
        _settle(app)
        page = dialog.pages.item(row).text().lower()
        path = out / f"settings-{page}-{theme}.png"
        dialog.grab().save(str(path))
        saved.append(path)
    dialog.reject()
    return saved


def shoot_first_run(app: QApplication, out: Path, theme: str) -> list[Path]:
    """The welcome page of an empty library, then the sample course it makes, playing."""
    saved = [out / f"welcome-{theme}.png", out / f"sample-{theme}.png"]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COURSEDESK_CACHE_DIR"] = str(Path(folder) / "cache")
        library = Library.open(Path(folder) / "library.sqlite3")
        try:
            session = EditSession(library)
            settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
            uploads = UploadCenter.open(session, library.database.engine, Path(folder))
            window = MainWindow(library, session, settings, uploads=uploads)
            window.show()
            _settle(app)
            window.grab().save(str(saved[0]))
            window.open_sample_course()
            _wait(
                app,
                lambda: window.course_id is not None and not window.importing.importer.busy,
            )
            store = library.store
            assert window.course_id is not None
            first_chapter = store.chapter_ids(window.course_id)[0]
            first = store.video_ids(first_chapter)[0]
            # Room for the tree, the grid and the Player side by side, as on a desktop screen.
            window.resize(1600, 900)
            _settle(app)
            player = window.window_player
            player.play(first)
            window.chapter_tree.select_videos([first])
            _run_for(app, 1.2)
            window.grab().save(str(saved[1]))
            player.shut_down()
            window.close()
            uploads.shutdown()
            _settle(app)
        finally:
            library.close()
    return saved


def shoot_uploads(app: QApplication, out: Path, theme: str) -> list[Path]:
    """The Uploads panel while videos go up to the loopback emulator, slowed down."""
    path = out / f"uploads-{theme}.png"
    with (
        tempfile.TemporaryDirectory() as folder,
        B2Emulator() as emulator,
        memory_keyring(),
    ):
        data = Path(folder) / "data"
        library = Library.open(data / "library.sqlite3")
        try:
            course_id, videos = make_videos(
                library,
                Path(folder) / "Lighting for Video",
                [9 * MB, 42 * MB, 26 * MB, 64 * MB, 18 * MB, 31 * MB],
                title="Lighting for Video",
            )
            titles = [
                "Three-point lighting",
                "Soft light on a budget",
                "Key and fill ratios",
                "Interview setup",
                "Practical lights",
                "Colour temperature",
            ]
            for video, title in zip(videos, titles, strict=True):
                library.apply(RenameVideo(video.video_id, title))
            chapter = AddChapter(course_id, "Lighting basics")
            library.apply(chapter)
            library.apply(MoveVideos(tuple(v.video_id for v in videos[:4]), chapter.chapter_id))
            account = StorageSettings(
                emulator.key_id, emulator.bucket_name, "courses/", emulator.realm_url
            )
            save_account(data, account, emulator.app_key)
            session = EditSession(library)
            uploads = UploadCenter.open(session, library.database.engine, data)
            uploads.set_bandwidth_limit(6_000_000)
            settings = QSettings(str(data / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(library, session, settings, uploads=uploads)
            window.open_course(course_id)
            window.show()
            uploads.start()
            hookup = window.window_uploads
            assert hookup is not None
            hookup.dock.raise_()
            window.resizeDocks([hookup.dock], [260], Qt.Orientation.Vertical)
            _wait(app, lambda: uploads.queue.jobs().get(videos[5].video_id) is not None)
            uploads.queue.pause(videos[5].video_id)
            # The first video done, the next ones on their way.
            _wait(
                app,
                lambda: (
                    (job := uploads.queue.jobs().get(videos[0].video_id)) is not None
                    and job.remote_file_id is not None
                ),
            )
            _run_for(app, 1.5)
            hookup.panel.select(videos[0].video_id)
            _settle(app)
            window.grab().save(str(path))
            uploads.pause_and_quit()  # closing mid-upload would ask whether to go on
            window.close()
            uploads.shutdown()
            _settle(app)  # what the stopped uploads report back lands before the library closes
        finally:
            library.close()
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "--theme", choices=("light", "dark", "both"), default="both", help="default: both"
    )
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    themes = ["light", "dark"] if args.theme == "both" else [args.theme]
    saved: list[Path] = []
    for theme in themes:
        apply_theme(app, Theme(theme))
        saved += shoot_editor(app, out, theme)
        saved += shoot_uploads(app, out, theme)
        saved += shoot_first_run(app, out, theme)
    for path in saved:
        print(f"saved {path}")
    return 0


def _wait(app: QApplication, done: Callable[[], bool], timeout_s: float = 60.0) -> None:
    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the sample uploads did not get that far")
        app.processEvents()
        time.sleep(0.01)


def _run_for(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


if __name__ == "__main__":
    raise SystemExit(main())
