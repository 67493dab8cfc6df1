"""Where CourseDesk keeps its files: the library, caches, logs, the user's preferences."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

from coursedesk.preferences import load_preferences

APP_NAME = "CourseDesk"
DATA_DIR_ENV = "COURSEDESK_DATA_DIR"
CONFIG_DIR_ENV = "COURSEDESK_CONFIG_DIR"
CONFIG_FILE_NAME = "config.json"
CACHE_DIR_ENV = "COURSEDESK_CACHE_DIR"
DATABASE_URL_ENV = "COURSEDESK_DATABASE_URL"
LOG_DIR_ENV = "COURSEDESK_LOG_DIR"
LIBRARY_FILE_NAME = "library.sqlite3"


def config_dir() -> Path:
    """The folder of the user's preferences: $COURSEDESK_CONFIG_DIR, else the platform's user
    config folder."""
    chosen = os.environ.get(CONFIG_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """``config.json``: theme, thumbnail size and library folder (see ``preferences``)."""
    return config_dir() / CONFIG_FILE_NAME


def default_data_dir() -> Path:
    """The platform's user data folder: the library's home unless told otherwise."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the library: ``--data-dir``, else $COURSEDESK_DATA_DIR, else the
    folder chosen in Settings (``config.json``), else the platform's user data folder."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    configured = load_preferences(config_file()).library_folder
    if configured is not None:
        return configured.expanduser().resolve()
    return default_data_dir()


def data_dir_overridden(override: str | os.PathLike[str] | None = None) -> bool:
    """Whether ``--data-dir`` or $COURSEDESK_DATA_DIR decides the folder (and Settings don't)."""
    return bool(override or os.environ.get(DATA_DIR_ENV))


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


def folder_problem(folder: Path) -> str | None:
    """Why ``folder`` can't hold a library (a sentence for the instructor), or None.

    Nothing is left behind by asking: a folder that doesn't exist yet is not created, its
    nearest existing parent must let CourseDesk create it.
    """
    if not folder.is_absolute():
        return "Choose a complete folder path."
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder."
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, not a folder."
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return f"CourseDesk can't write to {existing} ({reason}). Choose a folder you can write to."
    return None
