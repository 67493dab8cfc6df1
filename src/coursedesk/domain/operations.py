"""What an instructor can do to a course, as operation values.

Each operation checks everything in ``validate`` (a refused operation changes nothing), then
carries itself out in ``perform`` as steps. ``Store.apply`` returns its exact inverse: a
``Revert`` of the inverse steps, which is itself an operation, so undo and redo are just
"apply what the last apply returned".

A course in the Trash is read-only: every operation that would change its content (its title,
chapters, videos, their order, titles and files, what is in its own Trash), undo and redo
included, is refused with ``CourseInTrash``. Only restoring the course and purging it
(emptying the Trash) change it, plus the background services' bookkeeping (``UpdateVideo``:
what a file turned out to hold, how its upload stands) and ``DiscardVideos`` (the rows of an
import that could not finish), which record facts about files rather than edit the course.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from coursedesk.domain.errors import CourseInTrash, InvalidState, MoveRefused, NotFound
from coursedesk.domain.model import (
    TECHNICAL_VIDEO_FIELDS,
    Chapter,
    Course,
    Video,
    VideosGo,
    VideoStatus,
    fields_of,
    new_id,
)
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
    video_moved,
)
from coursedesk.domain.store import Store
from coursedesk.domain.text import clean_title

Apply = Callable[[Step], None]

COURSE_IN_TRASH = "This course is in the Trash; restore it to edit it."


class _Recorder(Protocol):
    store: Store

    def __call__(self, step: Step) -> None: ...

    def many(self, steps: Iterable[Step]) -> None:
        """Apply steps in order, each taken from ``steps`` just before it is applied: what
        calling ``apply`` on each does, with less work per step (for bulk edits)."""


class Operation(Protocol):
    def validate(self, store: Store) -> None:
        """Raise a ``DomainError`` if the operation can't be carried out; change nothing."""

    def perform(self, apply: _Recorder) -> None:
        """Carry the operation out as steps, each passed to ``apply``."""


def _now() -> float:
    return time.time()


# ------------------------------------------------------------------ shared checks


def _live_course(store: Store, course_id: str) -> Course:
    course = store.course(course_id)
    if not store.is_loaded(course_id):
        raise InvalidState(f"The course '{course.title}' is not open.")
    return course


def _editable_course(store: Store, course_id: str) -> Course:
    """The course, if its content may be changed: not in the Trash."""
    course = store.course(course_id)
    if course.deleted_at is not None:
        raise CourseInTrash(COURSE_IN_TRASH)
    return course


def _editable_courses(store: Store, course_ids: Iterable[str]) -> None:
    for course_id in set(course_ids):
        _editable_course(store, course_id)


def _check_steps_editable(store: Store, steps: Iterable[Step]) -> None:
    """Refuse replaying steps (undo, redo) that change the content of a course in the Trash.

    A course's own going to and coming back from the Trash is always allowed, and is
    followed through the steps: what comes after a restoring step edits a live course. So is
    all of a course made or purged as a whole (emptying the Trash, and its exact inverse), and
    a change of technical fields only, which ``UpdateVideo`` may make in the Trash too.
    """
    steps = tuple(steps)
    whole = (
        {s.course.id for s in steps if isinstance(s, _WHOLE_COURSE_STEPS)}
        if not _WHOLE_COURSE_KINDS.isdisjoint(map(type, steps))
        else set()
    )
    trashed: dict[str, bool] = dict.fromkeys(whole, False)

    def in_trash(course_id: str) -> bool:
        if course_id not in trashed:
            trashed[course_id] = (
                store.has_course(course_id) and store.course(course_id).deleted_at is not None
            )
        return trashed[course_id]

    # The last course found editable, until a course goes to or comes back from the Trash:
    # the hundreds of moves of one bulk edit are all in one course.
    editable: str | None = None
    for step in steps:
        course_id: str | None
        if type(step) is VideoMoved:
            course_id = step.course_id
            if course_id == editable:
                continue
        elif isinstance(step, CourseChanged) and set(step.after) == {"deleted_at"}:
            if step.course_id not in whole:
                trashed[step.course_id] = step.after["deleted_at"] is not None
            editable = None
            continue
        elif isinstance(step, VideoChanged) and set(step.after) <= TECHNICAL_VIDEO_FIELDS:
            continue
        else:
            course_id = _course_of(store, step)
        if course_id is not None:
            if in_trash(course_id):
                raise CourseInTrash(COURSE_IN_TRASH)
            editable = course_id


