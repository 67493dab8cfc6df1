"""Soak test for several writers on one library: two processes making random edits at once.

    .venv/bin/python bench/sync_soak.py [--seconds 60] [--pause-ms 20] [--seed 1]

Builds a course (4 chapters x 8 videos, 4 unassigned) in a library in a temporary folder,
then runs two writer processes (``tests/support/sync_child.py``) on it for ``--seconds``: each
makes random edits (renames, moves, bulk moves, shifts, deletes, restores, new videos, chapter
renames) with a random pause of up to ``--pause-ms`` between them, and looks at the change feed
every 250 ms as the window's poller does.

Reported: edits saved; conflicts (an edit saved over, or refused because of, the other
writer's change, each told once); edits lost (an edit whose effect is neither in the final
file nor overwritten by a later saved edit; must be 0); and convergence: how long after the
other writer's commit its change showed in a writer's store (p50/p99). At the end both stores
must equal a fresh load of the file. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.sync_child import lost_edits, saved_effects  # noqa: E402

from coursedesk.domain.invariants import check_invariants  # noqa: E402
from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, new_video  # noqa: E402
from coursedesk.persistence.library import Library  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def build(path: Path) -> str:
    library = Library.open(path)
    try:
        course = CreateCourse("Soak")
        library.apply(course)
        for c in range(4):
            chapter = AddChapter(course.course_id, f"Chapter {c + 1}")
            library.apply(chapter)
            clips = tuple(
                new_video(course.course_id, f"Clip {c + 1}.{v + 1}", f"/clips/{c}-{v}.mp4")
                for v in range(8)
            )
            library.apply(AddVideos(clips, chapter.chapter_id))
        loose = tuple(new_video(course.course_id, f"B-roll {i}", f"/b/{i}.mp4") for i in range(4))
        library.apply(AddVideos(loose))
        return course.course_id
    finally:
        library.close()


def fresh_snapshot(path: Path, course_id: str) -> dict[str, object]:
    library = Library.open(path)
    try:
        library.open_course(course_id)
        check_invariants(library.store)
        return library.store.snapshot()
    finally:
        library.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long both writers edit")
    parser.add_argument("--pause-ms", type=float, default=20.0, help="most pause between edits")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="coursedesk-soak-") as folder:
        path = Path(folder) / "library.sqlite3"
        course_id = build(path)
        started = time.monotonic()
        children = [
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "tests.support.sync_child"),
                    *(str(path), course_id, str(args.seed + n)),
                    *("--seconds", str(args.seconds), "--pause-s", str(args.pause_ms / 1000)),
                ],
                cwd=REPO,
                env={**os.environ, "PYTHONPATH": str(REPO)},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(2)
        ]
        reports = []
        for child in children:
            out, err = child.communicate()
            if child.returncode != 0:
                print(err, file=sys.stderr)
                return 1
            reports.append(json.loads(out))
        wall_s = time.monotonic() - started

        edits = [edit for report in reports for edit in report["edits"]]
        lost = lost_edits(edits, saved_effects(path))
        # Each writer, after its last look, must show what a fresh load shows.
        final = fresh_snapshot(path, course_id)
        follower = Library.open(path)
        try:
            follower.open_course(course_id)
            converged = follower.store.snapshot() == final
        finally:
            follower.close()

    conflicts = sum(len(report["notices"]) for report in reports)
    refusals = sum(len(report["refusals"]) for report in reports)
    converge = [ms for report in reports for ms in report["converge_ms"]]
    rows = [
        ("writers", "2"),
        ("seconds", f"{args.seconds:g} (wall {wall_s:.1f})"),
        ("edits saved", str(len(edits))),
        ("  per writer", " / ".join(str(len(r["edits"])) for r in reports)),
        ("conflicts told", str(conflicts)),
        ("other refusals", str(refusals)),
        ("edits lost", str(len(lost))),
        ("converge p50 ms", f"{percentile(converge, 0.5):.1f}"),
        ("converge p99 ms", f"{percentile(converge, 0.99):.1f}"),
        ("converge max ms", f"{max(converge, default=0.0):.1f}"),
        ("final state = fresh load", "yes" if converged else "NO"),
    ]
    width = max(len(name) for name, _ in rows)
    print("-" * (width + 24))
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print("-" * (width + 24))
    for item in lost[:5]:
        print(f"lost: {item}")
    example = next((n for r in reports for n in r["notices"]), None)
    if example:
        print(f"example notice: {example}")
    print(
        json.dumps(
            {
                "edits": len(edits),
                "conflicts": conflicts,
                "lost": len(lost),
                "converge_ms_p99": round(percentile(converge, 0.99), 1),
                "converge_ms_p50": round(percentile(converge, 0.5), 1),
                "refusals": refusals,
                "converged": converged,
                "seconds": args.seconds,
            }
        )
    )
    return 0 if not lost and converged else 1


if __name__ == "__main__":
    sys.exit(main())
