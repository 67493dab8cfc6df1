"""The change feed: how one writer of a library learns what the others saved.

Every saved edit adds one ``change_log`` row in its own transaction: an increasing ``seq``, the
writer's id and kind, and the ids of the rows it wrote. A reader that has seen everything up to
``seq`` N reads the entries after N, reads those rows as they are now (one snapshot), and works
out what its store must do to show them (``read_pending``). ``describe`` puts each difference
into words for the instructor, and ``aspects_of`` says which part of a row an edit changed, so
two edits of the same row only count as a conflict when they changed the same thing.

Plain SQL through SQLAlchemy Core only: nothing here depends on SQLite.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from coursedesk.domain.external import PLACEMENT_VIDEO_FIELDS, ExternalState
from coursedesk.domain.model import CHAPTER_FIELDS, VIDEO_FIELDS, Chapter, Course, Video
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
from coursedesk.persistence.repository import Repository, SavedRows
from coursedesk.persistence.schema import change_log, courses

# Who wrote an entry, as the instructor is told: "renamed ... in another window".
ORIGIN_WINDOW = "window"
ORIGIN_IMPORT = "import"
_ORIGIN_WORDS = {
    ORIGIN_WINDOW: "in another window",
    ORIGIN_IMPORT: "by an import",
}
_UNKNOWN_ORIGIN = "in another program"

# One part of a row: any field name, "placement" (chapter, position, Trash), or everything.
PLACEMENT = "placement"
EVERYTHING = "*"
_TABLES = ("courses", "chapters", "videos")
_KIND_OF_TABLE = {"courses": "course", "chapters": "chapter", "videos": "video"}

Key = tuple[str, str]  # (kind, id): ("video", "3f2a...")


def origin_words(origin: str) -> str:
    return _ORIGIN_WORDS.get(origin, _UNKNOWN_ORIGIN)


@dataclass(frozen=True, slots=True)
class ExternalChange:
    """One row another writer changed, as the store now shows it."""

    kind: str
    id: str
    aspects: frozenset[str]
    text: str  # "'Intro.mp4' was renamed to 'Welcome'"
    origin: str  # "in another window"
    seen_at: float = 0.0  # time.monotonic() when the store took it over


@dataclass(frozen=True, slots=True)
class Conflict:
    """An edit of ours that was saved over another writer's change to the same thing."""

    theirs: ExternalChange
    ours: str  # "your rename to 'Hello'"


def conflict_notice(conflicts: Iterable[Conflict]) -> str:
    """One message for one edit, however many rows it overwrote."""
    listed = list(conflicts)
    first = listed[0]
    more = len(listed) - 1
    also = f" (and {more} more change{'s' if more > 1 else ''})" if more else ""
    return (
        f"{first.theirs.text} {first.theirs.origin}{also}; {first.ours} was applied over it"
        " — Undo to restore."
    )


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    writer_id: str
    origin: str
    ids: dict[str, list[str]]


class ChangeFeed:
    """Writes this writer's entries and reads everybody's."""

    def __init__(self, writer_id: str, origin: str) -> None:
        self.writer_id = writer_id
        self.origin = origin

    def record(self, connection: Connection, written: Mapping[str, list[str]]) -> int:
        """Add the entry for an edit being saved on ``connection``; its ``seq``."""
        result = connection.execute(
            _INSERT_ENTRY,
            {
                "writer_id": self.writer_id,
                "origin": self.origin,
                "committed_at": time.time(),
                "course_ids": _ids_text(written.get("courses")),
                "chapter_ids": _ids_text(written.get("chapters")),
                "video_ids": _ids_text(written.get("videos")),
            },
        )
        seq = result.inserted_primary_key[0]  # type: ignore[index]
        return int(seq)

    @staticmethod
    def latest(connection: Connection) -> int:
        """The newest entry's ``seq``; 0 for a library nobody has edited since the feed began."""
        return int(connection.execute(select(func.max(change_log.c.seq))).scalar() or 0)

    @staticmethod
    def oldest(connection: Connection) -> int:
        return int(connection.execute(select(func.min(change_log.c.seq))).scalar() or 0)

    @staticmethod
    def entries_since(connection: Connection, seq: int) -> list[Entry]:
        rows = connection.execute(
            select(
                change_log.c.seq,
                change_log.c.writer_id,
                change_log.c.origin,
                change_log.c.course_ids,
                change_log.c.chapter_ids,
                change_log.c.video_ids,
            )
            .where(change_log.c.seq > seq)
            .order_by(change_log.c.seq)
        )
        return [
            Entry(
                row.seq,
                row.writer_id,
                row.origin,
                {
                    "courses": _ids_of(row.course_ids),
                    "chapters": _ids_of(row.chapter_ids),
                    "videos": _ids_of(row.video_ids),
                },
            )
            for row in rows
        ]

    @staticmethod
    def prune(connection: Connection, *, keep_after_seq: int, older_than: float) -> None:
        """Forget entries everyone has long had time to read (a reader further behind than
        that reads its courses afresh instead)."""
        connection.execute(
            delete(change_log).where(
                change_log.c.seq <= keep_after_seq, change_log.c.committed_at < older_than
            )
        )


