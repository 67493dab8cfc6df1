"""Build the one-folder CourseDesk app with PyInstaller: ``python packaging/build.py``.

Run it with the project's virtual environment's Python (``.venv/bin/python``); it installs
PyInstaller there first if it is missing. The app lands in ``dist/coursedesk/`` (and
``dist/CourseDesk.app`` on macOS); ``--dist`` and ``--work`` choose other folders. The
PyInstaller output is written to ``build-log.txt`` next to the app and its tail shown on failure.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "coursedesk.spec"
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10,<7"
APP_NAME = "coursedesk"


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is not None:
        return
    print(f"Installing {PYINSTALLER_REQUIREMENT} into {sys.prefix}", file=sys.stderr)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            PYINSTALLER_REQUIREMENT,
        ],
        check=True,
    )


def ensure_icons() -> None:
    """The PNG icons are committed; render them again only if one is missing."""
    sys.path.insert(0, str(ROOT / "packaging"))
    import render_icons

    if not all(render_icons.png_path(size).is_file() for size in render_icons.SIZES):
        subprocess.run([sys.executable, str(ROOT / "packaging" / "render_icons.py")], check=True)


def executable(dist: Path) -> Path:
    """The built program inside ``dist``."""
    name = f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME
    return dist / APP_NAME / name


def build(dist: Path, work: Path, *, quiet: bool = False) -> Path:
    """Build into ``dist``; returns the executable. Raises ``BuildFailed`` with the log."""
    ensure_pyinstaller()
    ensure_icons()
    dist.mkdir(parents=True, exist_ok=True)
    log_path = dist / "build-log.txt"
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    started = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        result = subprocess.run(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False
        )
    elapsed = time.monotonic() - started
    if result.returncode != 0 or not executable(dist).is_file():
        raise BuildFailed(result.returncode, log_path)
    if not quiet:
        print(f"Built {executable(dist)} in {elapsed:.0f} s (log: {log_path})")
    return executable(dist)


class BuildFailed(Exception):
    def __init__(self, returncode: int, log_path: Path) -> None:
        self.returncode = returncode
        self.log_path = log_path
        self.log = log_path.read_text(encoding="utf-8", errors="replace")
        super().__init__(f"PyInstaller exited with {returncode}; log: {log_path}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the one-folder CourseDesk app.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app goes")
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build" / "pyinstaller",
        help="PyInstaller's work folder",
    )
    args = parser.parse_args()
    try:
        build(args.dist.resolve(), args.work.resolve())
    except BuildFailed as exc:
        print(exc.log[-6000:], file=sys.stderr)
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
