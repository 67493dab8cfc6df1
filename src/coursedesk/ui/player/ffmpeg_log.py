"""Keeping QtMultimedia's FFmpeg quiet.

Unless told otherwise, FFmpeg writes what it opens to standard error, URL and all ("Input
#0, mov,mp4 … from 'https://…?Authorization=…'"); a desktop session keeps an application's
standard error in its journal, so a download authorization would end up in a log. FFmpeg's
log level is a global of the libavutil that Qt's FFmpeg backend loaded (Qt ships its own,
apart from PyAV's), so it is lowered there to errors, which name no URL.
"""

from __future__ import annotations

import ctypes
import logging
import os
from pathlib import Path

from PySide6.QtCore import QLibraryInfo

log = logging.getLogger(__name__)

AV_LOG_ERROR = 16
_PATTERNS = ("libavutil.so.*", "libavutil.*.dylib", "avutil-*.dll")

_done = False


def _candidates() -> list[Path]:
    folders = {
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath)),
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.BinariesPath)),
    }
    found: list[Path] = []
    for folder in folders:
        for pattern in _PATTERNS:
            found.extend(sorted(folder.glob(pattern)))
    return found


def quiet_ffmpeg() -> bool:
    """Lower FFmpeg's log level to errors in the library Qt loaded; True if it was done.

    Call it once a QMediaPlayer exists (Qt loads FFmpeg with its backend; loading libavutil
    before that can fail on the libraries it needs). Only an already loaded copy is touched
    where the platform can tell, never a second one.
    """
    global _done
    if _done:
        return True
    mode = getattr(os, "RTLD_NOLOAD", 0) | getattr(os, "RTLD_LAZY", 0)
    for path in _candidates():
        try:
            library = ctypes.CDLL(str(path), mode=mode)
            library.av_log_set_level(AV_LOG_ERROR)
        except (OSError, AttributeError) as error:
            log.debug("can't set FFmpeg's log level through %s: %s", path.name, error)
            continue
        _done = True
        return True
    log.debug("FFmpeg's log level left as it is: Qt's libavutil not found")
    return False
