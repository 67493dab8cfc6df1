"""``coursedesk import``: files and folders into a course from a terminal, every refusal named,
the exit status telling a script whether everything made it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from tests.support.clips import make_clip, make_empty, make_not_a_video, make_truncated

from coursedesk.cli import main
from coursedesk.domain.operations import AddChapter, CreateCourse
from coursedesk.import_command import progress_text
from coursedesk.paths import CACHE_DIR_ENV, DATA_DIR_ENV
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.importer import ImportProgress

COURSE = "Intro to Photography"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Path:
    """An empty library; thumbnails in the test's folder. (``qapp`` first: the command must
    reuse the application object there is, not make a second one.)"""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "data"


@pytest.fixture
def recordings(tmp_path: Path) -> Path:
    """Three good clips of different lengths, named out of order, and three bad files."""
    folder = tmp_path / "Week 1"
    folder.mkdir()
    make_clip(folder / "10 outro.mp4", seconds=1.0)
    make_clip(folder / "2 intro.mov", seconds=2.0)
    make_clip(folder / "3_setting_up.mkv", seconds=1.5)
    make_not_a_video(folder / "notes.pdf")
    make_empty(folder / "blank.mp4")
    make_truncated(folder / "2 intro.mov", folder / "cut short.mp4")
    return folder


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def listing(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert run(data_dir, "list", "--course", COURSE, "--json") == 0
    record: dict[str, Any] = json.loads(capsys.readouterr().out)
    return record


def sha1_of(path: Path) -> str:
    return hashlib.sha1(path.read_bytes(), usedforsecurity=False).hexdigest()


def test_a_folder_becomes_a_chapter_of_its_good_clips_and_every_refusal_is_named(
    data_dir: Path, recordings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, "import", str(recordings), "--course", COURSE) == 1
    captured = capsys.readouterr()
    assert f"Created the course '{COURSE}'" in captured.err
    assert "refused: notes.pdf — 'notes.pdf' is not a video file (.pdf)" in captured.err
    assert "refused: blank.mp4 — 'blank.mp4' is empty (0 bytes)" in captured.err
    assert "refused: cut short.mp4 — 'cut short.mp4' is damaged or incomplete" in captured.err
    assert "3 videos imported" in captured.out and "3 refused" in captured.out

    record = listing(data_dir, capsys)
    assert [c["title"] for c in record["chapters"]] == ["Week 1"]
    videos = record["chapters"][0]["videos"]
    assert [v["title"] for v in videos] == ["intro", "setting up", "outro"]
    files = ["2 intro.mov", "3_setting_up.mkv", "10 outro.mp4"]
    for video, name, seconds in zip(videos, files, (2.0, 1.5, 1.0), strict=True):
        source = recordings / name
        assert video["status"] == "ready"
        assert video["duration_s"] == pytest.approx(seconds, abs=0.1)
        assert video["sha1"] == sha1_of(source)
        assert video["size_bytes"] == source.stat().st_size
        assert video["source_path"] == str(source)
        assert (video["width"], video["height"]) == (320, 240)
    assert record["library"] == [] and record["trash"] == []


def test_thumbnails_go_to_the_cache_folder(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = make_clip(tmp_path / "welcome.mp4")
    assert run(data_dir, "import", str(clip), "--course", COURSE) == 0
    sha1 = sha1_of(clip)
    assert (tmp_path / "cache" / "thumbnails" / f"{sha1}.jpg").is_file()
    assert (tmp_path / "cache" / "thumbnails" / f"{sha1}.storyboard.jpg").is_file()


def test_files_named_on_the_command_line_go_to_the_library_and_folders_become_chapters(
    data_dir: Path, recordings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loose = make_clip(tmp_path / "extra footage.mp4", seconds=3.0)
    assert run(data_dir, "import", str(recordings), str(loose), "--course", COURSE) == 1
    record = listing(data_dir, capsys)
    assert [v["title"] for v in record["library"]] == ["extra footage"]
    assert [c["title"] for c in record["chapters"]] == ["Week 1"]


def test_with_chapter_everything_goes_into_that_chapter_in_natural_order(
    data_dir: Path, recordings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = Library.open(data_dir / "library.sqlite3")
    library.apply(CreateCourse(COURSE, course_id="c"))
    library.apply(AddChapter("c", "Welcome", chapter_id="welcome"))
    library.close()
    loose = make_clip(tmp_path / "1 hello.mp4", seconds=3.0)
    for bad in ("notes.pdf", "blank.mp4", "cut short.mp4"):
        (recordings / bad).unlink()

    code = run(
        data_dir, "import", str(recordings), str(loose), "--course", COURSE, "--chapter", "Basics"
    )

    assert code == 0
    captured = capsys.readouterr()
    assert "Created the chapter 'Basics'" in captured.err and "refused" not in captured.err
    record = listing(data_dir, capsys)
    assert [c["title"] for c in record["chapters"]] == ["Welcome", "Basics"]
    titles = [v["title"] for v in record["chapters"][1]["videos"]]
    assert titles == ["hello", "intro", "setting up", "outro"]
    assert record["library"] == []


def test_an_existing_chapter_is_found_by_title_ignoring_case(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = make_clip(tmp_path / "one.mp4", seconds=1.0)
    second = make_clip(tmp_path / "two.mp4", seconds=2.0)
    assert run(data_dir, "import", str(first), "--course", COURSE, "--chapter", "Basics") == 0
    assert run(data_dir, "import", str(second), "--course", COURSE, "--chapter", "basics") == 0
    record = listing(data_dir, capsys)
    assert [c["title"] for c in record["chapters"]] == ["Basics"]
    assert [v["title"] for v in record["chapters"][0]["videos"]] == ["one", "two"]


def test_importing_the_same_files_again_adds_nothing_and_says_so(
    data_dir: Path, recordings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, "import", str(recordings), "--course", COURSE, "--chapter", "A") == 1
    before = listing(data_dir, capsys)

    assert run(data_dir, "import", str(recordings), "--course", COURSE, "--chapter", "A") == 1

    captured = capsys.readouterr()
    assert "0 videos imported" in captured.out and "3 duplicates skipped" in captured.out
    assert "skipped duplicate: 2 intro.mov — already in the course as 'intro'" in captured.err
    assert "skipped duplicate: 10 outro.mp4" in captured.err
    assert listing(data_dir, capsys) == before


def test_a_folder_imported_again_adds_its_new_files_to_the_chapter_it_made(
    data_dir: Path, recordings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, "import", str(recordings), "--course", COURSE) == 1
    make_clip(recordings / "4 gear.mp4", seconds=2.5)
    make_clip(recordings / "11 credits.mp4", seconds=0.8)
    capsys.readouterr()

    assert run(data_dir, "import", str(recordings), "--course", COURSE) == 1

    captured = capsys.readouterr()
    assert "2 videos imported" in captured.out and "3 duplicates skipped" in captured.out
    assert "Created the chapter" not in captured.err
    record = listing(data_dir, capsys)
    assert [c["title"] for c in record["chapters"]] == ["Week 1"]
    videos = record["chapters"][0]["videos"]
    assert [v["title"] for v in videos] == ["intro", "setting up", "outro", "gear", "credits"]


def test_duplicates_keep_imports_a_second_copy(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = make_clip(tmp_path / "take.mp4")
    assert run(data_dir, "import", str(clip), "--course", COURSE, "--chapter", "A") == 0
    args = ("import", str(clip), "--course", COURSE, "--chapter", "A", "--duplicates", "keep")
    assert run(data_dir, *args) == 0
    videos = listing(data_dir, capsys)["chapters"][0]["videos"]
    assert [v["sha1"] for v in videos] == [sha1_of(clip)] * 2


def test_a_missing_path_is_a_usage_error_and_changes_nothing(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = make_clip(tmp_path / "welcome.mp4")
    missing = tmp_path / "no such folder"
    assert run(data_dir, "import", str(clip), str(missing), "--course", COURSE) == 2
    error = capsys.readouterr().err
    assert "No such file or folder" in error and "no such folder" in error
    assert "Nothing was imported" in error
    assert run(data_dir, "list", "--course", COURSE) == 1  # not even the course was made


def test_an_unknown_duplicates_choice_is_a_usage_error(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = make_clip(tmp_path / "welcome.mp4")
    with pytest.raises(SystemExit) as exit_info:
        run(data_dir, "import", str(clip), "--course", COURSE, "--duplicates", "merge")
    assert exit_info.value.code == 2
    assert "invalid choice: 'merge'" in capsys.readouterr().err


def test_the_progress_line_counts_files_and_bytes_with_an_eta() -> None:
    progress = ImportProgress(37, 120, 1_200_000_000, 3_400_000_000, 42.0)
    assert progress_text(progress) == "Importing  37/120 files  1.2/3.4 GB  ETA 0:42"
    slow = ImportProgress(1, 2, 5_000_000, 80_000_000, 3725.0)
    assert progress_text(slow) == "Importing  1/2 files  5.0/80.0 MB  ETA 1:02:05"
    assert progress_text(ImportProgress(0, 5, 0, 10, None)).endswith("ETA --:--")


def test_the_command_runs_headless_as_a_module(tmp_path: Path, recordings: Path) -> None:
    env = {
        **os.environ,
        DATA_DIR_ENV: str(tmp_path / "data"),
        CACHE_DIR_ENV: str(tmp_path / "cache"),
    }
    env.pop("QT_QPA_PLATFORM", None)  # no display needed at all
    command = [sys.executable, "-m", "coursedesk", "import", str(recordings), "--course", COURSE]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert "3 videos imported" in result.stdout
    assert result.stderr.count("refused: ") == 3
    assert "\r" not in result.stderr  # not a terminal: no progress bar redrawing itself
