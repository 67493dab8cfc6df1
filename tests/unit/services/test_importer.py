"""Importing drops: rows appear in one undoable step, files are read in the background,
bad files are named and leave nothing behind, duplicates are asked about."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tests.support.clips import make_clip, make_empty, make_not_a_video, make_truncated

from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    RenameVideo,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.importer import (
    DuplicateAnswer,
    DuplicateChoice,
    DuplicateQuestion,
    Importer,
    ImportReport,
    ImportTarget,
)
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import ImmediateRunner, PoolRunner

COURSE = "course"
CHAPTER = "basics"


@pytest.fixture
def session(library: Library, qtbot: QtBot) -> Iterator[EditSession]:
    session = EditSession(library)
    session.apply_untracked(CreateCourse("Photography", course_id=COURSE))
    session.apply_untracked(AddChapter(COURSE, "Basics", chapter_id=CHAPTER))
    session.apply_untracked(
        AddVideos(
            tuple(
                new_video(COURSE, f"Old {i}", f"/old/{i}.mp4", status=VideoStatus.READY)
                for i in range(2)
            ),
            CHAPTER,
        )
    )
    yield session


@pytest.fixture
def clips(tmp_path: Path) -> Path:
    folder = tmp_path / "Recordings"
    folder.mkdir()
    make_clip(folder / "10 outro.mp4", seconds=1.0)
    make_clip(folder / "2 intro.mov", seconds=2.0)
    make_clip(folder / "3_setting_up.mkv", seconds=1.5)
    return folder


class Answers:
    """A duplicate resolver that answers from a list and remembers the questions."""

    def __init__(self, *answers: DuplicateAnswer) -> None:
        self.answers = list(answers)
        self.questions: list[DuplicateQuestion] = []

    def __call__(self, question: DuplicateQuestion) -> DuplicateAnswer:
        self.questions.append(question)
        return self.answers.pop(0)


def importer_for(
    session: EditSession, tmp_path: Path, resolver: Answers | None = None
) -> tuple[Importer, list[ImportReport]]:
    importer = Importer(
        session,
        ImmediateRunner(),
        ThumbnailCache(tmp_path / "thumbs"),
        resolve_duplicate=resolver or Answers(),
    )
    reports: list[ImportReport] = []
    importer.finished.connect(reports.append)
    return importer, reports


def titles(library: Library, chapter_id: str) -> list[str]:
    return [library.store.video(v).title for v in library.store.video_ids(chapter_id)]


def reload_equals(library: Library) -> bool:
    assert library.path is not None
    fresh = Library.open(library.path)
    try:
        fresh.open_course(COURSE)
        return fresh.store.snapshot() == library.store.snapshot()
    finally:
        fresh.close()


def test_a_folder_dropped_on_a_chapter_lands_at_the_drop_position_in_natural_order(
    session: EditSession, library: Library, clips: Path, tmp_path: Path
) -> None:
    importer, reports = importer_for(session, tmp_path)
    importer.start([clips], ImportTarget(COURSE, CHAPTER, index=1))
    assert titles(library, CHAPTER) == ["Old 0", "intro", "setting up", "outro", "Old 1"]
    new = [library.store.video(v) for v in library.store.video_ids(CHAPTER)[1:4]]
    assert all(v.status is VideoStatus.READY for v in new)
    intro = new[0]
    assert intro.duration_s == pytest.approx(2.0, abs=0.1)
    assert (intro.width, intro.height, intro.video_codec) == (320, 240, "h264")
    assert intro.sha1 is not None and len(intro.sha1) == 40
    assert ThumbnailCache(tmp_path / "thumbs").has_pictures(intro.sha1)
    assert reports and len(reports[0].imported) == 3 and not reports[0].refused
    check_invariants(library.store)
    assert reload_equals(library)


def test_the_whole_drop_is_one_undo_step_and_redo_keeps_what_was_learnt(
    session: EditSession, library: Library, clips: Path, tmp_path: Path
) -> None:
    before = library.store.snapshot()
    importer, _ = importer_for(session, tmp_path)
    importer.start([clips], ImportTarget(COURSE, CHAPTER))
    stack = session.stack(COURSE)
    assert stack.count() == 1 and stack.undoText() == "Import 3 videos"
    stack.undo()
    assert library.store.snapshot() == before
    stack.redo()
    redone = [library.store.video(v) for v in library.store.video_ids(CHAPTER)[2:]]
    assert [v.title for v in redone] == ["intro", "setting up", "outro"]
    assert all(v.status is VideoStatus.READY and v.sha1 for v in redone)
    assert reload_equals(library)


def test_folders_dropped_on_empty_tree_space_become_chapters_depth_first(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    course_folder = tmp_path / "Course"
    for sub in ("Week 2/Extras", "Week 10"):
        (course_folder / sub).mkdir(parents=True)
    make_clip(course_folder / "Week 2" / "b.mp4", seconds=1.0)
    make_clip(course_folder / "Week 10" / "a.mp4", seconds=1.0)
    make_clip(course_folder / "Week 2" / "Extras" / "c.mp4", seconds=1.0)
    importer, _ = importer_for(session, tmp_path)
    importer.start([course_folder], ImportTarget(COURSE, make_chapters=True))
    chapters = [library.store.chapter(c).title for c in library.store.chapter_ids(COURSE)]
    assert chapters == ["Basics", "Week 2", "Extras", "Week 10"]
    last = library.store.chapter_ids(COURSE)[-1]
    assert titles(library, last) == ["a"]
    assert session.stack(COURSE).undoText() == "Import 3 videos"


def test_bad_files_are_named_in_the_report_and_leave_nothing_behind(
    session: EditSession, library: Library, clips: Path, tmp_path: Path
) -> None:
    make_truncated(clips / "2 intro.mov", clips / "4 broken.mp4")
    make_empty(clips / "5 empty.mp4")
    make_not_a_video(clips / "notes.pdf")
    importer, reports = importer_for(session, tmp_path)
    importer.start([clips], ImportTarget(COURSE, None))
    library_titles = sorted(library.store.video(v).title for v in library.store.library_ids(COURSE))
    assert library_titles == ["intro", "outro", "setting up"]
    refused = {r.name: r.message for r in reports[0].refused}
    assert set(refused) == {"4 broken.mp4", "5 empty.mp4", "notes.pdf"}
    assert "empty" in refused["5 empty.mp4"]
    assert "not a video" in refused["notes.pdf"]
    check_invariants(library.store)
    assert reload_equals(library)
    # Undo still removes exactly what the drop added.
    session.stack(COURSE).undo()
    assert not library.store.library_ids(COURSE)


@pytest.mark.parametrize(
    ("choice", "expected_library"),
    [
        (DuplicateChoice.SKIP, ["intro"]),
        (DuplicateChoice.KEEP_BOTH, ["copy of intro", "intro", "intro"]),
    ],
)
def test_content_already_in_the_course_is_asked_about_once(
    session: EditSession,
    library: Library,
    clips: Path,
    tmp_path: Path,
    choice: DuplicateChoice,
    expected_library: list[str],
) -> None:
    single = clips / "2 intro.mov"
    resolver = Answers(DuplicateAnswer(choice, apply_to_all=True))
    importer, _ = importer_for(session, tmp_path, resolver)
    importer.start([single], ImportTarget(COURSE, None))
    copy = tmp_path / "copy of intro.mov"
    shutil.copyfile(single, copy)
    importer.start([single, copy], ImportTarget(COURSE, None))
    assert len(resolver.questions) == 1
    assert resolver.questions[0].existing_title == "intro"
    assert resolver.questions[0].remaining == 1
    library_titles = sorted(library.store.video(v).title for v in library.store.library_ids(COURSE))
    assert library_titles == expected_library


def test_replacing_a_duplicate_keeps_the_existing_video_its_place_and_title(
    session: EditSession, library: Library, clips: Path, tmp_path: Path
) -> None:
    importer, _ = importer_for(session, tmp_path, Answers(DuplicateAnswer(DuplicateChoice.REPLACE)))
    importer.start([clips / "2 intro.mov"], ImportTarget(COURSE, CHAPTER, index=0))
    video_id = library.store.video_ids(CHAPTER)[0]
    session.do(RenameVideo(video_id, "Welcome"), "Rename video", COURSE)
    moved = tmp_path / "elsewhere" / "intro final.mov"
    moved.parent.mkdir()
    shutil.copyfile(clips / "2 intro.mov", moved)
    importer.start([moved], ImportTarget(COURSE, None))
    video = library.store.video(video_id)
    assert (video.title, video.chapter_id, library.store.video_index(video_id)) == (
        "Welcome",
        CHAPTER,
        0,
    )
    assert video.source_path == str(moved)
    assert not library.store.library_ids(COURSE)
    assert session.stack(COURSE).undoText() == "Replace video"
    session.stack(COURSE).undo()
    assert library.store.video(video_id).source_path == str(clips / "2 intro.mov")


def test_replace_video_gives_new_content_under_the_same_id_and_is_undoable(
    session: EditSession, library: Library, clips: Path, tmp_path: Path
) -> None:
    importer, _ = importer_for(session, tmp_path)
    importer.start([clips / "2 intro.mov"], ImportTarget(COURSE, CHAPTER))
    video_id = library.store.video_ids(CHAPTER)[-1]
    old = library.store.video(video_id)
    longer = make_clip(tmp_path / "intro v2.mp4", seconds=3.0)
    assert importer.replace_file(video_id, longer)
    new = library.store.video(video_id)
    assert new.duration_s == pytest.approx(3.0, abs=0.1)
    assert new.sha1 != old.sha1 and new.title == old.title
    assert library.store.video_index(video_id) == 2
    session.stack(COURSE).undo()
    assert library.store.video(video_id).sha1 == old.sha1
    assert reload_equals(library)


def test_a_re_edited_recording_is_flagged_as_a_possible_duplicate(
    session: EditSession, library: Library, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_clip(tmp_path / "a" / "Intro.mp4", seconds=2.0)
    second = make_clip(tmp_path / "b" / "Intro.mp4", seconds=2.0, noise=True)
    importer, reports = importer_for(session, tmp_path)
    importer.start([first], ImportTarget(COURSE, None))
    importer.start([second], ImportTarget(COURSE, None))
    flagged = reports[-1].possible_duplicates
    assert len(flagged) == 1
    assert library.store.video(flagged[0].existing_video_id).source_path == str(first)


def test_an_import_left_processing_by_a_crash_resumes(
    session: EditSession, library: Library, clips: Path, tmp_path: Path
) -> None:
    waiting = new_video(COURSE, "intro", str(clips / "2 intro.mov"), status=VideoStatus.PROCESSING)
    session.apply_untracked(AddVideos((waiting,), CHAPTER))
    importer, reports = importer_for(session, tmp_path)
    assert importer.resume(COURSE) == 1
    assert library.store.video(waiting.id).status is VideoStatus.READY
    assert reports[0].imported == [waiting.id]


def test_cancelling_keeps_finished_videos_and_removes_unfinished_rows(
    session: EditSession, library: Library, tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        make_clip(folder / f"{i} clip.mp4", seconds=1.0)
    runner = PoolRunner(max_threads=1)
    importer = Importer(session, runner, ThumbnailCache(tmp_path / "thumbs"))
    with qtbot.waitSignal(importer.finished, timeout=30_000) as finished:
        importer.start([folder], ImportTarget(COURSE, CHAPTER))
        qtbot.waitUntil(lambda: len(library.store.video_ids(CHAPTER)) > 2, timeout=10_000)
        importer.cancel()
    runner.wait()
    report: ImportReport = finished.args[0]
    assert report.cancelled
    rows = [library.store.video(v) for v in library.store.video_ids(CHAPTER)]
    assert all(v.status is not VideoStatus.PROCESSING for v in rows)
    assert len(rows) == 2 + len(report.imported)
    check_invariants(library.store)
    assert reload_equals(library)
