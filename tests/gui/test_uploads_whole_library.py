"""The window uploads every imported video of every live course, not only the courses opened
in this session: at start, and when a storage account is connected. Courses that are not
opened are not read into the editor for it; when one is opened later, its videos show what
their uploads did meanwhile. Over the loopback B2 emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from tests.support.b2_emulator import B2Emulator
from tests.support.upload_harness import MadeVideo, make_videos

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import TrashCourse
from coursedesk.editing.session import EditSession
from coursedesk.persistence import uploads as journal_db
from coursedesk.persistence.library import Library
from coursedesk.persistence.uploads import JobState
from coursedesk.services.upload.account import StorageSettings
from coursedesk.services.upload.queue import UploadSettings
from coursedesk.services.upload.settings_file import save_account
from coursedesk.ui.chapter_tree_model import StatusRole
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.uploads.center import UploadCenter

WAIT_MS = 60_000
FAST = UploadSettings(
    part_size_bytes=10_000,
    retry_first_delay_s=0.01,
    retry_cap_s=0.05,
    offline_probe_interval_s=0.05,
    deletion_retry_interval_s=0.05,
)


@dataclass
class Course:
    course_id: str
    videos: list[MadeVideo]


@dataclass
class App:
    """The window as CourseDesk starts it: a library of which nothing is opened yet."""

    library: Library
    center: UploadCenter
    window: MainWindow

    def job_states(self, course: Course) -> list[JobState | None]:
        jobs = self.center.queue.jobs()
        return [jobs[v.video_id].state if v.video_id in jobs else None for v in course.videos]


AppMaker = Callable[[str], App]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def account(b2_emulator: B2Emulator) -> tuple[StorageSettings, str]:
    settings = StorageSettings(
        b2_emulator.key_id, b2_emulator.bucket_name, "", b2_emulator.realm_url
    )
    return settings, b2_emulator.app_key


@pytest.fixture
def app_maker(qtbot: QtBot, library_path: Path, folder: Path, tmp_path: Path) -> Iterator[AppMaker]:
    made: list[App] = []

    def start(open_course: str) -> App:
        opened = Library.open(library_path)
        session = EditSession(opened)
        center = UploadCenter.open(
            session, opened.database.engine, folder, FAST, quit_app=lambda: None
        )
        center.start()
        window = MainWindow(
            opened,
            session,
            QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
            uploads=center,
        )
        window.show()
        window.open_course(open_course)
        app = App(opened, center, window)
        made.append(app)
        return app

    yield start
    for app in made:
        app.center.shutdown()
        app.window.close()
        app.library.close()


def make_course(library: Library, folder: Path, title: str, sizes: list[int], seed: int) -> Course:
    course_id, videos = make_videos(library, folder / title, sizes, seed=seed, title=title)
    return Course(course_id, videos)


def stored_sha1s(emulator: B2Emulator) -> dict[str, str | None]:
    return {
        f.file_name: f.data_sha1 for f in emulator.files(with_sha1=True) if f.action == "upload"
    }


def test_videos_of_courses_not_opened_are_uploaded_too_and_show_it_once_opened(
    qtbot: QtBot,
    app_maker: AppMaker,
    library: Library,
    tmp_path: Path,
    folder: Path,
    account: tuple[StorageSettings, str],
    b2_emulator: B2Emulator,
) -> None:
    architecture = make_course(library, tmp_path, "Architecture", [4_000, 35_000], seed=1)
    wildlife = make_course(library, tmp_path, "Wildlife", [6_000, 45_000, 2_000], seed=2)
    old = make_course(library, tmp_path, "Old course", [3_000], seed=3)
    library.apply(TrashCourse(old.course_id))
    save_account(folder, *account)

    app = app_maker(architecture.course_id)
    qtbot.waitUntil(
        lambda: app.job_states(architecture) + app.job_states(wildlife) == [JobState.DONE] * 5,
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(app.center.queue.is_idle, timeout=WAIT_MS)

    # Uploaded without being read into the editor.
    assert not app.library.store.is_loaded(wildlife.course_id)
    stored = stored_sha1s(b2_emulator)
    jobs = app.center.queue.jobs()
    for video in architecture.videos + wildlife.videos:
        assert stored[jobs[video.video_id].object_name] == video.sha1
    # A course in the Trash is not uploaded.
    assert old.videos[0].video_id not in jobs
    assert len(stored) == 5

    # The instructor switches to the other course: its videos say they are uploaded.
    switcher = app.window.course_switcher
    switcher.setCurrentIndex(switcher.findData(wildlife.course_id))
    assert app.window.course_id == wildlife.course_id
    tree = app.window.tree_model
    grid = app.window.library_pane.model

    def shown_uploaded() -> bool:
        rows = [grid.row_of(v.video_id) for v in wildlife.videos]
        return all(
            row is not None and grid.index(row, 0).data(StatusRole) == VideoStatus.UPLOADED
            for row in rows
        )

    qtbot.waitUntil(shown_uploaded, timeout=WAIT_MS)
    assert tree.rowCount() == 0  # this course has no chapters: its videos are in the library
    for video in wildlife.videos:
        current = app.library.store.video(video.video_id)
        assert current.remote_file_id == jobs[video.video_id].remote_file_id
        assert current.remote_name == jobs[video.video_id].object_name
    # ... and so does the library on disk.
    assert app.library.path is not None
    reopened = Library.open(app.library.path)
    try:
        reopened.open_course(wildlife.course_id)
        statuses = {reopened.store.video(v.video_id).status for v in wildlife.videos}
        assert statuses == {VideoStatus.UPLOADED}
    finally:
        reopened.close()


def test_connecting_an_account_uploads_what_was_imported_into_any_course_meanwhile(
    qtbot: QtBot,
    app_maker: AppMaker,
    library: Library,
    tmp_path: Path,
    account: tuple[StorageSettings, str],
    b2_emulator: B2Emulator,
) -> None:
    architecture = make_course(library, tmp_path, "Architecture", [], seed=1)
    app = app_maker(architecture.course_id)
    qtbot.waitUntil(lambda: not app.center.queue.reading_library, timeout=WAIT_MS)
    # While no account is set up, another program imports a whole course.
    wildlife = make_course(library, tmp_path, "Wildlife", [6_000, 31_000], seed=2)

    app.center.save_account(*account)

    qtbot.waitUntil(lambda: app.job_states(wildlife) == [JobState.DONE] * 2, timeout=WAIT_MS)
    stored = stored_sha1s(b2_emulator)
    jobs = app.center.queue.jobs()
    for video in wildlife.videos:
        assert stored[jobs[video.video_id].object_name] == video.sha1
    assert not app.library.store.is_loaded(wildlife.course_id)

    # The journal on disk knows them, so the next start does not upload them again.
    def saved_states() -> set[JobState | None]:
        with library.database.engine.connect() as connection:
            saved = journal_db.load_jobs(connection)
        return {saved[v.video_id].state if v.video_id in saved else None for v in wildlife.videos}

    qtbot.waitUntil(lambda: saved_states() == {JobState.DONE}, timeout=WAIT_MS)
