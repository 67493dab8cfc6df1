"""How fast single edits and loading a course are, at 10,000 and 100,000 videos.

    .venv/bin/python bench/store_ops.py [--sizes 10000x100,100000x1000] [--samples 300]

For each size it builds a course (videos x chapters) in a library in a temporary folder,
reopens it the way CourseDesk starts (a fresh ``Library`` and ``open_course``), then times
single edits through ``Library.apply`` - the store change and its database write together:
rename, move (to another chapter), reorder (within the chapter), delete (to the Trash) and
undo. As a baseline measured in the same run, on the same file, it times the least any edit
can cost: a bare single-row ``UPDATE`` and commit through the ``sqlite3`` module.

Targets: an edit at 10,000 videos <= 2 ms median; loading <= 0.5 s at 10,000 videos and
<= 5 s at 100,000. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    MoveVideos,
    Operation,
    RenameVideo,
    TrashVideos,
    new_video,
)
from coursedesk.domain.store import Applied
from coursedesk.persistence.library import Library

EDIT_KINDS = ("rename", "move", "reorder", "delete", "undo")
TARGET_EDIT_MEDIAN_MS = 2.0
TARGET_LOAD_S = {10_000: 0.5, 100_000: 5.0}


@dataclass
class SizeResult:
    videos: int
    chapters: int
    build_s: float = 0.0
    load_s: list[float] = field(default_factory=list)
    edit_ms: dict[str, list[float]] = field(default_factory=dict)
    edit_cpu_ms: dict[str, list[float]] = field(default_factory=dict)
    baseline_ms: list[float] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.videos // 1000}k"

    def all_edits_ms(self) -> list[float]:
        return [t for kind in EDIT_KINDS for t in self.edit_ms.get(kind, [])]

    def all_edits_cpu_ms(self) -> list[float]:
        return [t for kind in EDIT_KINDS for t in self.edit_cpu_ms.get(kind, [])]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value at least ``fraction`` of values are <=."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def build_course(path: Path, videos: int, chapters: int) -> tuple[str, float]:
    """A course of ``chapters`` chapters holding ``videos`` videos, one ``AddVideos`` each."""
    per_chapter = videos // chapters
    started = time.perf_counter()
    library = Library.open(path)
    try:
        create = CreateCourse("Benchmark course")
        library.apply(create)
        course_id = create.course_id
        for c in range(chapters):
            chapter = AddChapter(course_id, f"Chapter {c + 1}")
            library.apply(chapter)
            clips = tuple(
                new_video(
                    course_id,
                    f"Clip {c + 1}.{v + 1}",
                    f"/footage/chapter-{c + 1}/clip-{v + 1}.mp4",
                    duration_s=60.0 + v,
                    size_bytes=50_000_000 + v,
                )
                for v in range(per_chapter)
            )
            library.apply(AddVideos(clips, chapter.chapter_id))
    finally:
        library.close()
    return course_id, time.perf_counter() - started


def time_load(path: Path, course_id: str) -> tuple[float, Library]:
    """Seconds from nothing to an open course, the way CourseDesk starts; the library stays open."""
    gc.collect()
    started = time.perf_counter()
    library = Library.open(path)
    library.open_course(course_id)
    return time.perf_counter() - started, library


def time_edits(
    library: Library, course_id: str, samples: int, rng: random.Random
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU milliseconds of each kind of edit, ``samples`` of each."""
    store = library.store
    chapters = list(store.chapter_ids(course_id))

    def any_video() -> str:
        chapter_id = rng.choice(chapters)
        return rng.choice(store.video_ids(chapter_id))

    def rename() -> Operation:
        return RenameVideo(any_video(), f"Renamed {rng.randrange(10**9)}")

    def move() -> Operation:
        video_id = any_video()
        others = [c for c in chapters if c != store.video(video_id).chapter_id]
        target = rng.choice(others)
        return MoveVideos((video_id,), target, rng.randint(0, len(store.video_ids(target))))

    def reorder() -> Operation:
        video_id = any_video()
        chapter_id = store.video(video_id).chapter_id
        assert chapter_id is not None
        current = store.video_index(video_id)
        assert current is not None
        # Landing before itself or before its next neighbour would leave it where it is.
        spots = [
            i for i in range(len(store.video_ids(chapter_id)) + 1) if i - current not in (0, 1)
        ]
        return MoveVideos((video_id,), chapter_id, rng.choice(spots))

    def delete() -> Operation:
        return TrashVideos((any_video(),))

    makers: dict[str, Callable[[], Operation]] = {
        "rename": rename,
        "move": move,
        "reorder": reorder,
        "delete": delete,
    }
    wall: dict[str, list[float]] = {kind: [] for kind in EDIT_KINDS}
    cpu: dict[str, list[float]] = {kind: [] for kind in EDIT_KINDS}

    def timed(kind: str, operation: Operation) -> Applied:
        # CPU time besides wall time: on a busy machine the wall-clock tail is mostly other
        # processes' turns; the CPU time is what the edit itself costs.
        wall_started, cpu_started = time.perf_counter_ns(), time.thread_time_ns()
        applied = library.apply(operation)
        cpu[kind].append((time.thread_time_ns() - cpu_started) / 1e6)
        wall[kind].append((time.perf_counter_ns() - wall_started) / 1e6)
        return applied

    for _ in range(samples):
        for kind, make in makers.items():
            assert timed(kind, make()).changed
        # Undo what an instructor most often takes back: a move or a delete, just made.
        undone: Applied = library.apply(rng.choice([move, delete])())
        timed("undo", undone.inverse)
    return wall, cpu


