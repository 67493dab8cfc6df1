"""Dropping a folder again: its new files join the chapter it made the first time."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tests.support.clips import make_clip

from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.operations import AddChapter, CreateCourse, RenameChapter, TrashChapter
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.chapter_match import title_key
from coursedesk.services.ingest.importer import (
    LOOSE_FILES_CHAPTER,
    DuplicateAnswer,
    DuplicateChoice,
    DuplicateQuestion,
    Importer,
    ImportReport,
    ImportTarget,
)
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import ImmediateRunner

COURSE = "course"
ON_EMPTY_SPACE = ImportTarget(COURSE, make_chapters=True)


@pytest.fixture
def session(library: Library, qtbot: QtBot) -> Iterator[EditSession]:
    session = EditSession(library)
    session.apply_untracked(CreateCourse("Photography", course_id=COURSE))
    session.apply_untracked(AddChapter(COURSE, "Basics", chapter_id="basics"))
    yield session


class Resolver:
    def __init__(self, choice: DuplicateChoice) -> None:
        self.choice = choice
        self.asked: list[str] = []

    def __call__(self, question: DuplicateQuestion) -> DuplicateAnswer:
        self.asked.append(question.path.name)
        return DuplicateAnswer(self.choice)


def importer_for(
    session: EditSession, tmp_path: Path, choice: DuplicateChoice = DuplicateChoice.SKIP
) -> tuple[Importer, Resolver, list[ImportReport]]:
    resolver = Resolver(choice)
    importer = Importer(session, ImmediateRunner(), ThumbnailCache(tmp_path / "thumbs"), resolver)
    reports: list[ImportReport] = []
    importer.finished.connect(reports.append)
    return importer, resolver, reports


def chapters(library: Library) -> list[str]:
    store = library.store
    return [store.chapter(c).title for c in store.chapter_ids(COURSE)]


def titles_in(library: Library, title: str) -> list[str]:
    store = library.store
    (chapter_id,) = [c for c in store.chapter_ids(COURSE) if store.chapter(c).title == title]
    return [store.video(v).title for v in store.video_ids(chapter_id)]


def reload_equals(library: Library) -> bool:
    assert library.path is not None
    fresh = Library.open(library.path)
    try:
        fresh.open_course(COURSE)
        return fresh.store.snapshot() == library.store.snapshot()
    finally:
        fresh.close()


def test_new_files_of_a_folder_dropped_again_are_appended_to_its_chapter(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "Light"
    folder.mkdir()
    make_clip(folder / "2 meter.mp4", seconds=1.0)
    make_clip(folder / "10 zones.mp4", seconds=1.2)
    importer, resolver, reports = importer_for(session, tmp_path)
    importer.start([folder], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", "Light"]

    make_clip(folder / "11 histogram.mp4", seconds=1.4)
    make_clip(folder / "3 exposure.mp4", seconds=1.6)
    importer.start([folder], ON_EMPTY_SPACE)

    assert chapters(library) == ["Basics", "Light"]
    # The old ones stay first; the new ones follow in their natural order.
    assert titles_in(library, "Light") == ["meter", "zones", "exposure", "histogram"]
    # The files already in the course went through the duplicate question (skipped).
    assert sorted(resolver.asked) == ["10 zones.mp4", "2 meter.mp4"]
    assert sorted(reports[-1].skipped_duplicates) == ["10 zones.mp4", "2 meter.mp4"]
    stack = session.stack(COURSE)
    assert stack.count() == 2 and stack.undoText() == "Import 2 videos"
    check_invariants(library.store)
    assert reload_equals(library)

    # One Ctrl+Z takes back the second drop only: the chapter and its first videos stay.
    stack.undo()
    assert chapters(library) == ["Basics", "Light"]
    assert titles_in(library, "Light") == ["meter", "zones"]
    assert reload_equals(library)


def test_keep_both_adds_the_duplicate_to_the_existing_chapter_too(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "Light"
    folder.mkdir()
    make_clip(folder / "meter.mp4", seconds=1.0)
    importer, _, _ = importer_for(session, tmp_path, DuplicateChoice.KEEP_BOTH)
    importer.start([folder], ON_EMPTY_SPACE)
    importer.start([folder], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", "Light"]
    assert titles_in(library, "Light") == ["meter", "meter"]


def test_a_folder_of_only_known_files_changes_nothing(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "Light"
    folder.mkdir()
    make_clip(folder / "meter.mp4", seconds=1.0)
    importer, _, reports = importer_for(session, tmp_path)
    importer.start([folder], ON_EMPTY_SPACE)
    before = library.store.snapshot()
    importer.start([folder], ON_EMPTY_SPACE)
    assert library.store.snapshot() == before
    assert reports[-1].skipped_duplicates == ["meter.mp4"]
    assert session.stack(COURSE).count() == 1


def test_the_chapter_is_found_after_a_change_of_case_and_spacing(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    session.apply_untracked(AddChapter(COURSE, "colour  Grading", chapter_id="grading"))
    folder = tmp_path / "Colour grading"
    folder.mkdir()
    make_clip(folder / "curves.mp4", seconds=1.0)
    importer, _, _ = importer_for(session, tmp_path)
    importer.start([folder], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", "colour  Grading"]
    assert titles_in(library, "colour  Grading") == ["curves"]


def test_an_exact_title_wins_over_one_that_differs_in_case(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    session.apply_untracked(AddChapter(COURSE, "light", chapter_id="lower"))
    session.apply_untracked(AddChapter(COURSE, "Light", chapter_id="exact"))
    folder = tmp_path / "Light"
    folder.mkdir()
    make_clip(folder / "meter.mp4", seconds=1.0)
    importer, _, _ = importer_for(session, tmp_path)
    importer.start([folder], ON_EMPTY_SPACE)
    assert len(library.store.video_ids("exact")) == 1
    assert not library.store.video_ids("lower")


def test_folders_of_the_same_name_each_find_their_own_chapter_again(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    course = tmp_path / "Course"
    for week, seconds in (("Week 1", 1.0), ("Week 2", 1.5)):
        (course / week / "Exercises").mkdir(parents=True)
        make_clip(course / week / "Exercises" / "first.mp4", seconds=seconds)
    importer, _, _ = importer_for(session, tmp_path)
    importer.start([course], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", "Exercises", "Exercises"]
    week_1, week_2 = library.store.chapter_ids(COURSE)[1:]

    make_clip(course / "Week 2" / "Exercises" / "second.mp4", seconds=2.0)
    make_clip(course / "Week 1" / "Exercises" / "second.mp4", seconds=2.5)
    importer.start([course], ON_EMPTY_SPACE)
    # The second week's folder on its own still finds the second week's chapter.
    make_clip(course / "Week 2" / "Exercises" / "third.mp4", seconds=3.0)
    importer.start([course / "Week 2" / "Exercises"], ON_EMPTY_SPACE)

    store = library.store
    assert chapters(library) == ["Basics", "Exercises", "Exercises"]
    expected = {
        week_1: ["first.mp4", "second.mp4"],
        week_2: ["first.mp4", "second.mp4", "third.mp4"],
    }
    for chapter_id, week in ((week_1, "Week 1"), (week_2, "Week 2")):
        sources = [Path(store.video(v).source_path) for v in store.video_ids(chapter_id)]
        assert [p.name for p in sources] == expected[chapter_id]
        assert {p.parent.parent.name for p in sources} == {week}


def test_a_chapter_in_the_trash_is_not_joined(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    session.apply_untracked(AddChapter(COURSE, "Light", chapter_id="old"))
    session.apply_untracked(TrashChapter("old"))
    folder = tmp_path / "Light"
    folder.mkdir()
    make_clip(folder / "meter.mp4", seconds=1.0)
    importer, _, _ = importer_for(session, tmp_path)
    importer.start([folder], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", "Light"]
    (light,) = library.store.chapter_ids(COURSE)[1:]
    assert light != "old"


def test_a_renamed_chapter_no_longer_collects_its_folder(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "Light"
    folder.mkdir()
    make_clip(folder / "meter.mp4", seconds=1.0)
    importer, _, _ = importer_for(session, tmp_path)
    importer.start([folder], ON_EMPTY_SPACE)
    first = library.store.chapter_ids(COURSE)[1]
    session.apply_untracked(RenameChapter(first, "Metering"))
    make_clip(folder / "zones.mp4", seconds=1.5)
    importer.start([folder], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", "Metering", "Light"]
    assert titles_in(library, "Light") == ["zones"]


def test_loose_files_dropped_twice_on_empty_space_share_one_chapter(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    first = make_clip(tmp_path / "a.mp4", seconds=1.0)
    second = make_clip(tmp_path / "b.mp4", seconds=1.5)
    importer, _, _ = importer_for(session, tmp_path)
    importer.start([first], ON_EMPTY_SPACE)
    importer.start([second], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", LOOSE_FILES_CHAPTER]
    assert titles_in(library, LOOSE_FILES_CHAPTER) == ["a", "b"]


def test_one_drop_can_fill_an_existing_chapter_and_make_a_new_one_in_one_step(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    course = tmp_path / "Course"
    (course / "Basics").mkdir(parents=True)
    (course / "Colour").mkdir()
    make_clip(course / "Basics" / "welcome.mp4", seconds=1.0)
    make_clip(course / "Colour" / "white balance.mp4", seconds=1.5)
    before = library.store.snapshot()
    importer, _, _ = importer_for(session, tmp_path)
    importer.start([course], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", "Colour"]
    assert titles_in(library, "Basics") == ["welcome"]
    assert session.stack(COURSE).undoText() == "Import 2 videos"
    session.stack(COURSE).undo()
    assert library.store.snapshot() == before


def test_a_copy_of_the_folder_elsewhere_joins_the_chapter_of_its_name(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "one" / "Light"
    folder.mkdir(parents=True)
    make_clip(folder / "meter.mp4", seconds=1.0)
    importer, _, _ = importer_for(session, tmp_path)
    importer.start([folder], ON_EMPTY_SPACE)
    elsewhere = tmp_path / "two" / "Light"
    shutil.copytree(folder, elsewhere)
    make_clip(elsewhere / "zones.mp4", seconds=1.5)
    importer.start([elsewhere], ON_EMPTY_SPACE)
    assert chapters(library) == ["Basics", "Light"]
    assert titles_in(library, "Light") == ["meter", "zones"]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Light", "light", True),
        ("Colour  grading", "colour grading", True),
        ("Cafe\u0301", "Café", True),
        ("Light", "Lights", False),
        ("Résumé", "Resume", False),
    ],
)
def test_titles_match_ignoring_case_spacing_and_normal_form_only(
    one: str, other: str, same: bool
) -> None:
    assert (title_key(one) == title_key(other)) is same
