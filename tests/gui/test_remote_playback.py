"""Playing an uploaded video from the bucket (the loopback B2 emulator) when its file is gone:
frames arrive through the player's video sink from an authorized download URL, the info panel
says where they come from, the URL is kept nowhere, and without a usable account the player
says why."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from b2sdk.v2 import B2Api
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from tests.support.b2_emulator import B2Emulator
from tests.support.player_clips import COURSE, MULTIMEDIA_NOISE, add_clip, start_course
from tests.support.player_teardown import close_window, retire_pane

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import UpdateVideo
from coursedesk.editing.session import EditSession
from coursedesk.logs import LOG_LEVEL_ENV, logging_to_file
from coursedesk.paths import LOG_DIR_ENV
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import PoolRunner
from coursedesk.services.upload.account import StorageSettings, store_application_key
from coursedesk.services.upload.playback import PlaybackLinks
from coursedesk.services.upload.queue import UploadSettings
from coursedesk.services.upload.settings_file import save_account, storage_file
from coursedesk.ui.import_controller import ImportServices
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.player.player_pane import PlayerPane
from coursedesk.ui.player.window_hookup import BucketSource
from coursedesk.ui.uploads.center import UploadCenter

pytestmark = pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE)

WAIT_MS = 20_000
VIDEO = "v1"
FAST = UploadSettings(
    part_size_bytes=10_000,
    retry_first_delay_s=0.01,
    retry_cap_s=0.05,
    offline_probe_interval_s=0.05,
)


def account_of(emulator: B2Emulator) -> StorageSettings:
    return StorageSettings(emulator.key_id, emulator.bucket_name, "", emulator.realm_url)


@pytest.fixture
def cache(tmp_path: Path) -> ThumbnailCache:
    return ThumbnailCache(tmp_path / "pictures")


@pytest.fixture
def session(library: Library) -> EditSession:
    start_course(library)
    session = EditSession(library)
    session.activate(COURSE)
    return session


@pytest.fixture
def clip_path(session: EditSession, cache: ThumbnailCache, tmp_path: Path) -> Path:
    """A 4 s clip, ingested as video ``v1`` and left on the disk."""
    path = tmp_path / "videos" / "Aperture.mp4"
    path.parent.mkdir()
    add_clip(session.library, cache, path, VIDEO, chapter=True, seconds=4)
    return path


@pytest.fixture
def uploaded(session: EditSession, clip_path: Path, b2_api: B2Api, b2_emulator: B2Emulator) -> str:
    """Video ``v1`` uploaded to the emulator's bucket, its local file deleted."""
    name = f"courses/{COURSE}/videos/{VIDEO}/Aperture.mp4"
    bucket = b2_api.get_bucket_by_name(b2_emulator.bucket_name)
    version = bucket.upload_local_file(str(clip_path), name)
    session.apply_untracked(
        UpdateVideo(
            VIDEO,
            {
                "remote_file_id": version.id_,
                "remote_name": name,
                "status": VideoStatus.UPLOADED,
            },
        )
    )
    clip_path.unlink()
    b2_emulator.reset_stats()
    return VIDEO


@pytest.fixture
def links() -> Iterator[PlaybackLinks]:
    made = PlaybackLinks()
    yield made
    made.close()


@pytest.fixture
def pane(
    session: EditSession,
    cache: ThumbnailCache,
    links: PlaybackLinks,
    b2_emulator: B2Emulator,
    qtbot: QtBot,
) -> Iterator[PlayerPane]:
    store_application_key(b2_emulator.key_id, b2_emulator.app_key)
    link_runner = PoolRunner(max_threads=1)
    widget = PlayerPane(
        session,
        PoolRunner(max_threads=1),
        cache,
        remote_source=BucketSource(links, account_of(b2_emulator)),
        link_runner=link_runner,
    )
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    retire_pane(qtbot, widget)
    link_runner.wait()


def wait_for_frames(qtbot: QtBot, pane: PlayerPane, at_least: int = 3) -> None:
    qtbot.waitUntil(lambda: pane.picture.frame_count >= at_least, timeout=WAIT_MS)


def shown_ms(pane: PlayerPane) -> float:
    frame = pane.picture.current_frame()
    return frame.startTime() / 1000 if frame is not None else -1.0


def token_in(url: str) -> str:
    (token,) = parse_qs(urlsplit(url).query)["Authorization"]
    return token


