"""Making the sample course's clips: in order, reported step by step, and never half-made."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tests.support.manual_runner import ManualRunner

from coursedesk.media import probe
from coursedesk.services.tasks import ImmediateRunner
from coursedesk.ui import sample_course
from coursedesk.ui.sample_course import (
    CLIP_HEIGHT,
    CLIP_WIDTH,
    SAMPLE_CHAPTERS,
    SampleCourseMaker,
    failure_message,
    free_folder,
    render_card,
)


class Heard:
    def __init__(self, maker: SampleCourseMaker) -> None:
        self.progress: list[tuple[int, int]] = []
        self.made: list[list[Path]] = []
        self.failed: list[str] = []
        maker.progress.connect(lambda done, total: self.progress.append((done, total)))
        maker.made.connect(self.made.append)
        maker.failed.connect(self.failed.append)


def test_the_clips_are_made_in_chapter_folders_in_order(qtbot: QtBot, tmp_path: Path) -> None:
    maker = SampleCourseMaker(ImmediateRunner())
    heard = Heard(maker)
    assert maker.start(tmp_path)
    assert not maker.busy
    assert heard.failed == []
    assert heard.progress == [(n, 6) for n in range(1, 7)]
    [folders] = heard.made
    assert [f.name for f in folders] == ["1 Getting started", "2 Basics", "3 Sharing your course"]
    assert all(f.parent == tmp_path / "Sample course" for f in folders)
    names = [[p.name for p in sorted(f.iterdir())] for f in folders]
    assert names == [
        ["01 Welcome.mp4", "02 Chapters and the library.mp4"],
        ["03 Reordering lessons.mp4", "04 Quick look.mp4", "05 Undo anything.mp4"],
        ["06 Uploads.mp4"],
    ]
    lessons = [lesson for chapter in SAMPLE_CHAPTERS for lesson in chapter.lessons]
    clips = [p for f in folders for p in sorted(f.iterdir())]
    for clip, lesson in zip(clips, lessons, strict=True):
        info = probe(clip)
        assert (info.width, info.height) == (CLIP_WIDTH, CLIP_HEIGHT)
        assert info.duration_s == pytest.approx(lesson.seconds, abs=0.1)
        assert 2.0 <= lesson.seconds <= 4.0


def test_a_second_sample_goes_into_a_folder_of_its_own(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "Sample course").mkdir()
    (tmp_path / "Sample course 2.partial").mkdir()
    assert free_folder(tmp_path) == tmp_path / "Sample course 3"


def test_closing_halfway_removes_what_was_written_and_reports_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    runner = ManualRunner()
    maker = SampleCourseMaker(runner)
    heard = Heard(maker)
    maker.start(tmp_path)
    runner.run_next()
    runner.run_next()
    assert heard.progress == [(1, 6), (2, 6)]
    assert any(tmp_path.rglob("*.mp4"))
    maker.cancel()
    runner.run_all()
    assert not maker.busy
    assert heard.made == [] and heard.failed == []
    assert list(tmp_path.iterdir()) == []


def test_a_clip_that_cannot_be_written_fails_the_whole_sample(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real_write = sample_course.write_title_clip

    def fails_on_the_fourth(path: Path, *args: object, **kwargs: object) -> Path:
        calls.append(path)
        if len(calls) == 4:
            raise PermissionError(13, "Permission denied", str(path))
        return real_write(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sample_course, "write_title_clip", fails_on_the_fourth)
    maker = SampleCourseMaker(ImmediateRunner())
    heard = Heard(maker)
    maker.start(tmp_path)
    assert heard.made == []
    [message] = heard.failed
    assert message.startswith("CourseDesk couldn't make the sample course: Permission denied")
    assert message.endswith("Nothing was added to your library.")
    assert list(tmp_path.iterdir()) == []
    assert not maker.busy
    # A second try starts afresh.
    monkeypatch.setattr(sample_course, "write_title_clip", real_write)
    maker.start(tmp_path)
    assert len(heard.made) == 1


def test_failure_messages_name_the_reason_once() -> None:
    message = failure_message(OSError(28, "No space left on device"))
    assert message == (
        "CourseDesk couldn't make the sample course: No space left on device. "
        "Nothing was added to your library."
    )


def test_cards_are_drawn_at_the_clip_size_with_the_chapter_s_colours(qtbot: QtBot) -> None:
    chapter = SAMPLE_CHAPTERS[1]
    image = render_card(chapter, 2, chapter.lessons[0], 3, 6)
    assert (image.width, image.height) == (CLIP_WIDTH, CLIP_HEIGHT)
    assert len(image.data) == CLIP_WIDTH * CLIP_HEIGHT * 3
    # The top-left corner has the chapter's first colour; text makes the card brighter.
    top_left = tuple(image.data[:3])
    expected = tuple(int(chapter.top[i : i + 2], 16) for i in (1, 3, 5))
    assert all(abs(a - b) <= 6 for a, b in zip(top_left, expected, strict=True))
    other = render_card(SAMPLE_CHAPTERS[0], 1, SAMPLE_CHAPTERS[0].lessons[0], 1, 6)
    assert other.data != image.data
