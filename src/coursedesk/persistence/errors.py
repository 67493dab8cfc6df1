"""Problems with the library file, in words an instructor can act on."""

from __future__ import annotations


class LibraryError(Exception):
    """The library could not be opened or read. ``str(error)`` is for the instructor."""


class NotALibrary(LibraryError):
    """The file exists but is not a CourseDesk library; it is left untouched."""


class LibraryTooNew(LibraryError):
    """The library was written by a newer CourseDesk; it is left untouched."""


class LibraryCorrupt(LibraryError):
    """The library's content breaks the course structure; it is reported, not "fixed"."""


class SaveFailed(Exception):
    """An edit could not be written. The edit was rolled back in memory too: nothing changed."""
