"""Two processes editing one library at once (two CourseDesk windows, or a window and an
import): whatever they race on, the file stays consistent, both end up showing exactly what
it holds, and no saved edit is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.sync_child import lost_edits, saved_effects
from tests.support.sync_helpers import saved_snapshot
from tests.unit.persistence.library_helpers import build_course

from coursedesk.domain.invariants import check_invariants
from coursedesk.persistence.library import Library

REPO = Path(__file__).resolve().parents[3]


def _writer(path: Path, course_id: str, seed: int, edits: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "tests.support.sync_child"),
            *(str(path), course_id, str(seed), "--edits", str(edits)),
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_processes_racing_random_edits_converge_and_lose_nothing(library_path: Path) -> None:
    library = Library.open(library_path)
    course = build_course(library, chapters=3, videos_per_chapter=6, unassigned=3)
    library.close()

    children = [_writer(library_path, course.id, seed, 120) for seed in (1, 2)]
    reports = []
    for child in children:
        out, err = child.communicate(timeout=240)
        assert child.returncode == 0, err
        reports.append(json.loads(out))

    edits = [edit for report in reports for edit in report["edits"]]
    assert len(edits) > 150
    assert lost_edits(edits, saved_effects(library_path)) == []
    seqs = [edit["seq"] for edit in edits]
    assert len(set(seqs)) == len(seqs)  # every saved edit has its own place in the feed

    # A third reader that followed nothing catches up to the same state as a fresh load.
    follower = Library.open(library_path)
    try:
        follower.open_course(course.id)
        check_invariants(follower.store)
        assert follower.store.snapshot() == saved_snapshot(library_path)
    finally:
        follower.close()
