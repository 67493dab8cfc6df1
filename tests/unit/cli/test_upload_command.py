"""``coursedesk upload``: the upload queue from a terminal against the loopback B2 emulator;
the exit status tells a script whether everything is in the bucket."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from tests.support.b2_emulator import B2Emulator
from tests.support.upload_harness import MadeVideo, make_videos

from coursedesk.cli import main
from coursedesk.domain.model import VideoStatus
from coursedesk.paths import library_path
from coursedesk.persistence.library import Library
from coursedesk.services.upload.account import StorageSettings
from coursedesk.services.upload.settings_file import save_account


@pytest.fixture
def data_dir(tmp_path: Path, qapp: QApplication) -> Path:
    """(``qapp`` first: the command must reuse the application object there is.)"""
    return tmp_path / "data"


def library_with(data_dir: Path, folder: Path, sizes: list[int], title: str) -> list[MadeVideo]:
    library = Library.open(library_path(data_dir))
    try:
        return make_videos(library, folder, sizes, title=title)[1]
    finally:
        library.close()


def statuses(data_dir: Path, videos: list[MadeVideo]) -> list[VideoStatus]:
    library = Library.open(library_path(data_dir))
    try:
        for course in library.store.courses():
            library.open_course(course.id)
        return [library.store.video(v.video_id).status for v in videos]
    finally:
        library.close()


def set_account(data_dir: Path, emulator: B2Emulator) -> None:
    settings = StorageSettings(emulator.key_id, emulator.bucket_name, "", emulator.realm_url)
    save_account(data_dir, settings, emulator.app_key)


def test_wait_uploads_every_video_and_exits_0(
    data_dir: Path, tmp_path: Path, b2_emulator: B2Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    videos = library_with(data_dir, tmp_path / "clips", [4_000, 9_000, 2_500], "Photography")
    set_account(data_dir, b2_emulator)

    code = main(["--data-dir", str(data_dir), "upload", "--wait"])

    err = capsys.readouterr().err
    assert code == 0, err
    assert statuses(data_dir, videos) == [VideoStatus.UPLOADED] * 3
    stored = {f.file_name for f in b2_emulator.files() if f.action == "upload"}
    assert len(stored) == 3
    for video in videos:
        assert f"uploaded {video.path.name}" in err
    assert "3 uploaded" in err


def test_a_second_run_has_nothing_to_do(
    data_dir: Path, tmp_path: Path, b2_emulator: B2Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    library_with(data_dir, tmp_path / "clips", [3_000], "Photography")
    set_account(data_dir, b2_emulator)
    assert main(["--data-dir", str(data_dir), "upload"]) == 0
    capsys.readouterr()

    assert main(["--data-dir", str(data_dir), "upload"]) == 0

    assert "nothing to upload" in capsys.readouterr().err


def test_course_limits_the_upload_to_that_course(
    data_dir: Path, tmp_path: Path, b2_emulator: B2Emulator
) -> None:
    ours = library_with(data_dir, tmp_path / "a", [3_000], "Photography")
    theirs = library_with(data_dir, tmp_path / "b", [3_000], "Astronomy")
    set_account(data_dir, b2_emulator)

    assert main(["--data-dir", str(data_dir), "upload", "--course", "photography"]) == 0

    assert statuses(data_dir, ours) == [VideoStatus.UPLOADED]
    assert statuses(data_dir, theirs) != [VideoStatus.UPLOADED]
    assert len([f for f in b2_emulator.files() if f.action == "upload"]) == 1


def test_a_failed_file_is_named_with_why_and_exits_1(
    data_dir: Path, tmp_path: Path, b2_emulator: B2Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    gone, kept = library_with(data_dir, tmp_path / "clips", [3_000, 4_000], "Photography")
    gone.path.unlink()
    set_account(data_dir, b2_emulator)

    code = main(["--data-dir", str(data_dir), "upload", "--wait"])

    err = capsys.readouterr().err
    assert code == 1
    assert f"  {gone.path.name}: " in err
    assert statuses(data_dir, [gone, kept]) == [VideoStatus.FAILED, VideoStatus.UPLOADED]


def test_without_an_account_nothing_runs_and_it_exits_2(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    videos = library_with(data_dir, tmp_path / "clips", [3_000], "Photography")

    code = main(["--data-dir", str(data_dir), "upload", "--wait"])

    assert code == 2
    err = capsys.readouterr().err
    assert "no storage account" in err and "Settings ▸ Storage" in err
    assert statuses(data_dir, videos) == [VideoStatus.READY]


def test_a_key_missing_from_the_keyring_exits_2(
    data_dir: Path, tmp_path: Path, b2_emulator: B2Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    library_with(data_dir, tmp_path / "clips", [3_000], "Photography")
    settings = StorageSettings(
        b2_emulator.key_id, b2_emulator.bucket_name, "", b2_emulator.realm_url
    )
    save_account(data_dir, settings, None)

    assert main(["--data-dir", str(data_dir), "upload"]) == 2
    assert "application key" in capsys.readouterr().err


def test_a_key_b2_refuses_exits_2_and_never_prints_the_key(
    data_dir: Path, tmp_path: Path, b2_emulator: B2Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    library_with(data_dir, tmp_path / "clips", [3_000], "Photography")
    settings = StorageSettings(
        b2_emulator.key_id, b2_emulator.bucket_name, "", b2_emulator.realm_url
    )
    save_account(data_dir, settings, "K-wrong-secret")

    assert main(["--data-dir", str(data_dir), "upload", "--wait"]) == 2
    err = capsys.readouterr().err
    assert "coursedesk upload:" in err
    assert "K-wrong-secret" not in err


def test_an_unknown_course_exits_2(
    data_dir: Path, tmp_path: Path, b2_emulator: B2Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    library_with(data_dir, tmp_path / "clips", [3_000], "Photography")
    set_account(data_dir, b2_emulator)

    assert main(["--data-dir", str(data_dir), "upload", "--course", "Cooking"]) == 2
    assert "no course called 'Cooking'" in capsys.readouterr().err


def test_help_explains_wait_and_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["upload", "--help"])
    text = capsys.readouterr().out
    assert "--wait" in text and "Exit status" in text and "--course" in text
