"""Reading courses out of the library and writing the store's steps into it.

Each applied operation is written as one transaction: the rows its steps touched, in their
final state. Order is kept as fractional ranks, so a move rewrites only the moved rows.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fractional_indexing import FIError, generate_n_keys_between, validate_order_key
from sqlalchemy import Connection, bindparam, delete, insert, select, update

from coursedesk.domain.model import (
    CHAPTER_FIELDS,
    VIDEO_FIELDS,
    Chapter,
    Course,
    Video,
    VideoStatus,
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
)
from coursedesk.domain.store import Store
from coursedesk.persistence.schema import chapters, courses, videos

# Keys grow by about a character each time something is inserted at the same spot; past
# this length the whole list is given fresh, short keys (rare, and still one transaction).
_MAX_RANK_CHARS = 48

_VIDEO_COLUMNS = tuple(name for name in VIDEO_FIELDS)
_STATUS_AT = _VIDEO_COLUMNS.index("status")
_TITLE_AT = _VIDEO_COLUMNS.index("title")
_NOTES_AT = _VIDEO_COLUMNS.index("notes")
_STATUSES: dict[str, VideoStatus] = {str(status): status for status in VideoStatus}
_CHAPTER_COLUMNS = tuple(name for name in CHAPTER_FIELDS)


@dataclass
class _Changes:
    """The rows an operation touched, grouped by what must happen to them."""

    created: dict[str, None] = field(default_factory=dict)
    purged: dict[str, None] = field(default_factory=dict)
    touched: dict[str, None] = field(default_factory=dict)
    reordered: dict[str, None] = field(default_factory=dict)

    def create(self, key: str) -> None:
        if key in self.purged:
            del self.purged[key]
            self.touched[key] = None
        else:
            self.created[key] = None

    def purge(self, key: str) -> None:
        if key in self.created:
            del self.created[key]
        else:
            self.purged[key] = None
        self.touched.pop(key, None)
        self.reordered.pop(key, None)

    def touch(self, key: str, *, reorder: bool = False) -> None:
        if key not in self.created:
            self.touched[key] = None
        if reorder:
            self.reordered[key] = None


def _collect(steps: Iterable[Step]) -> tuple[_Changes, _Changes, _Changes]:
    course_changes, chapter_changes, video_changes = _Changes(), _Changes(), _Changes()
    for step in steps:
        match step:
            case VideoCreated(video=video):
                video_changes.create(video.id)
                video_changes.touch(video.id, reorder=True)
            case VideoPurged(video=video):
                video_changes.purge(video.id)
            case VideoMoved(video_id=vid) | VideoRestored(video_id=vid):
                video_changes.touch(vid, reorder=True)
            case VideoTrashed(video_id=vid):
                video_changes.touch(vid, reorder=True)
            case VideoChanged(video_id=vid):
                video_changes.touch(vid)
            case ChapterCreated(chapter=chapter):
                chapter_changes.create(chapter.id)
                chapter_changes.touch(chapter.id, reorder=True)
            case ChapterPurged(chapter=chapter):
                chapter_changes.purge(chapter.id)
            case ChapterMoved(chapter_id=cid) | ChapterRestored(chapter_id=cid):
                chapter_changes.touch(cid, reorder=True)
            case ChapterTrashed(chapter_id=cid):
                chapter_changes.touch(cid, reorder=True)
            case ChapterChanged(chapter_id=cid):
                chapter_changes.touch(cid)
            case CourseCreated(course=course):
                course_changes.create(course.id)
            case CoursePurged(course=course):
                course_changes.purge(course.id)
            case CourseChanged(course_id=cid):
                course_changes.touch(cid)
    return course_changes, chapter_changes, video_changes


class Repository:
    """Loads courses into a store and writes applied steps back, remembering ranks."""

    def __init__(self) -> None:
        self._video_ranks: dict[str, str] = {}
        self._chapter_ranks: dict[str, str] = {}

    # ------------------------------------------------------------------ reading

    def read_courses(self, connection: Connection) -> list[Course]:
        rows = connection.execute(
            select(courses.c.id, courses.c.title, courses.c.created_at, courses.c.deleted_at)
        )
        return [Course(*row) for row in rows]

    def read_course_content(
        self, connection: Connection, course_id: str
    ) -> tuple[list[Chapter], list[Video], dict[str, list[str]], list[str]]:
        """Chapters (live in order, then trashed), videos, each chapter's order, and problems."""
        problems: list[str] = []
        chapter_rows = connection.execute(
            select(*(chapters.c[name] for name in _CHAPTER_COLUMNS), chapters.c.rank)
            .where(chapters.c.course_id == course_id)
            .order_by(chapters.c.deleted_at.is_not(None), chapters.c.rank, chapters.c.deleted_at)
        ).all()
        loaded_chapters: list[Chapter] = []
        chapter_ranks: dict[str, str] = {}
        for row in chapter_rows:
            values = row._asdict()
            rank = values.pop("rank")
            chapter = Chapter(**values)
            if chapter.deleted_at is None:
                if not _is_rank(rank):
                    problems.append(f"chapter '{chapter.title}' has no valid position")
                else:
                    chapter_ranks[chapter.id] = rank
            loaded_chapters.append(chapter)
        video_rows = connection.execute(
            select(*(videos.c[name] for name in _VIDEO_COLUMNS), videos.c.rank)
            .where(videos.c.course_id == course_id)
            .order_by(videos.c.chapter_id, videos.c.rank)
        ).all()
        loaded_videos: list[Video] = []
        order: dict[str, list[str]] = {}
        video_ranks: dict[str, str] = {}
        # Positional rows (columns in field order, rank last): a course may hold 100,000
        # videos, and building a dict per row would cost a good part of the load time.
        for row in video_rows:
            cells: list[Any] = list(row)
            rank = cells.pop()
            status = _STATUSES.get(cells[_STATUS_AT])
            if status is None:
                problems.append(f"video '{cells[_TITLE_AT]}' has an unknown status")
                continue
            cells[_STATUS_AT] = status
            notes = cells[_NOTES_AT]
            if notes:
                try:
                    cells[_NOTES_AT] = tuple(str(n) for n in json.loads(notes))
                except (ValueError, TypeError):
                    problems.append(f"video '{cells[_TITLE_AT]}' has unreadable notes")
                    continue
            else:
                cells[_NOTES_AT] = ()
            video = Video(*cells)
            loaded_videos.append(video)
            if video.chapter_id is not None:
                if not _is_rank(rank):
                    problems.append(f"video '{video.title}' has no valid position in its chapter")
                    continue
                order.setdefault(video.chapter_id, []).append(video.id)
                video_ranks[video.id] = rank
        self._chapter_ranks.update(chapter_ranks)
        self._video_ranks.update(video_ranks)
        return loaded_chapters, loaded_videos, order, problems

    def forget_course(self, store: Store, course_id: str) -> None:
        for chapter_id in store.chapter_ids(course_id):
            self._chapter_ranks.pop(chapter_id, None)
            for video_id in store.video_ids(chapter_id):
                self._video_ranks.pop(video_id, None)

    # ------------------------------------------------------------------ writing

    def write(self, connection: Connection, store: Store, steps: Iterable[Step]) -> _RankUpdate:
        """Write the rows ``steps`` touched, in their final state, on ``connection``.

        Returns the new ranks; call ``remember`` with them once the transaction committed.
        """
        now = time.time()
        course_changes, chapter_changes, video_changes = _collect(steps)
        ranks = _RankUpdate()
        self._rank_chapters(store, chapter_changes, ranks)
        self._rank_videos(store, video_changes, ranks)

        # Rows leaving for good give up their ranks and videos first; chapters and courses are
        # deleted last, once no video row refers to them any more.
        if video_changes.purged:
            connection.execute(delete(videos).where(videos.c.id.in_(list(video_changes.purged))))
        if chapter_changes.purged:
            connection.execute(
                update(chapters)
                .where(chapters.c.id.in_(list(chapter_changes.purged)))
                .values(rank=None)
            )

        if course_changes.created:
            connection.execute(
                insert(courses),
                [_course_row(store.course(cid), now) for cid in course_changes.created],
            )
        if course_changes.touched:
            connection.execute(
                _UPDATE_COURSE,
                [_keyed(_course_row(store.course(cid), now)) for cid in course_changes.touched],
            )

        self._clear_ranks(connection, chapters, chapter_changes, self._chapter_ranks)
        if chapter_changes.created:
            connection.execute(
                insert(chapters),
                [
                    _chapter_row(
                        store.chapter(cid),
                        self._rank_of(
                            cid, ranks.chapters, ranks.cleared_chapters, self._chapter_ranks
                        ),
                        now,
                    )
                    for cid in chapter_changes.created
                ],
            )
        if chapter_changes.touched:
            connection.execute(
                _UPDATE_CHAPTER,
                [
                    _keyed(
                        _chapter_row(
                            store.chapter(cid),
                            self._rank_of(
                                cid, ranks.chapters, ranks.cleared_chapters, self._chapter_ranks
                            ),
                            now,
                        )
                    )
                    for cid in chapter_changes.touched
                ],
            )

        self._clear_ranks(connection, videos, video_changes, self._video_ranks)
        if video_changes.created:
            connection.execute(
                insert(videos),
                [
                    _video_row(
                        store.video(vid),
                        self._rank_of(vid, ranks.videos, ranks.cleared_videos, self._video_ranks),
                        now,
                    )
                    for vid in video_changes.created
                ],
            )
        if video_changes.touched:
            connection.execute(
                _UPDATE_VIDEO,
                [
                    _keyed(
                        _video_row(
                            store.video(vid),
                            self._rank_of(
                                vid, ranks.videos, ranks.cleared_videos, self._video_ranks
                            ),
                            now,
                        )
                    )
                    for vid in video_changes.touched
                ],
            )

        if chapter_changes.purged:
            connection.execute(
                delete(chapters).where(chapters.c.id.in_(list(chapter_changes.purged)))
            )
        if course_changes.purged:
            connection.execute(delete(courses).where(courses.c.id.in_(list(course_changes.purged))))
        ranks.forget_videos = list(video_changes.purged)
        ranks.forget_chapters = list(chapter_changes.purged)
        return ranks

    @staticmethod
    def _rank_of(
        key: str, new: dict[str, str], cleared: list[str], known: dict[str, str]
    ) -> str | None:
        """A row's rank after the write: new if re-ranked, none if it left its list, else kept."""
        if key in new:
            return new[key]
        if key in cleared:
            return None
        return known.get(key)

    def remember(self, ranks: _RankUpdate) -> None:
        self._video_ranks.update(ranks.videos)
        self._chapter_ranks.update(ranks.chapters)
        for vid in ranks.cleared_videos + ranks.forget_videos:
            self._video_ranks.pop(vid, None)
        for cid in ranks.cleared_chapters + ranks.forget_chapters:
            self._chapter_ranks.pop(cid, None)

    def _clear_ranks(
        self, connection: Connection, table: Any, changes: _Changes, known: dict[str, str]
    ) -> None:
        # With several rows re-ranked in one go, a new key may equal a key another moved row
        # still holds; clearing the old keys first keeps the unique constraint satisfied.
        stale = [key for key in changes.reordered if key in known and key in changes.touched]
        if stale and len(changes.reordered) > 1:
            connection.execute(update(table).where(table.c.id.in_(stale)).values(rank=None))

    def _rank_videos(self, store: Store, changes: _Changes, ranks: _RankUpdate) -> None:
        by_chapter: dict[str, set[str]] = {}
        for vid in changes.reordered:
            video = store.video(vid)
            if video.chapter_id is None:
                ranks.cleared_videos.append(vid)
            else:
                by_chapter.setdefault(video.chapter_id, set()).add(vid)
        for chapter_id, dirty in by_chapter.items():
            _rerank(store.video_ids(chapter_id), dirty, self._video_ranks, ranks.videos)
        for vid in ranks.videos:  # a full re-rank may have pulled in rows no step touched
            changes.touch(vid, reorder=True)

    def _rank_chapters(self, store: Store, changes: _Changes, ranks: _RankUpdate) -> None:
        by_course: dict[str, set[str]] = {}
        for cid in changes.reordered:
            chapter = store.chapter(cid)
            if chapter.deleted_at is not None:
                ranks.cleared_chapters.append(cid)
            else:
                by_course.setdefault(chapter.course_id, set()).add(cid)
        for course_id, dirty in by_course.items():
            _rerank(store.chapter_ids(course_id), dirty, self._chapter_ranks, ranks.chapters)
        for cid in ranks.chapters:  # a full re-rank may have pulled in rows no step touched
            changes.touch(cid, reorder=True)


