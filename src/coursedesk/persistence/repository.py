"""Reading courses out of the library and writing the store's steps into it.

Each applied operation is written as one transaction: the rows its steps touched, in their
final state. Order is kept as fractional ranks, so a move rewrites only the moved rows.

Several writers may share a library, so every row carries a ``revision`` and the repository
remembers the revision of each row it read or wrote. An update or delete only succeeds
against that revision (``WHERE id = ? AND revision = ?``); a row another writer changed in
the meantime makes the write raise ``RowsChanged`` inside the transaction, never overwrite.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any, cast

from fractional_indexing import (
    BASE_62_DIGITS,
    FIError,
    generate_key_between,
    generate_n_keys_between,
    validate_order_key,
)
from sqlalchemy import Connection, bindparam, delete, insert, literal_column, select, update
from sqlalchemy.sql.elements import ColumnElement

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
_COURSE_SELECT = (
    courses.c.id,
    courses.c.title,
    courses.c.created_at,
    courses.c.deleted_at,
    courses.c.revision,
)
_CHAPTER_SELECT = (
    *(chapters.c[name] for name in _CHAPTER_COLUMNS),
    chapters.c.rank,
    chapters.c.revision,
)
_VIDEO_SELECT = (*(videos.c[name] for name in _VIDEO_COLUMNS), videos.c.rank, videos.c.revision)


@dataclass
class _Changes:
    """The rows an operation touched, grouped by what must happen to them."""

    created: dict[str, None] = field(default_factory=dict)
    purged: dict[str, None] = field(default_factory=dict)
    touched: dict[str, None] = field(default_factory=dict)
    reordered: dict[str, None] = field(default_factory=dict)
    # Rows whose fields other than their place changed (the rest only moved: a move writes
    # just chapter and rank), and where each moved row stood before the first step moved it.
    whole: set[str] = field(default_factory=set)
    origin: dict[str, str | None] = field(default_factory=dict)
    # Where the rows whose last step was a move stand now (None: the library), as that step
    # says: the store need not be asked for hundreds of them.
    now_in: dict[str, str | None] = field(default_factory=dict)

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

    def place(self, key: str, origin: str | None, *, moved_only: bool) -> None:
        """A video row changes place; ``origin`` is the chapter it leaves."""
        self.touch(key, reorder=True)
        self.origin.setdefault(key, origin)
        if not moved_only:
            self.whole.add(key)

    def written(self) -> list[str]:
        """Every row the write changes, for the change feed."""
        if not self.created and not self.purged:
            return list(self.touched)  # a move's rows, say
        return list(dict.fromkeys([*self.created, *self.touched, *self.purged]))


class RowsChanged(Exception):
    """Rows this write was about to change were changed (or removed) by another writer since
    they were read: the write must not go ahead as it is."""

    def __init__(self, table: str, ids: Iterable[str]) -> None:
        self.table = table
        self.ids = tuple(ids)
        super().__init__(f"{len(self.ids)} {table} row(s) changed by another writer")


def _collect(steps: Iterable[Step]) -> tuple[_Changes, _Changes, _Changes]:
    course_changes, chapter_changes, video_changes = _Changes(), _Changes(), _Changes()
    created, touched = video_changes.created, video_changes.touched
    reordered, origins = video_changes.reordered, video_changes.origin
    now_in = video_changes.now_in
    for step in steps:
        if type(step) is VideoMoved:
            # What ``video_changes.place(vid, origin, moved_only=True)`` does, written out:
            # a bulk move makes hundreds of these.
            vid = step.video_id
            if vid not in created:
                touched[vid] = None
            reordered[vid] = None
            origins.setdefault(vid, step.from_chapter_id)
            now_in[vid] = step.to_chapter_id
            continue
        match step:
            # After any other step of a video, the store says where it stands.
            case VideoCreated(video=video):
                video_changes.create(video.id)
                video_changes.touch(video.id, reorder=True)
                now_in.pop(video.id, None)
            case VideoPurged(video=video):
                video_changes.purge(video.id)
                now_in.pop(video.id, None)
            case VideoTrashed(video_id=vid, chapter_id=origin):
                video_changes.place(vid, origin, moved_only=False)
                now_in.pop(vid, None)
            case VideoRestored(video_id=vid):
                # From the Trash, where a video holds no rank.
                video_changes.place(vid, None, moved_only=False)
                now_in.pop(vid, None)
            case VideoChanged(video_id=vid):
                video_changes.touch(vid)
                video_changes.whole.add(vid)
                now_in.pop(vid, None)
            case ChapterCreated(chapter=chapter):
                chapter_changes.create(chapter.id)
                chapter_changes.touch(chapter.id, reorder=True)
            case ChapterPurged(chapter=chapter):
                chapter_changes.purge(chapter.id)
            case (
                ChapterMoved(chapter_id=cid)
                | ChapterRestored(chapter_id=cid)
                | ChapterTrashed(chapter_id=cid)
            ):
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
        # The revision each row had when this repository last read or wrote it.
        self._course_revisions: dict[str, int] = {}
        self._chapter_revisions: dict[str, int] = {}
        self._video_revisions: dict[str, int] = {}

    # ------------------------------------------------------------------ reading

    def read_courses(self, connection: Connection) -> list[Course]:
        rows = connection.execute(
            select(
                courses.c.id,
                courses.c.title,
                courses.c.created_at,
                courses.c.deleted_at,
                courses.c.revision,
            )
        )
        found = []
        for *cells, revision in rows:
            course = Course(*cells)
            self._course_revisions[course.id] = revision
            found.append(course)
        return found

    def read_course_content(
        self, connection: Connection, course_id: str
    ) -> tuple[list[Chapter], list[Video], dict[str, list[str]], list[str]]:
        """Chapters (live in order, then trashed), videos, each chapter's order, and problems."""
        problems: list[str] = []
        chapter_rows = connection.execute(
            select(*_CHAPTER_SELECT)
            .where(chapters.c.course_id == course_id)
            .order_by(chapters.c.deleted_at.is_not(None), chapters.c.rank, chapters.c.deleted_at)
        ).all()
        loaded_chapters: list[Chapter] = []
        chapter_ranks: dict[str, str] = {}
        chapter_revisions: dict[str, int] = {}
        for row in chapter_rows:
            chapter, rank, chapter_revisions[row.id] = _chapter_of(row)
            if chapter.deleted_at is None:
                if rank is None or not _is_rank(rank):
                    problems.append(f"chapter '{chapter.title}' has no valid position")
                else:
                    chapter_ranks[chapter.id] = rank
            loaded_chapters.append(chapter)
        video_rows = connection.execute(
            select(*_VIDEO_SELECT)
            .where(videos.c.course_id == course_id)
            .order_by(videos.c.chapter_id, videos.c.rank)
        ).all()
        loaded_videos: list[Video] = []
        order: dict[str, list[str]] = {}
        video_ranks: dict[str, str] = {}
        video_revisions: dict[str, int] = {}
        # Positional rows (columns in field order, then rank and revision): a course may hold
        # 100,000 videos, and building a dict per row would cost a good part of the load time.
        for row in video_rows:
            read = _video_of(row, problems)
            if read is None:
                continue
            video, rank, video_revisions[video.id] = read
            loaded_videos.append(video)
            if video.chapter_id is not None:
                if rank is None or not _is_rank(rank):
                    problems.append(f"video '{video.title}' has no valid position in its chapter")
                    continue
                order.setdefault(video.chapter_id, []).append(video.id)
                video_ranks[video.id] = rank
        self._chapter_ranks.update(chapter_ranks)
        self._video_ranks.update(video_ranks)
        self._chapter_revisions.update(chapter_revisions)
        self._video_revisions.update(video_revisions)
        return loaded_chapters, loaded_videos, order, problems

    def forget_course(self, store: Store, course_id: str) -> None:
        for chapter_id in store.chapter_ids(course_id):
            self._chapter_ranks.pop(chapter_id, None)
            for video_id in store.video_ids(chapter_id):
                self._video_ranks.pop(video_id, None)
        for chapter_id in [*store.chapter_ids(course_id), *store.trashed_chapter_ids(course_id)]:
            self._chapter_revisions.pop(chapter_id, None)
        for video_id in [
            *store.live_video_ids(course_id),
            *store.trashed_video_ids(course_id),
        ]:
            self._video_revisions.pop(video_id, None)

    # ------------------------------------------------------------------ other writers

    def read_rows(
        self,
        connection: Connection,
        *,
        course_ids: Iterable[str] = (),
        chapter_ids: Iterable[str] = (),
        video_ids: Iterable[str] = (),
        whole_courses: Iterable[str] = (),
    ) -> SavedRows:
        """The saved rows with these ids (and every row of ``whole_courses``), as they are now.

        Nothing is remembered yet: ``absorb`` does that once the store shows them.
        """
        found = SavedRows()
        problems: list[str] = []
        course_ids, chapter_ids, video_ids = list(course_ids), list(chapter_ids), list(video_ids)
        whole = list(whole_courses)
        for part in _chunks(course_ids):
            for *cells, revision in connection.execute(
                select(*_COURSE_SELECT).where(courses.c.id.in_(part))
            ):
                course = Course(*cells)
                found.courses[course.id] = course
                found.revisions["courses"][course.id] = revision
        for condition in _id_conditions(chapters, chapter_ids, whole):
            for row in connection.execute(select(*_CHAPTER_SELECT).where(condition)):
                chapter, rank, revision = _chapter_of(row)
                found.chapters[chapter.id] = chapter
                found.chapter_ranks[chapter.id] = rank
                found.revisions["chapters"][chapter.id] = revision
        for condition in _id_conditions(videos, video_ids, whole):
            for row in connection.execute(select(*_VIDEO_SELECT).where(condition)):
                read = _video_of(row, problems)
                if read is None:
                    raise RowsUnreadable("; ".join(problems))
                video, rank, revision = read
                found.videos[video.id] = video
                found.video_ranks[video.id] = rank
                found.revisions["videos"][video.id] = revision
        return found

    def read_video_orders(
        self, connection: Connection, chapter_ids: Iterable[str]
    ) -> dict[str, list[tuple[str, str]]]:
        """Each chapter's (video id, rank) pairs, in saved order."""
        orders: dict[str, list[tuple[str, str]]] = {}
        for part in _chunks(list(chapter_ids)):
            for chapter_id in part:
                orders[chapter_id] = []
            rows = connection.execute(
                select(videos.c.chapter_id, videos.c.id, videos.c.rank)
                .where(videos.c.chapter_id.in_(part))
                .order_by(videos.c.chapter_id, videos.c.rank)
            )
            for chapter_id, video_id, rank in rows:
                orders[chapter_id].append((video_id, rank))
        return orders

    def read_chapter_orders(
        self, connection: Connection, course_ids: Iterable[str]
    ) -> dict[str, list[tuple[str, str]]]:
        """Each course's live (chapter id, rank) pairs, in saved order."""
        orders: dict[str, list[tuple[str, str]]] = {}
        for part in _chunks(list(course_ids)):
            for course_id in part:
                orders[course_id] = []
            rows = connection.execute(
                select(chapters.c.course_id, chapters.c.id, chapters.c.rank)
                .where(chapters.c.course_id.in_(part), chapters.c.deleted_at.is_(None))
                .order_by(chapters.c.course_id, chapters.c.rank)
            )
            for course_id, chapter_id, rank in rows:
                orders[course_id].append((chapter_id, rank))
        return orders

    def known_video_rank(self, video_id: str) -> str | None:
        return self._video_ranks.get(video_id)

    def known_chapter_rank(self, chapter_id: str) -> str | None:
        return self._chapter_ranks.get(chapter_id)

    def absorb(
        self,
        rows: SavedRows,
        gone: dict[str, list[str]],
        video_orders: dict[str, list[tuple[str, str]]],
        chapter_orders: dict[str, list[tuple[str, str]]],
    ) -> None:
        """Remember ranks and revisions as another writer left them (the store shows them now)."""
        for table, known in self._revision_maps().items():
            known.update(rows.revisions[table])
            for key in gone.get(table, ()):
                known.pop(key, None)
        for video_id, video in rows.videos.items():
            if video.chapter_id is None:
                self._video_ranks.pop(video_id, None)
        for chapter_id, chapter in rows.chapters.items():
            if chapter.deleted_at is not None:
                self._chapter_ranks.pop(chapter_id, None)
        for key in gone.get("videos", ()):
            self._video_ranks.pop(key, None)
        for key in gone.get("chapters", ()):
            self._chapter_ranks.pop(key, None)
        for pairs in video_orders.values():
            self._video_ranks.update(pairs)
        for pairs in chapter_orders.values():
            self._chapter_ranks.update(pairs)

    def _revision_maps(self) -> dict[str, dict[str, int]]:
        return {
            "courses": self._course_revisions,
            "chapters": self._chapter_revisions,
            "videos": self._video_revisions,
        }

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

        ranks.written = {
            "courses": course_changes.written(),
            "chapters": chapter_changes.written(),
            "videos": video_changes.written(),
        }

        # Rows leaving for good give up their ranks and videos first; chapters and courses are
        # deleted last, once no video row refers to them any more.
        if video_changes.purged:
            self._delete(connection, videos, video_changes, self._video_revisions, ranks)
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
            self._update(
                connection,
                _UPDATE_COURSE,
                "courses",
                [_keyed(_course_row(store.course(cid), now)) for cid in course_changes.touched],
                self._course_revisions,
                ranks,
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
            self._update(
                connection,
                _UPDATE_CHAPTER,
                "chapters",
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
                self._chapter_revisions,
                ranks,
            )

        self._clear_video_ranks(connection, store, video_changes, ranks)
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
            rank_of = self._rank_of
            video_ranks, cleared = self._video_ranks, set(ranks.cleared_videos)
            whole_rows = video_changes.whole
            moved = [v for v in video_changes.touched if v not in whole_rows]
            whole = [v for v in video_changes.touched if v in whole_rows]
            if moved:
                self._place_videos(connection, store, video_changes, moved, ranks, cleared, now)
            if whole:
                self._update(
                    connection,
                    _UPDATE_VIDEO,
                    "videos",
                    [
                        _keyed(
                            _video_row(
                                store.video(vid),
                                rank_of(vid, ranks.videos, cleared, video_ranks),
                                now,
                            )
                        )
                        for vid in whole
                    ],
                    self._video_revisions,
                    ranks,
                )

        if chapter_changes.purged:
            self._delete(connection, chapters, chapter_changes, self._chapter_revisions, ranks)
        if course_changes.purged:
            self._delete(connection, courses, course_changes, self._course_revisions, ranks)
        for table, changes in (
            ("courses", course_changes),
            ("chapters", chapter_changes),
            ("videos", video_changes),
        ):
            created = ranks.revisions.setdefault(table, {})
            for key in changes.created:
                created[key] = 1
        ranks.forget_videos = list(video_changes.purged)
        ranks.forget_chapters = list(chapter_changes.purged)
        ranks.forget_courses = list(course_changes.purged)
        return ranks

    @staticmethod
    def _update(
        connection: Connection,
        statement: Any,
        table: str,
        rows: list[dict[str, Any]],
        known: dict[str, int],
        ranks: _RankUpdate,
    ) -> None:
        """Update rows only where they still have the revision we know; else ``RowsChanged``."""
        try:
            for row in rows:
                row["_revision"] = known[row["_id"]]
        except KeyError:
            raise RowsChanged(
                table, [row["_id"] for row in rows if row["_id"] not in known]
            ) from None
        if _execute_many(connection, statement, rows) != len(rows):
            raise RowsChanged(table, [row["_id"] for row in rows])
        ranks.revisions.setdefault(table, {}).update(
            [(row["_id"], row["_revision"] + 1) for row in rows]
        )

    def _place_videos(
        self,
        connection: Connection,
        store: Store,
        changes: _Changes,
        moved: list[str],
        ranks: _RankUpdate,
        cleared: Collection[str],
        now: float,
    ) -> None:
        """Write where rows that only moved stand now: their chapter and rank.

        ``_update`` for ``_PLACE_VIDEO``, with the rows made as the driver takes them (a bulk
        move writes hundreds). Only where they still have the revision we know, else
        ``RowsChanged``.
        """
        known = self._video_revisions
        missing = [vid for vid in moved if vid not in known]
        if missing:
            raise RowsChanged("videos", missing)
        video, now_in, new, kept = store.video, changes.now_in, ranks.videos, self._video_ranks
        rows = [
            (
                now_in[vid] if vid in now_in else video(vid).chapter_id,
                # ``_rank_of``, written out
                new[vid] if vid in new else (None if vid in cleared else kept.get(vid)),
                now,
                vid,
                known[vid],
            )
            for vid in moved
        ]
        if _execute_rows(connection, _PLACE_VIDEO, _PLACE_VIDEO_VALUES, rows) != len(rows):
            raise RowsChanged("videos", moved)
        ranks.revisions.setdefault("videos", {}).update({vid: known[vid] + 1 for vid in moved})

    @staticmethod
    def _delete(
        connection: Connection,
        table: Any,
        changes: _Changes,
        known: dict[str, int],
        ranks: _RankUpdate,
    ) -> None:
        keys = list(changes.purged)
        missing = [key for key in keys if key not in known]
        if missing:
            raise RowsChanged(table.name, missing)
        result = connection.execute(
            delete(table).where(
                table.c.id == bindparam("_id"), table.c.revision == bindparam("_revision")
            ),
            [{"_id": key, "_revision": known[key]} for key in keys],
        )
        if result.rowcount != len(keys):
            raise RowsChanged(table.name, keys)

    @staticmethod
    def _rank_of(
        key: str, new: dict[str, str], cleared: Collection[str], known: dict[str, str]
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
        maps = self._revision_maps()
        for table, revisions in ranks.revisions.items():
            maps[table].update(revisions)
        for vid in ranks.forget_videos:
            self._video_revisions.pop(vid, None)
        for cid in ranks.forget_chapters:
            self._chapter_revisions.pop(cid, None)
        for cid in ranks.forget_courses:
            self._course_revisions.pop(cid, None)
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

    def _clear_video_ranks(
        self, connection: Connection, store: Store, changes: _Changes, ranks: _RankUpdate
    ) -> None:
        """As ``_clear_ranks``, for the only video rows whose old key can meet a new one: those
        leaving a chapter that receives new keys (a new key is unique among the keys its
        chapter keeps, but may equal the old key of a row that has not been written yet)."""
        if len(changes.reordered) < 2:
            return
        receiving = ranks.video_chapters
        known = self._video_ranks
        origin = changes.origin
        if receiving.isdisjoint(origin.values()) and changes.reordered.keys() <= origin.keys():
            return  # every row left a chapter that gets no new keys (a bulk move's rows)
        stale = [
            key
            for key in changes.reordered
            if key in known
            and key in changes.touched
            and (origin[key] if key in origin else store.video(key).chapter_id) in receiving
        ]
        for part in _chunks(stale):
            connection.execute(update(videos).where(videos.c.id.in_(part)).values(rank=None))

    def _rank_videos(self, store: Store, changes: _Changes, ranks: _RankUpdate) -> None:
        reordered, now_in = changes.reordered, changes.now_in
        # The chapters the reordered rows stand in now: the moves say so for theirs (a bulk
        # move has hundreds, taken in one go), the store for the others.
        found = set(now_in.values())
        if None in found:
            found.discard(None)
            ranks.cleared_videos.extend(vid for vid, at in now_in.items() if at is None)
        chapters = cast(set[str], found)
        for vid in reordered.keys() - now_in.keys():
            chapter_id = store.video(vid).chapter_id
            if chapter_id is None:
                ranks.cleared_videos.append(vid)
            else:
                chapters.add(chapter_id)
        for chapter_id in chapters:
            order = store.video_ids(chapter_id)
            dirty = reordered.keys() & order  # its reordered rows, found in one pass
            if dirty:
                _rerank(order, dirty, self._video_ranks, ranks.videos)
                ranks.video_chapters.add(chapter_id)
        # A full re-rank may have pulled in rows no step touched.
        for vid in ranks.videos.keys() - reordered.keys():
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
    # The chapters whose videos got new ranks.
    video_chapters: set[str] = field(default_factory=set)
    chapters: dict[str, str] = field(default_factory=dict)
    cleared_videos: list[str] = field(default_factory=list)
    cleared_chapters: list[str] = field(default_factory=list)
    forget_videos: list[str] = field(default_factory=list)
    forget_chapters: list[str] = field(default_factory=list)
    forget_courses: list[str] = field(default_factory=list)
    # New revision of each row written, by table; and the ids written, for the change feed.
    revisions: dict[str, dict[str, int]] = field(default_factory=dict)
    written: dict[str, list[str]] = field(default_factory=dict)


class RowsUnreadable(Exception):
    """Rows another writer saved can't be read back (unknown status, mangled notes)."""


@dataclass
class SavedRows:
    """Rows as another writer left them, with their ranks and revisions."""

    courses: dict[str, Course] = field(default_factory=dict)
    chapters: dict[str, Chapter] = field(default_factory=dict)
    videos: dict[str, Video] = field(default_factory=dict)
    chapter_ranks: dict[str, str | None] = field(default_factory=dict)
    video_ranks: dict[str, str | None] = field(default_factory=dict)
    revisions: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"courses": {}, "chapters": {}, "videos": {}}
    )


