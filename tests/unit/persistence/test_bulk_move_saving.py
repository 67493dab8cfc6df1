"""A bulk move is saved as the new places of its videos, whichever way the database driver
takes the values (by position or by name), and reloads as the store shows it."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from tests.unit.persistence.library_helpers import build_course, reload_snapshot

from coursedesk.domain.operations import Batch, MoveVideos, TrashVideos
from coursedesk.persistence.database import Database, open_library
from coursedesk.persistence.library import Library


def _revisions(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return dict(connection.execute("SELECT id, revision FROM videos").fetchall())


@pytest.mark.parametrize("paramstyle", ["qmark", "named"])
def test_a_bulk_move_its_undo_and_an_unassigning_reload_as_the_store_shows_them(
    tmp_path: Path, paramstyle: str
) -> None:
    path = tmp_path / "library.sqlite3"
    open_library(path).close()
    library = Library(Database(create_engine(f"sqlite:///{path}", paramstyle=paramstyle), path))
    try:
        course = build_course(library, chapters=4, videos_per_chapter=30, unassigned=5)
        first, second, third, fourth = course.chapter_ids
        store = library.store
        moving = (
            *store.video_ids(second)[5:25],
            *store.video_ids(third),
            store.video_ids(first)[20],
            *course.library_video_ids[1:4],
        )
        before = _revisions(path)

        applied = library.apply(MoveVideos(moving, first, 3))

        assert reload_snapshot(path) == store.snapshot()
        after = _revisions(path)
        changed = {vid for vid in after if after[vid] != before[vid]}
        assert changed == set(moving)
        assert all(after[vid] == before[vid] + 1 for vid in moving)

        library.apply(applied.inverse)
        assert reload_snapshot(path) == store.snapshot()

        library.apply(MoveVideos((*store.video_ids(fourth)[::2], *moving[:10]), None))
        assert reload_snapshot(path) == store.snapshot()
    finally:
        library.close()


def test_videos_moved_then_deleted_in_one_edit_are_saved_in_the_trash_holding_no_place(
    library: Library, library_path: Path
) -> None:
    course = build_course(library, chapters=3, videos_per_chapter=12, unassigned=0)
    first, second, _third = course.chapter_ids
    moving = tuple(library.store.video_ids(second)[:10])

    library.apply(Batch((MoveVideos(moving, first, 0), TrashVideos(moving[2:8]))))

    with contextlib.closing(sqlite3.connect(library_path)) as connection:
        rows = dict(
            connection.execute(
                "SELECT id, chapter_id IS NULL AND rank IS NULL AND deleted_at IS NOT NULL"
                " FROM videos"
            ).fetchall()
        )
    assert [vid for vid in moving if rows[vid]] == list(moving[2:8])
    assert reload_snapshot(library_path) == library.store.snapshot()
