"""The ``coursedesk`` command: with no subcommand it opens the window; subcommands work
headless on the same library."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from coursedesk import __version__
from coursedesk.course_listing import CourseNotFound, course_record, course_text, find_course
from coursedesk.import_command import EXIT_USAGE, ImportRequest, ImportUsageError, run_import
from coursedesk.logs import logging_to_file
from coursedesk.paths import (
    CACHE_DIR_ENV,
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    cache_dir,
    data_dir,
    database_url,
    library_path,
)
from coursedesk.persistence.change_feed import ORIGIN_IMPORT, ORIGIN_WINDOW
from coursedesk.persistence.errors import LibraryError
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.importer import DuplicateChoice
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.upload_command import EXIT_USAGE as UPLOAD_EXIT_USAGE
from coursedesk.upload_command import UPLOAD_HELP, UploadRequest, UploadUsageError, run_upload

_DUPLICATE_CHOICES = {
    "skip": DuplicateChoice.SKIP,
    "keep": DuplicateChoice.KEEP_BOTH,
    "replace": DuplicateChoice.REPLACE,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursedesk",
        description="Build video courses offline; CourseDesk saves every edit as you make it.",
    )
    parser.add_argument("--version", action="version", version=f"CourseDesk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder of the library to use (default: ${DATA_DIR_ENV}, else your user data folder)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="the library's database, e.g. postgresql+psycopg://host/courses for a team "
        f"library (default: ${DATABASE_URL_ENV}, else the SQLite file in the data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    listing = commands.add_parser(
        "list", help="print a course: chapters and videos in order, the library, the Trash"
    )
    listing.add_argument("--course", required=True, metavar="TITLE", help="the course's title")
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    _add_import_parser(commands)
    _add_upload_parser(commands)
    return parser


def _add_upload_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    uploading = commands.add_parser(
        "upload",
        help="upload videos to the storage account (Backblaze B2), with progress",
        description="Upload the videos whose content is not in the bucket yet, as the window "
        "does in the background.",
        epilog=UPLOAD_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    uploading.add_argument("--course", metavar="TITLE", help="only this course's videos")
    uploading.add_argument(
        "--wait", action="store_true", help="wait out network outages until all is uploaded"
    )


_IMPORT_HELP = f"""\
Where the videos go:
  with --chapter   every video, from files and folders alike, is added at the end of that
                   chapter, in natural order (2 before 10); the chapter is created at the end
                   of the course if it has no chapter of that title.
  without          files named on the command line go to the course's library (unassigned);
                   each folder that holds videos becomes a new chapter named after it, at the
                   end of the course (sub-folders become chapters of their own); a folder
                   imported again adds its new files to the end of its chapter.
The course is created if no course has that title (you are told so on stderr).

Files that are not videos, empty, damaged or unreadable are refused and named on stderr with
the reason; everything else is still imported. Files whose content is already in the course
are skipped unless --duplicates says otherwise. Ctrl+C cancels: videos already finished stay,
the rest is not added. Thumbnails are kept in ${CACHE_DIR_ENV} if set, else your user cache
folder.

Exit status: 0 everything was imported (skipped duplicates included); 1 some file was refused
or an edit could not be saved; 2 the import did not run (bad options, a path that does not
exist, an ambiguous course or chapter title, a library that cannot be opened); 130 cancelled.
"""


def _add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importing = commands.add_parser(
        "import",
        help="import video files and folders into a course",
        description="Import video files and folders into a course, reading them as the "
        "window does (length, picture size, checksum, thumbnails).",
        epilog=_IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    importing.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="file or folder")
    importing.add_argument("--course", required=True, metavar="TITLE", help="the course's title")
    importing.add_argument(
        "--chapter", metavar="TITLE", help="put every video in this chapter (see below)"
    )
    importing.add_argument(
        "--duplicates",
        choices=list(_DUPLICATE_CHOICES),
        default="skip",
        help="a file whose content is already in the course: skip it (default), keep both, "
        "or replace the existing video's file with it",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    with logging_to_file():
        return _run_command(args)


def _run_command(args: argparse.Namespace) -> int:
    if args.command is None:
        from coursedesk.app import run_gui

        return run_gui(data_dir=args.data_dir, database_url=args.database_url)
    if args.command == "list":
        return _list_course(args.data_dir, args.database_url, args.course, as_json=args.json)
    if args.command == "import":
        request = ImportRequest(
            tuple(args.paths), args.course, args.chapter, _DUPLICATE_CHOICES[args.duplicates]
        )
        return _import(args.data_dir, args.database_url, request)
    if args.command == "upload":
        return _upload(args.data_dir, args.database_url, UploadRequest(args.course, args.wait))
    return 2


def _open_library(folder: str | None, url: str | None, origin: str = ORIGIN_WINDOW) -> Library:
    chosen = database_url(url)
    if chosen is not None:
        return Library.open_url(chosen, origin=origin)
    return Library.open(library_path(data_dir(folder)), origin=origin)


def _list_course(folder: str | None, url: str | None, title: str, *, as_json: bool) -> int:
    try:
        library = _open_library(folder, url)
    except LibraryError as exc:
        print(f"coursedesk: {exc}", file=sys.stderr)
        return 1
    try:
        course = find_course(library.store, title)
        library.open_course(course.id)
        record = course_record(library.store, course.id)
    except (CourseNotFound, LibraryError) as exc:
        print(f"coursedesk: {exc}", file=sys.stderr)
        return 1
    finally:
        library.close()
    print(json.dumps(record, indent=2, ensure_ascii=False) if as_json else course_text(record))
    return 0


def _import(folder: str | None, url: str | None, request: ImportRequest) -> int:
    try:
        library = _open_library(folder, url, ORIGIN_IMPORT)
    except LibraryError as exc:
        print(f"coursedesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return run_import(library, request, ThumbnailCache(cache_dir() / "thumbnails"))
    except (ImportUsageError, LibraryError) as exc:
        print(f"coursedesk import: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        library.close()


def _upload(folder: str | None, url: str | None, request: UploadRequest) -> int:
    try:
        library = _open_library(folder, url)
    except LibraryError as exc:
        print(f"coursedesk upload: {exc}", file=sys.stderr)
        return UPLOAD_EXIT_USAGE
    try:
        return run_upload(library, data_dir(folder), request)
    except (UploadUsageError, LibraryError) as exc:
        print(f"coursedesk upload: {exc}", file=sys.stderr)
        return UPLOAD_EXIT_USAGE
    finally:
        library.close()
