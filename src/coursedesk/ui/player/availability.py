"""Whether video preview can work here: QtMultimedia needs system libraries (audio above all)
that a machine may lack. It is loaded lazily, once, so CourseDesk starts without it and can
say why preview is off instead of failing to open."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from types import ModuleType

log = logging.getLogger(__name__)

_MODULES = ("PySide6.QtMultimedia",)

_checked = False
_reason: str | None = None


def check_multimedia(
    import_module: Callable[[str], ModuleType] = importlib.import_module,
) -> str | None:
    """Try to load QtMultimedia; None if it loads, else why not, in words for the instructor."""
    for name in _MODULES:
        try:
            import_module(name)
        except (ImportError, OSError) as error:
            log.warning("video preview is unavailable: %s: %s", name, error)
            return (
                "Video preview is unavailable: Qt's multimedia support could not be loaded "
                f"({error}). Installing the system's audio libraries (PulseAudio or PipeWire) "
                "usually fixes this."
            )
    return None


def preview_unavailable_reason() -> str | None:
    """Why preview can't work on this system, or None when it can (checked once)."""
    global _checked, _reason
    if not _checked:
        _reason = check_multimedia()
        _checked = True
    return _reason