def time_baseline(path: Path, course_id: str, samples: int, rng: random.Random) -> list[float]:
    """A bare single-row UPDATE and commit on the same file, with the library's settings."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        ids = [row[0] for row in connection.execute("SELECT id FROM videos LIMIT 5000")]
        timings: list[float] = []
        clock = time.perf_counter_ns
        for i in range(samples):
            video_id = rng.choice(ids)
            started = clock()
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "UPDATE videos SET title = ?, updated_at = ? WHERE id = ?",
                (f"Baseline {i}", time.time(), video_id),
            )
            connection.execute("COMMIT")
            timings.append((clock() - started) / 1e6)
        return timings
    finally:
        connection.close()


def run_size(
    videos: int, chapters: int, samples: int, loads: int, seed: int, *, freeze: bool
) -> SizeResult:
    result = SizeResult(videos, chapters)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="coursedesk-bench-") as folder:
        path = Path(folder) / "library.sqlite3"
        print(f"building {videos:,} videos in {chapters:,} chapters ...", file=sys.stderr)
        course_id, result.build_s = build_course(path, videos, chapters)
        library: Library | None = None
        for attempt in range(loads):
            if library is not None:
                # Drop the previous load first: a second live copy of a big course would
                # make the garbage collector's passes during this load twice as long.
                library.close()
                library = None
                gc.collect()
            seconds, library = time_load(path, course_id)
            result.load_s.append(seconds)
            if attempt == loads - 1 and freeze:
                gc.freeze()
        assert library is not None
        try:
            print(f"timing {samples} edits of each kind ...", file=sys.stderr)
            result.edit_ms, result.edit_cpu_ms = time_edits(library, course_id, samples, rng)
            result.baseline_ms = time_baseline(path, course_id, samples, rng)
        finally:
            library.close()
            gc.unfreeze()
    return result


def print_table(results: list[SizeResult]) -> None:
    print()
    print("Single edits through Library.apply (store change + one database transaction)")
    header = (
        f"{'course':>16} {'edit':>9} {'median ms':>10} {'p99 ms':>9}"
        f" {'cpu p99 ms':>11} {'x raw':>6}"
    )
    print(header)
    print("-" * len(header))

    def row(name: str, kind: str, wall: list[float], cpu: list[float], raw: float) -> None:
        median = statistics.median(wall)
        print(
            f"{name:>16} {kind:>9} {median:>10.3f} {percentile(wall, 0.99):>9.3f}"
            f" {percentile(cpu, 0.99):>11.3f} {median / raw:>6.1f}"
        )

    for r in results:
        raw = statistics.median(r.baseline_ms)
        name = f"{r.videos:,} videos"
        for kind in EDIT_KINDS:
            row(name, kind, r.edit_ms[kind], r.edit_cpu_ms[kind], raw)
            name = ""
        row("", "all", r.all_edits_ms(), r.all_edits_cpu_ms(), raw)
        print(
            f"{'':>16} {'raw SQL':>9} {raw:>10.3f} {percentile(r.baseline_ms, 0.99):>9.3f}"
            f" {'':>11} {1.0:>6.1f}"
        )
    print()
    print("Loading a course from disk (fresh Library + open_course)")
    header = f"{'course':>16} {'median s':>9} {'best s':>7} {'target s':>9} {'build s':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        target = TARGET_LOAD_S.get(r.videos)
        print(
            f"{r.videos:>10,} videos {statistics.median(r.load_s):>9.3f} {min(r.load_s):>7.3f}"
            f" {'' if target is None else f'{target:.1f}':>9} {r.build_s:>8.1f}"
        )
    print()


def summary(results: list[SizeResult]) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    for r in results:
        every = r.all_edits_ms()
        out[f"edit_median_ms_{r.label}"] = round(statistics.median(every), 4)
        out[f"edit_p99_ms_{r.label}"] = round(percentile(every, 0.99), 4)
        out[f"edit_p99_cpu_ms_{r.label}"] = round(percentile(r.all_edits_cpu_ms(), 0.99), 4)
        for kind in EDIT_KINDS:
            out[f"{kind}_median_ms_{r.label}"] = round(statistics.median(r.edit_ms[kind]), 4)
            out[f"{kind}_p99_ms_{r.label}"] = round(percentile(r.edit_ms[kind], 0.99), 4)
        out[f"baseline_update_median_ms_{r.label}"] = round(statistics.median(r.baseline_ms), 4)
        out[f"load_s_{r.label}"] = round(statistics.median(r.load_s), 4)
        out[f"build_s_{r.label}"] = round(r.build_s, 2)
    return out


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        videos, chapters = part.lower().split("x")
        sizes.append((int(videos), int(chapters)))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[(10_000, 100), (100_000, 1_000)])
    parser.add_argument("--samples", type=int, default=300, help="edits timed per kind")
    parser.add_argument("--loads", type=int, default=3, help="times each course is loaded")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="call gc.freeze() after loading, so collections skip the loaded course",
    )
    args = parser.parse_args(argv)
    results = [
        run_size(videos, chapters, args.samples, args.loads, args.seed, freeze=args.gc_freeze)
        for videos, chapters in args.sizes
    ]
    print_table(results)
    figures = summary(results)
    figures["gc_freeze"] = int(args.gc_freeze)
    misses = []
    if "edit_median_ms_10k" in figures and figures["edit_median_ms_10k"] > TARGET_EDIT_MEDIAN_MS:
        misses.append("edit median at 10k")
    for videos, target in TARGET_LOAD_S.items():
        key = f"load_s_{videos // 1000}k"
        if key in figures and figures[key] > target:
            misses.append(f"load at {videos // 1000}k")
    print("targets missed: " + ", ".join(misses) if misses else "all targets met")
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
