"""The window's uploads over the loopback B2 emulator: the Uploads panel, the status line,
progress in the chapter tree and the grid, and closing the window while uploads run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot
from tests.support.b2_emulator import B2Emulator
from tests.support.upload_harness import MadeVideo, make_videos

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import AddChapter, MoveVideos
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.persistence.uploads import JobState
from coursedesk.services.upload.account import StorageSettings
from coursedesk.services.upload.queue import QueueState, UploadSettings
from coursedesk.services.upload.settings_file import save_account
from coursedesk.ui.chapter_tree_model import Column as TreeColumn
from coursedesk.ui.chapter_tree_model import ProgressRole, StatusRole
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.uploads import closing
from coursedesk.ui.uploads.center import UploadCenter
from coursedesk.ui.uploads.closing import CloseChoice
from coursedesk.ui.uploads.formatting import NO_ACCOUNT_HINT
from coursedesk.ui.uploads.jobs_model import Column

WAIT_MS = 60_000
FAST = UploadSettings(
    part_size_bytes=10_000,
    retry_first_delay_s=0.01,
    retry_cap_s=0.05,
    offline_probe_interval_s=0.05,
    deletion_retry_interval_s=0.05,
)
# Slow enough that an upload is still running when the test looks at it.
SLOW_BYTES_PER_S = 20_000


@dataclass
class Desk:
    library: Library
    window: MainWindow
    center: UploadCenter
    videos: list[MadeVideo]
    quits: list[bool]

    def job_state(self, video: MadeVideo) -> JobState:
        return self.center.queue.jobs()[video.video_id].state

    def status(self, video: MadeVideo) -> VideoStatus:
        return self.library.store.video(video.video_id).status


@pytest.fixture
def desk_maker(
    qtbot: QtBot, library: Library, tmp_path: Path, b2_emulator: B2Emulator
) -> Iterator[Callable[..., Desk]]:
    made: list[Desk] = []

    def make(
        sizes: list[int], *, account: bool = True, limit: int | None = None, start: bool = True
    ) -> Desk:
        folder = tmp_path / "data"
        course_id, videos = make_videos(library, tmp_path / "videos", sizes)
        chapter = AddChapter(course_id, "Getting started")
        library.apply(chapter)
        library.apply(MoveVideos(tuple(v.video_id for v in videos[:-1]), chapter.chapter_id))
        if account:
            settings = StorageSettings(
                b2_emulator.key_id, b2_emulator.bucket_name, "", b2_emulator.realm_url
            )
            save_account(folder, settings, b2_emulator.app_key)
        session = EditSession(library)
        quits: list[bool] = []
        center = UploadCenter.open(
            session, library.database.engine, folder, FAST, quit_app=lambda: quits.append(True)
        )
        if limit is not None:
            center.set_bandwidth_limit(limit)
        if start:
            center.start()
        window = MainWindow(
            library,
            session,
            QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
            uploads=center,
        )
        # Not qtbot.addWidget: its teardown closes windows before the uploads stop, and a
        # window closed mid-upload asks its question.
        window.show()
        window.open_course(course_id)
        desk = Desk(library, window, center, videos, quits)
        made.append(desk)
        return desk

    yield make
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(True)
    for desk in made:
        desk.center.shutdown()
        for window in [desk.window, *desk.window.findChildren(MainWindow)]:
            window.close()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()


def panel_row(desk: Desk, video: MadeVideo) -> int:
    row = desk.window.window_uploads.panel.model.row_of(video.video_id)  # type: ignore[union-attr]
    assert row is not None
    return row


def click(qtbot: QtBot, desk: Desk, name: str, video: MadeVideo) -> None:
    hookup = desk.window.window_uploads
    assert hookup is not None
    hookup.panel.select(video.video_id)
    button = hookup.panel.job_buttons[name]
    assert button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_panel_shows_each_upload_then_every_video_is_uploaded_in_tree_and_grid(
    qtbot: QtBot, desk_maker: Callable[..., Desk], b2_emulator: B2Emulator
) -> None:
    desk = desk_maker([5_000, 45_000, 12_000])
    hookup = desk.window.window_uploads
    assert hookup is not None
    model = hookup.panel.model
    assert sorted(model.video_ids()) == sorted(v.video_id for v in desk.videos)

    qtbot.waitUntil(
        lambda: all(desk.status(v) is VideoStatus.UPLOADED for v in desk.videos), timeout=WAIT_MS
    )

    for video in desk.videos:
        row = panel_row(desk, video)
        assert (
            model.index(row, Column.VIDEO).data() == desk.library.store.video(video.video_id).title
        )
        assert model.index(row, Column.STATE).data() == "Uploaded"
    tree = desk.window.tree_model
    first = desk.videos[0]
    assert tree.video_index(first.video_id, TreeColumn.STATUS).data(StatusRole) == (
        VideoStatus.UPLOADED
    )
    grid = desk.window.library_pane.model
    last = desk.videos[-1]  # left unassigned: the grid shows it
    row = grid.row_of(last.video_id)
    assert row is not None
    assert grid.index(row, 0).data(StatusRole) == VideoStatus.UPLOADED
    qtbot.waitUntil(lambda: "0 queued · 0 running" in hookup.summary.text(), timeout=WAIT_MS)
    assert "0 failed" in hookup.summary.text()
    stored = {f.file_name for f in b2_emulator.files() if f.action == "upload"}
    assert len(stored) == 3


def test_progress_shows_in_the_tree_the_grid_and_the_panel_while_a_video_uploads(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker([200_000, 120_000], limit=SLOW_BYTES_PER_S)
    first, unassigned = desk.videos
    tree = desk.window.tree_model
    grid = desk.window.library_pane.model

    qtbot.waitUntil(lambda: (desk.center.fraction(first.video_id) or 0) > 0, timeout=WAIT_MS)

    index = tree.video_index(first.video_id, TreeColumn.STATUS)
    shown = index.data(ProgressRole)
    assert isinstance(shown, float) and 0 < shown <= 1
    qtbot.waitUntil(lambda: (desk.center.fraction(unassigned.video_id) or 0) > 0, timeout=WAIT_MS)
    row = grid.row_of(unassigned.video_id)
    assert row is not None
    assert isinstance(grid.index(row, 0).data(ProgressRole), float)
    hookup = desk.window.window_uploads
    assert hookup is not None
    panel_text = hookup.panel.model.index(panel_row(desk, first), Column.PROGRESS).data()
    assert "%" in panel_text and "of" in panel_text
    assert "running" in hookup.summary.text() and "/s" in hookup.summary.text()


def test_pause_resume_cancel_and_retry_act_on_the_selected_upload(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker([150_000, 4_000], limit=SLOW_BYTES_PER_S)
    big, small = desk.videos
    qtbot.waitUntil(lambda: desk.job_state(big) is JobState.RUNNING, timeout=WAIT_MS)

    click(qtbot, desk, "pause", big)
    qtbot.waitUntil(lambda: desk.job_state(big) is JobState.PAUSED, timeout=WAIT_MS)
    hookup = desk.window.window_uploads
    assert hookup is not None
    model = hookup.panel.model
    assert model.index(panel_row(desk, big), Column.STATE).data() == "Paused"

    click(qtbot, desk, "resume", big)
    qtbot.waitUntil(lambda: desk.job_state(big) is JobState.RUNNING, timeout=WAIT_MS)

    click(qtbot, desk, "cancel", big)
    qtbot.waitUntil(lambda: desk.job_state(big) is JobState.CANCELLED, timeout=WAIT_MS)
    assert desk.status(big) is VideoStatus.READY

    desk.center.set_bandwidth_limit(None)
    click(qtbot, desk, "retry", big)
    qtbot.waitUntil(lambda: desk.status(big) is VideoStatus.UPLOADED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: desk.status(small) is VideoStatus.UPLOADED, timeout=WAIT_MS)


def test_a_failed_upload_shows_why_and_retry_uploads_it(
    qtbot: QtBot, desk_maker: Callable[..., Desk], tmp_path: Path
) -> None:
    desk = desk_maker([8_000, 6_000], start=False)
    gone, fine = desk.videos
    kept = gone.path.read_bytes()
    gone.path.unlink()  # the fault: the file vanished before its upload
    desk.center.start()

    qtbot.waitUntil(lambda: desk.job_state(gone) is JobState.FAILED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: desk.status(fine) is VideoStatus.UPLOADED, timeout=WAIT_MS)
    hookup = desk.window.window_uploads
    assert hookup is not None
    state_text = hookup.panel.model.index(panel_row(desk, gone), Column.STATE).data()
    assert state_text.startswith("Failed: ")
    hookup.panel.select(gone.video_id)
    assert gone.path.name in hookup.panel.detail.text()
    assert "1 failed" in hookup.summary.text()

    gone.path.write_bytes(kept)
    click(qtbot, desk, "retry", gone)

    qtbot.waitUntil(lambda: desk.status(gone) is VideoStatus.UPLOADED, timeout=WAIT_MS)
    assert hookup.panel.model.index(panel_row(desk, gone), Column.STATE).data() == "Uploaded"
    assert hookup.panel.detail.text() == ""


def test_pause_all_stops_every_upload_and_resume_all_finishes_them(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker([60_000, 60_000, 60_000], limit=SLOW_BYTES_PER_S)
    hookup = desk.window.window_uploads
    assert hookup is not None
    qtbot.waitUntil(lambda: desk.center.totals.running > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: hookup.pause_all.isVisible(), timeout=WAIT_MS)

    qtbot.mouseClick(hookup.pause_all, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: desk.center.totals.running == 0, timeout=WAIT_MS)
    assert desk.center.queue.state is QueueState.PAUSED
    assert hookup.pause_all.text() == "Resume All"
    assert hookup.panel.pause_all_button.text() == "Resume All"
    desk.center.set_bandwidth_limit(None)
    qtbot.mouseClick(hookup.panel.pause_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: all(desk.status(v) is VideoStatus.UPLOADED for v in desk.videos), timeout=WAIT_MS
    )


def test_the_bandwidth_limit_is_set_in_the_panel_and_remembered(
    qtbot: QtBot, desk_maker: Callable[..., Desk], tmp_path: Path
) -> None:
    from coursedesk.services.upload.settings_file import load_upload_config

    desk = desk_maker([1_000])
    hookup = desk.window.window_uploads
    assert hookup is not None
    hookup.panel.limit.setValue(2.5)
    assert load_upload_config(tmp_path / "data").bandwidth_limit_bytes_per_s == 2_500_000
    hookup.panel.limit.setValue(0)
    assert load_upload_config(tmp_path / "data").bandwidth_limit_bytes_per_s is None
    assert hookup.panel.limit.text() == "No limit"


def test_without_an_account_uploads_wait_and_say_why(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker([1_000], account=False)
    hookup = desk.window.window_uploads
    assert hookup is not None
    assert hookup.summary.text() == NO_ACCOUNT_HINT
    assert hookup.panel.settings_button.isVisibleTo(hookup.panel)
    assert desk.job_state(desk.videos[0]) is JobState.QUEUED
    assert desk.center.uploads_running() == 0  # nothing to ask about on close
    assert desk.window.close()


def test_the_storage_action_opens_the_dialog_and_saving_starts_the_uploads(
    qtbot: QtBot, desk_maker: Callable[..., Desk], b2_emulator: B2Emulator
) -> None:
    desk = desk_maker([3_000], account=False)
    hookup = desk.window.window_uploads
    assert hookup is not None
    menu = desk.window.menuBar().findChild(QMenu, "settingsMenu")
    assert menu is not None and hookup.storage_action in menu.actions()
    dialog = hookup.open_storage_settings()
    dialog.key_id_edit.setText(b2_emulator.key_id)
    dialog.app_key_edit.setText(b2_emulator.app_key)
    dialog.bucket_edit.setText(b2_emulator.bucket_name)
    dialog.realm_edit.setText(b2_emulator.realm_url)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: desk.status(desk.videos[0]) is VideoStatus.UPLOADED, timeout=WAIT_MS)


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> Callable[[CloseChoice], list[int]]:
    def set_answer(choice: CloseChoice) -> list[int]:
        asked: list[int] = []

        def ask(_parent: object, running: int) -> CloseChoice:
            asked.append(running)
            return choice

        monkeypatch.setattr(closing, "ask_about_running_uploads", ask)
        return asked

    return set_answer


def test_closing_mid_upload_and_choosing_cancel_keeps_the_window(
    qtbot: QtBot, desk_maker: Callable[..., Desk], answer: Callable[[CloseChoice], list[int]]
) -> None:
    desk = desk_maker([150_000], limit=SLOW_BYTES_PER_S)
    qtbot.waitUntil(lambda: desk.center.uploads_running() > 0, timeout=WAIT_MS)
    asked = answer(CloseChoice.STAY)

    assert not desk.window.close()

    assert asked == [1]
    assert desk.window.isVisible()
    assert desk.center.queue.state is QueueState.RUNNING


def test_pause_and_quit_stops_the_uploads_and_closes(
    qtbot: QtBot, desk_maker: Callable[..., Desk], answer: Callable[[CloseChoice], list[int]]
) -> None:
    desk = desk_maker([150_000], limit=SLOW_BYTES_PER_S)
    qtbot.waitUntil(lambda: desk.center.uploads_running() > 0, timeout=WAIT_MS)
    answer(CloseChoice.PAUSE_AND_QUIT)

    assert desk.window.close()

    assert desk.center.queue.state is QueueState.PAUSED
    qtbot.waitUntil(lambda: desk.center.totals.running == 0, timeout=WAIT_MS)
    assert desk.job_state(desk.videos[0]) is not JobState.DONE


def test_finish_in_background_hides_the_window_and_quits_once_uploads_are_done(
    qtbot: QtBot, desk_maker: Callable[..., Desk], answer: Callable[[CloseChoice], list[int]]
) -> None:
    desk = desk_maker([60_000], limit=SLOW_BYTES_PER_S)
    qtbot.waitUntil(lambda: desk.center.uploads_running() > 0, timeout=WAIT_MS)
    answer(CloseChoice.FINISH_IN_BACKGROUND)

    assert desk.window.close()

    assert not desk.window.isVisible()
    app = QApplication.instance()
    assert isinstance(app, QApplication) and not app.quitOnLastWindowClosed()
    assert desk.quits == []
    desk.center.set_bandwidth_limit(None)
    qtbot.waitUntil(lambda: bool(desk.quits), timeout=WAIT_MS)
    assert desk.status(desk.videos[0]) is VideoStatus.UPLOADED


def test_closing_one_of_two_windows_asks_nothing(
    qtbot: QtBot, desk_maker: Callable[..., Desk], answer: Callable[[CloseChoice], list[int]]
) -> None:
    desk = desk_maker([150_000], limit=SLOW_BYTES_PER_S)
    qtbot.waitUntil(lambda: desk.center.uploads_running() > 0, timeout=WAIT_MS)
    asked = answer(CloseChoice.STAY)
    second = desk.window.open_new_window()
    assert second.window_uploads is not None

    assert second.close()

    assert asked == []
