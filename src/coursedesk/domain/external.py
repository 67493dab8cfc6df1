"""Bringing the store in line with what another writer saved (another window, an import).

The library reads the rows another writer changed and hands them over as an
``ExternalState``; ``ApplyExternalChanges`` turns the difference into ordinary steps, so views
hear inserts, moves and field changes exactly as for a local edit. It is applied to the store
only: it is never written back and never enters the undo history.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coursedesk.domain.errors import InvalidState
from coursedesk.domain.model import VIDEO_FIELDS, Chapter, Course, Video
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
    VideoChanged,
    VideoCreated,
    VideoMoved,
    VideoPurged,
    VideoRestored,
    VideoTrashed,
)
from coursedesk.domain.store import Store

if TYPE_CHECKING:
    from coursedesk.domain.operations import _Recorder

# Fields that say where a video is rather than what it is; they change through moves,
# trashing and restoring, never through ``VideoChanged``.
PLACEMENT_VIDEO_FIELDS = frozenset({"chapter_id", "deleted_at", "trash_chapter_id", "trash_index"})
_FIXED_VIDEO_FIELDS = frozenset({"id", "course_id"}) | PLACEMENT_VIDEO_FIELDS


@dataclass(frozen=True, slots=True)
class ExternalState:
    """The saved state of some rows: ``None`` for a row that is gone.

    ``video_orders`` holds the complete order of every chapter whose order may have changed,
    ``chapter_orders`` the complete live chapter order of every course whose order may have.
    """

    courses: Mapping[str, Course | None] = field(default_factory=dict)
    chapters: Mapping[str, Chapter | None] = field(default_factory=dict)
    videos: Mapping[str, Video | None] = field(default_factory=dict)
    chapter_orders: Mapping[str, Sequence[str]] = field(default_factory=dict)
    video_orders: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.courses or self.chapters or self.videos)


@dataclass(frozen=True, slots=True)
class ApplyExternalChanges:
    """Make the store show ``state``: what another writer saved. Not undoable."""

    state: ExternalState

    def validate(self, store: Store) -> None:
        # Every step checks its own preconditions; a state that does not fit the store
        # (it should always fit) is refused half-way and rolled back by ``Store.apply``.
        return

    def estimated_steps(self, store: Store) -> int:
        state = self.state
        return len(state.courses) + len(state.chapters) + len(state.videos)

    def perform(self, apply: _Recorder) -> None:
        store = apply.store
        state = self.state
        self._courses_arrive(apply)
        self._chapters_arrive(apply)
        for video_id, video in state.videos.items():
            _follow_video(apply, video_id, video, state.video_orders)
        self._chapters_leave(apply)
        for course_id, order in state.chapter_orders.items():
            if store.is_loaded(course_id):
                _reorder_chapters(apply, course_id, order)
        for chapter_id, order in state.video_orders.items():
            if store.has_chapter(chapter_id) and store.chapter(chapter_id).deleted_at is None:
                _reorder_videos(apply, chapter_id, order)
        for course_id, course in state.courses.items():
            if course is None and store.has_course(course_id):
                apply(CoursePurged(store.course(course_id)))

    def _courses_arrive(self, apply: _Recorder) -> None:
        store = apply.store
        for course_id, course in self.state.courses.items():
            if course is None:
                continue
            if not store.has_course(course_id):
                apply(CourseCreated(course))
                continue
            current = store.course(course_id)
            before = {
                name: getattr(current, name)
                for name in ("title", "deleted_at")
                if getattr(current, name) != getattr(course, name)
            }
            if before:
                apply(CourseChanged(course_id, before, {n: getattr(course, n) for n in before}))

    def _chapters_arrive(self, apply: _Recorder) -> None:
        store = apply.store
        for chapter_id, chapter in self.state.chapters.items():
            if chapter is None or not store.is_loaded(chapter.course_id):
                continue
            course_id = chapter.course_id
            if not store.has_chapter(chapter_id):
                index = (
                    None if chapter.deleted_at is not None else self._chapter_slot(store, chapter)
                )
                apply(ChapterCreated(chapter, index))
                continue
            current = store.chapter(chapter_id)
            if current.deleted_at is not None and (
                chapter.deleted_at is None
                or (chapter.deleted_at, chapter.trash_index)
                != (current.deleted_at, current.trash_index)
            ):
                assert current.trash_index is not None
                apply(
                    ChapterRestored(
                        chapter_id,
                        course_id,
                        self._chapter_slot(store, chapter),
                        current.deleted_at,
                        current.trash_index,
                    )
                )
            if current.title != chapter.title:
                apply(
                    ChapterChanged(chapter_id, {"title": current.title}, {"title": chapter.title})
                )

    def _chapter_slot(self, store: Store, chapter: Chapter) -> int:
        return _slot(
            store.chapter_ids(chapter.course_id),
            self.state.chapter_orders.get(chapter.course_id),
            chapter.id,
        )

    def _chapters_leave(self, apply: _Recorder) -> None:
        store = apply.store
        for chapter_id, chapter in self.state.chapters.items():
            if not store.has_chapter(chapter_id):
                continue
            current = store.chapter(chapter_id)
            if chapter is None:
                apply(ChapterPurged(current, store.chapter_index(chapter_id)))
            elif chapter.deleted_at is not None and current.deleted_at is None:
                index = store.chapter_index(chapter_id)
                assert index is not None and chapter.trash_index is not None
                apply(
                    ChapterTrashed(
                        chapter_id,
                        chapter.course_id,
                        index,
                        chapter.deleted_at,
                        chapter.trash_index,
                    )
                )


def _follow_video(
    apply: _Recorder,
    video_id: str,
    video: Video | None,
    orders: Mapping[str, Sequence[str]],
) -> None:
    """Steps that give one video the saved placement and fields (order is settled later)."""
    store = apply.store

    def arrival(chapter_id: str | None) -> int | None:
        if chapter_id is None:
            return None
        return _slot(store.video_ids(chapter_id), orders.get(chapter_id), video_id)

    current = store.video(video_id) if store.has_video(video_id) else None
    if video is None:
        if current is not None:
            apply(VideoPurged(current, _index_of(store, current)))
        return
    if not store.is_loaded(video.course_id):
        return
    course_id = video.course_id
    if current is None:
        apply(VideoCreated(video, arrival(video.chapter_id) if video.deleted_at is None else None))
        return
    if current.deleted_at is None and video.deleted_at is not None:
        apply(
            VideoTrashed(
                video_id,
                course_id,
                current.chapter_id,
                _index_of(store, current),
                video.deleted_at,
                video.trash_chapter_id,
                video.trash_index,
            )
        )
    elif current.deleted_at is not None and (
        video.deleted_at is None
        or (video.deleted_at, video.trash_chapter_id, video.trash_index)
        != (current.deleted_at, current.trash_chapter_id, current.trash_index)
    ):
        # Back from the Trash (or into it again at another moment: out, then in).
        target = video.chapter_id if video.deleted_at is None else None
        apply(
            VideoRestored(
                video_id,
                course_id,
                target,
                arrival(target),
                current.deleted_at,
                current.trash_chapter_id,
                current.trash_index,
            )
        )
        if video.deleted_at is not None:
            apply(
                VideoTrashed(
                    video_id,
                    course_id,
                    None,
                    None,
                    video.deleted_at,
                    video.trash_chapter_id,
                    video.trash_index,
                )
            )
    elif current.deleted_at is None and current.chapter_id != video.chapter_id:
        apply(
            VideoMoved(
                video_id,
                course_id,
                current.chapter_id,
                _index_of(store, current),
                video.chapter_id,
                arrival(video.chapter_id),
            )
        )
    current = store.video(video_id)
    before = {
        name: value
        for name in VIDEO_FIELDS
        if name not in _FIXED_VIDEO_FIELDS
        and (value := getattr(current, name)) != getattr(video, name)
    }
    if before:
        apply(VideoChanged(video_id, before, {name: getattr(video, name) for name in before}))


def _index_of(store: Store, video: Video) -> int | None:
    if video.deleted_at is not None or video.chapter_id is None:
        return None
    return store.video_ids(video.chapter_id).index(video.id)


def _slot(shown: Sequence[str], saved: Sequence[str] | None, key: str) -> int:
    """Where an item arriving in a list goes: right after the nearest item before it in the
    saved order that the list already shows (so most arrivals need no move afterwards)."""
    if saved is None or key not in saved:
        return len(shown)
    present = set(shown)
    position = saved.index(key)
    for before in reversed(saved[:position]):
        if before in present:
            return list(shown).index(before) + 1
    return 0


def _reorder_videos(apply: _Recorder, chapter_id: str, target: Sequence[str]) -> None:
    current = list(apply.store.video_ids(chapter_id))
    if current == list(target):
        return
    if set(current) != set(target):
        raise InvalidState("The chapter's videos are out of step with the library.")
    course_id = apply.store.chapter(chapter_id).course_id
    for video_id, from_index, to_index in reorder_moves(current, target):
        apply(VideoMoved(video_id, course_id, chapter_id, from_index, chapter_id, to_index))


def _reorder_chapters(apply: _Recorder, course_id: str, target: Sequence[str]) -> None:
    current = list(apply.store.chapter_ids(course_id))
    if current == list(target):
        return
    if set(current) != set(target):
        raise InvalidState("The course's chapters are out of step with the library.")
    for chapter_id, from_index, to_index in reorder_moves(current, target):
        apply(ChapterMoved(chapter_id, course_id, from_index, to_index))


def reorder_moves(current: Sequence[str], target: Sequence[str]) -> list[tuple[str, int, int]]:
    """Few moves (item, from, to) that turn ``current`` into ``target`` (same items).

    The longest run of items already in target order stays put; every other item is put
    right after its predecessor in ``target``, in target order. Indexes are as in the steps:
    ``from`` in the list before the move, ``to`` in the list after it.
    """
    position = {item: i for i, item in enumerate(target)}
    staying = _longest_increasing([position[item] for item in current])
    work = list(current)
    moves: list[tuple[str, int, int]] = []
    for t, item in enumerate(target):
        if t in staying:
            continue
        from_index = work.index(item)
        del work[from_index]
        to_index = work.index(target[t - 1]) + 1 if t > 0 else 0
        work.insert(to_index, item)
        if from_index != to_index:
            moves.append((item, from_index, to_index))
    return moves


def _longest_increasing(values: list[int]) -> set[int]:
    """The values of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []  # smallest tail value of an increasing run of each length
    tail_at: list[int] = []  # index in ``values`` of that tail
    previous: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        length = bisect.bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[length] = value
            tail_at[length] = i
        previous[i] = tail_at[length - 1] if length else -1
    kept: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        kept.add(values[i])
        i = previous[i]
    return kept
