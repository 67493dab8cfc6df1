"""Store listeners for tests: a log of change events, and a mirror of the store's structure.

``StoreMirror`` keeps chapter order, video order, the library and the Trash purely from the
events it hears, the way an item model following the store keeps its rows. A store whose
events are complete and correctly indexed keeps the mirror equal to itself; ``mismatches``
says where they differ. The mirror also checks, when it hears ``before(step)``, that the
step's indexes make sense against what it shows at that moment — a Qt model calls
``beginMoveRows``/``beginRemoveRows`` there, with exactly those indexes.
"""

from __future__ import annotations

from typing import TypeVar

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
from coursedesk.domain.store import Store

S = TypeVar("S")


class MirrorDiverged(AssertionError):
    """An event does not fit what the listener has been told so far."""


class EventLog:
    """Records every ``before``/``after`` call and checks they come in matching pairs."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Step]] = []

    def before(self, step: Step) -> None:
        if self.calls and self.calls[-1][0] == "before":
            raise MirrorDiverged(f"before({step}) while {self.calls[-1][1]} is unfinished")
        self.calls.append(("before", step))

    def after(self, step: Step) -> None:
        if not self.calls or self.calls[-1] != ("before", step):
            raise MirrorDiverged(f"after({step}) without its before()")
        self.calls.append(("after", step))

    @property
    def steps(self) -> list[Step]:
        """The steps that completed, in order."""
        return [step for phase, step in self.calls if phase == "after"]

    def of_type(self, kind: type[S]) -> list[S]:
        return [step for step in self.steps if isinstance(step, kind)]

    def clear(self) -> None:
        self.calls.clear()


class StoreMirror:
    """The store's structure, rebuilt from change events alone.

    Seeded from the store's current state (as a model is when created), then changed only
    by the events it hears. Covers the courses that are open in the store.
    """

    def __init__(self, store: Store | None = None) -> None:
        self.chapter_order: dict[str, list[str]] = {}
        self.video_order: dict[str, list[str]] = {}
        self.library: dict[str, set[str]] = {}
        self.trashed_videos: dict[str, set[str]] = {}
        self.trashed_chapters: dict[str, set[str]] = {}
        self.trashed_courses: set[str] = set()
        self._pending: Step | None = None
        if store is not None:
            self._seed(store)

    def _seed(self, store: Store) -> None:
        for course in store.courses(include_trashed=True):
            if not store.is_loaded(course.id):
                continue
            self._open_course(course.id)
            if course.deleted_at is not None:
                self.trashed_courses.add(course.id)
            for chapter_id in store.chapter_ids(course.id):
                self.chapter_order[course.id].append(chapter_id)
                self.video_order[chapter_id] = list(store.video_ids(chapter_id))
            self.library[course.id].update(store.library_ids(course.id))
            self.trashed_videos[course.id].update(store.trashed_video_ids(course.id))
            self.trashed_chapters[course.id].update(store.trashed_chapter_ids(course.id))

    def _open_course(self, course_id: str) -> None:
        self.chapter_order[course_id] = []
        self.library[course_id] = set()
        self.trashed_videos[course_id] = set()
        self.trashed_chapters[course_id] = set()

    # ----------------------------------------------------------------- listening

    def before(self, step: Step) -> None:
        if self._pending is not None:
            raise MirrorDiverged(f"before({step}) while {self._pending} is unfinished")
        self._check(step)
        self._pending = step

    def after(self, step: Step) -> None:
        if self._pending != step:
            raise MirrorDiverged(f"after({step}) but before() was for {self._pending}")
        self._pending = None
        self._follow(step)

    # ----------------------------------------------------------------- comparing

    def mismatches(self, store: Store) -> list[str]:
        """Where the mirror and the store disagree (empty when they agree)."""
        problems: list[str] = []
        loaded = [c for c in store.courses(include_trashed=True) if store.is_loaded(c.id)]
        if set(self.chapter_order) != {c.id for c in loaded}:
            problems.append(f"open courses: mirror {sorted(self.chapter_order)}")
        trashed = {c.id for c in loaded if c.deleted_at is not None}
        if self.trashed_courses != trashed:
            problems.append(f"trashed courses: mirror {self.trashed_courses}, store {trashed}")
        live_chapters: set[str] = set()
        for course in loaded:
            order = list(store.chapter_ids(course.id))
            live_chapters.update(order)
            if self.chapter_order.get(course.id) != order:
                problems.append(
                    f"chapters of {course.id}: mirror {self.chapter_order.get(course.id)}, "
                    f"store {order}"
                )
            for chapter_id in order:
                videos = list(store.video_ids(chapter_id))
                if self.video_order.get(chapter_id) != videos:
                    problems.append(
                        f"videos of {chapter_id}: mirror {self.video_order.get(chapter_id)}, "
                        f"store {videos}"
                    )
            for name, mine, theirs in (
                ("library", self.library, store.library_ids(course.id)),
                ("trashed videos", self.trashed_videos, store.trashed_video_ids(course.id)),
                ("trashed chapters", self.trashed_chapters, store.trashed_chapter_ids(course.id)),
            ):
                if mine.get(course.id) != set(theirs):
                    problems.append(
                        f"{name} of {course.id}: mirror {mine.get(course.id)}, store {set(theirs)}"
                    )
        if set(self.video_order) != live_chapters:
            problems.append(f"mirror orders videos of chapters {set(self.video_order)}")
        return problems

    def assert_matches(self, store: Store) -> None:
        problems = self.mismatches(store)
        if problems:
            raise MirrorDiverged("; ".join(problems))

    # ----------------------------------------------------------------- checking a step

    def _require(self, condition: bool, step: Step, what: str) -> None:
        if not condition:
            raise MirrorDiverged(f"{what}: {step}")

    def _require_at(
        self, step: Step, course_id: str, chapter_id: str | None, index: int | None, video_id: str
    ) -> None:
        """The video is where the step says it leaves from."""
        if chapter_id is None:
            self._require(index is None, step, "a library position")
            self._require(video_id in self.library.get(course_id, ()), step, "not in library")
        else:
            order = self.video_order.get(chapter_id)
            self._require(order is not None, step, "unknown chapter")
            assert order is not None
            self._require(
                index is not None and 0 <= index < len(order) and order[index] == video_id,
                step,
                f"not at that index (chapter holds {order})",
            )

    def _require_slot(
        self, step: Step, chapter_id: str | None, index: int | None, size_change: int = 0
    ) -> None:
        """The step inserts at a position that exists (after ``size_change`` removals)."""
        if chapter_id is None:
            self._require(index is None, step, "a library position")
            return
        order = self.video_order.get(chapter_id)
        self._require(order is not None, step, "insertion into unknown chapter")
        assert order is not None
        size = len(order) + size_change
        self._require(index is not None and 0 <= index <= size, step, "no such position")

    def _check(self, step: Step) -> None:
        match step:
            case VideoCreated(video, index):
                if video.deleted_at is None:
                    self._require_slot(step, video.chapter_id, index)
            case VideoPurged(video, index):
                if video.deleted_at is None:
                    self._require_at(step, video.course_id, video.chapter_id, index, video.id)
                else:
                    self._require(
                        video.id in self.trashed_videos.get(video.course_id, ()),
                        step,
                        "not in the Trash",
                    )
            case VideoMoved(video_id, course_id, from_chapter, from_index, to_chapter, to_index):
                self._require_at(step, course_id, from_chapter, from_index, video_id)
                same = from_chapter is not None and from_chapter == to_chapter
                self._require_slot(step, to_chapter, to_index, -1 if same else 0)
            case VideoTrashed(video_id, course_id, chapter_id, index):
                self._require_at(step, course_id, chapter_id, index, video_id)
            case VideoRestored(video_id, course_id, chapter_id, index):
                self._require(
                    video_id in self.trashed_videos.get(course_id, ()), step, "not in the Trash"
                )
                self._require_slot(step, chapter_id, index)
            case VideoChanged(video_id):
                self._require(self._knows_video(video_id), step, "unknown video")
            case ChapterCreated(chapter, index):
                if chapter.deleted_at is None:
                    order = self.chapter_order.get(chapter.course_id)
                    self._require(order is not None, step, "course not open")
                    assert order is not None
                    self._require(
                        index is not None and 0 <= index <= len(order), step, "no such position"
                    )
            case ChapterPurged(chapter, index):
                if chapter.deleted_at is None:
                    assert index is not None
                    self._require_chapter_at(step, chapter.course_id, index, chapter.id)
                    self._require(not self.video_order[chapter.id], step, "chapter not empty")
                else:
                    self._require(
                        chapter.id in self.trashed_chapters.get(chapter.course_id, ()),
                        step,
                        "not in the Trash",
                    )
            case ChapterMoved(chapter_id, course_id, from_index, to_index):
                self._require_chapter_at(step, course_id, from_index, chapter_id)
                size = len(self.chapter_order[course_id])
                self._require(0 <= to_index < size, step, "no such position")
            case ChapterTrashed(chapter_id, course_id, index):
                self._require_chapter_at(step, course_id, index, chapter_id)
                self._require(not self.video_order[chapter_id], step, "chapter not empty")
            case ChapterRestored(chapter_id, course_id, index):
                self._require(
                    chapter_id in self.trashed_chapters.get(course_id, ()),
                    step,
                    "not in the Trash",
                )
                size = len(self.chapter_order[course_id])
                self._require(0 <= index <= size, step, "no such position")
            case ChapterChanged(chapter_id):
                self._require(self._knows_chapter(chapter_id), step, "unknown chapter")
            case CourseCreated(course):
                self._require(course.id not in self.chapter_order, step, "course already open")
            case CoursePurged(course):
                self._require(
                    not self.chapter_order.get(course.id)
                    and not self.library.get(course.id)
                    and not self.trashed_videos.get(course.id)
                    and not self.trashed_chapters.get(course.id),
                    step,
                    "course not empty",
                )
            case CourseChanged():
                pass

    def _require_chapter_at(self, step: Step, course_id: str, index: int, chapter_id: str) -> None:
        order = self.chapter_order.get(course_id, [])
        self._require(
            0 <= index < len(order) and order[index] == chapter_id,
            step,
            f"chapter not at that index (course holds {order})",
        )

    def _knows_video(self, video_id: str) -> bool:
        return (
            any(video_id in order for order in self.video_order.values())
            or any(video_id in ids for ids in self.library.values())
            or any(video_id in ids for ids in self.trashed_videos.values())
        )

    def _knows_chapter(self, chapter_id: str) -> bool:
        return chapter_id in self.video_order or any(
            chapter_id in ids for ids in self.trashed_chapters.values()
        )

    # ----------------------------------------------------------------- following a step

    def _place(self, course_id: str, chapter_id: str | None, index: int | None, vid: str) -> None:
        if chapter_id is None:
            self.library[course_id].add(vid)
        else:
            assert index is not None
            self.video_order[chapter_id].insert(index, vid)

    def _leave(self, course_id: str, chapter_id: str | None, index: int | None, vid: str) -> None:
        if chapter_id is None:
            self.library[course_id].discard(vid)
        else:
            assert index is not None
            del self.video_order[chapter_id][index]

    def _follow(self, step: Step) -> None:
        match step:
            case VideoCreated(video, index):
                if video.deleted_at is None:
                    self._place(video.course_id, video.chapter_id, index, video.id)
                else:
                    self.trashed_videos[video.course_id].add(video.id)
            case VideoPurged(video, index):
                if video.deleted_at is None:
                    self._leave(video.course_id, video.chapter_id, index, video.id)
                else:
                    self.trashed_videos[video.course_id].discard(video.id)
            case VideoMoved(video_id, course_id, from_chapter, from_index, to_chapter, to_index):
                self._leave(course_id, from_chapter, from_index, video_id)
                self._place(course_id, to_chapter, to_index, video_id)
            case VideoTrashed(video_id, course_id, chapter_id, index):
                self._leave(course_id, chapter_id, index, video_id)
                self.trashed_videos[course_id].add(video_id)
            case VideoRestored(video_id, course_id, chapter_id, index):
                self.trashed_videos[course_id].discard(video_id)
                self._place(course_id, chapter_id, index, video_id)
            case ChapterCreated(chapter, index):
                if chapter.deleted_at is None:
                    assert index is not None
                    self.chapter_order[chapter.course_id].insert(index, chapter.id)
                    self.video_order[chapter.id] = []
                else:
                    self.trashed_chapters[chapter.course_id].add(chapter.id)
            case ChapterPurged(chapter, index):
                if chapter.deleted_at is None:
                    assert index is not None
                    del self.chapter_order[chapter.course_id][index]
                    del self.video_order[chapter.id]
                else:
                    self.trashed_chapters[chapter.course_id].discard(chapter.id)
            case ChapterMoved(chapter_id, course_id, from_index, to_index):
                order = self.chapter_order[course_id]
                del order[from_index]
                order.insert(to_index, chapter_id)
            case ChapterTrashed(chapter_id, course_id, index):
                del self.chapter_order[course_id][index]
                del self.video_order[chapter_id]
                self.trashed_chapters[course_id].add(chapter_id)
            case ChapterRestored(chapter_id, course_id, index):
                self.trashed_chapters[course_id].discard(chapter_id)
                self.chapter_order[course_id].insert(index, chapter_id)
                self.video_order[chapter_id] = []
            case CourseCreated(course):
                self._open_course(course.id)
                if course.deleted_at is not None:
                    self.trashed_courses.add(course.id)
            case CoursePurged(course):
                for table in (
                    self.chapter_order,
                    self.library,
                    self.trashed_videos,
                    self.trashed_chapters,
                ):
                    del table[course.id]
                self.trashed_courses.discard(course.id)
            case CourseChanged(course_id, _, after):
                if "deleted_at" in after:
                    if after["deleted_at"] is None:
                        self.trashed_courses.discard(course_id)
                    else:
                        self.trashed_courses.add(course_id)
            case VideoChanged() | ChapterChanged():
                pass