_WHOLE_COURSE_STEPS = (CourseCreated, CoursePurged)
_WHOLE_COURSE_KINDS = frozenset(_WHOLE_COURSE_STEPS)


def _course_of(store: Store, step: Step) -> str | None:
    if isinstance(step, CourseCreated | CoursePurged):
        return step.course.id
    if isinstance(step, VideoCreated | VideoPurged):
        return step.video.course_id
    if isinstance(step, ChapterCreated | ChapterPurged):
        return step.chapter.course_id
    if isinstance(step, VideoChanged):
        return store.video(step.video_id).course_id if store.has_video(step.video_id) else None
    if isinstance(step, ChapterChanged):
        if not store.has_chapter(step.chapter_id):
            return None
        return store.chapter(step.chapter_id).course_id
    return step.course_id


def _live_chapter(store: Store, chapter_id: str) -> Chapter:
    chapter = store.chapter(chapter_id)
    if chapter.deleted_at is not None:
        raise MoveRefused(f"The chapter '{chapter.title}' is in the Trash.")
    return chapter


def _live_video(store: Store, video_id: str) -> Video:
    video = store.video(video_id)
    if video.deleted_at is not None:
        raise MoveRefused(f"'{video.title}' is in the Trash; restore it first.")
    return video


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _placed(store: Store, videos: list[Video]) -> tuple[list[Video], list[int | None]]:
    """Live videos sorted by where they stand in their course (chapter order, then position;
    library last, in the order given), and the position of each (None in the library).

    Each chapter's place and order are looked up once, and the sort keys are plain numbers:
    a bulk edit sorts hundreds of videos, and every object it makes on the way is more work
    for the garbage collector.
    """
    chapters: dict[str, tuple[int, Callable[[str], int]]] = {}
    counts = Counter(video.chapter_id for video in videos)
    keys: list[int] = []
    indexes: list[int | None] = []
    for video in videos:
        chapter_id = video.chapter_id
        if chapter_id is None:
            keys.append(len(store.chapter_ids(video.course_id)) * _CHAPTER_STRIDE)
            indexes.append(None)
            continue
        found = chapters.get(chapter_id)
        if found is None:
            place = store.chapter_index(chapter_id)
            assert place is not None
            in_order = store.video_ids(chapter_id)
            # Many videos of one chapter are found in one pass over it, a few one by one.
            position = (
                {vid: at for at, vid in enumerate(in_order)}.__getitem__
                if counts[chapter_id] > _LOOKED_UP_ONE_BY_ONE
                else in_order.index
            )
            found = chapters[chapter_id] = (place, position)
        index = found[1](video.id)
        keys.append(found[0] * _CHAPTER_STRIDE + index)
        indexes.append(index)
    order = sorted(range(len(videos)), key=keys.__getitem__)
    return [videos[i] for i in order], [indexes[i] for i in order]


# Up to this many videos of one chapter are looked for one by one.
_LOOKED_UP_ONE_BY_ONE = 4

# More positions than any chapter has: a chapter's place times this, plus a position, sorts
# by chapter first.
_CHAPTER_STRIDE = 1 << 40


def _in_placement_order(store: Store, videos: list[Video], *, reverse: bool = False) -> None:
    """Sort live videos by where they stand in their course (see ``_placed``)."""
    videos[:] = _placed(store, videos)[0]
    if reverse:
        videos.reverse()


_WHOLE_NUMBER_FIELDS = frozenset({"size_bytes", "width", "height", "bitrate_bps"})
_MEASURE_FIELDS = frozenset({"duration_s", "frame_rate"})


def _check_technical_values(values: Mapping[str, Any]) -> None:
    """Refuse measurements the totals and comparisons can't hold (NaN, negative sizes ...)."""
    for name, value in values.items():
        if value is None:
            continue
        if name in _WHOLE_NUMBER_FIELDS:
            valid = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        elif name in _MEASURE_FIELDS:
            valid = (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
                and value >= 0
            )
        elif name == "status":
            valid = isinstance(value, VideoStatus)
        else:
            continue
        if not valid:
            raise InvalidState(f"{value!r} is not a valid {name}.")


