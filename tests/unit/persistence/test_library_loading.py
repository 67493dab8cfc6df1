"""Opening a course rebuilds exactly what was saved; a course whose saved structure is broken
is reported and left alone, never quietly "repaired"."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.unit.persistence.library_helpers import (
    BuiltCourse,
    build_course,
    file_digest,
    reload_snapshot,
)

from coursedesk.domain.errors import InvalidState
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.model import VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    MoveChapter,
    MoveVideos,
    RenameVideo,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    UpdateVideo,
)
from coursedesk.persistence.errors import LibraryCorrupt
from coursedesk.persistence.library import Library


def _edit_a_lot(library: Library, course: BuiltCourse) -> None:
    first, second, third = course.chapter_ids
    library.apply(MoveVideos(course.videos_by_chapter[first][:2], third, 1))
    library.apply(MoveVideos((course.library_video_ids[0],), second, 0))
    library.apply(MoveVideos((course.videos_by_chapter[second][4],), None))
    library.apply(TrashVideos((course.videos_by_chapter[third][0],)))
    library.apply(TrashChapter(second, VideosGo.TO_TRASH))
    library.apply(MoveChapter(third, 0))
    library.apply(AddChapter(course.id, "Empty for now", index=1))
    library.apply(RenameVideo(course.videos_by_chapter[first][3], "Élan — ünïcode ✓"))
    library.apply(
        UpdateVideo(
            course.videos_by_chapter[first][4],
            {"status": VideoStatus.FAILED, "error": "The file vanished.", "duration_s": 0.1},
        )
    )


def test_a_reopened_course_is_exactly_the_course_that_was_saved(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    course = build_course(library)
    _edit_a_lot(library, course)
    saved = library.store.snapshot()
    library.close()

    reopened = open_at(library_path)
    assert not reopened.store.is_loaded(course.id)
    reopened.open_course(course.id)

    assert reopened.store.snapshot() == saved
    check_invariants(reopened.store)
    assert reopened.store.course_totals(course.id) == library.store.course_totals(course.id)


def test_a_reopened_library_lists_every_course_before_any_is_opened(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    kept = build_course(library, title="Kept")
    trashed = build_course(library, title="Trashed")
    library.apply(TrashCourse(trashed.id))

    reopened = open_at(library_path)

    assert [c.title for c in reopened.store.courses()] == ["Kept"]
    assert {c.id for c in reopened.store.courses(include_trashed=True)} == {kept.id, trashed.id}
    assert not reopened.store.has_video(kept.library_video_ids[0])


def test_opening_a_course_twice_changes_nothing(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    course = build_course(library)
    reopened = open_at(library_path)
    reopened.open_course(course.id)
    once = reopened.store.snapshot()

    reopened.open_course(course.id)

    assert reopened.store.snapshot() == once


def test_edits_to_a_reopened_course_are_saved_in_the_right_order(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    course = build_course(library)
    library.close()
    reopened = open_at(library_path)
    reopened.open_course(course.id)

    _edit_a_lot(reopened, course)

    assert reload_snapshot(library_path) == reopened.store.snapshot()


# Each corruption is SQL a confused tool (or a bad sync) might have run on the file.
CORRUPTIONS = {
    "live video in a trashed chapter": (
        "UPDATE chapters SET deleted_at = 1, rank = NULL, trash_index = 0 WHERE id = :chapter"
    ),
    "video in a chapter without a position": "UPDATE videos SET rank = NULL WHERE id = :video",
    "live chapter without a position": "UPDATE chapters SET rank = NULL WHERE id = :chapter",
    "video in a chapter that does not exist": (
        "UPDATE videos SET chapter_id = 'gone' WHERE id = :video"
    ),
    "trashed video still in its chapter": (
        "UPDATE videos SET deleted_at = 1, trash_chapter_id = chapter_id, trash_index = 0"
        " WHERE id = :video"
    ),
    "video in another course's chapter": (
        "UPDATE videos SET chapter_id = :other_chapter, rank = 'zz' WHERE id = :video"
    ),
    "live video remembering a trash position": (
        "UPDATE videos SET trash_index = 3 WHERE id = :video"
    ),
    "video position mangled by another tool": "UPDATE videos SET rank = '!' WHERE id = :video",
    "chapter position mangled by another tool": (
        "UPDATE chapters SET rank = '' WHERE id = :chapter"
    ),
    "video with a status this version does not know": (
        "UPDATE videos SET status = 'teleported' WHERE id = :video"
    ),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_course_with_a_broken_structure_is_reported_and_not_opened(
    open_at: Callable[..., Library], library_path: Path, corruption: str
) -> None:
    library = open_at(library_path)
    course = build_course(library, title="Broken")
    other = build_course(library, title="Fine")
    library.close()
    chapter_id = course.chapter_ids[0]
    with contextlib.closing(sqlite3.connect(library_path)) as connection:
        connection.execute(
            CORRUPTIONS[corruption],
            {
                "chapter": chapter_id,
                "video": course.videos_by_chapter[chapter_id][1],
                "other_chapter": other.chapter_ids[0],
            },
        )
        connection.commit()
    digest = file_digest(library_path)

    reopened = open_at(library_path)
    with pytest.raises(LibraryCorrupt) as failure:
        reopened.open_course(course.id)

    assert "Broken" in str(failure.value)
    assert not reopened.store.is_loaded(course.id)
    assert not any(reopened.store.has_video(v) for v in course.videos_by_chapter[chapter_id])
    with pytest.raises(InvalidState):
        reopened.apply(AddChapter(course.id, "Anything"))
    reopened.open_course(other.id)
    check_invariants(reopened.store)
    reopened.close()
    assert file_digest(library_path) == digest


def test_a_course_reported_broken_is_reported_again_next_time(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    course = build_course(library, title="Broken")
    library.close()
    with contextlib.closing(sqlite3.connect(library_path)) as connection:
        connection.execute("UPDATE videos SET rank = NULL WHERE chapter_id IS NOT NULL")
        connection.commit()
    reopened = open_at(library_path)
    with pytest.raises(LibraryCorrupt):
        reopened.open_course(course.id)

    with pytest.raises(LibraryCorrupt):
        reopened.open_course(course.id)
