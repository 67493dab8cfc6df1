"""Fixtures for the library tests: a fresh library file per test and a course to edit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from tests.unit.persistence.library_helpers import BuiltCourse, Disk, build_course

from coursedesk.persistence.database import open_library
from coursedesk.persistence.library import Library


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


@pytest.fixture
def open_at() -> Iterator[Callable[..., Library]]:
    """Open libraries by path; every one is closed when the test ends."""
    opened: list[Library] = []

    def _open(path: Path, **kwargs: Any) -> Library:
        library = Library.open(path, **kwargs)
        opened.append(library)
        return library

    yield _open
    for library in opened:
        library.close()


@pytest.fixture
def library(open_at: Callable[..., Library], library_path: Path) -> Library:
    return open_at(library_path)


@pytest.fixture
def course(library: Library) -> BuiltCourse:
    return build_course(library)


@pytest.fixture
def disk() -> Disk:
    return Disk()


@pytest.fixture
def faulty_library(library_path: Path, disk: Disk) -> Iterator[Library]:
    """A library whose disk the test can fill up or make read-only."""
    database = open_library(library_path, busy_timeout_ms=50)
    event.listen(database.engine, "checkout", disk.watch)
    library = Library(database)
    yield library
    library.close()
