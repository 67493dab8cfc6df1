"""The instructor's own preferences, shared by every library they open: the theme, the size
of the library grid's thumbnails and where the library lives.

They are kept in ``config.json`` in the platform's user config folder (``paths.config_file``),
apart from any library, because the library's location can't be stored inside the library.
An absent, unreadable or half-understood file never stops CourseDesk: what can't be read
falls back to the default, and the log says so.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

E = TypeVar("E", bound=StrEnum)


class Theme(StrEnum):
    SYSTEM = "system"  # follow the desktop's light or dark setting, as it changes
    LIGHT = "light"
    DARK = "dark"


class ThumbnailSize(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


@dataclass(frozen=True, slots=True)
class Preferences:
    theme: Theme = Theme.SYSTEM
    thumbnail_size: ThumbnailSize = ThumbnailSize.MEDIUM
    # None: the platform's user data folder.
    library_folder: Path | None = None


class PreferencesNotSaved(Exception):
    """``config.json`` could not be written; ``message`` is for the instructor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _enum_value(kind: type[E], raw: object, default: E, path: Path) -> E:
    if raw is None:
        return default
    try:
        return kind(str(raw))
    except ValueError:
        log.warning("ignoring unknown %s %r in %s", kind.__name__, raw, path)
        return default


def load_preferences(path: Path) -> Preferences:
    """The saved preferences; anything missing or unreadable is the default (logged)."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable preferences %s: %s", path, exc)
        return Preferences()
    if not isinstance(raw, dict):
        log.warning("ignoring preferences %s: not a JSON object", path)
        return Preferences()
    folder_raw = raw.get("library_folder")
    folder = Path(folder_raw).expanduser() if isinstance(folder_raw, str) and folder_raw else None
    return Preferences(
        theme=_enum_value(Theme, raw.get("theme"), Theme.SYSTEM, path),
        thumbnail_size=_enum_value(
            ThumbnailSize, raw.get("thumbnail_size"), ThumbnailSize.MEDIUM, path
        ),
        library_folder=folder,
    )


def save_preferences(path: Path, preferences: Preferences) -> None:
    """Write ``preferences`` atomically: a crash leaves the old file or the new, never half.
    Raises ``PreferencesNotSaved``."""
    record = {
        "theme": preferences.theme.value,
        "thumbnail_size": preferences.thumbnail_size.value,
        "library_folder": (
            str(preferences.library_folder) if preferences.library_folder is not None else None
        ),
    }
    text = json.dumps(record, indent=2) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=".config-", suffix=".partial", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            Path(partial).replace(path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("could not save preferences to %s: %s", path, exc)
        raise PreferencesNotSaved(
            f"CourseDesk could not save your settings to {path}: "
            f"{exc.strerror or exc}. Nothing was changed."
        ) from None