@dataclass
class _RankUpdate:
    videos: dict[str, str] = field(default_factory=dict)
    chapters: dict[str, str] = field(default_factory=dict)
    cleared_videos: list[str] = field(default_factory=list)
    cleared_chapters: list[str] = field(default_factory=list)
    forget_videos: list[str] = field(default_factory=list)
    forget_chapters: list[str] = field(default_factory=list)


def _is_rank(rank: str | None) -> bool:
    """Whether ``rank`` is a key new ranks can be generated next to (not NULL, not mangled)."""
    if not rank:
        return False
    try:
        validate_order_key(rank)
    except (FIError, IndexError, ValueError):
        return False
    return True


def _rerank(
    order: Iterable[str], dirty: set[str], known: dict[str, str], out: dict[str, str]
) -> None:
    """Give each run of ``dirty`` ids in ``order`` keys between its clean neighbours' keys."""
    ids = list(order)
    i = 0
    while i < len(ids):
        if ids[i] not in dirty:
            i += 1
            continue
        j = i
        while j < len(ids) and ids[j] in dirty:
            j += 1
        low = known[ids[i - 1]] if i > 0 else None
        high = known[ids[j]] if j < len(ids) else None
        keys = generate_n_keys_between(low, high, j - i)
        if max(len(k) for k in keys) > _MAX_RANK_CHARS:
            _rerank_all(ids, dirty, known, out)
            return
        out.update(zip(ids[i:j], keys, strict=True))
        i = j


