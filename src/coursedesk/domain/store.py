"""The normalized in-memory store both views share: the single source of truth.

The store holds every course of the library and, for the courses that have been opened, their
chapters and videos. It changes only by applying operations (``apply``), which it carries out
as steps; listeners hear each step before and after it happens.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import methodcaller
from typing import TYPE_CHECKING, Any, Protocol

from coursedesk.domain.errors import InvalidState, NotFound
from coursedesk.domain.model import Chapter, Course, Video, in_chapter
from coursedesk.domain.steps import (
    ChapterChanged,
    ChapterCreated,
    ChapterMoved,
    ChapterPurged,
    ChapterRestored,
    ChapterTrashed,
    CourseChanged,
    CourseCreated,
    CoursePurged,
    Step,
    VideoChanged,
    VideoCreated,
    VideoMoved,
    VideoPurged,
    VideoRestored,
    VideoTrashed,
)
from coursedesk.domain.text import fold_for_search

if TYPE_CHECKING:
    from coursedesk.domain.operations import Operation


class StoreListener(Protocol):
    """Hears every step: ``before`` while the store still shows the old state, ``after`` once
    it shows the new one (Qt models call ``begin…Rows`` in one and ``end…Rows`` in the other)."""

    def before(self, step: Step) -> None: ...

    def after(self, step: Step) -> None: ...


# A listener may also define ``operation_started(expected_steps: int)`` and
# ``operation_finished()``: they bracket the steps of one operation, so a view can treat a
# bulk edit (hundreds of moves) as one layout change instead of hundreds of row moves.
# ``expected_steps`` is an estimate made before the operation runs.
#
# And it may narrow what it hears: ``before_kinds`` and ``after_kinds``, when defined, are the
# step classes its ``before`` and ``after`` are called for (an empty set: never). A bulk edit
# announces hundreds of steps, and a listener that ignores them should not pay for each.


_Hook = Callable[[Step], None]
_Hooks = tuple[tuple[_Hook, ...], tuple[_Hook, ...]]


@dataclass(frozen=True, slots=True)
class Totals:
    """How many videos, how long and how large, for a chapter, the library or a course."""

    count: int = 0
    duration_s: float = 0.0
    size_bytes: int = 0


class _Tally:
    """Running totals. Durations are summed in whole microseconds so they never drift."""

    __slots__ = ("count", "duration_us", "size_bytes")

    def __init__(self) -> None:
        self.count = 0
        self.duration_us = 0
        self.size_bytes = 0

    def add(self, video: Video, sign: int) -> None:
        self.count += sign
        self.duration_us += sign * _micros(video.duration_s)
        self.size_bytes += sign * (video.size_bytes or 0)

    def frozen(self) -> Totals:
        return Totals(self.count, self.duration_us / 1_000_000, self.size_bytes)


def _micros(seconds: float | None) -> int:
    return round(seconds * 1_000_000) if seconds else 0


def _ignore(step: Step) -> None:
    pass


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying an operation did: its steps, in order, and the operation that undoes it."""

    steps: tuple[Step, ...]
    inverse: Operation

    @property
    def changed(self) -> bool:
        return bool(self.steps)


