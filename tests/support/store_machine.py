"""A Hypothesis state machine that edits a store at random, the way an instructor might.

``StoreMachine`` starts from two small courses and applies random operations — single and
bulk edits, undo and redo, and edits the store must refuse (moves into another course's
chapter, moves of videos in the Trash, bad titles, ids that do not exist, any edit of a
course in the Trash, the undo of an edit whose course has gone to the Trash since). After every
operation the store's invariants hold, a mirror following the change events matches the
store, and a refused edit has changed nothing and told no listener anything. At the end (and
now and then in between) every applied operation is undone in reverse order, which must give
back the initial store exactly, and redone, which must give back the final one.

Other suites extend it by subclassing (rules are inherited)::

    class PersistedStoreMachine(StoreMachine):
        def make_store(self) -> Store: ...           # e.g. a store written through to a file
        def after_apply(self, applied: Applied) -> None: ...   # e.g. reload and compare

    TestPersistedStore = PersistedStoreMachine.TestCase

``make_store`` runs first in ``__init__``; ``perform`` is the one place operations reach the
store, so a subclass can route them elsewhere (through a repository, say).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from tests.support.mirror import EventLog, StoreMirror

from coursedesk.domain.errors import (
    CourseInTrash,
    DomainError,
    InvalidState,
    InvalidTitle,
    MoveRefused,
    NotFound,
)
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.model import (
    TECHNICAL_VIDEO_FIELDS,
    TITLE_MAX_CHARS,
    Chapter,
    Video,
    VideosGo,
    VideoStatus,
)
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    EmptyTrash,
    MoveChapter,
    MoveVideos,
    Operation,
    RenameChapter,
    RenameCourse,
    RenameVideo,
    ReplaceVideoContent,
    RestoreChapter,
    RestoreCourse,
    RestoreVideos,
    SetPosterFrame,
    ShiftVideos,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    UpdateVideo,
    new_video,
)
from coursedesk.domain.steps import (
    CourseChanged,
    CourseCreated,
    CoursePurged,
    Step,
    VideoChanged,
    VideoMoved,
)
from coursedesk.domain.store import Applied, Store

TITLES = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs"]), min_size=1, max_size=12
).filter(str.strip) | st.sampled_from(["Éclair", "  padded  ", "ÉCLAIR", "x" * TITLE_MAX_CHARS])
BAD_TITLES = st.sampled_from(["", "   ", "\n\t", "x" * (TITLE_MAX_CHARS + 1)])
DURATIONS = st.none() | st.integers(0, 36_000_000).map(lambda ms: ms / 1000)
SIZES = st.none() | st.integers(0, 10**11)


class _CheckedAfterEveryStep:
    """Checks the store's invariants after each primitive step, not only each operation."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def before(self, step: Step) -> None:
        pass

    def after(self, step: Step) -> None:
        check_invariants(self.store)


