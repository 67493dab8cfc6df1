"""A writer process for the several-writers tests and the soak benchmark.

    python -m tests.support.sync_child LIBRARY COURSE_ID SEED (--edits N | --seconds S)

Opens the library as a window would, then makes random edits to one course (renames, moves,
bulk moves, shifts, deletes, restores, new videos, chapter renames), looking at the change
feed between edits as the window's poller does. Prints one JSON object: the edits it saved
(with what each set and the feed entry it became), the notices it got, the refusals, and how
long other writers' changes took to show.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from coursedesk.domain.errors import DomainError
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.operations import (
    AddVideos,
    MoveVideos,
    Operation,
    RenameChapter,
    RenameVideo,
    RestoreVideos,
    ShiftVideos,
    TrashVideos,
    new_video,
)
from coursedesk.domain.steps import (
    ChapterChanged,
    Step,
    VideoChanged,
    VideoMoved,
    VideoRestored,
    VideoTrashed,
)
from coursedesk.domain.store import Store
from coursedesk.persistence.change_feed import conflict_notice
from coursedesk.persistence.library import ChangedElsewhere, Library
from coursedesk.persistence.schema import change_log

# How often the writer looks at the feed, as the window's poller does.
POLL_S = 0.25


def random_edit(store: Store, course_id: str, rng: random.Random, tag: str) -> Operation | None:
    """One edit an instructor might make to the course as this store shows it."""
    chapters = list(store.chapter_ids(course_id))
    live = sorted(store.live_video_ids(course_id))
    trashed = sorted(store.trashed_video_ids(course_id))
    kind = rng.choices(
        ["rename", "move", "bulk", "shift", "trash", "restore", "add", "chapter"],
        weights=[5, 5, 2, 2, 1, 1, 1, 1],
    )[0]
    if kind == "add" or not live:
        clips = tuple(
            new_video(course_id, f"{tag} take {rng.randrange(10_000)}", f"/takes/{tag}-{i}.mp4")
            for i in range(rng.randint(1, 3))
        )
        target = rng.choice([*chapters, None]) if chapters else None
        return AddVideos(clips, target)
    if kind == "rename":
        return RenameVideo(rng.choice(live), f"{tag} {rng.randrange(100_000)}")
    if kind in ("move", "bulk"):
        picked = tuple(rng.sample(live, min(len(live), 1 if kind == "move" else 4)))
        if not chapters or rng.random() < 0.1:
            return MoveVideos(picked, None)
        target = rng.choice(chapters)
        return MoveVideos(picked, target, rng.randint(0, len(store.video_ids(target))))
    if kind == "shift":
        return ShiftVideos(tuple(rng.sample(live, min(len(live), 2))), rng.choice((-1, 1)))
    if kind == "trash":
        return TrashVideos((rng.choice(live),))
    if kind == "restore" and trashed:
        return RestoreVideos((rng.choice(trashed),))
    if kind == "chapter" and chapters:
        return RenameChapter(rng.choice(chapters), f"{tag} chapter {rng.randrange(1000)}")
    return None


def effects(steps: tuple[Step, ...]) -> list[tuple[str, str, str | None]]:
    """What an edit set, row by row: (row id, aspect, value), for checking none was lost."""
    found: dict[tuple[str, str], str | None] = {}
    for step in steps:
        match step:
            case VideoChanged(video_id=key, after=after) if "title" in after:
                found[(key, "title")] = after["title"]
            case ChapterChanged(chapter_id=key, after=after) if "title" in after:
                found[(key, "title")] = after["title"]
            case VideoMoved(video_id=key, to_chapter_id=chapter):
                found[(key, "placement")] = chapter
            case VideoTrashed(video_id=key):
                found[(key, "placement")] = "trash"
            case VideoRestored(video_id=key, chapter_id=chapter):
                found[(key, "placement")] = chapter
    return [(key, aspect, value) for (key, aspect), value in found.items()]


@dataclass
class Report:
    writer_id: str = ""
    edits: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    converge_ms: list[float] = field(default_factory=list)


def run_writer(
    path: Path,
    course_id: str,
    seed: int,
    *,
    edits: int | None = None,
    seconds: float | None = None,
    pause_s: float = 0.0,
) -> Report:
    """Edit until ``edits`` edits were tried or ``seconds`` passed; then catch up once more."""
    rng = random.Random(seed)
    library = Library.open(path, busy_timeout_ms=30_000)
    report = Report(library.writer_id)
    tag = f"w{seed}"
    try:
        library.open_course(course_id)
        started = time.monotonic()
        last_look = 0.0
        tried = 0
        while True:
            if edits is not None and tried >= edits:
                break
            if seconds is not None and time.monotonic() - started >= seconds:
                break
            if time.monotonic() - last_look >= POLL_S:
                _look(library, report)
                last_look = time.monotonic()
            operation = random_edit(library.store, course_id, rng, tag)
            if operation is None:
                continue
            tried += 1
            _edit(library, operation, report)
            if pause_s:
                time.sleep(rng.uniform(0, pause_s))
        _look(library, report)
        check_invariants(library.store)
    finally:
        library.close()
    return report


def _edit(library: Library, operation: Operation, report: Report) -> None:
    before = library.seen_seq
    try:
        saved = library.save(operation)
    except ChangedElsewhere as exc:
        report.notices.append(str(exc))
        return
    except DomainError as exc:
        report.refusals.append(str(exc))
        return
    if saved.conflicts:
        report.notices.append(conflict_notice(saved.conflicts))
    if saved.applied.steps:
        report.edits.append({"seq": library.seen_seq, "effects": effects(saved.applied.steps)})
    # A save that found the other writer ahead took its changes over first.
    _note_arrivals(library, report, before)


def _note_arrivals(library: Library, report: Report, before: int) -> None:
    after = library.seen_seq
    if after <= before:
        return
    now = time.time()
    with library.database.engine.connect() as connection:
        committed = connection.execute(
            select(change_log.c.committed_at).where(
                change_log.c.seq > before,
                change_log.c.seq <= after,
                change_log.c.writer_id != library.writer_id,
            )
        ).scalars()
        report.converge_ms.extend((now - at) * 1000 for at in committed)


def _look(library: Library, report: Report) -> None:
    """Take over other writers' changes; note how long after their commit each showed."""
    before = library.seen_seq
    library.refresh()
    _note_arrivals(library, report, before)


