"""Opening a library: check the file is ours and not from the future, then migrate it.

SQLite (WAL mode, foreign keys on) is the embedded default; the engine URL is configuration
(``open_database``). Everything specific to one database lives in this module. The one thing
several writers need from every engine: write transactions take turns (SQLite's
``BEGIN IMMEDIATE``; on a server, a lock on the change feed at the start), so change-feed
entries commit in the order of their sequence numbers.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from coursedesk.persistence.errors import LibraryError, LibraryTooNew, NotALibrary
from coursedesk.persistence.schema import APPLICATION_ID

log = logging.getLogger(__name__)

LIBRARY_FILE_NAME = "library.sqlite3"
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True, slots=True)
class Database:
    """An open, up-to-date library database."""

    engine: Engine
    path: Path | None

    def close(self) -> None:
        self.engine.dispose()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def open_library(path: Path, *, busy_timeout_ms: int = 5000) -> Database:
    """Open (creating or upgrading as needed) the library file at ``path``.

    A file that is not a CourseDesk library, or was written by a newer version, raises and
    is left untouched; so is one that can't be read.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LibraryError(
            f"CourseDesk can't create the folder for its library ({path.parent}): "
            f"{exc.strerror or exc}."
        ) from exc
    revision = _inspect_existing(path)
    scripts = ScriptDirectory.from_config(_alembic_config())
    if revision is not None:
        try:
            scripts.get_revision(revision)
        except CommandError:
            raise LibraryTooNew(
                f"The library {path.name} was saved by a newer version of CourseDesk. "
                "Update CourseDesk to open it; the file was not changed."
            ) from None
    backup: Path | None = None
    if revision is not None and revision != scripts.get_current_head():
        backup = _back_up_before_upgrade(path, revision)
    engine = sqlite_engine(path, busy_timeout_ms=busy_timeout_ms)
    if revision != scripts.get_current_head():
        try:
            _upgrade(engine)
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            reason = str(getattr(exc, "orig", None) or exc).rstrip(".")
            if backup is None:
                raise LibraryError(
                    f"CourseDesk couldn't set up its library {path.name}: {reason}."
                ) from exc
            raise LibraryError(
                f"CourseDesk couldn't upgrade the library {path.name}: {reason}. The library "
                f"was left as it was; a copy from before the upgrade is in {backup.name}."
            ) from exc
        except BaseException:
            engine.dispose()
            raise
        log.info("library %s upgraded from %s to %s", path, revision, scripts.get_current_head())
    return Database(engine, path)


def open_database(url: str, *, busy_timeout_ms: int = 5000) -> Database:
    """Open the library behind a database URL: a SQLite file as ``open_library`` does, or a
    database server's (created or upgraded by the same migrations)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise LibraryError(f"'{url}' is not a database URL CourseDesk understands.") from exc
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise LibraryError("A SQLite library needs a file: sqlite:///path/to/library.sqlite3")
        return open_library(Path(parsed.database), busy_timeout_ms=busy_timeout_ms)
    try:
        engine = server_engine(url)
        with engine.connect() as connection:
            current = (
                connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if engine.dialect.has_table(connection, "alembic_version")
                else None
            )
        scripts = ScriptDirectory.from_config(_alembic_config())
        if current is not None:
            try:
                scripts.get_revision(current)
            except CommandError:
                engine.dispose()
                raise LibraryTooNew(
                    "This library was saved by a newer version of CourseDesk. Update CourseDesk "
                    "to open it; it was not changed."
                ) from None
        if current != scripts.get_current_head():
            _upgrade(engine)
    except (SQLAlchemyError, ImportError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).rstrip(".")
        raise LibraryError(
            f"CourseDesk can't open the library at {parsed.host}: {reason}."
        ) from exc
    return Database(engine, None)


def server_engine(url: str) -> Engine:
    """An engine for a library on a database server (PostgreSQL), writers taking turns."""
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        if connection.get_execution_options().get("coursedesk_writer", False):
            # The equivalent of SQLite's BEGIN IMMEDIATE: one writer at a time, so a change
            # feed entry never commits after one with a higher sequence number.
            connection.exec_driver_sql("LOCK TABLE change_log IN EXCLUSIVE MODE")

    return engine


def _upgrade(engine: Engine) -> None:
    # One transaction for all migrations: a failing one leaves the file at its old revision.
    with engine.connect() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def sqlite_engine(path: Path, *, busy_timeout_ms: int = 5000) -> Engine:
    """An engine for a SQLite library file, with CourseDesk's connection settings."""
    engine = create_engine(f"sqlite:///{path}", pool_size=4, max_overflow=4)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # We issue BEGIN ourselves (below), so the driver must not open transactions on its own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a commit survives the process being killed; only a power cut
        # can lose the last few commits, never corrupt the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Writers take the write lock up front, so two writers never deadlock mid-transaction.
        immediate = connection.get_execution_options().get("coursedesk_writer", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _inspect_existing(path: Path) -> str | None:
    """The schema revision of an existing library, or None for a new (or empty) file."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise LibraryError(f"CourseDesk can't read its library {path}: {exc.strerror}.") from exc
    if header != _SQLITE_HEADER:
        raise NotALibrary(
            f"{path.name} is not a CourseDesk library (it is not a database at all). "
            "It was left untouched."
        )
    try:
        connection = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise LibraryError(f"CourseDesk can't open its library {path}: {exc}.") from exc
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if not tables:
            return None
        if application_id != APPLICATION_ID or "alembic_version" not in tables:
            raise NotALibrary(
                f"{path.name} is a database, but not a CourseDesk library. It was left untouched."
            )
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    except sqlite3.DatabaseError as exc:
        raise NotALibrary(
            f"{path.name} is damaged or not a CourseDesk library ({exc}). It was left untouched."
        ) from exc
    finally:
        connection.close()


def _read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` without leaving anything behind.

    Even a read-only connection to a WAL-mode database creates ``-wal`` and ``-shm`` files
    next to it, and can't remove them again. With no ``-wal`` file present nobody has the
    database open in WAL mode and everything is in the main file, so it is read as
    immutable: no lock, no side files. Otherwise the writes still in the ``-wal`` file
    count, so it is read the ordinary way (its side files exist already).
    """
    wal = path.with_name(path.name + "-wal")
    # as_uri() needs an absolute path; the library may well be given as a relative one.
    return f"{path.absolute().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")


def _back_up_before_upgrade(path: Path, revision: str) -> Path:
    """Keep a copy of an older library before migrating it, in case the upgrade goes wrong."""
    backup = path.with_name(f"{path.stem}.before-upgrade-from-{revision}{path.suffix}")
    source = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(backup)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    log.info("kept a copy of the library before upgrading it: %s", backup)
    return backup
