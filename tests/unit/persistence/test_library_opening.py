"""Opening a library file: a new one gets the current schema, an older one is upgraded, and
anything that is not ours (or is from a newer CourseDesk) is refused and left untouched."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from tests.unit.persistence.library_helpers import (
    build_course,
    file_digest,
    reload_snapshot,
    side_files,
    table_rows,
)

from coursedesk.domain.operations import RenameCourse
from coursedesk.persistence import database
from coursedesk.persistence.database import head_revision, open_library
from coursedesk.persistence.errors import LibraryError, LibraryTooNew, NotALibrary
from coursedesk.persistence.library import Library
from coursedesk.persistence.schema import APPLICATION_ID, metadata


def _stored_revision(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _make_sqlite_file(path: Path, *statements: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()


def _assert_refused_untouched(path: Path, error: type[LibraryError], words: str) -> LibraryError:
    digest = file_digest(path)
    before = side_files(path)

    with pytest.raises(error) as refused:
        open_library(path)

    assert words in str(refused.value)
    assert "untouched" in str(refused.value) or "not changed" in str(refused.value)
    assert file_digest(path) == digest
    assert side_files(path) == before
    return refused.value


# ------------------------------------------------------------------ new and current libraries


def test_a_new_library_has_exactly_the_tables_the_code_expects(library_path: Path) -> None:
    db = open_library(library_path)
    try:
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
            inspector = inspect(connection)
            assert set(inspector.get_table_names()) == set(metadata.tables) | {"alembic_version"}
            for table in metadata.tables.values():
                # Sets: a later migration's new column comes last in the file, wherever it
                # is declared.
                assert {c["name"] for c in inspector.get_columns(table.name)} == {
                    c.name for c in table.columns
                }
            uniques = {
                (name, tuple(u["column_names"]))
                for name in ("chapters", "videos")
                for u in inspector.get_unique_constraints(name)
            }
    finally:
        db.close()

    assert differences == []
    assert uniques == {("chapters", ("course_id", "rank")), ("videos", ("chapter_id", "rank"))}


def test_a_new_library_is_marked_as_ours_at_the_current_revision(library_path: Path) -> None:
    open_library(library_path).close()

    assert _stored_revision(library_path) == head_revision()
    with contextlib.closing(sqlite3.connect(library_path)) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_library_is_created_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "not" / "there" / "yet" / "library.sqlite3"

    open_library(path).close()

    assert _stored_revision(path) == head_revision()


def test_an_empty_file_becomes_a_new_library(library_path: Path) -> None:
    library_path.touch()

    open_library(library_path).close()

    assert _stored_revision(library_path) == head_revision()


def test_reopening_an_up_to_date_library_runs_no_migration(
    open_at: Callable[..., Library], library_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    library = open_at(library_path)
    course = build_course(library)
    library.close()
    caplog.set_level(logging.INFO)

    reopened = open_at(library_path)
    reopened.open_course(course.id)

    assert _stored_revision(library_path) == head_revision()
    assert not [p for p in library_path.parent.iterdir() if "before-upgrade" in p.name]
    assert not [r for r in caplog.records if "upgraded" in r.getMessage()]


def test_a_library_given_by_a_relative_path_opens(
    open_at: Callable[..., Library], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    library = open_at(Path("library.sqlite3"))
    course = build_course(library)
    library.close()

    reopened = open_at(Path("library.sqlite3"))
    reopened.open_course(course.id)

    assert reopened.store.snapshot() == library.store.snapshot()


def test_closing_the_library_leaves_no_side_files(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    build_course(library)

    library.close()

    assert side_files(library_path) == []


# ------------------------------------------------------------------ files that are not ours


def test_a_text_file_is_refused_and_left_untouched(library_path: Path) -> None:
    library_path.write_text("Shopping list:\n- tripod\n- ND filter\n")

    _assert_refused_untouched(library_path, NotALibrary, "not a CourseDesk library")


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_another_applications_database_is_refused_and_left_untouched(
    library_path: Path, journal_mode: str
) -> None:
    _make_sqlite_file(
        library_path,
        f"PRAGMA journal_mode = {journal_mode}",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
        "INSERT INTO notes (body) VALUES ('remember the lens cap')",
    )

    _assert_refused_untouched(library_path, NotALibrary, "not a CourseDesk library")


def test_a_database_with_our_table_names_but_not_our_mark_is_refused(library_path: Path) -> None:
    _make_sqlite_file(
        library_path,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
        f"INSERT INTO alembic_version VALUES ('{head_revision()}')",
        "CREATE TABLE courses (id TEXT)",
    )

    _assert_refused_untouched(library_path, NotALibrary, "not a CourseDesk library")


def test_a_damaged_database_file_is_refused_and_left_untouched(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    build_course(library)
    library.close()
    data = bytearray(library_path.read_bytes())
    data[100:4096] = os.urandom(4096 - 100)  # the first page: the table of tables
    library_path.write_bytes(bytes(data))

    _assert_refused_untouched(library_path, NotALibrary, "damaged")


def test_a_library_from_a_newer_version_is_refused_and_left_untouched(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    build_course(library)
    library.close()
    _make_sqlite_file(library_path, "UPDATE alembic_version SET version_num = 'f00dcafe'")

    refused = _assert_refused_untouched(library_path, LibraryTooNew, "newer version")

    assert library_path.name in str(refused)


def test_a_library_whose_tables_were_altered_by_hand_is_reported(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path)
    build_course(library)
    library.close()
    _make_sqlite_file(library_path, "ALTER TABLE courses DROP COLUMN deleted_at")
    digest = file_digest(library_path)

    with pytest.raises(LibraryError, match="can't read its library"):
        Library.open(library_path)

    assert file_digest(library_path) == digest
    assert side_files(library_path) == []


# ------------------------------------------------------------------ upgrades


_ADD_SUBTITLE = """
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("courses", sa.Column("subtitle", sa.Text))
    op.execute("UPDATE courses SET subtitle = 'from ' || title")
    {extra}


