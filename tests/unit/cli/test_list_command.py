"""``coursedesk list``: a course as it stands, for people and for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coursedesk.cli import main
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    TrashVideos,
    new_video,
)
from coursedesk.persistence.library import Library


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    library = Library.open(folder / "library.sqlite3")
    library.apply(CreateCourse("Intro to Photography", course_id="c"))
    library.apply(AddChapter("c", "Getting started", chapter_id="start"))
    library.apply(AddChapter("c", "Exposure", chapter_id="exposure"))
    clip = {"duration_s": 62.0, "size_bytes": 5_000_000, "width": 1920, "height": 1080}
    library.apply(
        AddVideos(
            (
                new_video("c", "Welcome", "/clips/welcome.mp4", video_id="w", **clip),
                new_video("c", "Gear", "/clips/gear.mov", video_id="g", **clip),
            ),
            "start",
        )
    )
    library.apply(AddVideos((new_video("c", "Aperture", "/a.mp4", video_id="a"),), "exposure"))
    library.apply(AddVideos((new_video("c", "B-roll", "/b.mp4", video_id="b"),)))
    library.apply(AddVideos((new_video("c", "Outtake", "/o.mp4", video_id="o"),)))
    library.apply(TrashVideos(("o",)))
    library.close()
    return folder


def test_json_lists_chapters_in_order_then_library_and_trash(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["--data-dir", str(data_dir), "list", "--course", "Intro to Photography", "--json"])
        == 0
    )
    record = json.loads(capsys.readouterr().out)
    assert record["course"] == "Intro to Photography"
    assert [c["title"] for c in record["chapters"]] == ["Getting started", "Exposure"]
    assert [v["title"] for v in record["chapters"][0]["videos"]] == ["Welcome", "Gear"]
    assert [v["title"] for v in record["library"]] == ["B-roll"]
    assert [v["title"] for v in record["trash"]] == ["Outtake"]
    welcome = record["chapters"][0]["videos"][0]
    for key in (
        "id",
        "title",
        "status",
        "duration_s",
        "size_bytes",
        "width",
        "height",
        "sha1",
        "source_path",
    ):
        assert key in welcome
    assert welcome["width"] == 1920 and welcome["source_path"] == "/clips/welcome.mp4"


def test_text_form_numbers_chapters_and_videos(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "list", "--course", "intro to photography"]) == 0
    text = capsys.readouterr().out
    assert "1. Getting started" in text
    assert "2. Gear" in text and "1:02" in text
    assert text.index("Library") < text.index("B-roll") < text.index("Trash")


def test_an_unknown_course_is_named_with_the_courses_there_are(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "list", "--course", "Cooking"]) == 1
    error = capsys.readouterr().err
    assert "no course called 'Cooking'" in error and "'Intro to Photography'" in error
