"""Planning a drop: which of the dropped files and folders become which videos and chapters.

:func:`plan_drop` walks what the instructor dropped and answers before anything is changed:
the groups of files to import, in order, and every file or folder it refused with a sentence
the instructor can read. It touches no store and no database and reads no file contents, so
it runs on a worker thread and its result is a plain value.

Order. Within a folder, files come before sub-folders, each in natural, case-insensitive order
(``2 intro`` before ``10 outro``, ``Chapter 2`` before ``chapter 10``); sub-folders are walked
depth-first. The dropped items themselves are ordered the same way (loose files first, then
folders), so the plan does not depend on the order a file manager lists a selection in.

Chapters. With ``make_chapters=True`` (a drop on empty space in the chapter tree) every folder
that directly holds videos becomes one group named after that folder (cleaned like a title,
:func:`~coursedesk.services.ingest.titles.clean_chapter_title`); a nested folder becomes its
own group named after itself, not prefixed with its parent's name. A folder without videos
makes no group, but its sub-folders still do. Loose files dropped alongside come first, in one
group whose ``chapter_title`` is None: the caller decides where they go. With
``make_chapters=False`` (a drop on a chapter or on the library) everything is one group with
``chapter_title`` None. A plan holds no empty groups.

What is refused, at scan time (the probe refuses what only reading the file can tell):

- a file whose extension is not a known video container (``notes.pdf``, ``README``), and
  audio-only files (``.mp3``, ``.wav`` …) with their own message;
- an empty file (0 bytes), something that is not a regular file (a pipe, a device);
- a file or folder that disappeared during the scan, and a link to something that no longer
  exists;
- a folder that cannot be opened (permission denied);
- a folder already being imported: a symbolic link back to a folder the walk has already
  entered (a loop) is reported once and never followed; a linked folder seen for the first
  time is followed. The same file reached twice (a link next to its target, a hard link) is
  imported once.

Inside dropped folders, hidden entries (names starting with ``.``, such as ``.DS_Store`` and
macOS ``._`` resource forks) and system clutter (``Thumbs.db``, ``desktop.ini``) are skipped
without a refusal, only counted; an explicitly dropped hidden file is considered like any other.

The walk is iterative (deep trees do not exhaust the stack), lists each folder once with
:func:`os.scandir`, and stats folders, links and files with a video extension; other files are
refused by name alone. Memory grows with the files planned and the folders entered, plus one
folder's listing at a time.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from natsort import natsort_keygen, ns

from coursedesk.services.ingest.titles import clean_chapter_title, clean_title

VIDEO_EXTENSIONS = frozenset(
    {
        "mp4", "m4v", "mov", "mkv", "webm", "avi", "wmv", "flv",
        "mpg", "mpeg", "mts", "m2ts", "ts", "3gp", "ogv",
    }
)  # fmt: skip
AUDIO_EXTENSIONS = frozenset({"m4a", "mp3", "wav", "aac", "flac", "ogg", "opus"})
# Names file managers and operating systems leave in folders; nobody means to import them.
CLUTTER_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class RefusalReason(StrEnum):
    """Why a dropped file or folder is not part of the plan."""

    NOT_VIDEO = "not_video"
    AUDIO_ONLY = "audio_only"
    EMPTY = "empty"
    NOT_REGULAR = "not_regular"
    VANISHED = "vanished"
    BROKEN_LINK = "broken_link"
    UNREADABLE = "unreadable"
    FOLDER_UNREADABLE = "folder_unreadable"
    LINK_LOOP = "link_loop"
    ALREADY_INCLUDED = "already_included"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One file to import, with what the scan learned about it."""

    path: Path
    size_bytes: int
    display_name: str
    """The file name as shown to the instructor: NFC, undecodable bytes as U+FFFD."""
    title: str
    """The default video title (:func:`~coursedesk.services.ingest.titles.clean_title`)."""