def _rerank_all(
    ids: list[str], dirty: set[str], known: dict[str, str], out: dict[str, str]
) -> None:
    """Fresh, short keys for a whole list: every row of it becomes dirty."""
    dirty.update(ids)
    out.update(zip(ids, generate_n_keys_between(None, None, len(ids)), strict=True))


def _course_row(course: Course, now: float) -> dict[str, Any]:
    return {
        "id": course.id,
        "title": course.title,
        "created_at": course.created_at,
        "deleted_at": course.deleted_at,
        "updated_at": now,
    }


def _chapter_row(chapter: Chapter, rank: str | None, now: float) -> dict[str, Any]:
    row = {name: getattr(chapter, name) for name in _CHAPTER_COLUMNS}
    row["rank"] = rank
    row["updated_at"] = now
    return row


def _video_row(video: Video, rank: str | None, now: float) -> dict[str, Any]:
    row = {name: getattr(video, name) for name in _VIDEO_COLUMNS}
    row["status"] = str(video.status)
    row["notes"] = json.dumps(list(video.notes)) if video.notes else None
    row["rank"] = rank
    row["updated_at"] = now
    return row


def _keyed(row: dict[str, Any]) -> dict[str, Any]:
    """An update row: the id becomes the WHERE parameter, everything else is SET."""
    row["_id"] = row.pop("id")
    return row


def _update_statement(table: Any, columns: Iterable[str]) -> Any:
    return (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values({name: bindparam(name) for name in columns} | {"revision": table.c.revision + 1})
    )


_UPDATE_COURSE = _update_statement(courses, ("title", "created_at", "deleted_at", "updated_at"))
_UPDATE_CHAPTER = _update_statement(
    chapters, [n for n in _CHAPTER_COLUMNS if n != "id"] + ["rank", "updated_at"]
)
_UPDATE_VIDEO = _update_statement(
    videos, [n for n in _VIDEO_COLUMNS if n != "id"] + ["rank", "updated_at"]
)
