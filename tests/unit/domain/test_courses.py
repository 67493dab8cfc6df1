"""Courses: create, rename, trash and restore."""

from __future__ import annotations

import pytest
from tests.support.builders import apply_checked, apply_undo_redo, assert_refused, make_course
from tests.support.mirror import EventLog

from coursedesk.domain.errors import DomainError, InvalidState, NotFound
from coursedesk.domain.model import Course
from coursedesk.domain.operations import (
    AddChapter,
    CreateCourse,
    Operation,
    RenameCourse,
    RestoreCourse,
    TrashCourse,
)
from coursedesk.domain.steps import CourseChanged, CourseCreated
from coursedesk.domain.store import Store


def test_created_course_is_open_and_empty() -> None:
    store = Store()
    apply_checked(store, CreateCourse("Intro to Photography", course_id="c1", created_at=5.0))
    assert store.course("c1") == Course("c1", "Intro to Photography", 5.0)
    assert store.is_loaded("c1")
    assert [c.id for c in store.courses()] == ["c1"]
    assert list(store.chapter_ids("c1")) == []
    assert list(store.library_ids("c1")) == []


def test_creating_a_course_announces_one_course_created() -> None:
    store = Store()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, CreateCourse("Portraits", course_id="c1", created_at=5.0))
    assert log.steps == [CourseCreated(Course("c1", "Portraits", 5.0))]


def test_each_new_course_gets_its_own_id() -> None:
    store = Store()
    apply_checked(store, CreateCourse("One"))
    apply_checked(store, CreateCourse("Two"))
    assert len({c.id for c in store.courses()}) == 2


def test_course_with_an_existing_id_is_refused() -> None:
    store = Store()
    make_course(store, course_id="c1")
    assert_refused(store, CreateCourse("Again", course_id="c1"), InvalidState)


def test_renaming_a_course_changes_its_title_only() -> None:
    store = Store()
    make_course(store, course_id="c1")
    before = store.course("c1")
    apply_checked(store, RenameCourse("c1", "Street Photography"))
    assert store.course("c1") == Course("c1", "Street Photography", before.created_at)


def test_renaming_a_course_to_its_own_title_changes_nothing_and_announces_nothing() -> None:
    store = Store()
    make_course(store, course_id="c1", title="Portraits")
    log = EventLog()
    store.subscribe(log)
    applied = apply_checked(store, RenameCourse("c1", " Portraits "))
    assert not applied.changed
    assert log.calls == []


def test_trashed_course_leaves_the_course_list_but_keeps_its_content() -> None:
    store = Store()
    ids = make_course(store, course_id="c1")
    make_course(store, course_id="c2")
    apply_checked(store, TrashCourse("c1", at=42.0))
    assert [c.id for c in store.courses()] == ["c2"]
    assert [c.id for c in store.courses(include_trashed=True)] == ["c1", "c2"]
    assert store.course("c1").deleted_at == 42.0
    assert list(store.chapter_ids("c1")) == list(ids.chapter_ids)
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)


def test_trashing_a_course_announces_its_deletion_time() -> None:
    store = Store()
    make_course(store, course_id="c1")
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, TrashCourse("c1", at=42.0))
    assert log.steps == [CourseChanged("c1", {"deleted_at": None}, {"deleted_at": 42.0})]


def test_restored_course_is_back_in_the_course_list_as_it_was() -> None:
    store = Store()
    make_course(store, course_id="c1")
    before = store.snapshot()
    apply_checked(store, TrashCourse("c1", at=42.0))
    apply_checked(store, RestoreCourse("c1"))
    assert [c.id for c in store.courses()] == ["c1"]
    assert store.snapshot() == before


def test_trashing_a_course_already_in_the_trash_is_refused() -> None:
    store = Store()
    make_course(store, course_id="c1")
    apply_checked(store, TrashCourse("c1"))
    assert_refused(store, TrashCourse("c1"), InvalidState, match="already in the Trash")


def test_restoring_a_course_that_is_not_in_the_trash_is_refused() -> None:
    store = Store()
    make_course(store, course_id="c1")
    assert_refused(store, RestoreCourse("c1"), InvalidState, match="not in the Trash")


@pytest.mark.parametrize(
    "operation",
    [RenameCourse("nope", "Title"), TrashCourse("nope"), RestoreCourse("nope")],
    ids=["rename", "trash", "restore"],
)
def test_edits_of_a_course_that_does_not_exist_are_refused(operation: Operation) -> None:
    store = Store()
    make_course(store, course_id="c1")
    error = assert_refused(store, operation, NotFound)
    assert "course" in str(error)


def test_adding_a_chapter_to_a_course_not_yet_opened_is_refused() -> None:
    store = Store()
    store.add_unloaded_course(Course("c9", "Archived", 1.0))
    assert_refused(store, AddChapter("c9", "Intro"), InvalidState, match="not open")


@pytest.mark.parametrize(
    "operation",
    [
        CreateCourse("Landscapes", course_id="c2", created_at=3.0),
        RenameCourse("c1", "Landscapes"),
        TrashCourse("c1", at=9.0),
    ],
    ids=["create", "rename", "trash"],
)
def test_course_edits_undo_and_redo_exactly(operation: Operation) -> None:
    store = Store()
    make_course(store, course_id="c1")
    apply_undo_redo(store, operation)


def test_restoring_a_course_undoes_and_redoes_exactly() -> None:
    store = Store()
    make_course(store, course_id="c1")
    apply_checked(store, TrashCourse("c1", at=9.0))
    apply_undo_redo(store, RestoreCourse("c1"))
    assert store.course("c1").deleted_at is None


def test_undoing_course_creation_forgets_the_course() -> None:
    store = Store()
    applied = apply_checked(store, CreateCourse("Landscapes", course_id="c2"))
    apply_checked(store, applied.inverse)
    assert not store.has_course("c2")
    assert not store.is_loaded("c2")
    with pytest.raises(NotFound):
        store.course("c2")


def test_every_refusal_is_a_domain_error_with_a_readable_message() -> None:
    store = Store()
    with pytest.raises(DomainError) as refused:
        store.apply(RenameCourse("nope", "x"))
    assert str(refused.value) == "That course no longer exists."