def test_a_missing_uploaded_video_plays_from_the_bucket(
    pane: PlayerPane, uploaded: str, b2_emulator: B2Emulator, qtbot: QtBot
) -> None:
    starts: list[int] = []
    pane.picture.sink.videoFrameChanged.connect(lambda frame: starts.append(frame.startTime()))
    pane.show_video(uploaded)
    assert pane.picture.message.startswith("Connecting to the bucket")
    wait_for_frames(qtbot, pane)
    # The frames this test hears of arrive just after the pane's own (connected later).
    qtbot.waitUntil(lambda: len(starts) >= 3, timeout=WAIT_MS)
    assert pane.picture.message == ""
    assert starts[:3] == [0, 40_000, 80_000], "the video from its first frame, in order"
    source = pane.source.toString()
    assert source.startswith(f"{b2_emulator.realm_url}/file/{b2_emulator.bucket_name}/courses/")
    assert token_in(source)
    assert not pane.info.source_note.isHidden()
    assert pane.info.source_note.text() == "Playing from the bucket"
    assert not pane.info.locate_button.isHidden(), "the local file can still be located"
    downloads = b2_emulator.stats().calls["b2_download_file_by_name"]
    assert downloads.statuses.get(206, 0) >= 1, "the player reads the object by ranges"

    pane.player.pause()
    before = pane.picture.frame_count
    pane.seek_to(3000)
    qtbot.waitUntil(
        lambda: pane.picture.frame_count > before and abs(shown_ms(pane) - 3000) <= 40,
        timeout=WAIT_MS,
    )


def test_a_local_video_plays_from_the_disk_without_the_bucket_note(
    pane: PlayerPane, clip_path: Path, b2_emulator: B2Emulator, qtbot: QtBot
) -> None:
    pane.show_video(VIDEO)
    wait_for_frames(qtbot, pane)
    assert pane.source.isLocalFile()
    assert pane.info.source_note.isHidden()
    assert b2_emulator.stats().requests("b2_get_download_authorization") == 0


