"""The packaged app (packaging/build.py) runs on its own: it says its version, imports videos
with its bundled PyAV, opens its window on a fresh library and quits, keeping the library.

The build is cached under build/frozen-test/<hash of src, packaging, resources and the
environment>, so only a change to one of those builds again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from tests.support.clips import make_clip

from coursedesk import __version__

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
HASHED_FOLDERS = ("src", "packaging", "resources")
CACHE = ROOT / "build" / "frozen-test"
RUN_TIMEOUT_S = 120


def _build_key() -> str:
    digest = hashlib.sha256()
    for package in ("PySide6-Essentials", "av", "b2sdk", "pyinstaller"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}\n".encode())
    digest.update(f"{sys.version} {platform.platform()}\n".encode())
    for folder in HASHED_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            parts = path.relative_to(ROOT).parts
            if not path.is_file() or "__pycache__" in parts or path.suffix == ".pyc":
                continue
            if any(part.endswith(".egg-info") for part in parts):
                continue
            digest.update("/".join(parts).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """One build at a time across pytest-xdist workers."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".lock").open("w") as handle:
        if sys.platform == "win32":
            yield  # two workers may both build; the rename below keeps the result whole
            return
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _executable(dist: Path) -> Path:
    return dist / "coursedesk" / ("coursedesk.exe" if sys.platform == "win32" else "coursedesk")


@pytest.fixture(scope="session")
def frozen_app() -> Path:
    """The built executable, built now unless this exact source was built before."""
    key = _build_key()
    done = CACHE / key
    with _build_lock():
        if not _executable(done / "dist").is_file():
            for stale in CACHE.iterdir():
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
            building = CACHE / f"{key}.building-{os.getpid()}"
            started = time.monotonic()
            result = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "packaging" / "build.py"),
                    "--dist",
                    str(building / "dist"),
                    "--work",
                    str(building / "work"),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            log_file = building / "dist" / "build-log.txt"
            log = log_file.read_text(errors="replace") if log_file.is_file() else ""
            if result.returncode != 0:
                pytest.fail(
                    f"building the app failed ({result.returncode}):\n{result.stderr[-4000:]}\n"
                    f"--- PyInstaller log (tail) ---\n{log[-8000:]}",
                    pytrace=False,
                )
            (building / "dist" / "build-seconds.txt").write_text(
                f"{time.monotonic() - started:.0f}\n"
            )
            shutil.rmtree(building / "work", ignore_errors=True)
            building.rename(done)
    return _executable(done / "dist")


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """A clean environment: offscreen Qt, every CourseDesk folder (and home) in tmp_path, no
    Python settings from this test run leaking into the frozen interpreter."""
    home = tmp_path / "home"
    home.mkdir()
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COURSEDESK_"))}
    return {
        **kept,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "QT_QPA_PLATFORM": "offscreen",
        "COURSEDESK_DATA_DIR": str(tmp_path / "data"),
        "COURSEDESK_CACHE_DIR": str(tmp_path / "cache"),
        "COURSEDESK_LOG_DIR": str(tmp_path / "logs"),
    }


def _run(
    app: Path, env: dict[str, str], *args: str, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(app), *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        env={**env, **extra_env},
        check=False,
    )


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_the_built_app_says_its_version(frozen_app: Path, environment: dict[str, str]) -> None:
    result = _run(frozen_app, environment, "--version")
    assert result.returncode == 0, _explain(result)
    assert result.stdout.strip() == f"CourseDesk {__version__}"


def test_the_bundle_carries_qt_plugins_ffmpeg_pyav_migrations_and_resources(
    frozen_app: Path,
) -> None:
    inside = frozen_app.parent / "_internal"
    plugins = inside / "PySide6" / "Qt" / "plugins"

    def found(folder: Path, pattern: str) -> list[str]:
        return [p.name for p in folder.glob(pattern)]

    assert found(plugins / "platforms", "*qoffscreen*")
    assert found(plugins / "imageformats", "*qsvg*")
    assert found(plugins / "iconengines", "*qsvgicon*")
    assert found(plugins / "multimedia", "*ffmpegmediaplugin*")
    assert found(inside / "av.libs", "*avcodec*")
    migrations = inside / "coursedesk" / "persistence" / "migrations"
    assert (migrations / "env.py").is_file()
    assert len(found(migrations / "versions", "0*.py")) >= 5
    assert (inside / "resources" / "icons" / "app" / "coursedesk.svg").is_file()
    assert (inside / "resources" / "icons" / "edit-undo.svg").is_file()
    assert found(inside, "b2sdk-*.dist-info")


def test_the_built_app_imports_videos_opens_its_window_and_quits_keeping_the_library(
    frozen_app: Path, environment: dict[str, str], tmp_path: Path
) -> None:
    week = tmp_path / "clips" / "Week 1"
    week.mkdir(parents=True)
    make_clip(week / "01 Welcome.mp4", seconds=1.0)
    make_clip(week / "02 Gear.mp4", seconds=2.0)

    # Reading the clips goes through the bundled PyAV and its FFmpeg libraries.
    imported = _run(frozen_app, environment, "import", str(week), "--course", "Photography")
    assert imported.returncode == 0, _explain(imported)

    started = _run(frozen_app, environment, COURSEDESK_QUIT_AFTER_MS="200")
    assert started.returncode == 0, _explain(started)
    assert "Traceback" not in started.stderr, _explain(started)
    log = (tmp_path / "logs" / "coursedesk.log").read_text(encoding="utf-8")
    assert "window shown on library" in log
    assert "CRITICAL" not in log and "ERROR" not in log, log

    listed = _run(frozen_app, environment, "list", "--course", "Photography", "--json")
    assert listed.returncode == 0, _explain(listed)
    record = json.loads(listed.stdout)
    [chapter] = record["chapters"]
    assert chapter["title"] == "Week 1"
    # The window queued them for upload (no storage account yet, so they wait).
    assert [(v["title"], v["status"], v["duration_s"]) for v in chapter["videos"]] == [
        ("Welcome", "queued", 1.0),
        ("Gear", "queued", 2.0),
    ]