@dataclass(frozen=True, slots=True)
class PlannedGroup:
    """Files that go to one place, in import order."""

    chapter_title: str | None
    """The new chapter to make for these files; None means the place the drop landed on."""
    files: tuple[PlannedFile, ...]
    folder: Path | None = None
    """The folder this group was made from (None for loose files and flattened drops)."""

    @property
    def size_bytes(self) -> int:
        return sum(planned.size_bytes for planned in self.files)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A dropped file or folder that will not be imported, and why, in words."""

    path: Path
    reason: RefusalReason
    message: str


@dataclass(frozen=True, slots=True)
class DropPlan:
    """What a drop will import and what it refused; nothing has been changed yet."""

    groups: tuple[PlannedGroup, ...]
    refused: tuple[Refusal, ...]
    hidden_skipped: int = 0
    """Hidden files and system clutter passed over inside dropped folders."""

    @property
    def files(self) -> Iterator[PlannedFile]:
        for group in self.groups:
            yield from group.files

    @property
    def file_count(self) -> int:
        return sum(len(group.files) for group in self.groups)

    @property
    def total_bytes(self) -> int:
        return sum(group.size_bytes for group in self.groups)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def plan_drop(paths: Sequence[Path], *, make_chapters: bool) -> DropPlan:
    """Plan the import of ``paths`` dropped by the instructor (see the module docstring)."""
    return _Planner(make_chapters=make_chapters).plan(paths)


def display_name(name: str) -> str:
    """``name`` as it can be shown: NFC, with undecodable bytes as U+FFFD."""
    return unicodedata.normalize("NFC", _LONE_SURROGATE.sub("\ufffd", name))


_natural_key: Callable[[str], Any] = natsort_keygen(alg=ns.IGNORECASE | ns.PATH)


def _sort_key(name: str) -> tuple[Any, str, str]:
    # Names equal but for case ("a.mp4", "A.mp4") or normalization (NFC and NFD "Café" can
    # sit side by side on Linux) are still put in one fixed order.
    shown = display_name(name)
    return (_natural_key(shown), shown, name)


@dataclass(frozen=True, slots=True)
class _Folder:
    path: Path
    via_link: bool


@dataclass(slots=True)
class _Planner:
    make_chapters: bool
    groups: list[PlannedGroup] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    hidden_skipped: int = 0
    # (st_dev, st_ino) → shown name, so a second path to the same thing is named in the report.
    seen_folders: dict[tuple[int, int], str] = field(default_factory=dict)
    seen_files: dict[tuple[int, int], str] = field(default_factory=dict)
    flat: list[PlannedFile] = field(default_factory=list)

    def plan(self, paths: Sequence[Path]) -> DropPlan:
        loose: list[PlannedFile] = []
        folders: list[_Folder] = []
        for path in sorted(paths, key=lambda p: (_sort_key(p.name), str(p))):
            self._take_dropped(path, loose, folders)
        if loose:
            if self.make_chapters:
                self.groups.append(PlannedGroup(None, tuple(loose)))
            else:
                self.flat.extend(loose)
        self._walk(folders)
        if self.flat:
            self.groups.append(PlannedGroup(None, tuple(self.flat)))
        return DropPlan(tuple(self.groups), tuple(self.refused), self.hidden_skipped)

    def _take_dropped(self, path: Path, loose: list[PlannedFile], folders: list[_Folder]) -> None:
        name = path.name or str(path)
        try:
            is_link = path.is_symlink()
            info = path.stat()
        except OSError as error:
            self._refuse_unstattable(path, name, error)
            return
        if stat.S_ISDIR(info.st_mode):
            folders.append(_Folder(path, via_link=is_link))
            return
        planned = self._check_file(path, name, lambda: info)
        if planned is not None:
            loose.append(planned)

    def _walk(self, roots: list[_Folder]) -> None:
        pending = list(reversed(roots))
        while pending:
            folder = pending.pop()
            entries = self._enter(folder)
            if entries is None:
                continue
            files, subfolders = entries
            if files:
                if self.make_chapters:
                    title = clean_chapter_title(folder.path.name or str(folder.path))
                    self.groups.append(PlannedGroup(title, tuple(files), folder.path))
                else:
                    self.flat.extend(files)
            pending.extend(reversed(subfolders))

    def _enter(self, folder: _Folder) -> tuple[list[PlannedFile], list[_Folder]] | None:
        """The folder's files to import and its sub-folders, or None if it is refused."""
        path = folder.path
        shown = display_name(path.name or str(path))
        try:
            info = path.stat()
            key = (info.st_dev, info.st_ino)
            if key in self.seen_folders:
                self._refuse_repeated_folder(folder, shown, self.seen_folders[key])
                return None
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: _sort_key(entry.name))
        except OSError as error:
            self._refuse_folder(path, shown, error)
            return None
        self.seen_folders[key] = shown

        files: list[PlannedFile] = []
        subfolders: list[_Folder] = []
        for entry in entries:
            if _is_clutter(entry.name):
                self.hidden_skipped += 1
                continue
            entry_path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                # A link is followed here so that a linked folder is walked like any other.
                is_dir = entry.is_dir(follow_symlinks=False) or (
                    is_link and stat.S_ISDIR(entry.stat().st_mode)
                )
            except OSError as error:
                self._refuse_unstattable(entry_path, entry.name, error)
                continue
            if is_dir:
                subfolders.append(_Folder(entry_path, via_link=is_link))
                continue
            planned = self._check_file(entry_path, entry.name, entry.stat)
            if planned is not None:
                files.append(planned)
        return files, subfolders

    def _check_file(
        self,
        path: Path,
        name: str,
        stat_file: Callable[[], os.stat_result],
    ) -> PlannedFile | None:
        shown = display_name(name)
        extension = shown.rpartition(".")[2].lower() if "." in shown.lstrip(".") else ""
        if extension in AUDIO_EXTENSIONS:
            self._refuse(
                path, RefusalReason.AUDIO_ONLY, f"{_q(shown)} is an audio file, not a video"
            )
            return None
        if extension not in VIDEO_EXTENSIONS:
            kind = f".{extension}" if extension else "no file extension"
            self._refuse(path, RefusalReason.NOT_VIDEO, f"{_q(shown)} is not a video file ({kind})")
            return None
        try:
            info = stat_file()
        except OSError as error:
            self._refuse_unstattable(path, name, error)
            return None
        if not stat.S_ISREG(info.st_mode):
            self._refuse(
                path, RefusalReason.NOT_REGULAR, f"{_q(shown)} is not a regular file; skipped"
            )
            return None
        if info.st_size == 0:
            self._refuse(path, RefusalReason.EMPTY, f"{_q(shown)} is empty (0 bytes)")
            return None
        key = (info.st_dev, info.st_ino)
        first = self.seen_files.get(key)
        if first is not None:
            self._refuse(
                path,
                RefusalReason.ALREADY_INCLUDED,
                f"{_q(shown)} is the same file as {_q(first)}, which is already being imported;"
                " skipped",
            )
            return None
        self.seen_files[key] = shown
        return PlannedFile(path, info.st_size, shown, clean_title(shown))

    def _refuse(self, path: Path, reason: RefusalReason, message: str) -> None:
        self.refused.append(Refusal(path, reason, message))

    def _refuse_unstattable(self, path: Path, name: str, error: OSError) -> None:
        shown = display_name(name)
        if error.errno == errno.ELOOP:
            self._refuse(
                path,
                RefusalReason.LINK_LOOP,
                f"{_q(shown)} is a link that leads round in a loop; skipped",
            )
        elif isinstance(error, FileNotFoundError):
            # The name still being there while what it names is not means a dangling link.
            if os.path.lexists(path):
                self._refuse(
                    path,
                    RefusalReason.BROKEN_LINK,
                    f"{_q(shown)} is a link to something that no longer exists",
                )
            else:
                self._refuse(
                    path,
                    RefusalReason.VANISHED,
                    f"{_q(shown)} was moved or deleted during the scan",
                )
        else:
            self._refuse(
                path, RefusalReason.UNREADABLE, f"Can't read {_q(shown)}: {_describe(error)}"
            )

    def _refuse_folder(self, path: Path, shown: str, error: OSError) -> None:
        if error.errno == errno.ELOOP:
            self._refuse(
                path,
                RefusalReason.LINK_LOOP,
                f"{_q(shown)} is a link that leads round in a loop; skipped",
            )
        elif isinstance(error, FileNotFoundError):
            self._refuse(
                path,
                RefusalReason.VANISHED,
                f"The folder {_q(shown)} was moved or deleted during the scan",
            )
        else:
            self._refuse(
                path,
                RefusalReason.FOLDER_UNREADABLE,
                f"Can't open the folder {_q(shown)}: {_describe(error)}",
            )

    def _refuse_repeated_folder(self, folder: _Folder, shown: str, first: str) -> None:
        if folder.via_link:
            self._refuse(
                folder.path,
                RefusalReason.LINK_LOOP,
                f"{_q(shown)} links back to a folder already being imported; skipped",
            )
        else:
            self._refuse(
                folder.path,
                RefusalReason.ALREADY_INCLUDED,
                f"The folder {_q(shown)} is already part of this import (as {_q(first)}); skipped",
            )


def _is_clutter(name: str) -> bool:
    return name.startswith(".") or name.lower() in CLUTTER_NAMES


def _describe(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    reason = error.strerror or str(error) or type(error).__name__
    return reason[:1].lower() + reason[1:]


_RIGHT_TO_LEFT = frozenset({"R", "AL"})


def _q(name: str) -> str:
    """``name`` quoted for a message; right-to-left names are isolated so the sentence
    around them keeps its order."""
    if any(unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT for ch in name):
        return f"'\u2068{name}\u2069'"
    return f"'{name}'"
