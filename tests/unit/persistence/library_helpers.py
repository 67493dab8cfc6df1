"""Helpers for the library tests: courses to edit, and ways to look at a library file behind
the library's back (raw rows, file bytes, side files, a reload by a second library)."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, new_video
from coursedesk.persistence.library import Library

TABLES = ("courses", "chapters", "videos")


@dataclass(frozen=True)
class BuiltCourse:
    """Ids of a course made for a test: its chapters in order, their videos in order, and the
    unassigned videos of its library."""

    id: str
    chapter_ids: tuple[str, ...]
    videos_by_chapter: dict[str, tuple[str, ...]]
    library_video_ids: tuple[str, ...]


def build_course(
    library: Library,
    *,
    title: str = "Intro to Photography",
    chapters: int = 3,
    videos_per_chapter: int = 5,
    unassigned: int = 2,
) -> BuiltCourse:
    create = CreateCourse(title)
    library.apply(create)
    course_id = create.course_id
    chapter_ids: list[str] = []
    by_chapter: dict[str, tuple[str, ...]] = {}
    for c in range(chapters):
        op = AddChapter(course_id, f"Chapter {c + 1}")
        library.apply(op)
        chapter_ids.append(op.chapter_id)
        clips = tuple(
            new_video(course_id, f"Clip {c + 1}.{v + 1}", f"/clips/{c + 1}-{v + 1}.mp4")
            for v in range(videos_per_chapter)
        )
        library.apply(AddVideos(clips, op.chapter_id))
        by_chapter[op.chapter_id] = tuple(v.id for v in clips)
    loose = tuple(
        new_video(course_id, f"B-roll {i + 1}", f"/broll/{i}.mov") for i in range(unassigned)
    )
    if loose:
        library.apply(AddVideos(loose))
    return BuiltCourse(course_id, tuple(chapter_ids), by_chapter, tuple(v.id for v in loose))


def reload_snapshot(path: Path) -> dict[str, Any]:
    """What a second CourseDesk opening the same file would see, every course opened."""
    library = Library.open(path)
    try:
        for course in library.store.courses(include_trashed=True):
            library.open_course(course.id)
        return library.store.snapshot()
    finally:
        library.close()


def table_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the library's tables, read with a plain sqlite3 connection."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return {
            table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in TABLES
        }


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    """Files SQLite may leave next to a database (journal, WAL, shared memory)."""
    return sorted(
        p.name
        for p in path.parent.iterdir()
        if p.name.startswith(path.name) and p.name != path.name
    )


class Disk:
    """Faults of the disk under a library: set on every connection the library opens."""

    def __init__(self) -> None:
        self._connections: list[sqlite3.Connection] = []

    def watch(self, dbapi_connection: sqlite3.Connection, *_pool_args: object) -> None:
        """Pool ``checkout`` listener: remember every connection the library uses."""
        if all(c is not dbapi_connection for c in self._connections):
            self._connections.append(dbapi_connection)

    def _pragma(self, sql: str) -> None:
        for connection in self._connections:
            connection.execute(sql)

    def fill(self) -> None:
        """No page can be added to the file any more: SQLite reports SQLITE_FULL."""
        self._pragma("PRAGMA max_page_count = 1")  # clamps to the current size

    def free(self) -> None:
        self._pragma("PRAGMA max_page_count = 1073741823")

    def make_read_only(self) -> None:
        self._pragma("PRAGMA query_only = ON")

    def make_writable(self) -> None:
        self._pragma("PRAGMA query_only = OFF")
