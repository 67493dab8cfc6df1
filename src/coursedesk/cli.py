"""The ``coursedesk`` command: with no subcommand it opens the window; subcommands work
headless on the same library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coursedesk import __version__
from coursedesk.paths import DATA_DIR_ENV


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
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from coursedesk.app import run_gui

        return run_gui(data_dir=args.data_dir)
    return 2
