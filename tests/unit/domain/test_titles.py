"""Titles of courses, chapters and videos: stripped, never empty, at most 200 characters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.support.builders import (
    CourseIds,
    apply_checked,
    assert_refused,
    make_course,
    video_value,
)

from coursedesk.domain.errors import InvalidTitle
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    Operation,
    RenameChapter,
    RenameCourse,
    RenameVideo,
)
from coursedesk.domain.store import Store

TitledEdit = Callable[[CourseIds, str], Operation]

EDITS: dict[str, TitledEdit] = {
    "create course": lambda ids, title: CreateCourse(title, course_id="new"),
    "rename course": lambda ids, title: RenameCourse(ids.course_id, title),
    "add chapter": lambda ids, title: AddChapter(ids.course_id, title, chapter_id="new"),
    "rename chapter": lambda ids, title: RenameChapter(ids.chapter(1), title),
    "add video": lambda ids, title: AddVideos(
        (video_value(ids.course_id, title, video_id="new"),), ids.chapter(1)
    ),
    "rename video": lambda ids, title: RenameVideo(ids.video(1, 1), title),
}


def stored_title(store: Store, ids: CourseIds, edit: str) -> str:
    if edit == "create course":
        return store.course("new").title
    if edit == "rename course":
        return store.course(ids.course_id).title
    if edit == "add chapter":
        return store.chapter("new").title
    if edit == "rename chapter":
        return store.chapter(ids.chapter(1)).title
    if edit == "add video":
        return store.video("new").title
    return store.video(ids.video(1, 1)).title


@pytest.fixture(params=sorted(EDITS))
def edit(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_title_is_stored_without_surrounding_whitespace(edit: str) -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1, library=0)
    apply_checked(store, EDITS[edit](ids, "  Light and shadow \n"))
    assert stored_title(store, ids, edit) == "Light and shadow"


def test_title_of_exactly_200_characters_is_kept_whole(edit: str) -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1, library=0)
    apply_checked(store, EDITS[edit](ids, " " + "é" * 200 + " "))
    assert stored_title(store, ids, edit) == "é" * 200


@pytest.mark.parametrize("title", ["", "   ", "\t\n", "x" * 201, "  " + "y" * 201 + "  "])
def test_empty_blank_or_overlong_title_is_refused(edit: str, title: str) -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1, library=0)
    assert_refused(store, EDITS[edit](ids, title), InvalidTitle)


def test_refused_title_says_how_long_a_title_may_be() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1, library=0)
    error = assert_refused(store, RenameChapter(ids.chapter(1), "z" * 250), InvalidTitle)
    assert "250" in str(error)
    assert "200" in str(error)


def test_empty_title_message_names_what_was_being_titled() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1, library=0)
    error = assert_refused(store, RenameVideo(ids.video(1, 1), " "), InvalidTitle)
    assert "video title" in str(error)


def test_a_title_pasted_over_several_lines_becomes_one_line() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1, library=0)
    apply_checked(store, RenameVideo(ids.video(1, 1), "Depth of\n\tfield "))
    assert store.video(ids.video(1, 1)).title == "Depth of field"
