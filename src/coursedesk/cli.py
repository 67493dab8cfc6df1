"""The ``coursedesk`` command: with no subcommand it opens the window; subcommands work
headless on the same library."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from coursedesk import __version__
from coursedesk.course_listing import CourseNotFound, course_record, course_text, find_course
from coursedesk.paths import DATA_DIR_ENV, data_dir, library_path
from coursedesk.persistence.errors import LibraryError
from coursedesk.persistence.library import Library


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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    listing = commands.add_parser(
        "list", help="print a course: chapters and videos in order, the library, the Trash"
    )
    listing.add_argument("--course", required=True, metavar="TITLE", help="the course's title")
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from coursedesk.app import run_gui

        return run_gui(data_dir=args.data_dir)
    if args.command == "list":
        return _list_course(args.data_dir, args.course, as_json=args.json)
    return 2


def _open_library(folder: str | None) -> Library:
    return Library.open(library_path(data_dir(folder)))


def _list_course(folder: str | None, title: str, *, as_json: bool) -> int:
    try:
        library = _open_library(folder)
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
