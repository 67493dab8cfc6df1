"""The primitive changes of the store.

Every operation is carried out as a sequence of steps. A step is three things at once:

* a fine-grained change event: listeners (Qt item models) hear ``before(step)`` and
  ``after(step)`` around it and map it one-to-one onto insert / move / remove / dataChanged;
* the unit of persistence: the library writes the rows a step touched;
* the unit of undo: ``step.inverse()`` is its exact opposite, so an operation's inverse is the
  inverses of its steps in reverse order.

Indexes are positions in a chapter's video list (or a course's chapter list): a removal's index
is where the item stood before the step, an insertion's index where it stands after it.
A chapter of ``None`` means the course's library (unassigned videos), which has no order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from coursedesk.domain.model import Chapter, Course, Video
from coursedesk.domain.quick_values import quick_builder


@dataclass(frozen=True, slots=True)
class VideoCreated:
    """A video enters the store: live in a chapter or the library, or (on undo) in the Trash."""

    video: Video
    index: int | None

    def inverse(self) -> VideoPurged:
        return VideoPurged(self.video, self.index)


@dataclass(frozen=True, slots=True)
class VideoPurged:
    """A video leaves the store for good (emptying the Trash, or undoing its creation)."""

    video: Video
    index: int | None

    def inverse(self) -> VideoCreated:
        return VideoCreated(self.video, self.index)


@dataclass(frozen=True, slots=True)
class VideoMoved:
    """A live video changes place: within a chapter, between chapters, or to/from the library."""

    video_id: str
    course_id: str
    from_chapter_id: str | None
    from_index: int | None
    to_chapter_id: str | None
    to_index: int | None

    def inverse(self) -> VideoMoved:
        return _moved_back(self)


@dataclass(frozen=True, slots=True)
class VideoChanged:
    """Some of a video's fields change value (title, status, metadata ...)."""

    video_id: str
    before: dict[str, Any]
    after: dict[str, Any]

    def inverse(self) -> VideoChanged:
        return VideoChanged(self.video_id, self.after, self.before)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.after)


@dataclass(frozen=True, slots=True)
class VideoTrashed:
    """A live video leaves its place for the Trash; it remembers where to go back to."""

    video_id: str
    course_id: str
    chapter_id: str | None
    index: int | None
    deleted_at: float
    trash_chapter_id: str | None
    trash_index: int | None

    def inverse(self) -> VideoRestored:
        return VideoRestored(
            self.video_id,
            self.course_id,
            self.chapter_id,
            self.index,
            self.deleted_at,
            self.trash_chapter_id,
            self.trash_index,
        )


@dataclass(frozen=True, slots=True)
class VideoRestored:
    """A video comes back from the Trash to the given place."""

    video_id: str
    course_id: str
    chapter_id: str | None
    index: int | None
    deleted_at: float
    trash_chapter_id: str | None
    trash_index: int | None

    def inverse(self) -> VideoTrashed:
        return VideoTrashed(
            self.video_id,
            self.course_id,
            self.chapter_id,
            self.index,
            self.deleted_at,
            self.trash_chapter_id,
            self.trash_index,
        )


@dataclass(frozen=True, slots=True)
class ChapterCreated:
    """A chapter enters the store: live at ``index``, or (on undo) in the Trash."""

    chapter: Chapter
    index: int | None

    def inverse(self) -> ChapterPurged:
        return ChapterPurged(self.chapter, self.index)


@dataclass(frozen=True, slots=True)
class ChapterPurged:
    """An empty chapter leaves the store for good."""

    chapter: Chapter
    index: int | None

    def inverse(self) -> ChapterCreated:
        return ChapterCreated(self.chapter, self.index)


@dataclass(frozen=True, slots=True)
class ChapterMoved:
    """A chapter changes position within its course."""

    chapter_id: str
    course_id: str
    from_index: int
    to_index: int

    def inverse(self) -> ChapterMoved:
        return ChapterMoved(self.chapter_id, self.course_id, self.to_index, self.from_index)


@dataclass(frozen=True, slots=True)
class ChapterChanged:
    """Some of a chapter's fields change value (its title)."""

    chapter_id: str
    before: dict[str, Any]
    after: dict[str, Any]

    def inverse(self) -> ChapterChanged:
        return ChapterChanged(self.chapter_id, self.after, self.before)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.after)


@dataclass(frozen=True, slots=True)
class ChapterTrashed:
    """An empty live chapter leaves ``index`` for the Trash, remembering ``trash_index``."""

    chapter_id: str
    course_id: str
    index: int
    deleted_at: float
    trash_index: int

    def inverse(self) -> ChapterRestored:
        return ChapterRestored(
            self.chapter_id, self.course_id, self.index, self.deleted_at, self.trash_index
        )


@dataclass(frozen=True, slots=True)
class ChapterRestored:
    """A chapter comes back from the Trash at ``index``."""

    chapter_id: str
    course_id: str
    index: int
    deleted_at: float
    trash_index: int

    def inverse(self) -> ChapterTrashed:
        return ChapterTrashed(
            self.chapter_id, self.course_id, self.index, self.deleted_at, self.trash_index
        )


@dataclass(frozen=True, slots=True)
class CourseCreated:
    course: Course

    def inverse(self) -> CoursePurged:
        return CoursePurged(self.course)


@dataclass(frozen=True, slots=True)
class CoursePurged:
    """An empty course leaves the store for good."""

    course: Course

    def inverse(self) -> CourseCreated:
        return CourseCreated(self.course)


@dataclass(frozen=True, slots=True)
class CourseChanged:
    """Some of a course's fields change value (title; ``deleted_at`` when trashed/restored)."""

    course_id: str
    before: dict[str, Any]
    after: dict[str, Any]

    def inverse(self) -> CourseChanged:
        return CourseChanged(self.course_id, self.after, self.before)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.after)


_MOVED_FIELDS = (
    "video_id",
    "course_id",
    "from_chapter_id",
    "from_index",
    "to_chapter_id",
    "to_index",
)

video_moved: Callable[[str, str, str | None, int | None, str | None, int | None], VideoMoved] = (
    quick_builder(VideoMoved, "video_moved", _MOVED_FIELDS, {f: f for f in _MOVED_FIELDS})
)
video_moved.__doc__ = (
    "``VideoMoved(...)`` (the same arguments), made in a quarter of the time: the bulk "
    "edits make these by the hundred."
)

_moved_back: Callable[[VideoMoved], VideoMoved] = quick_builder(
    VideoMoved,
    "moved_back",
    ("step",),
    {
        "video_id": "step.video_id",
        "course_id": "step.course_id",
        "from_chapter_id": "step.to_chapter_id",
        "from_index": "step.to_index",
        "to_chapter_id": "step.from_chapter_id",
        "to_index": "step.from_index",
    },
)


Step = (
    VideoCreated
    | VideoPurged
    | VideoMoved
    | VideoChanged
    | VideoTrashed
    | VideoRestored
    | ChapterCreated
    | ChapterPurged
    | ChapterMoved
    | ChapterChanged
    | ChapterTrashed
    | ChapterRestored
    | CourseCreated
    | CoursePurged
    | CourseChanged
)

STEP_KINDS: frozenset[type] = frozenset(get_args(Step))
"""Every class of step (for listeners that name the ones they follow)."""
