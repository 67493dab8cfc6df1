"""Small courses for tests, built through the store's own operations, with readable ids.

Ids are derived from the course id (``c1:ch2``, ``c1:v2.3``, ``c1:lib1``) so a failing
assertion names the video it is about. Every video gets a distinct duration and size, so
totals that count the wrong video are caught.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from tests.support.mirror import EventLog

from coursedesk.domain.errors import DomainError
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.model import Video
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    Operation,
    new_video,
)
from coursedesk.domain.store import Applied, Store, Totals


@dataclass(frozen=True)
class CourseIds:
    """The ids of a course built by ``make_course``, in the order the store holds them."""

    course_id: str
    chapter_ids: tuple[str, ...]
    videos: dict[str, tuple[str, ...]]
    library_ids: tuple[str, ...]

    def chapter(self, number: int) -> str:
        """The id of chapter ``number`` (1-based, as an instructor counts)."""
        return self.chapter_ids[number - 1]

    def video(self, chapter: int, number: int) -> str:
        """The id of video ``number`` of chapter ``chapter`` (both 1-based)."""
        return self.videos[self.chapter(chapter)][number - 1]

    def videos_of(self, chapter: int) -> list[str]:
        return list(self.videos[self.chapter(chapter)])


def video_value(course_id: str, title: str, *, video_id: str | None = None, **fields: Any) -> Video:
    """A new video value for ``AddVideos``, with a made-up source path."""
    return new_video(
        course_id,
        title,
        f"/clips/{video_id or title}.mp4",
        video_id=video_id,
        created_at=fields.pop("created_at", 1_000.0),
        **fields,
    )


def make_course(
    store: Store,
    *,
    chapters: int = 3,
    videos_per_chapter: int = 5,
    library: int = 2,
    course_id: str = "c1",
    title: str = "Intro to Photography",
) -> CourseIds:
    """Create a course with ``chapters`` chapters of ``videos_per_chapter`` videos each and
    ``library`` unassigned videos; chapter n's video m is titled "Video n.m"."""
    store.apply(CreateCourse(title, course_id=course_id, created_at=1_000.0))
    chapter_ids: list[str] = []
    videos: dict[str, tuple[str, ...]] = {}
    for n in range(1, chapters + 1):
        chapter_id = f"{course_id}:ch{n}"
        store.apply(
            AddChapter(course_id, f"Chapter {n}", chapter_id=chapter_id, created_at=1_000.0)
        )
        chapter_ids.append(chapter_id)
        values = tuple(
            video_value(
                course_id,
                f"Video {n}.{m}",
                video_id=f"{course_id}:v{n}.{m}",
                duration_s=60.0 * n + m + 0.25,
                size_bytes=1_000_000 * n + 1_000 * m,
            )
            for m in range(1, videos_per_chapter + 1)
        )
        store.apply(AddVideos(values, chapter_id))
        videos[chapter_id] = tuple(v.id for v in values)
    unassigned = tuple(
        video_value(
            course_id,
            f"Clip {k}",
            video_id=f"{course_id}:lib{k}",
            duration_s=10.5 * k,
            size_bytes=500 * k,
        )
        for k in range(1, library + 1)
    )
    if unassigned:
        store.apply(AddVideos(unassigned))
    check_invariants(store)
    return CourseIds(course_id, tuple(chapter_ids), videos, tuple(v.id for v in unassigned))


def apply_checked(store: Store, operation: Operation) -> Applied:
    """Apply ``operation`` and check the store's invariants afterwards."""
    applied = store.apply(operation)
    check_invariants(store)
    return applied


def assert_refused(
    store: Store, operation: Operation, error: type[DomainError], match: str | None = None
) -> DomainError:
    """Assert the store refuses ``operation`` with ``error``, changing nothing and telling
    no listener anything. Returns the error, for checks on its message."""
    before = store.snapshot()
    log = EventLog()
    store.subscribe(log)
    try:
        with pytest.raises(error, match=match) as refused:
            store.apply(operation)
    finally:
        store.unsubscribe(log)
    assert store.snapshot() == before, "a refused operation changed the store"
    assert log.calls == [], f"a refused operation announced {log.calls}"
    check_invariants(store)
    return refused.value


def apply_undo_redo(store: Store, operation: Operation) -> Applied:
    """Apply ``operation``, then check that its inverse restores the store exactly and that
    the inverse's inverse brings the change back exactly; the change is left applied."""
    before = store.snapshot()
    applied = apply_checked(store, operation)
    after = store.snapshot()
    undone = apply_checked(store, applied.inverse)
    assert store.snapshot() == before, "undo did not restore the store exactly"
    redone = apply_checked(store, undone.inverse)
    assert store.snapshot() == after, "redo did not reproduce the change exactly"
    assert redone.steps == applied.steps
    return applied


def recount(store: Store, video_ids: Iterable[str]) -> Totals:
    """Totals counted afresh from the videos themselves."""
    videos = [store.video(vid) for vid in video_ids]
    micros = sum(round((v.duration_s or 0) * 1_000_000) for v in videos)
    return Totals(len(videos), micros / 1_000_000, sum(v.size_bytes or 0 for v in videos))


def chapter_titles(store: Store, course_id: str) -> list[str]:
    return [store.chapter(cid).title for cid in store.chapter_ids(course_id)]


def video_titles(store: Store, chapter_id: str) -> list[str]:
    return [store.video(vid).title for vid in store.video_ids(chapter_id)]