_INSERT_ENTRY = insert(change_log)


def _ids_text(ids: list[str] | None) -> str | None:
    return json.dumps(ids) if ids else None


def _ids_of(text: str | None) -> list[str]:
    return [str(key) for key in json.loads(text)] if text else []


# ------------------------------------------------------------------ reading what changed


@dataclass
class Pending:
    """What the store must take over from other writers, read in one snapshot."""

    latest: int
    state: ExternalState
    rows: SavedRows
    gone: dict[str, list[str]]
    video_orders: dict[str, list[tuple[str, str]]]
    chapter_orders: dict[str, list[tuple[str, str]]]
    origins: dict[Key, str] = field(default_factory=dict)


class OutOfStep(Exception):
    """The rows read do not add up (the feed was pruned past us, or a writer did not log):
    the reader should read its courses afresh."""


def read_pending(
    connection: Connection,
    store: Store,
    repository: Repository,
    feed: ChangeFeed,
    since: int,
    *,
    forced: Mapping[str, Iterable[str]] | None = None,
    full: bool = False,
) -> Pending:
    """Everything saved by other writers after ``since`` that the store must take over.

    ``forced`` names rows to read whatever the feed says (a write found them changed);
    ``full`` reads every row of the open courses (after the feed was pruned past ``since``).
    """
    entries = feed.entries_since(connection, since)
    latest = entries[-1].seq if entries else max(since, feed.latest(connection))
    if not full and entries and entries[0].seq > since + 1 and feed.oldest(connection) > since + 1:
        full = True
    wanted: dict[str, dict[str, str]] = {table: {} for table in _TABLES}
    for entry in entries:
        if entry.writer_id == feed.writer_id:
            continue
        for table in _TABLES:
            for key in entry.ids[table]:
                wanted[table][key] = entry.origin
    for table, keys in (forced or {}).items():
        for key in keys:
            wanted[table].setdefault(key, "")
    loaded = {c.id for c in store.courses(include_trashed=True) if store.is_loaded(c.id)}
    if full:
        all_courses = connection.execute(select(courses.c.id)).scalars().all()
        for key in [*all_courses, *(c.id for c in store.courses(include_trashed=True))]:
            wanted["courses"].setdefault(key, "")
        for course_id in loaded:
            for key in [*store.chapter_ids(course_id), *store.trashed_chapter_ids(course_id)]:
                wanted["chapters"].setdefault(key, "")
            for key in [*store.live_video_ids(course_id), *store.trashed_video_ids(course_id)]:
                wanted["videos"].setdefault(key, "")
    reader = _Reader(connection, store, repository, loaded)
    reader.read_courses(wanted["courses"])
    reader.read_content(wanted["chapters"], wanted["videos"], whole=sorted(loaded) if full else [])
    reader.settle_orders()
    origins = {
        (_KIND_OF_TABLE[table], key): origin
        for table in _TABLES
        for key, origin in wanted[table].items()
    }
    return Pending(
        latest,
        ExternalState(
            reader.courses,
            reader.chapters,
            reader.videos,
            {cid: [k for k, _ in pairs] for cid, pairs in reader.chapter_orders.items()},
            {cid: [k for k, _ in pairs] for cid, pairs in reader.video_orders.items()},
        ),
        reader.rows,
        reader.gone,
        reader.video_orders,
        reader.chapter_orders,
        origins,
    )