class Store:
    """Courses, chapters and videos, with chapter order and video order kept as id lists."""

    def __init__(self) -> None:
        self._courses: dict[str, Course] = {}
        self._chapters: dict[str, Chapter] = {}
        self._videos: dict[str, Video] = {}
        self._loaded: set[str] = set()
        self._course_chapters: dict[str, list[str]] = {}
        self._chapter_videos: dict[str, list[str]] = {}
        # Unordered sets kept as dicts for stable iteration.
        self._library: dict[str, dict[str, None]] = {}
        self._live: dict[str, dict[str, None]] = {}
        self._trash_videos: dict[str, dict[str, None]] = {}
        self._trash_chapters: dict[str, dict[str, None]] = {}
        self._chapter_tally: dict[str, _Tally] = {}
        self._library_tally: dict[str, _Tally] = {}
        self._course_tally: dict[str, _Tally] = {}
        self._folded_titles: dict[str, str] = {}
        self._listeners: list[StoreListener] = []
        # By step class, the before and after methods of the listeners that hear it, looked
        # up once (a bulk edit announces hundreds of steps); emptied when listeners change.
        self._hooks: dict[type, _Hooks] = {}
        # The listeners that bracket operations, found once likewise (None: to be found).
        self._brackets: list[Any] | None = None
        # Counts every change, so an undo can tell nothing happened since the edit it undoes.
        self._generation = 0
        # The inverse steps of the last operation applied, and the generation it left: replaying
        # them at that very generation cannot fail (they undo exactly what was just done).
        self._fresh_inverse: tuple[int, tuple[Step, ...]] | None = None

    # ----------------------------------------------------------------- listeners

    def subscribe(self, listener: StoreListener) -> None:
        self._listeners.append(listener)
        self._hooks = {}
        self._brackets = None

    def unsubscribe(self, listener: StoreListener) -> None:
        self._listeners.remove(listener)
        self._hooks = {}
        self._brackets = None

    def _hooks_for(self, kind: type) -> _Hooks:
        befores: list[_Hook] = []
        afters: list[_Hook] = []
        for listener in self._listeners:
            kinds = getattr(listener, "before_kinds", None)
            if kinds is None or kind in kinds:
                befores.append(listener.before)
            kinds = getattr(listener, "after_kinds", None)
            if kinds is None or kind in kinds:
                afters.append(listener.after)
        hooks = self._hooks[kind] = (tuple(befores), tuple(afters))
        return hooks

    # ----------------------------------------------------------------- reading

    def course(self, course_id: str) -> Course:
        try:
            return self._courses[course_id]
        except KeyError:
            raise NotFound("That course no longer exists.") from None

    def chapter(self, chapter_id: str) -> Chapter:
        try:
            return self._chapters[chapter_id]
        except KeyError:
            raise NotFound("That chapter no longer exists.") from None

    def video(self, video_id: str) -> Video:
        try:
            return self._videos[video_id]
        except KeyError:
            raise NotFound("That video no longer exists.") from None

    def has_course(self, course_id: str) -> bool:
        return course_id in self._courses

    def has_chapter(self, chapter_id: str) -> bool:
        return chapter_id in self._chapters

    def has_video(self, video_id: str) -> bool:
        return video_id in self._videos

    def courses(self, *, include_trashed: bool = False) -> list[Course]:
        return [c for c in self._courses.values() if include_trashed or c.deleted_at is None]

    def is_loaded(self, course_id: str) -> bool:
        return course_id in self._loaded

    def chapter_ids(self, course_id: str) -> Sequence[str]:
        """The course's live chapters, in order (a read-only view)."""
        return self._course_chapters.get(course_id, ())

    def chapter_index(self, chapter_id: str) -> int | None:
        """The chapter's position in its course, or None if it is in the Trash."""
        chapter = self.chapter(chapter_id)
        if chapter.deleted_at is not None:
            return None
        return self._course_chapters[chapter.course_id].index(chapter_id)

    def video_ids(self, chapter_id: str) -> Sequence[str]:
        """The chapter's videos, in order (a read-only view)."""
        return self._chapter_videos.get(chapter_id, ())

    def video_index(self, video_id: str) -> int | None:
        """The video's position in its chapter; None in the library or the Trash."""
        video = self.video(video_id)
        if video.chapter_id is None:
            return None
        return self._chapter_videos[video.chapter_id].index(video_id)

    def library_ids(self, course_id: str) -> Collection[str]:
        """The course's unassigned live videos (no order of their own)."""
        return self._library.get(course_id, {}).keys()

    def live_video_ids(self, course_id: str) -> Collection[str]:
        """Every live video of the course, assigned or not."""
        return self._live.get(course_id, {}).keys()

    def course_video_ids(self, course_id: str) -> Iterator[str]:
        """Every live video of the course: chapters in order, then the library."""
        for chapter_id in self.chapter_ids(course_id):
            yield from self._chapter_videos[chapter_id]
        yield from self.library_ids(course_id)

    def trashed_video_ids(self, course_id: str) -> Collection[str]:
        return self._trash_videos.get(course_id, {}).keys()

    def trashed_chapter_ids(self, course_id: str) -> Collection[str]:
        return self._trash_chapters.get(course_id, {}).keys()

    def search(self, course_id: str, query: str) -> list[str]:
        """Live videos of the course whose title contains ``query``, ignoring case and accents."""
        needle = fold_for_search(query.strip())
        folded = self._folded_titles
        live = self.live_video_ids(course_id)
        if not needle:
            return list(live)
        return [vid for vid in live if needle in folded[vid]]

    def folded_title(self, video_id: str) -> str:
        return self._folded_titles[video_id]

    def chapter_totals(self, chapter_id: str) -> Totals:
        tally = self._chapter_tally.get(chapter_id)
        return tally.frozen() if tally else Totals()

    def library_totals(self, course_id: str) -> Totals:
        tally = self._library_tally.get(course_id)
        return tally.frozen() if tally else Totals()

    def course_totals(self, course_id: str) -> Totals:
        tally = self._course_tally.get(course_id)
        return tally.frozen() if tally else Totals()

    def snapshot(self) -> dict[str, Any]:
        """Everything that defines the store's state, as plain comparable values."""
        return {
            "courses": dict(self._courses),
            "loaded": frozenset(self._loaded),
            "chapters": dict(self._chapters),
            "videos": dict(self._videos),
            "chapter_order": {k: tuple(v) for k, v in self._course_chapters.items()},
            "video_order": {k: tuple(v) for k, v in self._chapter_videos.items()},
            "library": {k: frozenset(v) for k, v in self._library.items()},
            "trash_videos": {k: frozenset(v) for k, v in self._trash_videos.items()},
            "trash_chapters": {k: frozenset(v) for k, v in self._trash_chapters.items()},
        }

    # ----------------------------------------------------------------- changing

    def apply(self, operation: Operation) -> Applied:
        """Check then carry out ``operation``; return its steps and its exact inverse.

        A refused operation raises a ``DomainError`` before anything changes. Should a step
        fail half-way (only possible when replaying steps against a store that changed), the
        steps already taken are undone before the error is raised again.
        """
        from coursedesk.domain.operations import Revert, expected_steps

        operation.validate(self)
        done: list[Step] = []
        brackets = self._brackets
        if brackets is None:
            brackets = [lst for lst in self._listeners if hasattr(lst, "operation_started")]
            self._brackets = brackets
        estimate = expected_steps(operation, self) if brackets else 0
        for listener in brackets:
            listener.operation_started(estimate)
        start = self._generation
        try:
            operation.perform(_Recorder(self, done))
        except BaseException:
            for step in reversed(done):
                self._apply_step(step.inverse())
            raise
        finally:
            for listener in reversed(brackets):
                listener.operation_finished()
        steps = tuple(done)
        if (
            isinstance(operation, Revert)
            and operation.undoes is not None
            and steps == operation.steps
        ):
            # A replay of recorded steps, as recorded: its inverse is what they undid.
            inverse = operation.undoes
        else:
            inverse = tuple(map(_inverse_of, reversed(steps)))
        # Only the operation's own steps changed the store (no listener applied another
        # operation meanwhile): its inverse fits the store exactly as it is now.
        clean = self._generation == start + len(steps)
        self._fresh_inverse = (self._generation, inverse) if clean else None
        return Applied(steps, Revert(inverse, undoes=steps))

    def replays_last_edit(self, steps: tuple[Step, ...]) -> bool:
        """Whether ``steps`` are the inverse of the last operation applied, with nothing
        changed since: replaying them cannot fail, and nothing since needs allowing for."""
        fresh = self._fresh_inverse
        return (
            fresh is not None
            and fresh[0] == self._generation
            and (fresh[1] is steps or fresh[1] == steps)
        )

    def check_replay(self, steps: Iterable[Step]) -> None:
        """Raise the ``DomainError`` replaying ``steps`` would meet, if any.

        The steps are tried for real and rolled back, with the listeners left out, so a
        replay that would fail half-way is refused before anyone hears of it. The inverse of
        the last operation, replayed before anything else changed, needs no trial: it undoes
        exactly the steps that led to this state (the common undo, and a redo right after it).
        """
        steps = tuple(steps)
        if self.replays_last_edit(steps):
            return
        listeners, self._listeners = self._listeners, []
        hooks, self._hooks = self._hooks, {}
        done: list[Step] = []
        try:
            for step in steps:
                self._apply_step(step)
                done.append(step)
        finally:
            for step in reversed(done):
                self._apply_step(step.inverse())
            self._listeners = listeners
            self._hooks = hooks

    def add_loaded_course(
        self,
        course: Course,
        chapters: Iterable[Chapter],
        videos: Iterable[Video],
        video_order: dict[str, list[str]],
    ) -> None:
        """Put a course read from the library into the store, silently (no listeners).

        ``chapters`` are the live ones in order followed by trashed ones; ``video_order`` maps
        each live chapter to its video ids in order. Call ``check_invariants`` afterwards.
        """
        self._generation += 1
        self._courses[course.id] = course
        self._init_course(course.id)
        self._loaded.add(course.id)
        for chapter in chapters:
            self._chapters[chapter.id] = chapter
            if chapter.deleted_at is None:
                self._course_chapters[course.id].append(chapter.id)
                self._chapter_videos[chapter.id] = list(video_order.get(chapter.id, ()))
                self._chapter_tally[chapter.id] = _Tally()
            else:
                self._trash_chapters[course.id][chapter.id] = None
        for video in videos:
            self._videos[video.id] = video
            self._folded_titles[video.id] = fold_for_search(video.title)
            if video.deleted_at is not None:
                self._trash_videos[course.id][video.id] = None
                continue
            self._live[course.id][video.id] = None
            self._course_tally[course.id].add(video, +1)
            if video.chapter_id is None:
                self._library[course.id][video.id] = None
                self._library_tally[course.id].add(video, +1)
            elif video.chapter_id in self._chapter_tally:
                self._chapter_tally[video.chapter_id].add(video, +1)

    def forget_course(self, course_id: str) -> None:
        """Drop a course's loaded content again (e.g. after it failed its checks), silently."""
        self._generation += 1
        for chapter_id in [c.id for c in self._chapters.values() if c.course_id == course_id]:
            del self._chapters[chapter_id]
            self._chapter_videos.pop(chapter_id, None)
            self._chapter_tally.pop(chapter_id, None)
        for video_id in [v.id for v in self._videos.values() if v.course_id == course_id]:
            del self._videos[video_id]
            self._folded_titles.pop(video_id, None)
        for table in (
            self._course_chapters,
            self._library,
            self._live,
            self._trash_videos,
            self._trash_chapters,
            self._library_tally,
            self._course_tally,
        ):
            table.pop(course_id, None)
        self._loaded.discard(course_id)

    def add_unloaded_course(self, course: Course) -> None:
        """Know of a course whose chapters and videos have not been read yet."""
        self._generation += 1
        self._courses[course.id] = course

    # ----------------------------------------------------------------- steps

    def _init_course(self, course_id: str) -> None:
        self._course_chapters.setdefault(course_id, [])
        self._library.setdefault(course_id, {})
        self._live.setdefault(course_id, {})
        self._trash_videos.setdefault(course_id, {})
        self._trash_chapters.setdefault(course_id, {})
        self._library_tally.setdefault(course_id, _Tally())
        self._course_tally.setdefault(course_id, _Tally())

    def _apply_step(self, step: Step) -> None:
        """Check the step's preconditions exactly, then announce, change, announce."""
        kind = type(step)
        if kind is VideoMoved:
            self._apply_steps((step,))
            return
        _CHECKS[kind](self, step)
        befores, afters = self._hooks.get(kind) or self._hooks_for(kind)
        for before in befores:
            before(step)
        self._generation += 1
        _CHANGES[kind](self, step)
        for after in afters:
            after(step)

    # Precondition checks: a step replayed against a store that moved on is refused.

    def _expect(self, condition: bool, what: str) -> None:
        if not condition:
            raise InvalidState(what)

    def _check_loaded(self, course_id: str) -> None:
        self._expect(course_id in self._loaded, "That course is not open.")

    def _check_slot(
        self, chapter_id: str | None, course_id: str, index: int | None, *, inserting: bool
    ) -> None:
        if chapter_id is None:
            self._expect(index is None, "The library has no positions.")
            return
        chapter = self._chapters.get(chapter_id)
        self._expect(
            chapter is not None and chapter.deleted_at is None and chapter.course_id == course_id,
            "That chapter is not part of the course any more.",
        )
        size = len(self._chapter_videos[chapter_id])
        limit = size if inserting else size - 1
        self._expect(index is not None and 0 <= index <= limit, "That position does not exist.")

    def _check_at(self, video_id: str, chapter_id: str | None, index: int | None) -> Video:
        video = self._videos.get(video_id)
        self._expect(video is not None and video.deleted_at is None, "That video is not live.")
        assert video is not None
        self._expect(video.chapter_id == chapter_id, "That video has moved since.")
        if chapter_id is not None:
            order = self._chapter_videos[chapter_id]
            self._expect(
                index is not None and 0 <= index < len(order) and order[index] == video_id,
                "That video has moved since.",
            )
        return video

    def _check_video_created(self, step: VideoCreated) -> None:
        video = step.video
        self._expect(video.id not in self._videos, "That video already exists.")
        self._check_loaded(video.course_id)
        if video.deleted_at is None:
            self._check_slot(video.chapter_id, video.course_id, step.index, inserting=True)
        else:
            self._expect(video.chapter_id is None, "A video in the Trash has no chapter.")

    def _check_video_purged(self, step: VideoPurged) -> None:
        video = step.video
        self._expect(self._videos.get(video.id) == video, "That video has changed since.")
        if video.deleted_at is None:
            self._check_at(video.id, video.chapter_id, step.index)

    def _check_video_changed(self, step: VideoChanged) -> None:
        video = self._videos.get(step.video_id)
        self._expect(video is not None, "That video no longer exists.")
        assert video is not None
        for name, value in step.before.items():
            self._expect(getattr(video, name) == value, "That video has changed since.")
        self._expect(
            not set(step.after) & _STRUCTURAL_VIDEO_FIELDS, "Placement is not a field change."
        )

    def _check_video_trashed(self, step: VideoTrashed) -> None:
        self._check_at(step.video_id, step.chapter_id, step.index)

    def _check_video_restored(self, step: VideoRestored) -> None:
        video = self._videos.get(step.video_id)
        self._expect(
            video is not None
            and video.deleted_at == step.deleted_at
            and video.trash_chapter_id == step.trash_chapter_id
            and video.trash_index == step.trash_index,
            "That video is not in the Trash any more.",
        )
        self._check_slot(step.chapter_id, step.course_id, step.index, inserting=True)

    def _check_chapter_created(self, step: ChapterCreated) -> None:
        chapter = step.chapter
        self._expect(chapter.id not in self._chapters, "That chapter already exists.")
        self._check_loaded(chapter.course_id)
        if chapter.deleted_at is None:
            size = len(self._course_chapters[chapter.course_id])
            self._expect(
                step.index is not None and 0 <= step.index <= size, "That position does not exist."
            )

    def _check_chapter_live_at(self, chapter_id: str, course_id: str, index: int) -> None:
        order = self._course_chapters.get(course_id, [])
        self._expect(
            0 <= index < len(order) and order[index] == chapter_id, "That chapter has moved since."
        )

    def _check_chapter_purged(self, step: ChapterPurged) -> None:
        chapter = step.chapter
        self._expect(self._chapters.get(chapter.id) == chapter, "That chapter has changed since.")
        if chapter.deleted_at is None:
            assert step.index is not None
            self._check_chapter_live_at(chapter.id, chapter.course_id, step.index)
            self._expect(not self._chapter_videos[chapter.id], "That chapter still has videos.")

    def _check_chapter_moved(self, step: ChapterMoved) -> None:
        self._check_chapter_live_at(step.chapter_id, step.course_id, step.from_index)
        size = len(self._course_chapters[step.course_id])
        self._expect(0 <= step.to_index < size, "That position does not exist.")

    def _check_chapter_changed(self, step: ChapterChanged) -> None:
        chapter = self._chapters.get(step.chapter_id)
        self._expect(chapter is not None, "That chapter no longer exists.")
        for name, value in step.before.items():
            self._expect(getattr(chapter, name) == value, "That chapter has changed since.")
        self._expect(set(step.after) <= {"title"}, "Only a chapter's title is a field change.")

    def _check_chapter_trashed(self, step: ChapterTrashed) -> None:
        self._check_chapter_live_at(step.chapter_id, step.course_id, step.index)
        self._expect(not self._chapter_videos[step.chapter_id], "That chapter still has videos.")

    def _check_chapter_restored(self, step: ChapterRestored) -> None:
        chapter = self._chapters.get(step.chapter_id)
        self._expect(
            chapter is not None
            and chapter.deleted_at == step.deleted_at
            and chapter.trash_index == step.trash_index,
            "That chapter is not in the Trash any more.",
        )
        size = len(self._course_chapters[step.course_id])
        self._expect(0 <= step.index <= size, "That position does not exist.")

    def _check_course_created(self, step: CourseCreated) -> None:
        self._expect(step.course.id not in self._courses, "That course already exists.")

    def _check_course_purged(self, step: CoursePurged) -> None:
        course_id = step.course.id
        self._expect(self._courses.get(course_id) == step.course, "That course has changed since.")
        self._expect(
            not self._course_chapters.get(course_id)
            and not self._live.get(course_id)
            and not self._trash_videos.get(course_id)
            and not self._trash_chapters.get(course_id),
            "That course still has chapters or videos.",
        )

    def _check_course_changed(self, step: CourseChanged) -> None:
        course = self._courses.get(step.course_id)
        self._expect(course is not None, "That course no longer exists.")
        for name, value in step.before.items():
            self._expect(getattr(course, name) == value, "That course has changed since.")
        self._expect(set(step.after) <= {"title", "deleted_at"}, "Not a course field.")

    # Changes: these run only after their check passed.

    def _place(self, video: Video, chapter_id: str | None, index: int | None) -> None:
        course_id = video.course_id
        if chapter_id is None:
            self._library[course_id][video.id] = None
            self._library_tally[course_id].add(video, +1)
        else:
            assert index is not None
            self._chapter_videos[chapter_id].insert(index, video.id)
            self._chapter_tally[chapter_id].add(video, +1)

    def _unplace(self, video: Video, index: int | None) -> None:
        course_id = video.course_id
        if video.chapter_id is None:
            del self._library[course_id][video.id]
            self._library_tally[course_id].add(video, -1)
        else:
            assert index is not None
            del self._chapter_videos[video.chapter_id][index]
            self._chapter_tally[video.chapter_id].add(video, -1)

    def _go_live(self, video: Video, index: int | None) -> None:
        self._live[video.course_id][video.id] = None
        self._course_tally[video.course_id].add(video, +1)
        self._place(video, video.chapter_id, index)

    def _leave_live(self, video: Video, index: int | None) -> None:
        del self._live[video.course_id][video.id]
        self._course_tally[video.course_id].add(video, -1)
        self._unplace(video, index)

    def _do_video_created(self, step: VideoCreated) -> None:
        video = step.video
        self._videos[video.id] = video
        self._folded_titles[video.id] = fold_for_search(video.title)
        if video.deleted_at is None:
            self._go_live(video, step.index)
        else:
            self._trash_videos[video.course_id][video.id] = None

    def _do_video_purged(self, step: VideoPurged) -> None:
        video = self._videos.pop(step.video.id)
        del self._folded_titles[video.id]
        if video.deleted_at is None:
            self._leave_live(video, step.index)
        else:
            del self._trash_videos[video.course_id][video.id]

    def _apply_steps(
        self,
        steps: Iterable[Step],
        note: Callable[[Step], object] = _ignore,
        *,
        undoing_last_edit: bool = False,
    ) -> None:
        """Apply steps in order, handing each to ``note`` once it is done.

        ``_apply_step`` for each, with a move's checks (the same as the other steps') and
        what ``_unplace`` and ``_place`` do written out here, over the store's tables looked
        up once: a bulk edit applies hundreds of moves.

        ``undoing_last_edit``: the steps are the inverse of the last operation, with nothing
        changed since (``replays_last_edit``). Each then finds the store as the step it undoes
        left it, so moves skip their checks for as long as the store changes only by these
        steps (one generation each); should a listener change it meanwhile, the rest are
        checked.
        """
        videos, chapters, orders = self._videos, self._chapters, self._chapter_videos
        library, library_tally = self._library, self._library_tally
        chapter_tally = self._chapter_tally
        # The generation at which the next step may skip its checks (-1: none may).
        unchecked_at = self._generation if undoing_last_edit else -1
        for step in steps:
            if type(step) is not VideoMoved:
                self._apply_step(step)
                note(step)
                if unchecked_at >= 0:
                    unchecked_at += 1
                continue
            video_id = step.video_id
            video = videos.get(video_id)
            source, target = step.from_chapter_id, step.to_chapter_id
            from_index, to_index = step.from_index, step.to_index
            if self._generation != unchecked_at:
                unchecked_at = -1
                if video is None or video.deleted_at is not None:
                    raise InvalidState("That video is not live.")
                if video.chapter_id != source:
                    raise InvalidState("That video has moved since.")
                if source is not None:
                    left_order = orders[source]
                    if (
                        from_index is None
                        or not 0 <= from_index < len(left_order)
                        or left_order[from_index] != video_id
                    ):
                        raise InvalidState("That video has moved since.")
                if video.course_id != step.course_id:
                    raise InvalidState("That video belongs to another course.")
                if target is None:
                    if source is None:
                        raise InvalidState("A video can't move from the library to the library.")
                    if to_index is not None:
                        raise InvalidState("The library has no positions.")
                else:
                    chapter = chapters.get(target)
                    if (
                        chapter is None
                        or chapter.deleted_at is not None
                        or chapter.course_id != video.course_id
                    ):
                        raise InvalidState("That chapter is not part of the course any more.")
                    size = len(orders[target]) + (source != target)
                    if to_index is None or not 0 <= to_index < size:
                        raise InvalidState("That position does not exist.")
            else:
                unchecked_at += 1
            assert video is not None
            course_id = video.course_id

            befores, afters = self._hooks.get(VideoMoved) or self._hooks_for(VideoMoved)
            for before in befores:
                before(step)
            self._generation += 1
            if source is None:
                del library[course_id][video_id]
                left = library_tally[course_id]
            else:
                del orders[source][from_index]  # type: ignore[arg-type]
                left = chapter_tally[source]
            if target is None:
                library[course_id][video_id] = None
                joined = library_tally[course_id]
            else:
                orders[target].insert(to_index, video_id)  # type: ignore[arg-type]
                joined = chapter_tally[target]
            if left is not joined:
                duration_s = video.duration_s
                duration_us = round(duration_s * 1_000_000) if duration_s else 0  # _micros
                size_bytes = video.size_bytes or 0
                left.count -= 1
                left.duration_us -= duration_us
                left.size_bytes -= size_bytes
                joined.count += 1
                joined.duration_us += duration_us
                joined.size_bytes += size_bytes
            videos[video_id] = in_chapter(video, target)
            for after in afters:
                after(step)
            note(step)

    def _do_video_changed(self, step: VideoChanged) -> None:
        video = self._videos[step.video_id]
        changed = dataclasses.replace(video, **step.after)
        self._videos[video.id] = changed
        if "title" in step.after:
            self._folded_titles[video.id] = fold_for_search(changed.title)
        if video.deleted_at is None and ({"duration_s", "size_bytes"} & set(step.after)):
            tallies = [self._course_tally[video.course_id]]
            if video.chapter_id is None:
                tallies.append(self._library_tally[video.course_id])
            else:
                tallies.append(self._chapter_tally[video.chapter_id])
            for tally in tallies:
                tally.add(video, -1)
                tally.add(changed, +1)

    def _do_video_trashed(self, step: VideoTrashed) -> None:
        video = self._videos[step.video_id]
        self._leave_live(video, step.index)
        self._videos[video.id] = dataclasses.replace(
            video,
            chapter_id=None,
            deleted_at=step.deleted_at,
            trash_chapter_id=step.trash_chapter_id,
            trash_index=step.trash_index,
        )
        self._trash_videos[video.course_id][video.id] = None

    def _do_video_restored(self, step: VideoRestored) -> None:
        video = self._videos[step.video_id]
        del self._trash_videos[video.course_id][video.id]
        restored = dataclasses.replace(
            video,
            chapter_id=step.chapter_id,
            deleted_at=None,
            trash_chapter_id=None,
            trash_index=None,
        )
        self._videos[video.id] = restored
        self._go_live(restored, step.index)

    def _do_chapter_created(self, step: ChapterCreated) -> None:
        chapter = step.chapter
        self._chapters[chapter.id] = chapter
        if chapter.deleted_at is None:
            assert step.index is not None
            self._course_chapters[chapter.course_id].insert(step.index, chapter.id)
            self._chapter_videos[chapter.id] = []
            self._chapter_tally[chapter.id] = _Tally()
        else:
            self._trash_chapters[chapter.course_id][chapter.id] = None

    def _do_chapter_purged(self, step: ChapterPurged) -> None:
        chapter = self._chapters.pop(step.chapter.id)
        if chapter.deleted_at is None:
            assert step.index is not None
            del self._course_chapters[chapter.course_id][step.index]
            del self._chapter_videos[chapter.id]
            del self._chapter_tally[chapter.id]
        else:
            del self._trash_chapters[chapter.course_id][chapter.id]

    def _do_chapter_moved(self, step: ChapterMoved) -> None:
        order = self._course_chapters[step.course_id]
        del order[step.from_index]
        order.insert(step.to_index, step.chapter_id)

    def _do_chapter_changed(self, step: ChapterChanged) -> None:
        chapter = self._chapters[step.chapter_id]
        self._chapters[chapter.id] = dataclasses.replace(chapter, **step.after)

    def _do_chapter_trashed(self, step: ChapterTrashed) -> None:
        chapter = self._chapters[step.chapter_id]
        del self._course_chapters[step.course_id][step.index]
        del self._chapter_videos[chapter.id]
        del self._chapter_tally[chapter.id]
        self._chapters[chapter.id] = dataclasses.replace(
            chapter, deleted_at=step.deleted_at, trash_index=step.trash_index
        )
        self._trash_chapters[step.course_id][chapter.id] = None

    def _do_chapter_restored(self, step: ChapterRestored) -> None:
        chapter = self._chapters[step.chapter_id]
        del self._trash_chapters[step.course_id][chapter.id]
        self._chapters[chapter.id] = dataclasses.replace(chapter, deleted_at=None, trash_index=None)
        self._course_chapters[step.course_id].insert(step.index, chapter.id)
        self._chapter_videos[chapter.id] = []
        self._chapter_tally[chapter.id] = _Tally()

    def _do_course_created(self, step: CourseCreated) -> None:
        self._courses[step.course.id] = step.course
        self._init_course(step.course.id)
        self._loaded.add(step.course.id)

    def _do_course_purged(self, step: CoursePurged) -> None:
        course_id = step.course.id
        del self._courses[course_id]
        self._loaded.discard(course_id)
        for table in (
            self._course_chapters,
            self._library,
            self._live,
            self._trash_videos,
            self._trash_chapters,
            self._library_tally,
            self._course_tally,
        ):
            table.pop(course_id, None)

    def _do_course_changed(self, step: CourseChanged) -> None:
        course = self._courses[step.course_id]
        self._courses[course.id] = dataclasses.replace(course, **step.after)