# SQLite allows at most 32,766 parameters in one statement (999 before 3.32); PostgreSQL more.
_CHUNK = 900


def _chunks(keys: list[str]) -> list[list[str]]:
    return [keys[i : i + _CHUNK] for i in range(0, len(keys), _CHUNK)]


def _id_conditions(
    table: Any, ids: list[str], whole_courses: list[str]
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [table.c.id.in_(part) for part in _chunks(ids)]
    conditions += [table.c.course_id.in_(part) for part in _chunks(whole_courses)]
    return conditions


def _chapter_of(row: Any) -> tuple[Chapter, str | None, int]:
    values = row._asdict()
    rank = values.pop("rank")
    revision = values.pop("revision")
    return Chapter(**values), rank, revision


def _video_of(row: Any, problems: list[str]) -> tuple[Video, str | None, int] | None:
    """A video from a positional row (fields in order, then rank and revision); None (and a
    problem noted) if the row can't be read."""
    cells: list[Any] = list(row)
    revision = cells.pop()
    rank = cells.pop()
    status = _STATUSES.get(cells[_STATUS_AT])
    if status is None:
        problems.append(f"video '{cells[_TITLE_AT]}' has an unknown status")
        return None
    cells[_STATUS_AT] = status
    notes = cells[_NOTES_AT]
    if notes:
        try:
            cells[_NOTES_AT] = tuple(str(n) for n in json.loads(notes))
        except (ValueError, TypeError):
            problems.append(f"video '{cells[_TITLE_AT]}' has unreadable notes")
            return None
    else:
        cells[_NOTES_AT] = ()
    return Video(*cells), rank, revision


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
    for i, j in _runs(list(map(dirty.__contains__, ids))):
        low = known[ids[i - 1]] if i > 0 else None
        high = known[ids[j]] if j < len(ids) else None
        keys = keys_between(low, high, j - i)
        if max(map(len, keys)) > _MAX_RANK_CHARS:
            _rerank_all(ids, dirty, known, out)
            return
        out.update(zip(ids[i:j], keys, strict=True))


def _runs(flags: list[bool]) -> Iterator[tuple[int, int]]:
    """The runs of true flags, as (first, past last): each found by two scans in C, so a
    run of hundreds costs no more than one of a few."""
    start, end = 0, len(flags)
    while True:
        try:
            first = flags.index(True, start)
        except ValueError:
            return
        try:
            start = flags.index(False, first)
        except ValueError:
            start = end
        yield first, start


# Above this many keys for one gap, keys are spread over the gap in one go instead of one by
# one (the library makes each key from the one before it: a bulk move of 500 videos spent
# a millisecond on it).
_SPREAD_FROM = 8
_DIGITS = BASE_62_DIGITS


def keys_between(low: str | None, high: str | None, n: int) -> list[str]:
    """``n`` valid order keys, ascending, strictly between ``low`` and ``high`` (None: no
    bound), as ``generate_n_keys_between`` gives them.

    Many keys are made as one key ``m`` between the bounds followed by evenly spaced base-62
    fractions: every string that starts with ``m`` sorts after ``m`` and, unless ``m`` is a
    prefix of the next key ``m2`` after it, before ``m2`` too (they differ inside ``m``).
    """
    keys: list[str]
    if n < _SPREAD_FROM:
        keys = generate_n_keys_between(low, high, n)
        return keys
    first: str = generate_key_between(low, high)
    after: str = generate_key_between(first, high)
    if after.startswith(first):
        # ("a4", "a4V"): the key between them is no prefix of "a4V".
        first = generate_key_between(first, after)
        if after.startswith(first):
            keys = generate_n_keys_between(low, high, n)
            return keys
    base = len(_DIGITS)
    width = 2  # two digits space up to 1,921 keys; more take more
    while base**width < 2 * (n + 1):
        width += 1
    span = base**width
    values = [i * span // (n + 1) for i in range(1, n + 1)]
    if width == 2:
        # A fraction never ends in zero (the key format's rule); the table's pairs have their
        # trailing zeros dropped, which keeps their value, so the keys keep their order.
        pairs = _digit_pairs()
        return [first + pairs[value] for value in values]
    keys = []
    for value in values:
        fraction = ""
        for _ in range(width):
            value, digit = divmod(value, base)
            fraction = _DIGITS[digit] + fraction
        keys.append(first + fraction.rstrip(_DIGITS[0]))
    return keys


@cache
def _digit_pairs() -> list[str]:
    """Every two-digit base-62 fraction by its value, trailing zeros dropped."""
    return [(high + low).rstrip(_DIGITS[0]) for high in _DIGITS for low in _DIGITS]


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


_COMPILED: dict[tuple[int, str, str], tuple[str, tuple[str, ...] | None, dict[str, Any]]] = {}


def _compiled(
    connection: Connection, statement: Any
) -> tuple[str, tuple[str, ...] | None, dict[str, Any]]:
    """The statement's SQL for the connection's dialect, the names of the values it binds in
    order (None for named parameters) and their defaults; compiled once per dialect and
    parameter style."""
    dialect = connection.dialect
    key = (id(statement), dialect.name, dialect.paramstyle)
    compiled = _COMPILED.get(key)
    if compiled is None:
        done = statement.compile(dialect=dialect)
        positions = tuple(done.positiontup) if done.positiontup is not None else None
        compiled = _COMPILED[key] = (done.string, positions, dict(done.params))
    return compiled


def _execute_many(connection: Connection, statement: Any, rows: list[dict[str, Any]]) -> int:
    """Run ``statement`` once per row and return how many rows it changed.

    What ``connection.execute(statement, rows)`` does, minus SQLAlchemy's work on each row
    (a third of the time of a bulk move's save): the statement is compiled once per dialect
    and the values go to the driver as they are, which the plain column types here allow.
    """
    sql, positions, constants = _compiled(connection, statement)
    if positions is None:
        values: list[Any] = [constants | row for row in rows]
    elif len(positions) > 1 and rows and all(name in rows[0] for name in positions):
        # Rows made alike for one statement, holding every value it binds: picked in C.
        values = list(map(itemgetter(*positions), rows))
    else:
        values = [
            tuple(row[name] if name in row else constants[name] for name in positions)
            for row in rows
        ]
    return int(connection.exec_driver_sql(sql, values).rowcount)


def _execute_rows(
    connection: Connection, statement: Any, names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> int:
    """``_execute_many`` for rows given as tuples of the values of ``names``: when those are
    the values the statement binds, in its order, the rows go to the driver as they are."""
    sql, positions, _ = _compiled(connection, statement)
    if positions != names:
        keyed = [dict(zip(names, row, strict=True)) for row in rows]
        return _execute_many(connection, statement, keyed)
    return int(connection.exec_driver_sql(sql, rows).rowcount)


def _update_statement(table: Any, columns: Iterable[str]) -> Any:
    # The increment is written into the SQL: as a bound constant it would be one more value
    # for every row, and rows holding every value the statement binds are picked in C.
    return (
        update(table)
        .where(table.c.id == bindparam("_id"), table.c.revision == bindparam("_revision"))
        .values(
            {name: bindparam(name) for name in columns}
            | {"revision": table.c.revision + literal_column("1")}
        )
    )


_UPDATE_COURSE = _update_statement(courses, ("title", "created_at", "deleted_at", "updated_at"))
_UPDATE_CHAPTER = _update_statement(
    chapters, [n for n in _CHAPTER_COLUMNS if n != "id"] + ["rank", "updated_at"]
)
_UPDATE_VIDEO = _update_statement(
    videos, [n for n in _VIDEO_COLUMNS if n != "id"] + ["rank", "updated_at"]
)
# A video that only moved: its place, nothing else (a bulk move writes hundreds of these).
_PLACE_VIDEO = _update_statement(videos, ("chapter_id", "rank", "updated_at"))
_PLACE_VIDEO_VALUES = ("chapter_id", "rank", "updated_at", "_id", "_revision")
