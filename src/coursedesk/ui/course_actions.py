"""Course-level edits and where their undo lives.

Creating a course stays outside the undo history: an empty new course is harmless, and it
goes away like any other course, to the Trash. Renaming a course is an edit of that course
and goes on its own undo stack. Deleting a course and restoring one from the Trash go on the
stack of the course the window shows afterwards (the deleted course's own stack is no longer
reachable), or on the library's stack when no course is left; so Ctrl+Z right after a
delete brings the course back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from coursedesk.domain.model import Course
from coursedesk.domain.operations import (
    CreateCourse,
    EmptyTrash,
    Operation,
    RenameCourse,
    RestoreChapter,
    RestoreCourse,
    RestoreVideos,
    TrashCourse,
)
from coursedesk.domain.steps import ChapterPurged, CoursePurged, VideoPurged
from coursedesk.domain.store import Store
from coursedesk.editing.labels import counted
from coursedesk.editing.session import EditSession
from coursedesk.persistence.errors import LibraryError

# The undo stack for edits that belong to no course (shown when no course is left).
LIBRARY_STACK_ID = ":library:"


def stack_id_for(course_id: str | None) -> str:
    """Where a course-level edit goes while ``course_id`` is shown."""
    return LIBRARY_STACK_ID if course_id is None else course_id


def live_courses(session: EditSession) -> list[Course]:
    """The courses the switcher offers, in the order it shows them."""
    return sorted(session.store.courses(), key=lambda c: (c.title.casefold(), c.id))


def create_course(session: EditSession, title: str) -> str | None:
    """A new empty course (outside the undo history); its id, or None if refused."""
    operation = CreateCourse(title)
    if session.apply_untracked(operation) is None:
        return None
    return operation.course_id


def rename_course(session: EditSession, course_id: str, title: str) -> bool:
    old = session.store.course(course_id).title
    if title.strip() == old:
        return True
    label = f"Rename course “{old}”"
    return session.do(RenameCourse(course_id, title), label, course_id) is not None


def trash_course(session: EditSession, course_id: str, shown_next: str | None) -> bool:
    """Delete a course to the Trash; undoable on the stack of the course shown next."""
    title = session.store.course(course_id).title
    applied = session.do(
        TrashCourse(course_id), f"Delete course “{title}”", stack_id_for(shown_next)
    )
    return applied is not None


@dataclass(frozen=True, slots=True)
class RestoreRequest:
    """What the instructor picked in the Trash, by kind."""

    video_ids: tuple[str, ...] = ()
    chapter_ids: tuple[str, ...] = ()
    course_ids: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.video_ids) + len(self.chapter_ids) + len(self.course_ids)

    def label(self, session: EditSession) -> str:
        store = session.store
        kinds = [
            (self.video_ids, "video"),
            (self.chapter_ids, "chapter"),
            (self.course_ids, "course"),
        ]
        present = [(ids, noun) for ids, noun in kinds if ids]
        if len(present) != 1:
            return f"Restore {counted(self.count, 'item')}"
        ids, noun = present[0]
        if len(ids) > 1:
            return f"Restore {counted(len(ids), noun)}"
        if noun == "video":
            title = store.video(ids[0]).title
        elif noun == "chapter":
            title = store.chapter(ids[0]).title
        else:
            title = store.course(ids[0]).title
        return f"Restore {noun} “{title}”"


def restore(session: EditSession, request: RestoreRequest, shown: str | None) -> bool:
    """Bring items back from the Trash as one undoable edit (on the shown course's stack).

    Chapters come back first, so videos deleted with them return into them."""
    store = session.store
    target = stack_id_for(shown)
    label = request.label(session)
    pending: list[Callable[[], Operation | None]] = [
        *(partial(_restore_chapter, store, c) for c in request.chapter_ids),
        partial(_restore_videos, store, request.video_ids),
        *(partial(RestoreCourse, c) for c in request.course_ids),
    ]
    if request.count == 1 or len(pending) == 1:
        done = [session.do(op, label, target) for make in pending if (op := make()) is not None]
        return any(d is not None for d in done)
    stack = session.stack(target)
    stack.beginMacro(label)
    try:
        done = [session.do(op, label, target) for make in pending if (op := make()) is not None]
    finally:
        stack.endMacro()
    if all(d is None for d in done):
        # Nothing came back (each refusal has been reported): take the empty step off again.
        stack.undo()
        return False
    return True


def _restore_chapter(store: Store, chapter_id: str) -> Operation | None:
    return RestoreChapter(chapter_id) if store.chapter(chapter_id).deleted_at else None


def _restore_videos(store: Store, video_ids: tuple[str, ...]) -> Operation | None:
    # Videos deleted with a chapter restored just now came back with it.
    still = tuple(v for v in video_ids if store.video(v).deleted_at is not None)
    return RestoreVideos(still) if still else None


@dataclass(frozen=True, slots=True)
class TrashContents:
    """Everything emptying the Trash deletes for good (across all courses)."""

    videos: int
    chapters: int
    courses: int

    @property
    def total(self) -> int:
        return self.videos + self.chapters + self.courses

    def describe(self) -> str:
        parts = [
            counted(n, noun)
            for n, noun in ((self.videos, "video"), (self.chapters, "chapter"))
            if n
        ]
        if self.courses:
            parts.append(counted(self.courses, "course") + " with everything in it")
        if not parts:
            return "nothing"
        if len(parts) == 1:
            return parts[0]
        return ", ".join(parts[:-1]) + " and " + parts[-1]


def open_trashed_courses(session: EditSession) -> str | None:
    """Load every trashed course (emptying the Trash needs their content); a problem or None."""
    for course in session.store.courses(include_trashed=True):
        if course.deleted_at is not None:
            try:
                session.library.open_course(course.id)
            except LibraryError as exc:
                return str(exc)
    return None


def trash_contents(session: EditSession) -> TrashContents:
    store = session.store
    videos = chapters = courses = 0
    for course in store.courses(include_trashed=True):
        if course.deleted_at is not None:
            courses += 1
        elif store.is_loaded(course.id):
            videos += len(store.trashed_video_ids(course.id))
            chapters += len(store.trashed_chapter_ids(course.id))
    return TrashContents(videos, chapters, courses)


def empty_trash(session: EditSession) -> int | None:
    """Delete the Trash's contents for good (not undoable); how many items, None if refused.

    Undo steps of the courses it touched would refer to items that no longer exist, so
    those courses' undo histories are cleared (all of them if a whole course went)."""
    contents = trash_contents(session)
    applied = session.apply_untracked(EmptyTrash())
    if applied is None:
        return None
    touched: set[str] = set()
    course_purged = False
    for step in applied.steps:
        if isinstance(step, VideoPurged):
            touched.add(step.video.course_id)
        elif isinstance(step, ChapterPurged):
            touched.add(step.chapter.course_id)
        elif isinstance(step, CoursePurged):
            course_purged = True
    stacks = session.group.stacks() if course_purged else [session.stack(c) for c in touched]
    for stack in stacks:
        stack.clear()
    return contents.total


def ids_by_kind(entries: Iterable[tuple[str, str]]) -> RestoreRequest:
    """(kind, id) pairs to a request; kinds are 'video', 'chapter', 'course'."""
    videos: list[str] = []
    chapters: list[str] = []
    courses: list[str] = []
    for kind, item_id in entries:
        {"video": videos, "chapter": chapters, "course": courses}[kind].append(item_id)
    return RestoreRequest(tuple(videos), tuple(chapters), tuple(courses))