def downgrade():
    op.drop_column("courses", "subtitle")
"""


def _newer_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str = "") -> None:
    """Make this CourseDesk one migration newer than the shipped one, for this test only."""
    migrations = tmp_path / "migrations"
    shutil.copytree(database._MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "9001_add_subtitle.py").write_text(
        _ADD_SUBTITLE.format(down=head_revision(), extra=extra)
    )
    monkeypatch.setattr(database, "_MIGRATIONS", migrations)


def _course_columns(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [row[1] for row in connection.execute("PRAGMA table_info(courses)")]


def test_an_older_library_is_upgraded_keeping_its_courses_and_a_copy(
    open_at: Callable[..., Library],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "library.sqlite3"
    old = open_at(path)
    course = build_course(old)
    old.close()
    old_revision = _stored_revision(path)
    old_rows = table_rows(path)
    _newer_migrations(tmp_path, monkeypatch)

    upgraded = open_at(path)
    upgraded.open_course(course.id)
    upgraded.apply(RenameCourse(course.id, "Intro to Photography, 2nd edition"))
    upgraded.close()

    assert _stored_revision(path) == "9001"
    assert "subtitle" in _course_columns(path)
    backup = path.with_name(f"library.before-upgrade-from-{old_revision}.sqlite3")
    assert table_rows(backup) == old_rows
    assert _stored_revision(backup) == old_revision
    assert reload_snapshot(path) == upgraded.store.snapshot()


def test_a_failed_upgrade_leaves_the_library_as_it_was_and_says_so(
    open_at: Callable[..., Library],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "library.sqlite3"
    old = open_at(path)
    build_course(old)
    old.close()
    old_revision = _stored_revision(path)
    old_snapshot = reload_snapshot(path)
    digest = file_digest(path)
    _newer_migrations(tmp_path, monkeypatch, extra='op.execute("UPDATE no_such_table SET x = 1")')

    with pytest.raises(LibraryError) as failure:
        open_library(path)

    assert "couldn't upgrade" in str(failure.value)
    assert "before-upgrade" in str(failure.value)
    assert file_digest(path) == digest
    assert side_files(path) == []
    assert _stored_revision(path) == old_revision
    assert "subtitle" not in _course_columns(path)
    monkeypatch.undo()
    assert reload_snapshot(path) == old_snapshot


def test_an_upgraded_library_is_too_new_for_the_version_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.sqlite3"
    _newer_migrations(tmp_path, monkeypatch)
    open_library(path).close()
    monkeypatch.undo()

    _assert_refused_untouched(path, LibraryTooNew, "newer version")