class StoreMachine(RuleBasedStateMachine):
    """Random edits of a small library of courses; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self._clock = 1_000.0
        self._settled = False
        self.store = self.make_store()
        self.history: list[Applied] = []
        self.undo_stack: list[Applied] = []
        self.redo_stack: list[Applied] = []
        self.mirror = StoreMirror(self.store)
        self.store.subscribe(self.mirror)
        self.store.subscribe(_CheckedAfterEveryStep(self.store))
        self.populate()
        self.history.clear()
        self.undo_stack.clear()
        self.initial = self.store.snapshot()

    # ----------------------------------------------------------------- hooks

    def make_store(self) -> Store:
        """The store under test (called first, before anything is applied)."""
        return Store()

    def perform(self, operation: Operation) -> Applied:
        """Carry out one operation; the only way the machine changes the store."""
        return self.store.apply(operation)

    def after_apply(self, applied: Applied) -> None:
        """Called after each operation that was carried out (undo and redo included)."""

    def after_refusal(self, operation: Operation, error: DomainError) -> None:
        """Called after each operation the store refused."""

    # ----------------------------------------------------------------- helpers

    def populate(self) -> None:
        """The library every run starts from: two courses with chapters, videos, a library."""
        for chapters, per_chapter, unassigned in [(3, 3, 2), (2, 2, 1)]:
            course_id = self.new_id("c")
            self.apply(CreateCourse(f"Course {course_id}", course_id, created_at=self.tick()))
            for _ in range(chapters):
                chapter_id = self.new_id("ch")
                title = f"Chapter {chapter_id}"
                self.apply(AddChapter(course_id, title, None, chapter_id, created_at=self.tick()))
                self.apply(AddVideos(self.new_videos(course_id, per_chapter), chapter_id))
            self.apply(AddVideos(self.new_videos(course_id, unassigned)))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def tick(self) -> float:
        self._clock += 1.0
        return self._clock

    def new_videos(
        self, course_id: str, count: int, durations: Sequence[float | None] = ()
    ) -> tuple[Video, ...]:
        videos = []
        for n in range(count):
            video_id = self.new_id("v")
            duration = durations[n] if n < len(durations) else 60.0 + n
            videos.append(
                new_video(
                    course_id,
                    f"Video {video_id}",
                    f"/clips/{video_id}.mp4",
                    video_id=video_id,
                    created_at=self._clock,
                    duration_s=duration,
                    size_bytes=1_000 * (n + 1),
                )
            )
        return tuple(videos)

    def apply(self, operation: Operation, *, undoable: bool = True) -> Applied:
        """Apply an operation that must succeed, recording it for undo."""
        self._settled = False
        try:
            applied = self.perform(operation)
        except DomainError as error:
            raise AssertionError(f"{operation} was refused: {error}") from error
        self.history.append(applied)
        if undoable:
            self.undo_stack.append(applied)
            self.redo_stack.clear()
        self.after_apply(applied)
        return applied

    def refuse(self, operation: Operation, error: type[DomainError]) -> None:
        """Apply an operation the store must refuse with ``error``, changing nothing."""
        self._settled = False
        before = self.store.snapshot()
        log = EventLog()
        self.store.subscribe(log)
        try:
            self.perform(operation)
        except error as refused:
            caught = refused
        else:
            raise AssertionError(f"{operation} was not refused")
        finally:
            self.store.unsubscribe(log)
        if self.store.snapshot() != before or log.calls:
            raise AssertionError(f"refused {operation} changed the store or announced {log.calls}")
        self.after_refusal(operation, caught)

    def open_courses(self, *, trashed: bool | None = None) -> list[str]:
        return [
            c.id
            for c in self.store.courses(include_trashed=True)
            if self.store.is_loaded(c.id)
            and (trashed is None or (c.deleted_at is not None) == trashed)
        ]

    def editable_courses(self) -> list[str]:
        """Open courses whose content may be edited: those not in the Trash."""
        return self.open_courses(trashed=False)

    def live_chapters(self, course_id: str | None = None) -> list[str]:
        courses = self.editable_courses() if course_id is None else [course_id]
        return [ch for c in courses for ch in self.store.chapter_ids(c)]

    def trashed_chapters(self, course_id: str | None = None) -> list[str]:
        courses = self.editable_courses() if course_id is None else [course_id]
        return [ch for c in courses for ch in self.store.trashed_chapter_ids(c)]

    def live_videos(self, course_id: str | None = None) -> list[str]:
        courses = self.editable_courses() if course_id is None else [course_id]
        return [v for c in courses for v in self.store.course_video_ids(c)]

    def trashed_videos(self, course_id: str | None = None) -> list[str]:
        courses = self.editable_courses() if course_id is None else [course_id]
        return [v for c in courses for v in self.store.trashed_video_ids(c)]

    def all_chapters(self) -> list[str]:
        return self.live_chapters() + self.trashed_chapters()

    def all_videos(self) -> list[str]:
        return self.live_videos() + self.trashed_videos()

    def course_of(self, step: Step) -> str | None:
        """The course a step changes (None: its video or chapter is gone)."""
        for name in ("video", "chapter"):
            entity = getattr(step, name, None)
            if isinstance(entity, Video | Chapter):
                return entity.course_id
        course_id = getattr(step, "course_id", None)
        if isinstance(course_id, str):
            return course_id
        video_id = getattr(step, "video_id", None)
        if isinstance(video_id, str) and self.store.has_video(video_id):
            return self.store.video(video_id).course_id
        chapter_id = getattr(step, "chapter_id", None)
        if isinstance(chapter_id, str) and self.store.has_chapter(chapter_id):
            return self.store.chapter(chapter_id).course_id
        return None

    @staticmethod
    def pick(data: st.DataObject, items: Sequence[str], label: str) -> str:
        return data.draw(st.sampled_from(list(items)), label=label)

    @staticmethod
    def pick_some(data: st.DataObject, items: Sequence[str], label: str) -> tuple[str, ...]:
        """A selection as a user makes it: any order, sometimes with a repeat."""
        chosen = data.draw(st.lists(st.sampled_from(list(items)), min_size=1, max_size=5), label)
        return tuple(chosen)

    def course_with_videos(self, data: st.DataObject) -> str | None:
        courses = [c for c in self.editable_courses() if self.live_videos(c)]
        return self.pick(data, courses, "course") if courses else None

    # ----------------------------------------------------------------- courses

    @rule(title=TITLES)
    def create_course(self, title: str) -> None:
        self.apply(CreateCourse(title, self.new_id("c"), created_at=self.tick()))

    @precondition(lambda self: self.editable_courses())
    @rule(data=st.data(), title=TITLES)
    def rename_course(self, data: st.DataObject, title: str) -> None:
        self.apply(RenameCourse(self.pick(data, self.editable_courses(), "course"), title))

    @rule(data=st.data())
    def trash_course(self, data: st.DataObject) -> None:
        courses = self.open_courses(trashed=False)
        if courses:
            self.apply(TrashCourse(self.pick(data, courses, "course"), at=self.tick()))

    @rule(data=st.data())
    def restore_course(self, data: st.DataObject) -> None:
        courses = self.open_courses(trashed=True)
        if courses:
            self.apply(RestoreCourse(self.pick(data, courses, "course")))

    # ----------------------------------------------------------------- chapters

    @precondition(lambda self: self.editable_courses())
    @rule(data=st.data(), title=TITLES)
    def add_chapter(self, data: st.DataObject, title: str) -> None:
        course_id = self.pick(data, self.editable_courses(), "course")
        size = len(self.store.chapter_ids(course_id))
        index = data.draw(st.none() | st.integers(0, size), label="index")
        chapter_id = self.new_id("ch")
        self.apply(AddChapter(course_id, title, index, chapter_id, created_at=self.tick()))

    @rule(data=st.data(), title=TITLES)
    def rename_chapter(self, data: st.DataObject, title: str) -> None:
        chapters = self.all_chapters()
        if chapters:
            self.apply(RenameChapter(self.pick(data, chapters, "chapter"), title))

    @rule(data=st.data())
    def move_chapter(self, data: st.DataObject) -> None:
        chapters = self.live_chapters()
        if not chapters:
            return
        chapter_id = self.pick(data, chapters, "chapter")
        size = len(self.store.chapter_ids(self.store.chapter(chapter_id).course_id))
        applied = self.apply(MoveChapter(chapter_id, data.draw(st.integers(0, size), "index")))
        assert len(applied.steps) <= 1

    @rule(data=st.data(), videos_go=st.sampled_from(VideosGo))
    def trash_chapter(self, data: st.DataObject, videos_go: VideosGo) -> None:
        chapters = self.live_chapters()
        if chapters:
            chapter_id = self.pick(data, chapters, "chapter")
            self.apply(TrashChapter(chapter_id, videos_go, at=self.tick()))

    @rule(data=st.data())
    def restore_chapter(self, data: st.DataObject) -> None:
        chapters = self.trashed_chapters()
        if not chapters:
            return
        chapter = self.store.chapter(self.pick(data, chapters, "chapter"))
        companions = [
            self.store.video(v)
            for v in self.trashed_videos(chapter.course_id)
            if self.store.video(v).trash_chapter_id == chapter.id
            and self.store.video(v).deleted_at == chapter.deleted_at
        ]
        self.apply(RestoreChapter(chapter.id))
        # The videos that went to the Trash with the chapter come back with it, in order.
        expected = [v.id for v in sorted(companions, key=lambda v: v.trash_index or 0)]
        assert list(self.store.video_ids(chapter.id)) == expected

    # ----------------------------------------------------------------- videos

    @rule(
        data=st.data(),
        durations=st.lists(DURATIONS, min_size=1, max_size=3),
    )
    def add_videos(self, data: st.DataObject, durations: list[float | None]) -> None:
        courses = self.editable_courses()
        if not courses:
            return
        course_id = self.pick(data, courses, "course")
        chapter_id = data.draw(st.sampled_from([None, *self.live_chapters(course_id)]), "chapter")
        index = None
        if chapter_id is not None:
            size = len(self.store.video_ids(chapter_id))
            index = data.draw(st.none() | st.integers(0, size), label="index")
        videos = self.new_videos(course_id, len(durations), durations)
        self.apply(AddVideos(videos, chapter_id, index))

    @rule(data=st.data(), title=TITLES)
    def rename_video(self, data: st.DataObject, title: str) -> None:
        videos = self.all_videos()
        if videos:
            applied = self.apply(RenameVideo(self.pick(data, videos, "video"), title))
            assert len(applied.steps) <= 1

    @rule(data=st.data())
    def move_videos(self, data: st.DataObject) -> None:
        course_id = self.course_with_videos(data)
        if course_id is None:
            return
        selection = self.pick_some(data, self.live_videos(course_id), "selection")
        target = data.draw(st.sampled_from([None, *self.live_chapters(course_id)]), "chapter")
        index = None
        if target is not None:
            size = len(self.store.video_ids(target))
            index = data.draw(st.none() | st.integers(0, size), label="index")
        in_chapters = [v for v in self.store.course_video_ids(course_id) if v in selection]
        in_chapters = [v for v in in_chapters if self.store.video(v).chapter_id is not None]
        applied = self.apply(MoveVideos(selection, target, index))
        assert all(isinstance(step, VideoMoved) for step in applied.steps)
        assert len(applied.steps) <= len(set(selection))
        if target is None:
            assert set(selection) <= set(self.store.library_ids(course_id))
            return
        # The selection lands as one block, keeping the order it had in the course.
        order = list(self.store.video_ids(target))
        start = min(order.index(v) for v in selection)
        block = order[start : start + len(set(selection))]
        assert set(block) == set(selection), f"{selection} not gathered in {order}"
        assert [v for v in block if v in in_chapters] == in_chapters

    @rule(data=st.data(), step=st.sampled_from([-1, 1]))
    def shift_videos(self, data: st.DataObject, step: int) -> None:
        course_id = self.course_with_videos(data)
        if course_id is not None:
            selection = self.pick_some(data, self.live_videos(course_id), "selection")
            applied = self.apply(ShiftVideos(selection, step))
            assert len(applied.steps) <= len(set(selection))

    @rule(data=st.data())
    def trash_videos(self, data: st.DataObject) -> None:
        videos = self.live_videos()
        if not videos:
            return
        selection = self.pick_some(data, videos, "selection")
        places = {v: (self.store.video(v).chapter_id, self.store.video_index(v)) for v in selection}
        self.apply(TrashVideos(selection, at=self.tick()))
        for video_id, place in places.items():
            video = self.store.video(video_id)
            assert (video.trash_chapter_id, video.trash_index) == place

    @rule(data=st.data())
    def restore_videos(self, data: st.DataObject) -> None:
        videos = self.trashed_videos()
        if not videos:
            return
        selection = self.pick_some(data, videos, "selection")
        homes = {}
        for video_id in selection:
            home = self.store.video(video_id).trash_chapter_id
            alive = home is not None and home in self.live_chapters()
            homes[video_id] = home if alive else None
        self.apply(RestoreVideos(selection))
        for video_id, home in homes.items():
            assert self.store.video(video_id).chapter_id == home

    @rule(
        data=st.data(),
        duration=DURATIONS,
        size=SIZES,
        status=st.sampled_from(VideoStatus),
        fields=st.sets(st.sampled_from(["duration_s", "size_bytes", "status"]), min_size=1),
    )
    def update_video(
        self,
        data: st.DataObject,
        duration: float | None,
        size: int | None,
        status: VideoStatus,
        fields: set[str],
    ) -> None:
        videos = self.all_videos()
        values = {"duration_s": duration, "size_bytes": size, "status": status}
        changes = {name: values[name] for name in sorted(fields)}
        # Technical updates come from the background services, outside the undo history;
        # they go on in a course in the Trash too (an upload finishing, a file read).
        videos += [
            v
            for c in self.open_courses(trashed=True)
            for v in [*self.store.course_video_ids(c), *self.store.trashed_video_ids(c)]
        ]
        if not videos:
            return
        self.apply(UpdateVideo(self.pick(data, videos, "video"), changes), undoable=False)

    @rule()
    def empty_trash(self) -> None:
        self.apply(EmptyTrash())
        for course_id in self.open_courses():
            assert not self.store.trashed_video_ids(course_id)
            assert not self.store.trashed_chapter_ids(course_id)
        assert not self.open_courses(trashed=True)

    # ----------------------------------------------------------------- undo and redo

    @precondition(lambda self: self.undo_stack)
    @rule()
    def undo(self) -> None:
        done = self.undo_stack.pop()
        undone = self.apply(done.inverse, undoable=False)
        self.redo_stack.append(undone)

    @precondition(lambda self: self.redo_stack)
    @rule()
    def redo(self) -> None:
        undone = self.redo_stack.pop()
        redone = self.apply(undone.inverse, undoable=False)
        self.undo_stack.append(redone)

    @rule()
    def rewind_and_replay(self) -> None:
        """Undo everything ever applied, in reverse order, then redo it all."""
        self.check_rewind_and_replay()

    def check_rewind_and_replay(self) -> None:
        self._settled = False
        final = self.store.snapshot()
        undone: list[Applied] = []
        for applied in reversed(self.history):
            undone.append(self.perform(applied.inverse))
            self.after_apply(undone[-1])
        assert self.store.snapshot() == self.initial, "undoing everything did not rewind"
        self.mirror.assert_matches(self.store)
        for applied in reversed(undone):
            self.after_apply(self.perform(applied.inverse))
        assert self.store.snapshot() == final, "redoing everything did not replay"

    # ----------------------------------------------------------------- refusals

    @rule(data=st.data())
    def refuse_move_into_another_course(self, data: st.DataObject) -> None:
        pairs = [
            (c, other)
            for c in self.editable_courses()
            for other in self.editable_courses()
            if c != other and self.live_videos(c) and self.live_chapters(other)
        ]
        if not pairs:
            return
        course_id, other = data.draw(st.sampled_from(pairs), label="courses")
        selection = self.pick_some(data, self.live_videos(course_id), "selection")
        target = self.pick(data, self.live_chapters(other), "chapter")
        self.refuse(MoveVideos(selection, target, None), MoveRefused)

    @rule(data=st.data())
    def refuse_move_of_a_trashed_video(self, data: st.DataObject) -> None:
        courses = [c for c in self.editable_courses() if self.trashed_videos(c)]
        if not courses:
            return
        course_id = self.pick(data, courses, "course")
        trashed = self.pick(data, self.trashed_videos(course_id), "trashed video")
        live = self.live_videos(course_id)
        companions = st.lists(st.sampled_from(live), max_size=2) if live else st.just([])
        selection = (trashed, *data.draw(companions, label="live videos"))
        target = data.draw(st.sampled_from([None, *self.live_chapters(course_id)]), "chapter")
        self.refuse(MoveVideos(selection, target), MoveRefused)
        self.refuse(ShiftVideos(selection, -1), MoveRefused)

    @precondition(lambda self: self.editable_courses())
    @rule(data=st.data(), title=BAD_TITLES)
    def refuse_bad_title(self, data: st.DataObject, title: str) -> None:
        course_id = self.pick(data, self.editable_courses(), "course")
        candidates: list[Operation] = [
            CreateCourse(title, self.new_id("c")),
            RenameCourse(course_id, title),
            AddChapter(course_id, title, chapter_id=self.new_id("ch")),
        ]
        candidates += [RenameChapter(ch, title) for ch in self.all_chapters()[:1]]
        candidates += [RenameVideo(v, title) for v in self.all_videos()[:1]]
        (video,) = self.new_videos(course_id, 1)
        candidates.append(AddVideos((dataclasses.replace(video, title=title),)))
        operation = data.draw(st.sampled_from(candidates), label="operation")
        self.refuse(operation, InvalidTitle)

    @precondition(lambda self: self.editable_courses())
    @rule(data=st.data())
    def refuse_missing_ids(self, data: st.DataObject) -> None:
        missing = "missing-" + self.new_id("x")
        course_id = self.pick(data, self.editable_courses(), "course")
        live = self.live_videos(course_id)
        video = live[0] if live else missing
        candidates: list[Operation] = [
            RenameCourse(missing, "Title"),
            TrashCourse(missing),
            RestoreCourse(missing),
            AddChapter(missing, "Title"),
            RenameChapter(missing, "Title"),
            MoveChapter(missing, 0),
            TrashChapter(missing),
            RestoreChapter(missing),
            RenameVideo(missing, "Title"),
            MoveVideos((video, missing), None),
            MoveVideos((video,), missing),
            ShiftVideos((missing, video), 1),
            TrashVideos((video, missing)),
            RestoreVideos((missing,)),
            UpdateVideo(missing, {"status": VideoStatus.READY}),
        ]
        self.refuse(data.draw(st.sampled_from(candidates), label="operation"), NotFound)

    @precondition(lambda self: self.open_courses(trashed=True))
    @rule(data=st.data(), title=TITLES)
    def refuse_edits_of_a_course_in_the_trash(self, data: st.DataObject, title: str) -> None:
        store = self.store
        course_id = self.pick(data, self.open_courses(trashed=True), "trashed course")
        chapters = list(store.chapter_ids(course_id))
        videos = list(store.course_video_ids(course_id))
        trashed_videos = list(store.trashed_video_ids(course_id))
        (new,) = self.new_videos(course_id, 1)
        candidates: list[Operation] = [
            RenameCourse(course_id, title),
            AddChapter(course_id, title, chapter_id=self.new_id("ch")),
            AddVideos((new,)),
            *(AddVideos((new,), ch) for ch in chapters[:1]),
            *(RestoreChapter(ch) for ch in list(store.trashed_chapter_ids(course_id))[:1]),
            *(RestoreVideos((v,)) for v in trashed_videos[:1]),
            *(RenameVideo(v, title) for v in trashed_videos[:1]),
        ]
        for chapter_id in chapters[:2]:
            candidates += [
                RenameChapter(chapter_id, title),
                MoveChapter(chapter_id, 0),
                TrashChapter(chapter_id),
            ]
        if videos:
            selection = self.pick_some(data, videos, "selection")
            video_id = selection[0]
            candidates += [
                RenameVideo(video_id, title),
                MoveVideos(selection, None),
                *(MoveVideos(selection, ch, 0) for ch in chapters[:1]),
                ShiftVideos(selection, data.draw(st.sampled_from([-1, 1]), "step")),
                TrashVideos(selection),
                ReplaceVideoContent(video_id, {"size_bytes": 1, "sha1": "0" * 40}),
                SetPosterFrame(video_id, 0.0),
            ]
        operation = data.draw(st.sampled_from(candidates), label="operation")
        self.refuse(operation, CourseInTrash)

    @precondition(lambda self: self.history)
    @rule(data=st.data())
    def refuse_undoing_an_edit_of_a_course_now_in_the_trash(self, data: st.DataObject) -> None:
        """An edit's undo (or redo) is refused once its course is in the Trash."""
        trashed = set(self.open_courses(trashed=True))
        edits = [
            applied
            for applied in self.history
            if applied.steps
            and not any(
                isinstance(s, CourseChanged | CourseCreated | CoursePurged)
                or (isinstance(s, VideoChanged) and set(s.after) <= TECHNICAL_VIDEO_FIELDS)
                for s in applied.steps
            )
            and None not in (courses := {self.course_of(s) for s in applied.steps})
            and courses & trashed
        ]
        if edits:
            edit = data.draw(st.sampled_from(edits), label="edit")
            self.refuse(edit.inverse, CourseInTrash)

    @rule(data=st.data(), field=st.sampled_from(["title", "chapter_id", "deleted_at"]))
    def refuse_non_technical_update(self, data: st.DataObject, field: str) -> None:
        videos = self.all_videos()
        if videos:
            video_id = self.pick(data, videos, "video")
            self.refuse(UpdateVideo(video_id, {field: None}), InvalidState)

    # ----------------------------------------------------------------- checks

    @invariant()
    def store_is_consistent(self) -> None:
        check_invariants(self.store)
        self.mirror.assert_matches(self.store)
        self._settled = True

    def teardown(self) -> None:
        # Only after a step that passed every check: after a failure the history may not be
        # undoable, and a second error here would hide the first.
        if self._settled:
            self.check_rewind_and_replay()