class _Recorder:
    """Applies steps for an operation and remembers them, so they can be undone."""

    def __init__(self, store: Store, done: list[Step]) -> None:
        self.store = store
        self._note = done.append

    def __call__(self, step: Step) -> None:
        self.store._apply_step(step)
        self._note(step)

    def many(self, steps: Iterable[Step]) -> None:
        """Apply and remember steps in order, as calling this for each would, with less
        work per step (a bulk edit makes hundreds). Each step is taken from ``steps`` just
        before it is applied, so a generator may work out the next one from the store."""
        store = self.store
        undoing = isinstance(steps, tuple) and store.replays_last_edit(steps)
        store._apply_steps(steps, self._note, undoing_last_edit=undoing)


_inverse_of: Callable[[Step], Step] = methodcaller("inverse")

_STRUCTURAL_VIDEO_FIELDS = frozenset(
    {"id", "course_id", "chapter_id", "deleted_at", "trash_chapter_id", "trash_index"}
)

_CHECKS: dict[type, Any] = {
    VideoCreated: Store._check_video_created,
    VideoPurged: Store._check_video_purged,
    VideoChanged: Store._check_video_changed,
    VideoTrashed: Store._check_video_trashed,
    VideoRestored: Store._check_video_restored,
    ChapterCreated: Store._check_chapter_created,
    ChapterPurged: Store._check_chapter_purged,
    ChapterMoved: Store._check_chapter_moved,
    ChapterChanged: Store._check_chapter_changed,
    ChapterTrashed: Store._check_chapter_trashed,
    ChapterRestored: Store._check_chapter_restored,
    CourseCreated: Store._check_course_created,
    CoursePurged: Store._check_course_purged,
    CourseChanged: Store._check_course_changed,
}

_CHANGES: dict[type, Any] = {
    VideoCreated: Store._do_video_created,
    VideoPurged: Store._do_video_purged,
    VideoChanged: Store._do_video_changed,
    VideoTrashed: Store._do_video_trashed,
    VideoRestored: Store._do_video_restored,
    ChapterCreated: Store._do_chapter_created,
    ChapterPurged: Store._do_chapter_purged,
    ChapterMoved: Store._do_chapter_moved,
    ChapterChanged: Store._do_chapter_changed,
    ChapterTrashed: Store._do_chapter_trashed,
    ChapterRestored: Store._do_chapter_restored,
    CourseCreated: Store._do_course_created,
    CoursePurged: Store._do_course_purged,
    CourseChanged: Store._do_course_changed,
}