def _changes(current: object, wanted: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    before = {k: getattr(current, k) for k, v in wanted.items() if getattr(current, k) != v}
    after = {k: wanted[k] for k in before}
    return before, after


# ------------------------------------------------------------------ undo


@dataclass(frozen=True, slots=True)
class Revert:
    """Replays recorded steps exactly; what ``Store.apply`` returns as an inverse."""

    steps: tuple[Step, ...]
    # The steps whose inverse ``steps`` are, when known (``Store.apply`` knows them): the
    # inverse of replaying ``steps`` as recorded, with no working out.
    undoes: tuple[Step, ...] | None = field(default=None, compare=False, repr=False)

    def validate(self, store: Store) -> None:
        _check_steps_editable(store, self.steps)
        if store.replays_last_edit(self.steps):
            return  # undoes the last edit with nothing changed since: it cannot fail
        # A stale undo (the store moved on in a way the steps don't fit) must be refused
        # before the first step is announced, like any other refused edit.
        store.check_replay(
            rebased
            for step in self.steps
            if (rebased := _rebased_on_services(store, step)) is not None
        )

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        if store.replays_last_edit(self.steps):
            # Nothing happened since the edit, so the services changed nothing to allow for.
            apply.many(self.steps)
            return
        apply.many(
            rebased
            for step in self.steps
            if (rebased := _rebased_on_services(store, step)) is not None
        )


def _rebased_on_services(store: Store, step: Step) -> Step | None:
    """A recorded step, adjusted for what the background services did since.

    Services change technical fields outside the undo history, and the importer discards
    videos it could not read. So: a video an undo removes may carry newer metadata and sit at
    a lower index than when the step was recorded (remove it as it is now, so the redo brings
    that metadata back); a video already discarded needs no removing; and a change of
    technical fields only (a replaced file's content) applies over whatever they hold now.
    None means the step has nothing left to do.
    """
    if isinstance(step, VideoChanged):
        if set(step.after) <= TECHNICAL_VIDEO_FIELDS and store.has_video(step.video_id):
            current = store.video(step.video_id)
            return VideoChanged(step.video_id, fields_of(current, tuple(step.after)), step.after)
        return step
    if not isinstance(step, VideoPurged):
        return step
    if not store.has_video(step.video.id):
        return None
    current = store.video(step.video.id)
    if current == step.video:
        index = step.index
    else:
        recorded = dataclasses.replace(step.video, **fields_of(current, TECHNICAL_VIDEO_FIELDS))
        if recorded != current:
            return step
        index = step.index
    if current.deleted_at is None and current.chapter_id is not None:
        index = store.video_ids(current.chapter_id).index(current.id)
    return VideoPurged(current, index)


# ------------------------------------------------------------------ courses


@dataclass(frozen=True, slots=True)
class CreateCourse:
    title: str
    course_id: str = field(default_factory=new_id)
    created_at: float = field(default_factory=_now)

    def validate(self, store: Store) -> None:
        clean_title(self.title, "course title")
        if store.has_course(self.course_id):
            raise InvalidState("A course with that id already exists.")

    def perform(self, apply: _Recorder) -> None:
        title = clean_title(self.title, "course title")
        apply(CourseCreated(Course(self.course_id, title, self.created_at)))


@dataclass(frozen=True, slots=True)
class RenameCourse:
    course_id: str
    title: str

    def validate(self, store: Store) -> None:
        _editable_course(store, self.course_id)
        clean_title(self.title, "course title")

    def perform(self, apply: _Recorder) -> None:
        course = apply.store.course(self.course_id)
        before, after = _changes(course, {"title": clean_title(self.title, "course title")})
        if after:
            apply(CourseChanged(course.id, before, after))


@dataclass(frozen=True, slots=True)
class TrashCourse:
    course_id: str
    at: float = field(default_factory=_now)

    def validate(self, store: Store) -> None:
        course = store.course(self.course_id)
        if course.deleted_at is not None:
            raise InvalidState(f"The course '{course.title}' is already in the Trash.")

    def perform(self, apply: _Recorder) -> None:
        apply(CourseChanged(self.course_id, {"deleted_at": None}, {"deleted_at": self.at}))


@dataclass(frozen=True, slots=True)
class RestoreCourse:
    course_id: str

    def validate(self, store: Store) -> None:
        course = store.course(self.course_id)
        if course.deleted_at is None:
            raise InvalidState(f"The course '{course.title}' is not in the Trash.")

    def perform(self, apply: _Recorder) -> None:
        course = apply.store.course(self.course_id)
        apply(CourseChanged(course.id, {"deleted_at": course.deleted_at}, {"deleted_at": None}))


# ------------------------------------------------------------------ chapters


@dataclass(frozen=True, slots=True)
class AddChapter:
    """A new, empty chapter at ``index`` (None: at the end)."""

    course_id: str
    title: str
    index: int | None = None
    chapter_id: str = field(default_factory=new_id)
    created_at: float = field(default_factory=_now)

    def validate(self, store: Store) -> None:
        _editable_course(store, self.course_id)
        _live_course(store, self.course_id)
        clean_title(self.title, "chapter title")
        if store.has_chapter(self.chapter_id):
            raise InvalidState("A chapter with that id already exists.")
        size = len(store.chapter_ids(self.course_id))
        if self.index is not None and not 0 <= self.index <= size:
            raise InvalidState(f"There is no chapter position {self.index + 1}.")

    def perform(self, apply: _Recorder) -> None:
        size = len(apply.store.chapter_ids(self.course_id))
        chapter = Chapter(
            self.chapter_id,
            self.course_id,
            clean_title(self.title, "chapter title"),
            self.created_at,
        )
        apply(ChapterCreated(chapter, size if self.index is None else self.index))


@dataclass(frozen=True, slots=True)
class RenameChapter:
    chapter_id: str
    title: str

    def validate(self, store: Store) -> None:
        _editable_course(store, store.chapter(self.chapter_id).course_id)
        clean_title(self.title, "chapter title")

    def perform(self, apply: _Recorder) -> None:
        chapter = apply.store.chapter(self.chapter_id)
        before, after = _changes(chapter, {"title": clean_title(self.title, "chapter title")})
        if after:
            apply(ChapterChanged(chapter.id, before, after))


@dataclass(frozen=True, slots=True)
class MoveChapter:
    """Move a chapter so it lands before the chapter now at ``index`` (len: to the end)."""

    chapter_id: str
    index: int

    def validate(self, store: Store) -> None:
        _editable_course(store, store.chapter(self.chapter_id).course_id)
        chapter = _live_chapter(store, self.chapter_id)
        size = len(store.chapter_ids(chapter.course_id))
        if not 0 <= self.index <= size:
            raise InvalidState(f"There is no chapter position {self.index + 1}.")

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        chapter = store.chapter(self.chapter_id)
        current = store.chapter_index(chapter.id)
        assert current is not None
        target = self.index - 1 if self.index > current else self.index
        if target != current:
            apply(ChapterMoved(chapter.id, chapter.course_id, current, target))


@dataclass(frozen=True, slots=True)
class TrashChapter:
    """Delete a chapter to the Trash; its videos go to the library (default) or the Trash."""

    chapter_id: str
    videos_go: VideosGo = VideosGo.TO_LIBRARY
    at: float = field(default_factory=_now)

    def validate(self, store: Store) -> None:
        chapter = store.chapter(self.chapter_id)
        _editable_course(store, chapter.course_id)
        if chapter.deleted_at is not None:
            raise InvalidState(f"The chapter '{chapter.title}' is already in the Trash.")

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        chapter = store.chapter(self.chapter_id)
        course_id = chapter.course_id
        for original_index, video_id in enumerate(list(store.video_ids(chapter.id))):
            if self.videos_go == VideosGo.TO_TRASH:
                apply(
                    VideoTrashed(
                        video_id, course_id, chapter.id, 0, self.at, chapter.id, original_index
                    )
                )
            else:
                apply(VideoMoved(video_id, course_id, chapter.id, 0, None, None))
        index = store.chapter_index(chapter.id)
        assert index is not None
        apply(ChapterTrashed(chapter.id, course_id, index, self.at, index))


@dataclass(frozen=True, slots=True)
class RestoreChapter:
    """Bring a chapter back where it was, with the videos that went to the Trash with it."""

    chapter_id: str

    def validate(self, store: Store) -> None:
        chapter = store.chapter(self.chapter_id)
        _editable_course(store, chapter.course_id)
        if chapter.deleted_at is None:
            raise InvalidState(f"The chapter '{chapter.title}' is not in the Trash.")
        _live_course(store, chapter.course_id)

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        chapter = store.chapter(self.chapter_id)
        assert chapter.deleted_at is not None and chapter.trash_index is not None
        size = len(store.chapter_ids(chapter.course_id))
        apply(
            ChapterRestored(
                chapter.id,
                chapter.course_id,
                min(chapter.trash_index, size),
                chapter.deleted_at,
                chapter.trash_index,
            )
        )
        companions = [
            store.video(vid)
            for vid in store.trashed_video_ids(chapter.course_id)
            if store.video(vid).trash_chapter_id == chapter.id
            and store.video(vid).deleted_at == chapter.deleted_at
        ]
        companions.sort(key=lambda v: v.trash_index or 0)
        for video in companions:
            _restore_into(apply, video, chapter.id)


# ------------------------------------------------------------------ videos


@dataclass(frozen=True, slots=True)
class AddVideos:
    """New videos into a chapter at ``index`` (None: at the end), or into the library."""

    videos: tuple[Video, ...]
    chapter_id: str | None = None
    index: int | None = None

    def validate(self, store: Store) -> None:
        if not self.videos:
            return
        course_ids = {v.course_id for v in self.videos}
        if len(course_ids) != 1:
            raise MoveRefused("Videos can only be added to one course at a time.")
        (course_id,) = course_ids
        _editable_course(store, course_id)
        _live_course(store, course_id)
        ids = [v.id for v in self.videos]
        if len(set(ids)) != len(ids) or any(store.has_video(i) for i in ids):
            raise InvalidState("Those videos were already added.")
        for video in self.videos:
            clean_title(video.title, "video title")
            if video.deleted_at is not None:
                raise InvalidState("A new video can't start in the Trash.")
            _check_technical_values(fields_of(video, TECHNICAL_VIDEO_FIELDS))
        if self.chapter_id is None and self.index is not None:
            raise InvalidState("The library has no positions.")
        if self.chapter_id is not None:
            chapter = _live_chapter(store, self.chapter_id)
            if chapter.course_id != course_id:
                raise MoveRefused(f"The chapter '{chapter.title}' belongs to another course.")
            size = len(store.video_ids(chapter.id))
            if self.index is not None and not 0 <= self.index <= size:
                raise InvalidState(f"There is no position {self.index + 1} in that chapter.")

    def perform(self, apply: _Recorder) -> None:
        index = self.index
        if self.chapter_id is not None and index is None:
            index = len(apply.store.video_ids(self.chapter_id))
        for offset, video in enumerate(self.videos):
            placed = dataclasses.replace(
                video,
                title=clean_title(video.title, "video title"),
                chapter_id=self.chapter_id,
                trash_chapter_id=None,
                trash_index=None,
            )
            apply(VideoCreated(placed, None if index is None else index + offset))


@dataclass(frozen=True, slots=True)
class RenameVideo:
    video_id: str
    title: str

    def validate(self, store: Store) -> None:
        _editable_course(store, store.video(self.video_id).course_id)
        clean_title(self.title, "video title")

    def perform(self, apply: _Recorder) -> None:
        video = apply.store.video(self.video_id)
        before, after = _changes(video, {"title": clean_title(self.title, "video title")})
        if after:
            apply(VideoChanged(video.id, before, after))


@dataclass(frozen=True, slots=True)
class MoveVideos:
    """Move a selection into a chapter, landing as one block before the video now at
    ``index`` (None: at the end), or unassign it to the library (``chapter_id`` None).

    The selection keeps its order in the course (chapter order, then position), whatever
    order the ids come in. Reordering within a chapter is a move into the same chapter.
    """

    video_ids: tuple[str, ...]
    chapter_id: str | None
    index: int | None = None

    def validate(self, store: Store) -> None:
        videos = [store.video(vid) for vid in _unique(self.video_ids)]
        course_ids = {v.course_id for v in videos}
        _editable_courses(store, course_ids)
        if self.chapter_id is not None:
            _editable_course(store, store.chapter(self.chapter_id).course_id)
        for video in videos:
            if video.deleted_at is not None:
                raise MoveRefused(f"'{video.title}' is in the Trash; restore it first.")
        if self.chapter_id is None:
            if self.index is not None:
                raise InvalidState("The library has no positions.")
            if len(course_ids) > 1:
                raise MoveRefused("Videos of different courses can't be moved together.")
            return
        chapter = _live_chapter(store, self.chapter_id)
        foreign = [v for v in videos if v.course_id != chapter.course_id]
        if foreign:
            raise MoveRefused(
                f"'{foreign[0].title}' belongs to another course than '{chapter.title}'."
            )
        size = len(store.video_ids(chapter.id))
        if self.index is not None and not 0 <= self.index <= size:
            raise InvalidState(f"There is no position {self.index + 1} in '{chapter.title}'.")

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        videos, indexes = _placed(store, [store.video(vid) for vid in _unique(self.video_ids)])
        if self.chapter_id is None:
            apply.many(_moves_to_library(videos, indexes))
        else:
            apply.many(_moves_into(store, videos, indexes, self.chapter_id, self.index))


def _moves_to_library(videos: list[Video], indexes: list[int | None]) -> Iterator[VideoMoved]:
    """The moves that unassign videos (as ``_placed`` gives them), one at a time.

    Videos leave their chapters front to back, so each one's position is its position before
    the edit less the videos that left its chapter before it.
    """
    left: dict[str, int] = {}
    for video, index in zip(videos, indexes, strict=True):
        source = video.chapter_id
        if source is not None:
            assert index is not None
            gone = left.get(source, 0)
            left[source] = gone + 1
            yield video_moved(video.id, video.course_id, source, index - gone, None, None)


def _moves_into(
    store: Store,
    videos: list[Video],
    indexes: list[int | None],
    target: str,
    index: int | None,
) -> Iterator[VideoMoved]:
    """The moves that bring videos (as ``_placed`` gives them) as one block before the video
    now at ``index`` of chapter ``target``, one at a time, each worked out from the store as
    the moves before it left it."""
    order = store.video_ids(target)
    point = len(order) if index is None else index
    moving = {video.id for video in videos}
    # The unmoved video the block will follow, found before anything moves.
    anchor = next((vid for vid in reversed(order[:point]) if vid not in moving), None)
    # Where the video the next one follows stands: the anchor, then each moved video.
    reference = None if anchor is None else order.index(anchor)
    # Videos leave other chapters front to back: each one's position is its position before
    # the edit less the videos that left its chapter before it. Only the target chapter
    # also gains videos; positions there are looked up as they are.
    left: dict[str, int] = {}
    for video, before in zip(videos, indexes, strict=True):
        source = video.chapter_id
        from_index: int | None = None
        to_index = 0
        if source == target:
            from_index = order.index(video.id)
            if reference is not None:
                # Where it lands, measured in the list as it will be once it has left.
                to_index = reference + 1 - (from_index < reference + 1)
            reference = to_index
            if from_index == to_index:
                continue
        else:
            if source is not None:
                assert before is not None
                gone = left.get(source, 0)
                left[source] = gone + 1
                from_index = before - gone
            if reference is not None:
                to_index = reference + 1
            reference = to_index
        yield video_moved(video.id, video.course_id, source, from_index, target, to_index)


@dataclass(frozen=True, slots=True)
class ShiftVideos:
    """Move each selected video one place up (``step`` -1) or down (+1) in its chapter;
    a video blocked by the chapter's edge (or by a blocked neighbour) stays put."""

    video_ids: tuple[str, ...]
    step: int

    def validate(self, store: Store) -> None:
        if self.step not in (-1, 1):
            raise InvalidState("Videos shift one place at a time.")
        _editable_courses(store, (store.video(vid).course_id for vid in self.video_ids))
        for vid in self.video_ids:
            _live_video(store, vid)

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        by_chapter: dict[str, list[int]] = {}
        for vid in _unique(self.video_ids):
            video = store.video(vid)
            if video.chapter_id is not None:
                index = store.video_ids(video.chapter_id).index(vid)
                by_chapter.setdefault(video.chapter_id, []).append(index)
        for chapter_id, indexes in by_chapter.items():
            order = store.video_ids(chapter_id)
            course_id = store.chapter(chapter_id).course_id
            if self.step < 0:
                edge = 0
                for index in sorted(indexes):
                    if index == edge:
                        edge += 1
                        continue
                    apply(
                        VideoMoved(
                            order[index], course_id, chapter_id, index, chapter_id, index - 1
                        )
                    )
            else:
                edge = len(order) - 1
                for index in sorted(indexes, reverse=True):
                    if index == edge:
                        edge -= 1
                        continue
                    apply(
                        VideoMoved(
                            order[index], course_id, chapter_id, index, chapter_id, index + 1
                        )
                    )


@dataclass(frozen=True, slots=True)
class TrashVideos:
    """Soft-delete a selection to the Trash, remembering where each video stood."""

    video_ids: tuple[str, ...]
    at: float = field(default_factory=_now)

    def validate(self, store: Store) -> None:
        _editable_courses(store, (store.video(vid).course_id for vid in self.video_ids))
        for vid in self.video_ids:
            video = store.video(vid)
            if video.deleted_at is not None:
                raise InvalidState(f"'{video.title}' is already in the Trash.")

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        videos = [store.video(vid) for vid in _unique(self.video_ids)]
        _in_placement_order(store, videos, reverse=True)
        for video in videos:
            index = None if video.chapter_id is None else store.video_index(video.id)
            apply(
                VideoTrashed(
                    video.id,
                    video.course_id,
                    video.chapter_id,
                    index,
                    self.at,
                    video.chapter_id,
                    index,
                )
            )


def _restore_into(apply: _Recorder, video: Video, chapter_id: str | None) -> None:
    assert video.deleted_at is not None
    index = None
    if chapter_id is not None:
        size = len(apply.store.video_ids(chapter_id))
        index = min(video.trash_index or 0, size)
    apply(
        VideoRestored(
            video.id,
            video.course_id,
            chapter_id,
            index,
            video.deleted_at,
            video.trash_chapter_id,
            video.trash_index,
        )
    )


@dataclass(frozen=True, slots=True)
class RestoreVideos:
    """Bring videos back from the Trash to where they were, or to the library if their
    chapter is gone."""

    video_ids: tuple[str, ...]

    def validate(self, store: Store) -> None:
        _editable_courses(store, (store.video(vid).course_id for vid in self.video_ids))
        for vid in self.video_ids:
            video = store.video(vid)
            if video.deleted_at is None:
                raise InvalidState(f"'{video.title}' is not in the Trash.")
            _live_course(store, video.course_id)

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        videos = [store.video(vid) for vid in _unique(self.video_ids)]
        # The reverse of how they left, so each lands where it stood: the latest trashed
        # first and, among videos trashed together, front to back.
        videos.sort(
            key=lambda v: (v.trash_chapter_id or "", -(v.deleted_at or 0.0), v.trash_index or 0)
        )
        for video in videos:
            chapter_id = video.trash_chapter_id
            if chapter_id is not None and (
                not store.has_chapter(chapter_id)
                or store.chapter(chapter_id).deleted_at is not None
            ):
                chapter_id = None
            _restore_into(apply, video, chapter_id)


@dataclass(frozen=True, slots=True)
class UpdateVideo:
    """Technical fields set by the background services (status, metadata, hash, remote ids).
    Applied straight to the library, outside the undo history."""

    video_id: str
    changes: Mapping[str, Any]

    def validate(self, store: Store) -> None:
        store.video(self.video_id)
        unknown = set(self.changes) - TECHNICAL_VIDEO_FIELDS
        if unknown:
            raise InvalidState(f"Not a technical field: {', '.join(sorted(unknown))}.")
        status = self.changes.get("status")
        if status is not None and not isinstance(status, VideoStatus):
            raise InvalidState(f"Unknown status {status!r}.")
        _check_technical_values(self.changes)

    def perform(self, apply: _Recorder) -> None:
        video = apply.store.video(self.video_id)
        before, after = _changes(video, self.changes)
        if after:
            apply(VideoChanged(video.id, before, after))


@dataclass(frozen=True, slots=True)
class EmptyTrash:
    """Delete for good everything in the Trash: videos, chapters and whole courses.

    Every trashed course must have been opened (its content loaded) first."""

    def validate(self, store: Store) -> None:
        for course in store.courses(include_trashed=True):
            if course.deleted_at is not None and not store.is_loaded(course.id):
                raise InvalidState(f"The course '{course.title}' must be opened first.")

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        for course in store.courses(include_trashed=True):
            if not store.is_loaded(course.id):
                continue
            if course.deleted_at is not None:
                _purge_course(apply, course)
                continue
            for vid in list(store.trashed_video_ids(course.id)):
                apply(VideoPurged(store.video(vid), None))
            for cid in list(store.trashed_chapter_ids(course.id)):
                apply(ChapterPurged(store.chapter(cid), None))


def _purge_course(apply: _Recorder, course: Course) -> None:
    store = apply.store
    for vid in list(store.library_ids(course.id)):
        apply(VideoPurged(store.video(vid), None))
    for chapter_id in list(store.chapter_ids(course.id)):
        for vid in reversed(list(store.video_ids(chapter_id))):
            index = len(store.video_ids(chapter_id)) - 1
            apply(VideoPurged(store.video(vid), index))
    for vid in list(store.trashed_video_ids(course.id)):
        apply(VideoPurged(store.video(vid), None))
    for chapter_id in reversed(list(store.chapter_ids(course.id))):
        index = len(store.chapter_ids(course.id)) - 1
        apply(ChapterPurged(store.chapter(chapter_id), index))
    for chapter_id in list(store.trashed_chapter_ids(course.id)):
        apply(ChapterPurged(store.chapter(chapter_id), None))
    apply(CoursePurged(store.course(course.id)))


@dataclass(frozen=True, slots=True)
class Batch:
    """Several operations as one edit (one undo step): e.g. an import that adds chapters and
    fills them. Each part is checked against the store as the parts before it left it; if a
    part is refused, the parts already carried out are undone and nothing has changed."""

    operations: tuple[Operation, ...]

    def validate(self, store: Store) -> None:
        if self.operations:
            self.operations[0].validate(store)

    def perform(self, apply: _Recorder) -> None:
        for index, operation in enumerate(self.operations):
            if index:
                operation.validate(apply.store)
            operation.perform(apply)


@dataclass(frozen=True, slots=True)
class DiscardVideos:
    """Remove videos for good without the Trash: rows of an import that turned out unreadable
    or was cancelled before they were ready. Only videos still processing can go this way."""

    video_ids: tuple[str, ...]

    def validate(self, store: Store) -> None:
        for vid in self.video_ids:
            video = store.video(vid)
            if video.status is not VideoStatus.PROCESSING:
                raise InvalidState(f"'{video.title}' is already imported; delete it instead.")

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        for vid in _unique(self.video_ids):
            video = store.video(vid)
            index = None
            if video.deleted_at is None and video.chapter_id is not None:
                index = store.video_ids(video.chapter_id).index(vid)
            apply(VideoPurged(video, index))


@dataclass(frozen=True, slots=True)
class ReplaceVideoContent:
    """Give a video a new file: it keeps its id, title, chapter and position; its content
    and metadata (``changes``: technical fields, e.g. source_path, size_bytes, sha1 ...)
    become the new file's. Undoable, unlike ``UpdateVideo``."""

    video_id: str
    changes: Mapping[str, Any]

    def validate(self, store: Store) -> None:
        _editable_course(store, store.video(self.video_id).course_id)
        UpdateVideo(self.video_id, self.changes).validate(store)

    def perform(self, apply: _Recorder) -> None:
        UpdateVideo(self.video_id, self.changes).perform(apply)


@dataclass(frozen=True, slots=True)
class SetPosterFrame:
    """Make the frame at ``time_s`` seconds the video's thumbnail (None: back to the picture
    taken at import). Undoable: the choice is the instructor's, not a measurement."""

    video_id: str
    time_s: float | None

    def validate(self, store: Store) -> None:
        video = store.video(self.video_id)
        _editable_course(store, video.course_id)
        time_s = self.time_s
        if time_s is None:
            return
        if isinstance(time_s, bool) or not isinstance(time_s, int | float):
            raise InvalidState(f"{time_s!r} is not a moment in the video.")
        if not math.isfinite(time_s) or time_s < 0:
            raise InvalidState(f"{time_s!r} is not a moment in the video.")
        if video.duration_s is not None and time_s > video.duration_s:
            raise InvalidState(f"'{video.title}' is shorter than {time_s:.2f} s.")

    def perform(self, apply: _Recorder) -> None:
        video = apply.store.video(self.video_id)
        wanted = None if self.time_s is None else float(self.time_s)
        before, after = _changes(video, {"thumbnail_time_s": wanted})
        if after:
            apply(VideoChanged(video.id, before, after))


def expected_steps(operation: Operation, store: Store) -> int:
    """About how many steps ``operation`` will take, judged before it runs (for views that
    handle a bulk edit differently from a single one)."""
    estimate = getattr(operation, "estimated_steps", None)
    if estimate is not None:
        return int(estimate(store))
    if isinstance(operation, Revert):
        return len(operation.steps)
    if isinstance(operation, Batch):
        return sum(expected_steps(part, store) for part in operation.operations)
    if isinstance(operation, AddVideos):
        return len(operation.videos)
    if isinstance(operation, TrashChapter):
        return len(store.video_ids(operation.chapter_id)) + 1
    if isinstance(operation, EmptyTrash):
        return (
            sum(
                len(store.trashed_video_ids(c.id)) + len(store.trashed_chapter_ids(c.id))
                for c in store.courses(include_trashed=True)
            )
            + 1
        )
    video_ids = getattr(operation, "video_ids", None)
    if isinstance(video_ids, tuple):
        return len(video_ids)
    return 1


def new_video(
    course_id: str,
    title: str,
    source_path: str,
    *,
    video_id: str | None = None,
    created_at: float | None = None,
    **fields: Any,
) -> Video:
    """A video value ready for ``AddVideos`` (placement is decided by the operation)."""
    return Video(
        id=video_id or new_id(),
        course_id=course_id,
        title=title,
        source_path=source_path,
        created_at=_now() if created_at is None else created_at,
        **fields,
    )


__all__ = [
    "AddChapter",
    "AddVideos",
    "Batch",
    "CreateCourse",
    "DiscardVideos",
    "EmptyTrash",
    "MoveChapter",
    "MoveVideos",
    "NotFound",
    "Operation",
    "RenameChapter",
    "RenameCourse",
    "RenameVideo",
    "ReplaceVideoContent",
    "RestoreChapter",
    "RestoreCourse",
    "RestoreVideos",
    "Revert",
    "SetPosterFrame",
    "ShiftVideos",
    "TrashChapter",
    "TrashCourse",
    "TrashVideos",
    "UpdateVideo",
    "new_video",
]
