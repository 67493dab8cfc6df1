"""Why a file cannot become a course video, in words an instructor can act on.

``str(error)`` is the sentence to show; it names the file, never a full path.  The technical
cause (FFmpeg's message, the errno) travels as ``__cause__`` and goes to the log.
"""

import os
from pathlib import Path
from typing import ClassVar


def display_name(path: Path) -> str:
    """The file's name as text that is safe to show and store.

    A name that is not valid UTF-8 (copied from an old camera or another system) would
    otherwise carry stray surrogate characters into messages and break whatever encodes them.
    """
    return os.fsencode(path.name).decode("utf-8", errors="replace")


class MediaError(Exception):
    """A file could not be read as a video; the message is written for the instructor.

    ``template`` replaces the class's default sentence; ``{name}`` in it becomes the file's
    name.
    """

    template: ClassVar[str] = "'{name}' could not be read as a video."

    def __init__(self, path: Path, template: str | None = None) -> None:
        self.path = path
        super().__init__((template or self.template).format(name=display_name(path)))

    @property
    def message(self) -> str:
        """The sentence to show the instructor."""
        return str(self)


class NotAVideo(MediaError):
    """The file is something else: a document, a picture, a folder."""

    template = "'{name}' is not a video file."


class AudioOnly(MediaError):
    """The file has sound but no picture."""

    template = "'{name}' has sound but no picture, so it cannot be a course video."


class CorruptVideo(MediaError):
    """The file claims to be a video but is damaged or incomplete."""

    template = (
        "'{name}' is damaged or incomplete and cannot be played. If it was copied or "
        "downloaded, the copy may have been interrupted; try copying it again."
    )


class UnsupportedVideo(MediaError):
    """A genuine video in a format this build of CourseDesk cannot decode."""

    template = "'{name}' uses a video format CourseDesk cannot read."


class EmptyFile(MediaError):
    """The file has zero bytes."""

    template = "'{name}' is empty (0 bytes)."


class FileVanished(MediaError):
    """The file is not there any more."""

    template = "'{name}' is no longer there; it may have been moved, renamed or deleted."


class FileUnreadable(MediaError):
    """The file exists but cannot be read: permissions, a failing disk, a dropped network share."""

    template = "'{name}' cannot be read. Check that you have permission to open it."


class FileChanged(MediaError):
    """The file changed size or was modified while it was being read."""

    template = (
        "'{name}' changed while CourseDesk was reading it. Wait until it has finished "
        "saving or copying, then add it again."
    )


class Cancelled(Exception):
    """The caller's cancel check said stop.  Deliberately not a :class:`MediaError`."""