def test_the_download_url_is_kept_nowhere(
    pane: PlayerPane,
    uploaded: str,
    session: EditSession,
    tmp_path: Path,
    qtbot: QtBot,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    monkeypatch.setenv(LOG_LEVEL_ENV, "DEBUG")
    with logging_to_file() as log_path:
        pane.show_video(uploaded)
        wait_for_frames(qtbot, pane)
        token = token_in(pane.source.toString())
        session.library.close()
    log_text = log_path.read_text(encoding="utf-8")
    assert "b2_get_download_authorization" in log_text, "the log did see the request"
    assert re.search(r"/file/\S+Authorization=\*\*\*", log_text), "…and the download, masked"
    assert token not in log_text
    assert session.library.path is not None
    database_folder = session.library.path.parent
    for stored in [*database_folder.iterdir(), storage_file(database_folder)]:
        if stored.is_file():
            assert token.encode() not in stored.read_bytes(), stored.name
    printed = capfd.readouterr()
    assert token not in printed.out and token not in printed.err


def test_another_video_while_the_link_is_fetched_wins(
    pane: PlayerPane,
    uploaded: str,
    session: EditSession,
    cache: ThumbnailCache,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    add_clip(session.library, cache, tmp_path / "videos" / "Local.mp4", "v2", seconds=2)
    pane.show_video(uploaded)
    pane.show_video("v2")
    wait_for_frames(qtbot, pane)
    assert isinstance(pane.link_runner, PoolRunner)
    pane.link_runner.wait()
    qtbot.wait(50)  # the link's answer, had it been taken, would be delivered by now
    assert pane.video_id == "v2"
    assert pane.source.isLocalFile()
    assert pane.info.source_note.isHidden()


def test_a_video_deleted_from_the_bucket_gets_a_clear_message(
    pane: PlayerPane, uploaded: str, b2_api: B2Api, session: EditSession, qtbot: QtBot
) -> None:
    video = session.store.video(uploaded)
    assert video.remote_file_id is not None and video.remote_name is not None
    b2_api.delete_file_version(video.remote_file_id, video.remote_name)
    pane.show_video(uploaded)
    qtbot.waitUntil(lambda: "Can't play" in pane.picture.message, timeout=WAIT_MS)
    assert "“Aperture” is no longer in the bucket" in pane.picture.message
    assert pane.source.isEmpty()
    assert pane.info.source_note.isHidden()


# The editor window, with its upload center


@pytest.fixture
def desk(
    qtbot: QtBot,
    library: Library,
    session: EditSession,
    clip_path: Path,
    tmp_path: Path,
    b2_emulator: B2Emulator,
) -> Iterator[MainWindow]:
    """The window over a course whose video was uploaded by CourseDesk's own queue."""
    folder = tmp_path / "data"
    save_account(folder, account_of(b2_emulator), b2_emulator.app_key)
    center = UploadCenter.open(session, library.database.engine, folder, FAST)
    imports = ImportServices.create(library, session, cache_root=tmp_path / "thumbs")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(library, session, settings, imports=imports, uploads=center)
    window.show()
    qtbot.waitExposed(window)
    window.open_course(COURSE)
    center.start()
    qtbot.waitUntil(
        lambda: library.store.video(VIDEO).status is VideoStatus.UPLOADED, timeout=WAIT_MS
    )
    clip_path.unlink()
    yield window
    center.shutdown()
    close_window(qtbot, window)
    imports.shut_down()


def player_pane(window: MainWindow) -> PlayerPane:
    pane = window.window_player.pane
    assert isinstance(pane, PlayerPane)
    return pane


def open_in_dock(desk: MainWindow, qtbot: QtBot) -> PlayerPane:
    """Open the video from the tree with Enter and wait for its first frames."""
    tree = desk.chapter_tree
    tree.setFocus()
    tree.select_videos([VIDEO])
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    pane = player_pane(desk)
    wait_for_frames(qtbot, pane)
    return pane


def test_the_window_plays_a_missing_uploaded_video_from_the_bucket(
    desk: MainWindow, qtbot: QtBot
) -> None:
    pane = open_in_dock(desk, qtbot)
    assert not pane.info.source_note.isHidden()
    assert pane.picture.message == ""


def test_with_the_account_disconnected_the_player_says_so(desk: MainWindow, qtbot: QtBot) -> None:
    assert desk.uploads is not None
    desk.uploads.forget_account()
    desk.window_player.play(VIDEO)
    pane = player_pane(desk)
    assert pane.picture.message.startswith("This video's file is missing")
    assert "no storage account is connected" in pane.picture.message
    assert pane.source.isEmpty()
    quick_look = desk.window_player.quick_look
    assert quick_look is not None
    desk.chapter_tree.setFocus()
    desk.chapter_tree.select_videos([VIDEO])
    qtbot.keyClick(desk.chapter_tree, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: quick_look.is_open)
    assert quick_look.window is not None
    assert "no storage account is connected" in quick_look.window.pane.picture.message
    qtbot.keyClick(quick_look.window, Qt.Key.Key_Escape)


def test_a_wrong_key_gets_a_clear_message(
    desk: MainWindow, b2_emulator: B2Emulator, qtbot: QtBot
) -> None:
    assert desk.uploads is not None
    desk.uploads.pause_and_quit()
    desk.uploads.save_account(account_of(b2_emulator), "not-the-key")
    desk.window_player.play(VIDEO)
    pane = player_pane(desk)
    qtbot.waitUntil(lambda: "Can't play" in pane.picture.message, timeout=WAIT_MS)
    assert "B2 did not accept the key ID and application key" in pane.picture.message
    assert pane.source.isEmpty()


def test_quick_look_plays_from_the_bucket_too(desk: MainWindow, qtbot: QtBot) -> None:
    quick_look = desk.window_player.quick_look
    assert quick_look is not None
    tree = desk.chapter_tree
    tree.setFocus()
    tree.select_videos([VIDEO])
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: quick_look.is_open)
    assert quick_look.window is not None
    look = quick_look.window.pane
    wait_for_frames(qtbot, look)
    # Quick look has no details beside the picture: the picture itself carries the badge.
    assert look.info.isHidden()
    badge = look.picture.badge
    assert badge.isVisible() and badge.text() == "Playing from the bucket"
    assert badge.geometry().intersects(look.picture.rect())
    qtbot.keyClick(quick_look.window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not quick_look.is_open)


def test_the_bucket_badge_shows_where_the_details_do_not(desk: MainWindow, qtbot: QtBot) -> None:
    pane = open_in_dock(desk, qtbot)
    # In the dock the details say it; the picture stays clear.
    assert not pane.info.source_note.isHidden()
    assert pane.picture.badge.isHidden()

    pane.setFocus()
    qtbot.keyClick(pane, Qt.Key.Key_F)  # full screen: no details there
    assert pane.is_full_screen
    assert not pane.picture.badge.isHidden()
    assert pane.picture.badge.text() == "Playing from the bucket"
    qtbot.keyClick(pane.stage, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not pane.is_full_screen)
    assert pane.picture.badge.isHidden()


def test_connecting_the_account_again_loads_the_video_waiting_for_it(
    desk: MainWindow, b2_emulator: B2Emulator, qtbot: QtBot
) -> None:
    assert desk.uploads is not None
    desk.uploads.forget_account()
    desk.window_player.play(VIDEO)
    pane = player_pane(desk)
    assert "no storage account is connected" in pane.picture.message
    desk.uploads.save_account(account_of(b2_emulator), b2_emulator.app_key)
    qtbot.waitUntil(lambda: not pane.source.isEmpty(), timeout=WAIT_MS)
    assert not pane.info.source_note.isHidden()
    assert pane.picture.message == ""
