"""The chapter tree's edits as values: which operation, under which undo label.

The tree model (drops, inline renames) and the tree view (keys, menus) both turn a selection
into one of these and hand it to the edit session; nothing here touches Qt widgets, so the
labels and the choice of operation are tested on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from coursedesk.domain.model import VideosGo
from coursedesk.domain.operations import (
    MoveChapter,
    MoveVideos,
    Operation,
    RenameChapter,
    RenameVideo,
    ShiftVideos,
    TrashChapter,
    TrashVideos,
)
from coursedesk.domain.store import Store
from coursedesk.editing.commands import MERGE_SHIFT_VIDEOS

Where = Literal["up", "down", "first", "last"]


@dataclass(frozen=True, slots=True)
class Edit:
    """One undo step: the operation and the label the Edit menu shows ("Undo Move 3 videos")."""

    operation: Operation
    label: str
    merge_id: int = -1
    merge_target: tuple[str, ...] = ()


def videos(count: int) -> str:
    """'video', '3 videos': the object of an undo label."""
    return "video" if count == 1 else f"{count} videos"


def chapters(count: int) -> str:
    return "chapter" if count == 1 else f"{count} chapters"


def in_course_order(store: Store, video_ids: Iterable[str]) -> list[str]:
    """Live chapter videos of ``video_ids`` as the course lists them; others dropped."""
    wanted = set(video_ids)
    if not wanted:
        return []
    found: list[str] = []
    chapter_ids = {store.video(v).chapter_id for v in wanted if store.has_video(v)}
    course_ids = {store.video(v).course_id for v in wanted if store.has_video(v)}
    for course_id in course_ids:
        for chapter_id in store.chapter_ids(course_id):
            if chapter_id in chapter_ids:
                found.extend(v for v in store.video_ids(chapter_id) if v in wanted)
    return found


def rename(*, chapter_id: str | None, video_id: str | None, title: str) -> Edit:
    if video_id is not None:
        return Edit(RenameVideo(video_id, title), "Rename video")
    assert chapter_id is not None
    return Edit(RenameChapter(chapter_id, title), "Rename chapter")


def move_videos(video_ids: Sequence[str], chapter_id: str | None, index: int | None) -> Edit:
    """Into ``chapter_id`` before the video now at ``index`` (None: at the end), or to the
    library when ``chapter_id`` is None."""
    label = f"Move {videos(len(video_ids))}"
    return Edit(MoveVideos(tuple(video_ids), chapter_id, index), label)


def shift_videos(video_ids: Sequence[str], step: int) -> Edit:
    """One place up (-1) or down (+1); repeated presses on one selection merge into one step."""
    direction = "up" if step < 0 else "down"
    ids = tuple(video_ids)
    return Edit(
        ShiftVideos(ids, step),
        f"Move {videos(len(ids))} {direction}",
        merge_id=MERGE_SHIFT_VIDEOS,
        merge_target=ids,
    )


def videos_to_edge(store: Store, video_ids: Sequence[str], *, first: bool) -> list[Edit]:
    """To the top (or bottom) of each video's own chapter: one edit per chapter involved."""
    by_chapter: dict[str, list[str]] = {}
    for video_id in video_ids:
        chapter_id = store.video(video_id).chapter_id
        if chapter_id is not None:
            by_chapter.setdefault(chapter_id, []).append(video_id)
    where = "to the top" if first else "to the end"
    return [
        Edit(
            MoveVideos(tuple(ids), chapter_id, 0 if first else None),
            f"Move {videos(len(ids))} {where}",
        )
        for chapter_id, ids in by_chapter.items()
    ]


def move_chapter(store: Store, chapter_id: str, where: Where) -> Edit | None:
    """The chapter one place up or down, or to the first or last place; None if it is
    already there."""
    index = store.chapter_index(chapter_id)
    if index is None:
        return None
    count = len(store.chapter_ids(store.chapter(chapter_id).course_id))
    target = {"up": index - 1, "down": index + 2, "first": 0, "last": count}[where]
    stays = (where in ("up", "first") and index == 0) or (
        where in ("down", "last") and index == count - 1
    )
    if stays:
        return None
    return Edit(
        MoveChapter(chapter_id, target),
        "Move chapter",
        merge_id=MERGE_SHIFT_VIDEOS if where in ("up", "down") else -1,
        merge_target=(chapter_id,) if where in ("up", "down") else (),
    )


def chapter_drop(chapter_id: str, before_row: int) -> Edit:
    """A dragged chapter dropped so it lands before the chapter now at ``before_row``."""
    return Edit(MoveChapter(chapter_id, before_row), "Move chapter")


def trash_videos(video_ids: Sequence[str]) -> Edit:
    return Edit(TrashVideos(tuple(video_ids)), f"Delete {videos(len(video_ids))}")


def trash_chapters(chapter_ids: Sequence[str], videos_go: VideosGo) -> list[Edit]:
    label = f"Delete {chapters(len(chapter_ids))}"
    return [Edit(TrashChapter(cid, videos_go), label) for cid in chapter_ids]