def saved_effects(path: Path) -> dict[tuple[str, str], str | None]:
    """Titles and placements as the library file holds them, keyed like ``effects``."""
    import sqlite3

    found: dict[tuple[str, str], str | None] = {}
    with contextlib.closing(sqlite3.connect(path)) as connection:
        for key, title, chapter_id, deleted_at in connection.execute(
            "SELECT id, title, chapter_id, deleted_at FROM videos"
        ):
            found[(key, "title")] = title
            found[(key, "placement")] = "trash" if deleted_at is not None else chapter_id
        for key, title in connection.execute("SELECT id, title FROM chapters"):
            found[(key, "title")] = title
    return found


def lost_edits(
    edits: list[dict[str, Any]], saved: dict[tuple[str, str], str | None]
) -> list[dict[str, Any]]:
    """Saved edits whose effect is neither in the file nor overwritten by a later saved edit
    (every later edit was made by a writer whose store already showed the earlier one)."""
    latest: dict[tuple[str, str], tuple[int, Any]] = {}
    for edit in edits:
        for key, aspect, value in edit["effects"]:
            slot = (key, aspect)
            if slot not in latest or edit["seq"] > latest[slot][0]:
                latest[slot] = (edit["seq"], value)
    return [
        {
            "row": key,
            "aspect": aspect,
            "seq": seq,
            "value": value,
            "saved": saved.get((key, aspect)),
        }
        for (key, aspect), (seq, value) in latest.items()
        if saved.get((key, aspect), value) != value
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("library", type=Path)
    parser.add_argument("course_id")
    parser.add_argument("seed", type=int)
    parser.add_argument("--edits", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--pause-s", type=float, default=0.0)
    args = parser.parse_args(argv)
    report = run_writer(
        args.library,
        args.course_id,
        args.seed,
        edits=args.edits,
        seconds=args.seconds,
        pause_s=args.pause_s,
    )
    print(json.dumps(report.__dict__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
