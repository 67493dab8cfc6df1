"""Kill CourseDesk at any moment: every edit it had saved is there on restart, and the
library is consistent."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.support.crash_child import snapshot_digest

from coursedesk.domain.invariants import check_invariants
from coursedesk.persistence.library import Library

REPO_ROOT = Path(__file__).resolve().parents[3]
SEEDS = range(5)
ROUNDS_PER_SEED = 3  # later rounds start from the library the first one left behind


def _start_child(path: Path, seed: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    with log.open("ab") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_child", str(path), str(seed)],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )


def _kill(child: subprocess.Popen[bytes], log: Path) -> list[bytes]:
    """SIGKILL the child; return what it printed that was not read yet."""
    assert child.stdout is not None
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read().splitlines(keepends=True)
    child.stdout.close()
    returncode = child.wait()
    assert returncode == -signal.SIGKILL, f"the child died on its own:\n{log.read_text()}"
    return rest


def _run_until_killed(
    path: Path, seed: int, kill_after: int, delay_s: float, log: Path
) -> list[str]:
    """Start the editing child, let it acknowledge ``kill_after`` edits, wait ``delay_s``,
    SIGKILL it, and return every complete line it printed."""
    child = _start_child(path, seed, log)
    assert child.stdout is not None
    lines: list[bytes] = []
    acknowledged = 0
    for line in child.stdout:
        lines.append(line)
        acknowledged += line.startswith(b"done ")
        if acknowledged >= kill_after:
            break
    time.sleep(delay_s)
    lines.extend(_kill(child, log))
    return [line.decode() for line in lines if line.endswith(b"\n")]


def _acceptable_states(lines: list[str]) -> set[str]:
    """The last acknowledged state, and the state of an edit in flight after it."""
    last_done = next(line for line in reversed(lines) if line.startswith(("done ", "ready ")))
    accepted = {last_done.split()[-1]}
    if lines[-1].startswith("pending "):
        accepted.add(lines[-1].split()[-1])
    return accepted


def _assert_file_is_sound(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def _reopened_digest(path: Path) -> str:
    library = Library.open(path)
    try:
        for course in library.store.courses(include_trashed=True):
            library.open_course(course.id)
        check_invariants(library.store)
        return snapshot_digest(library.store)
    finally:
        library.close()


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_a_killed_app_loses_no_saved_edit(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "library.sqlite3"
    for round_number in range(ROUNDS_PER_SEED):
        kill_after = rng.randint(5, 300)
        lines = _run_until_killed(
            path,
            seed * 100 + round_number,
            kill_after,
            rng.uniform(0, 0.004),
            tmp_path / "child.log",
        )
        acknowledged = sum(line.startswith("done ") for line in lines)
        assert acknowledged >= kill_after

        _assert_file_is_sound(path)
        assert _reopened_digest(path) in _acceptable_states(lines), (
            f"round {round_number}: {acknowledged} edits acknowledged, last line {lines[-1]!r}"
        )


@pytest.mark.slow
def test_a_library_killed_while_being_created_opens_next_time(tmp_path: Path) -> None:
    rng = random.Random(7)
    log = tmp_path / "child.log"
    for attempt in range(6):
        path = tmp_path / f"library-{attempt}.sqlite3"
        child = _start_child(path, attempt, log)
        assert child.stdout is not None
        assert child.stdout.readline() == b"opening\n"
        # Creating the library and its first course takes a few tens of milliseconds.
        time.sleep(rng.uniform(0, 0.1))
        _kill(child, log)

        if path.exists():
            _assert_file_is_sound(path)
        _reopened_digest(path)  # opens, and checks every course it finds
