"""Where CourseDesk keeps its files: the library, caches, logs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "CourseDesk"
DATA_DIR_ENV = "COURSEDESK_DATA_DIR"
CACHE_DIR_ENV = "COURSEDESK_CACHE_DIR"
DATABASE_URL_ENV = "COURSEDESK_DATABASE_URL"
LOG_DIR_ENV = "COURSEDESK_LOG_DIR"
LIBRARY_FILE_NAME = "library.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the library: ``--data-dir``, else $COURSEDESK_DATA_DIR, else the
    platform's user data folder."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def library_path(folder: Path) -> Path:
    return folder / LIBRARY_FILE_NAME


def cache_dir() -> Path:
    """The folder for things CourseDesk can make again (thumbnails): $COURSEDESK_CACHE_DIR,
    else the platform's user cache folder."""
    chosen = os.environ.get(CACHE_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """The folder of CourseDesk's log files: $COURSEDESK_LOG_DIR, else the platform's user log
    folder."""
    chosen = os.environ.get(LOG_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def database_url(override: str | None = None) -> str | None:
    """The library's database URL when it is not the file in the data folder: ``--database-url``,
    else $COURSEDESK_DATABASE_URL, else None (the SQLite file in the data folder)."""
    return override or os.environ.get(DATABASE_URL_ENV) or None