class _Reader:
    """Reads changed rows and the orders they sit in, until what was read is self-contained."""

    def __init__(
        self, connection: Connection, store: Store, repository: Repository, loaded: set[str]
    ) -> None:
        self.connection = connection
        self.store = store
        self.repository = repository
        self.loaded = set(loaded)
        self.rows = SavedRows()
        self.courses: dict[str, Course | None] = {}
        self.chapters: dict[str, Chapter | None] = {}
        self.videos: dict[str, Video | None] = {}
        self.gone: dict[str, list[str]] = {table: [] for table in _TABLES}
        self.video_orders: dict[str, list[tuple[str, str]]] = {}
        self.chapter_orders: dict[str, list[tuple[str, str]]] = {}
        self.new_courses: list[str] = []

    def read_courses(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if not keys:
            return
        found = self.repository.read_rows(self.connection, course_ids=keys)
        _merge(self.rows, found)
        store = self.store
        for key in keys:
            course = found.courses.get(key)
            if course is None:
                if store.has_course(key):
                    self.courses[key] = None
                    self.gone["courses"].append(key)
                continue
            self.courses[key] = course
            if not store.has_course(key):
                # A course this store never knew: it arrives whole, content and all.
                self.new_courses.append(key)
                self.loaded.add(key)

    def read_content(
        self, chapter_keys: Iterable[str], video_keys: Iterable[str], *, whole: list[str]
    ) -> None:
        chapter_keys, video_keys = list(chapter_keys), list(video_keys)
        whole = [*whole, *self.new_courses]
        self.new_courses = []
        if not (chapter_keys or video_keys or whole):
            return
        found = self.repository.read_rows(
            self.connection, chapter_ids=chapter_keys, video_ids=video_keys, whole_courses=whole
        )
        _merge(self.rows, found)
        store = self.store
        for key, chapter in found.chapters.items():
            if chapter.course_id in self.loaded:
                self.chapters[key] = chapter
        for key in chapter_keys:
            if key not in found.chapters and store.has_chapter(key):
                self.chapters[key] = None
                self.gone["chapters"].append(key)
        for key, video in found.videos.items():
            if video.course_id in self.loaded:
                self.videos[key] = video
        for key in video_keys:
            if key not in found.videos and store.has_video(key):
                self.videos[key] = None
                self.gone["videos"].append(key)

    def settle_orders(self) -> None:
        """Read the full order of every chapter and course a change may have reordered; rows
        found out of place there that no entry named are read too (rounds until none)."""
        for _round in range(5):
            chapters_to_read = self._affected_chapters() - self.video_orders.keys()
            courses_to_read = self._affected_courses() - self.chapter_orders.keys()
            if chapters_to_read:
                self.video_orders.update(
                    self.repository.read_video_orders(self.connection, chapters_to_read)
                )
            if courses_to_read:
                self.chapter_orders.update(
                    self.repository.read_chapter_orders(self.connection, courses_to_read)
                )
            extra_videos: set[str] = set()
            for chapter_id, pairs in self.video_orders.items():
                saved = {key for key, _ in pairs}
                shown = set(self.store.video_ids(chapter_id))
                extra_videos |= (saved ^ shown) - self.videos.keys()
            extra_chapters: set[str] = set()
            for course_id, pairs in self.chapter_orders.items():
                saved = {key for key, _ in pairs}
                shown = set(self.store.chapter_ids(course_id))
                extra_chapters |= (saved ^ shown) - self.chapters.keys()
            if not (extra_videos or extra_chapters or chapters_to_read or courses_to_read):
                return
            if extra_videos or extra_chapters:
                self.read_content(sorted(extra_chapters), sorted(extra_videos), whole=[])
        raise OutOfStep("the changed rows do not settle into a consistent order")

    def _affected_chapters(self) -> set[str]:
        store = self.store
        found: set[str] = set()
        for key, video in self.videos.items():
            if store.has_video(key):
                current = store.video(key)
                if current.deleted_at is None and current.chapter_id is not None:
                    found.add(current.chapter_id)
            if video is not None and video.deleted_at is None and video.chapter_id is not None:
                found.add(video.chapter_id)
        for key, chapter in self.chapters.items():
            if chapter is not None or store.has_chapter(key):
                found.add(key)
        return found

    def _affected_courses(self) -> set[str]:
        store = self.store
        found: set[str] = set()
        for key, chapter in self.chapters.items():
            if chapter is not None:
                found.add(chapter.course_id)
            elif store.has_chapter(key):
                found.add(store.chapter(key).course_id)
        for key, course in self.courses.items():
            if course is not None and key in self.loaded and not self.store.has_course(key):
                found.add(key)
        return {key for key in found if key in self.loaded}


def _merge(into: SavedRows, found: SavedRows) -> None:
    into.courses.update(found.courses)
    into.chapters.update(found.chapters)
    into.videos.update(found.videos)
    into.chapter_ranks.update(found.chapter_ranks)
    into.video_ranks.update(found.video_ranks)
    for table in _TABLES:
        into.revisions[table].update(found.revisions[table])


# ------------------------------------------------------------------ putting it in words


@dataclass(frozen=True, slots=True)
class Before:
    """What the store showed of a changed row before taking the change over."""

    entity: Course | Chapter | Video | None
    rank: str | None


def capture(store: Store, repository: Repository, state: ExternalState) -> dict[Key, Before]:
    before: dict[Key, Before] = {}
    for key in state.courses:
        before[("course", key)] = Before(store.course(key) if store.has_course(key) else None, None)
    for key in state.chapters:
        before[("chapter", key)] = Before(
            store.chapter(key) if store.has_chapter(key) else None,
            repository.known_chapter_rank(key),
        )
    for key in state.videos:
        before[("video", key)] = Before(
            store.video(key) if store.has_video(key) else None,
            repository.known_video_rank(key),
        )
    return before


def describe(
    store: Store, before: Mapping[Key, Before], pending: Pending, *, now: float
) -> list[ExternalChange]:
    """Each row whose shown state changed, in words, with the parts of it that changed."""
    changes: list[ExternalChange] = []
    for (kind, key), was in before.items():
        if kind == "course":
            now_entity: Any = store.course(key) if store.has_course(key) else None
            rank = None
        elif kind == "chapter":
            now_entity = store.chapter(key) if store.has_chapter(key) else None
            rank = pending.rows.chapter_ranks.get(key)
        else:
            now_entity = store.video(key) if store.has_video(key) else None
            rank = pending.rows.video_ranks.get(key)
        if was.entity == now_entity and (now_entity is None or was.rank == rank):
            continue
        said = _words(store, kind, was, now_entity, rank)
        if said is None:
            continue
        text, aspects = said
        origin = origin_words(pending.origins.get((kind, key), ""))
        changes.append(ExternalChange(kind, key, aspects, text, origin, now))
    return changes


def _words(
    store: Store, kind: str, was: Before, now: Any, rank: str | None
) -> tuple[str, frozenset[str]] | None:
    old: Any = was.entity
    name = _name(kind, old if old is not None else now)
    if old is None:
        return f"{name} was added", frozenset()
    if now is None:
        return f"{name} was deleted for good", frozenset({EVERYTHING})
    fields = {f for f in _fields(kind) if getattr(old, f) != getattr(now, f)}
    phrases: list[str] = []
    aspects: set[str] = set()
    if "title" in fields:
        phrases.append(f"was renamed to '{now.title}'")
        aspects.add("title")
    if old.deleted_at is None and now.deleted_at is not None:
        phrases.append("was moved to the Trash")
        aspects.add(PLACEMENT)
    elif old.deleted_at is not None and now.deleted_at is None:
        phrases.append("was restored from the Trash")
        aspects.add(PLACEMENT)
    elif kind == "video" and old.chapter_id != now.chapter_id:
        phrases.append(f"was moved to {_place(store, now.chapter_id)}")
        aspects.add(PLACEMENT)
    elif kind != "course" and now.deleted_at is None and was.rank != rank:
        where = f" within {_place(store, now.chapter_id)}" if kind == "video" else ""
        phrases.append(f"was moved{where}")
        aspects.add(PLACEMENT)
    other = fields - {"title"} - PLACEMENT_VIDEO_FIELDS - {"deleted_at", "trash_index"}
    if other:
        phrases.append("was updated")
        aspects |= other
    if not phrases:
        return None
    return f"{name} " + " and ".join(phrases), frozenset(aspects)


def _fields(kind: str) -> tuple[str, ...]:
    if kind == "video":
        return VIDEO_FIELDS
    if kind == "chapter":
        return CHAPTER_FIELDS
    return ("title", "deleted_at")


def _name(kind: str, entity: Any) -> str:
    if kind == "course":
        return f"The course '{entity.title}'"
    if kind == "chapter":
        return f"The chapter '{entity.title}'"
    return f"'{entity.title}'"


def _place(store: Store, chapter_id: str | None) -> str:
    if chapter_id is None:
        return "the unassigned videos"
    if store.has_chapter(chapter_id):
        return f"'{store.chapter(chapter_id).title}'"
    return "another chapter"


# ------------------------------------------------------------------ what an edit changed


def aspects_of(steps: Iterable[Step]) -> dict[Key, tuple[frozenset[str], str]]:
    """For each row an edit's steps changed: which parts, and the edit in words ("your
    rename to 'Hello'")."""
    found: dict[Key, tuple[set[str], list[str]]] = {}

    def note(key: Key, aspects: Iterable[str], words: str) -> None:
        parts, said = found.setdefault(key, (set(), []))
        parts.update(aspects)
        if words not in said:
            said.append(words)

    for step in steps:
        match step:
            case (
                VideoChanged(video_id=key, after=after)
                | ChapterChanged(chapter_id=key, after=after)
                | CourseChanged(course_id=key, after=after)
            ):
                kind = _STEP_KIND[type(step)]
                if "title" in after:
                    note((kind, key), after, f"your rename to '{after['title']}'")
                elif "deleted_at" in after:
                    verb = "delete" if after["deleted_at"] is not None else "restore"
                    note((kind, key), {PLACEMENT, "deleted_at"}, f"your {verb}")
                else:
                    note((kind, key), after, "your change")
            case VideoMoved(video_id=key) | ChapterMoved(chapter_id=key):
                note((_STEP_KIND[type(step)], key), {PLACEMENT}, "your move")
            case VideoTrashed(video_id=key) | ChapterTrashed(chapter_id=key):
                note((_STEP_KIND[type(step)], key), {PLACEMENT}, "your delete")
            case VideoRestored(video_id=key) | ChapterRestored(chapter_id=key):
                note((_STEP_KIND[type(step)], key), {PLACEMENT}, "your restore")
            case VideoPurged(video=video):
                note(("video", video.id), {EVERYTHING}, "your delete")
            case ChapterPurged(chapter=chapter):
                note(("chapter", chapter.id), {EVERYTHING}, "your delete")
            case CoursePurged(course=course):
                note(("course", course.id), {EVERYTHING}, "your delete")
            case VideoCreated() | ChapterCreated() | CourseCreated():
                pass
    return {key: (frozenset(parts), " and ".join(said)) for key, (parts, said) in found.items()}


def overlaps(theirs: frozenset[str], ours: frozenset[str]) -> bool:
    if not theirs or not ours:
        return False
    return EVERYTHING in theirs or EVERYTHING in ours or bool(theirs & ours)


_STEP_KIND: dict[type, str] = {
    VideoChanged: "video",
    VideoMoved: "video",
    VideoTrashed: "video",
    VideoRestored: "video",
    ChapterChanged: "chapter",
    ChapterMoved: "chapter",
    ChapterTrashed: "chapter",
    ChapterRestored: "chapter",
    CourseChanged: "course",
}
