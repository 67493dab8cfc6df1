"""What a drop on the chapter tree does, decided from the drag's payload and the spot.

Qt describes a drop spot as (row, parent): between rows ``row`` and ``row - 1`` of the parent,
or onto the parent itself when ``row`` is -1. The tree model turns that into a ``DropSpot``;
``DropPlanner.plan`` says which edit the drop makes, or None when it can't land there.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMimeData

from coursedesk.domain.store import Store
from coursedesk.ui import tree_edits
from coursedesk.ui.mime import CHAPTER_IDS_MIME, VIDEO_IDS_MIME, decode_ids

URI_LIST_MIME = "text/uri-list"


@dataclass(frozen=True, slots=True)
class DropSpot:
    """Before ``row`` (-1: onto the parent) of the top level, of chapter ``chapter_row``, or
    of video ``video_row`` of that chapter (a video has no rows: that means before it)."""

    row: int
    chapter_row: int | None = None
    video_row: int | None = None


@dataclass(frozen=True, slots=True)
class FileDrop:
    """Files from outside to import into ``chapter_id`` before ``index`` (None: the end);
    ``chapter_id`` None: into new chapters made from the dropped folders."""

    paths: list[str]
    chapter_id: str | None
    index: int | None


DropPlan = tree_edits.Edit | FileDrop | None


class DropPlanner:
    """Plans drops for one course's tree."""

    def __init__(self, store: Store, course_id: str | None) -> None:
        self._store = store
        self._course_id = course_id
        self._decoded: tuple[int, list[str]] = (0, [])

    def plan(self, data: QMimeData, spot: DropSpot, *, accept_files: bool) -> DropPlan:
        if self._course_id is None:
            return None
        if data.hasFormat(VIDEO_IDS_MIME):
            ids = self._ids(data, VIDEO_IDS_MIME)
            target = self.video_target(spot)
            if not ids or target is None or not all(map(self._live_video_here, ids)):
                return None
            return tree_edits.move_videos(ids, *target)
        if data.hasFormat(CHAPTER_IDS_MIME):
            ids = self._ids(data, CHAPTER_IDS_MIME)
            if len(ids) != 1 or not self._live_chapter_here(ids[0]):
                return None
            before = self.chapter_target(ids[0], spot)
            return None if before is None else tree_edits.chapter_drop(ids[0], before)
        if data.hasUrls() and accept_files:
            paths = [url.toLocalFile() for url in data.urls() if url.isLocalFile()]
            if not paths:
                return None
            # On the empty space below the rows (or a tree with no chapter yet): the dropped
            # folders become chapters of their own.
            below_rows = spot.chapter_row is None and spot.row < 0
            target = None if below_rows else self.video_target(spot)
            if target is None:
                return FileDrop(paths, None, None)
            return FileDrop(paths, *target)
        return None

    def video_target(self, spot: DropSpot) -> tuple[str, int | None] | None:
        """(chapter, index to insert before, None for its end) for videos dropped at ``spot``."""
        assert self._course_id is not None
        chapters = self._store.chapter_ids(self._course_id)
        if not chapters:
            return None
        if spot.chapter_row is None:
            # Between chapter rows: the end of the chapter above (the top of the first one);
            # on the empty area below the rows: the end of the last chapter.
            if spot.row == 0:
                return chapters[0], 0
            if spot.row < 0 or spot.row > len(chapters):
                return chapters[-1], None
            return chapters[spot.row - 1], None
        chapter_id = chapters[spot.chapter_row]
        if spot.video_row is not None:
            return chapter_id, spot.video_row
        size = len(self._store.video_ids(chapter_id))
        return chapter_id, (None if spot.row < 0 or spot.row >= size else spot.row)

    def chapter_target(self, chapter_id: str, spot: DropSpot) -> int | None:
        """The position a dragged chapter lands before; None among videos."""
        assert self._course_id is not None
        count = len(self._store.chapter_ids(self._course_id))
        if spot.chapter_row is None:
            return count if spot.row < 0 or spot.row > count else spot.row
        if spot.video_row is None and spot.row < 0:
            # Onto a chapter: take its place, coming from above or from below.
            current = self._store.chapter_index(chapter_id)
            assert current is not None
            return spot.chapter_row + 1 if current < spot.chapter_row else spot.chapter_row
        return None

    def _ids(self, data: QMimeData, mime_type: str) -> list[str]:
        # Qt asks on every mouse move of a drag; decode a large payload only once.
        key = hash((mime_type, bytes(data.data(mime_type).data())))
        if self._decoded[0] != key:
            self._decoded = (key, decode_ids(data, mime_type))
        return self._decoded[1]

    def _live_video_here(self, video_id: str) -> bool:
        if not self._store.has_video(video_id):
            return False
        video = self._store.video(video_id)
        return video.course_id == self._course_id and video.deleted_at is None

    def _live_chapter_here(self, chapter_id: str) -> bool:
        if not self._store.has_chapter(chapter_id):
            return False
        chapter = self._store.chapter(chapter_id)
        return chapter.course_id == self._course_id and chapter.deleted_at is None
