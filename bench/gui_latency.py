"""How long the real editor window takes from an action to the repainted views.

    .venv/bin/python bench/gui_latency.py [--sizes 10000x100,100000x1000] [--reps 15]
                                          [--expand-all] [--profile ACTION]

For each size it builds a course (videos x chapters, bulk ``AddVideos`` per chapter through
``Library.apply``) next to a one-video course, reopens the library the way CourseDesk starts
and builds the real ``MainWindow`` under Qt's offscreen platform. Every sample is timed from
the action to the end of the processed repaint: the action, then ``processEvents()`` until
nothing is left (timers due within the search delay included, see below), then a
synchronous ``repaint()`` of the chapter tree's and the media library's viewports.

Actions: opening the course (``MainWindow.open_course``; the first, cold open reads the
database, later ones switch back to an already loaded course), one keystroke into the
library's search field, one move by keyboard (Alt+Down on a selected video in the tree),
one drag-and-drop move (drag-enter, drag-move and drop events on the tree's viewport), one
bulk move of 500 videos (``MoveVideos`` through ``session.do``) and the undo of it.

A course this large opens with only its first chapter expanded; ``--expand-all`` opens every
chapter before the edits are timed (every open row is laid out again after rows come, go or
move, so that is the heavy case for the tree).

Baseline in the same run: the same keystroke into a plain ``QLineEdit`` filtering a
``QSortFilterProxyModel`` over a trivial Python list model shown in a ``QListView``.

Targets: at 10,000 videos each single action <= 16 ms median, opening <= 1 s; at 100,000
single actions <= 50 ms, opening <= 5 s. The last line printed is one JSON object.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import argparse
import cProfile
import gc
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QVBoxLayout, QWidget

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    MoveVideos,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.theme import apply_theme

ACTIONS = ("open", "keystroke", "move", "dnd", "bulk_move", "undo_bulk")
SINGLE_ACTIONS = ("keystroke", "move", "dnd", "bulk_move", "undo_bulk")
TARGET_SINGLE_MS = {10_000: 16.0, 100_000: 50.0}
TARGET_OPEN_S = {10_000: 1.0, 100_000: 5.0}
BULK = 500
# Typed one key at a time, then erased: each keystroke narrows or widens the list.
QUERY = "light"
# A search field may wait for typing to pause; events due within this long count as part
# of the keystroke (the delay itself is reported, not hidden).
SETTLE_MS = 400
# Stop repeating an action once its samples add up to this much (at least one sample).
BUDGET_MS = 20_000.0

WORDS = [
    *("intro", "lighting", "exposure", "aperture", "shutter", "portrait", "landscape"),
    *("night", "studio", "colour", "framing", "lens", "flash", "outdoor", "review"),
    *("editing", "street", "travel", "macro", "wildlife"),
]
STATUSES = list(VideoStatus)


@dataclass
class SizeResult:
    videos: int
    chapters: int
    build_s: float = 0.0
    cold_open_s: float = 0.0
    ms: dict[str, list[float]] = field(default_factory=dict)
    baseline_ms: list[float] = field(default_factory=list)

    @property
    def tag(self) -> str:
        return f"{self.videos // 1000}k"

    def median(self, action: str) -> float:
        return statistics.median(self.ms[action]) if self.ms.get(action) else float("nan")


# ---------------------------------------------------------------------- building


def title_for(n: int) -> str:
    return f"{WORDS[n % len(WORDS)]} {WORDS[(n * 7 + 3) % len(WORDS)]} {n:06d}"


def build_library(path: Path, videos: int, chapters: int) -> str:
    library = Library.open(path)
    try:
        library.apply(CreateCourse("A small course", course_id="small"))
        library.apply(
            AddVideos((new_video("small", "Only clip", "/clips/only.mp4", video_id="only"),))
        )
        library.apply(CreateCourse("Big course", course_id="big"))
        per_chapter = videos // chapters
        n = 0
        for c in range(chapters):
            chapter_id = f"ch{c:04d}"
            library.apply(AddChapter("big", f"Chapter {c + 1}", chapter_id=chapter_id))
            batch = []
            for _ in range(per_chapter):
                batch.append(
                    new_video(
                        "big",
                        title_for(n),
                        f"/clips/{n}.mp4",
                        video_id=f"v{n:06d}",
                        duration_s=30.0 + (n * 37) % 1800,
                        size_bytes=5_000_000 + (n * 7919) % 900_000_000,
                        status=STATUSES[n % len(STATUSES)],
                    )
                )
                n += 1
            library.apply(AddVideos(tuple(batch), chapter_id))
    finally:
        library.close()
    return "big"


# ---------------------------------------------------------------------- timing


def settle(app: QApplication) -> None:
    """Run the event loop until nothing is pending, including timers due very soon."""
    deadline = time.perf_counter() + SETTLE_MS / 1000
    app.processEvents()
    while time.perf_counter() < deadline:
        app.processEvents()
        if not _timers_pending():
            break
        time.sleep(0.0005)
    app.processEvents()


def _timers_pending() -> bool:
    # A short single-shot (a search delay, a coalesced update) counts as still working.
    return any(timer.isActive() for timer in _pending_timer_owners)


_pending_timer_owners: list[QTimer] = []


def watch_timers(root: QWidget) -> None:
    """Remember the single-shot QTimers of the window (search delays and the like)."""
    _pending_timer_owners.clear()
    for timer in root.findChildren(QTimer):
        if timer.isSingleShot() and 0 <= timer.interval() <= SETTLE_MS:
            _pending_timer_owners.append(timer)


def repaint(views: list[QWidget]) -> None:
    for view in views:
        view.repaint()


def timed(app: QApplication, views: list[QWidget], action: Callable[[], object]) -> float:
    """Milliseconds from the action to the end of the repaint."""
    start = time.perf_counter()
    action()
    settle(app)
    repaint(views)
    return (time.perf_counter() - start) * 1000


# ---------------------------------------------------------------------- the window


def new_window(folder: Path) -> tuple[Library, MainWindow]:
    library = Library.open(folder / "library.sqlite3")
    session = EditSession(library)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("lastCourseId", "small")
    window = MainWindow(library, session, settings)
    return library, window


def expand_every_chapter(window: MainWindow) -> None:
    tree, model = window.chapter_tree, window.tree_model
    for chapter_id in window.store.chapter_ids("big"):
        tree.expand(model.chapter_index(chapter_id))


def measure_window(
    app: QApplication, folder: Path, result: SizeResult, reps: int, *, expand_all: bool = False
) -> None:
    library, window = new_window(folder)
    window.resize(1280, 800)
    window.show()
    settle(app)
    viewports = [window.chapter_tree.viewport(), window.library_view.viewport()]
    watch_timers(window)

    gc.collect()
    cold = timed(app, viewports, lambda: window.open_course("big"))
    result.cold_open_s = cold / 1000
    opens = [cold]
    for _ in range(min(reps, 5)):
        timed(app, viewports, lambda: window.open_course("small"))
        opens.append(timed(app, viewports, lambda: window.open_course("big")))
    result.ms["open"] = opens
    if expand_all:
        expand_every_chapter(window)
        settle(app)
    watch_timers(window)

    result.ms["keystroke"] = measure_keystrokes(app, window.library_search, viewports, reps)
    result.ms["move"] = measure_keyboard_moves(app, window, viewports, reps)
    result.ms["dnd"] = measure_drops(app, window, viewports, reps)
    bulk, undo = measure_bulk_moves(app, window, viewports, reps)
    result.ms["bulk_move"], result.ms["undo_bulk"] = bulk, undo

    window.close()
    library.close()


def measure_keystrokes(
    app: QApplication, search: QLineEdit, viewports: list[QWidget], reps: int
) -> list[float]:
    samples: list[float] = []
    search.setFocus()
    settle(app)
    while len(samples) < reps and sum(samples) < BUDGET_MS:
        for char in QUERY:
            samples.append(timed(app, viewports, lambda c=char: QTest.keyClick(search, c)))  # type: ignore[misc]
        for _ in QUERY:
            samples.append(
                timed(app, viewports, lambda: QTest.keyClick(search, Qt.Key.Key_Backspace))
            )
    return samples


def measure_keyboard_moves(
    app: QApplication, window: MainWindow, viewports: list[QWidget], reps: int
) -> list[float]:
    tree = window.chapter_tree
    store = window.store
    chapter_id = store.chapter_ids("big")[2]
    video_id = store.video_ids(chapter_id)[10]
    tree.setFocus()
    tree.select_videos([video_id])
    tree.scrollTo(window.tree_model.video_index(video_id))
    settle(app)
    samples: list[float] = []
    for i in range(reps):
        if sum(samples) > BUDGET_MS:
            break
        key = Qt.Key.Key_Down if i % 2 == 0 else Qt.Key.Key_Up
        samples.append(
            timed(
                app,
                viewports,
                lambda k=key: QTest.keyClick(tree, k, Qt.KeyboardModifier.AltModifier),
            )  # type: ignore[misc]
        )
    return samples


def _drop_on(tree: Any, mime: Any, point: QPoint) -> None:
    viewport = tree.viewport()
    pos = QPointF(point)
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons = Qt.MouseButton.LeftButton
    mods = Qt.KeyboardModifier.NoModifier
    # QPoint: the only form before PySide6 6.12 (6.12 adds QPointF and deprecates this one).
    enter = QDragEnterEvent(point, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(point, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(pos, actions, mime, buttons, mods)
    drop.setDropAction(Qt.DropAction.MoveAction)
    QApplication.sendEvent(viewport, drop)


def measure_drops(
    app: QApplication, window: MainWindow, viewports: list[QWidget], reps: int
) -> list[float]:
    tree = window.chapter_tree
    model = window.tree_model
    store = window.store
    first, second = store.chapter_ids("big")[0], store.chapter_ids("big")[1]
    samples: list[float] = []
    for i in range(reps):
        if sum(samples) > BUDGET_MS:
            break
        source, target = (first, second) if i % 2 == 0 else (second, first)
        video_id = store.video_ids(source)[3]
        anchor = store.video_ids(target)[2]
        tree.scrollTo(model.video_index(anchor))
        settle(app)
        mime = model.mimeData([model.video_index(video_id)])
        rect = tree.visualRect(model.video_index(anchor))
        point = QPoint(rect.left() + 40, rect.top() + 2)
        before = store.video(video_id).chapter_id
        samples.append(
            timed(app, viewports, lambda m=mime, p=point: _drop_on(tree, m, p))  # type: ignore[misc]
        )
        if store.video(video_id).chapter_id == before:
            raise SystemExit("the drop did not move the video: the measurement would be a lie")
    return samples


def measure_bulk_moves(
    app: QApplication, window: MainWindow, viewports: list[QWidget], reps: int
) -> tuple[list[float], list[float]]:
    session = window.session
    store = window.store
    chapters = list(store.chapter_ids("big"))
    target = chapters[0]
    window.chapter_tree.scrollTo(window.tree_model.chapter_index(target))
    label = f"Move {BULK} videos"
    moves: list[float] = []
    undos: list[float] = []
    for i in range(reps):
        if sum(moves) + sum(undos) > BUDGET_MS:
            break
        picked: list[str] = []
        c = 10 + (i * 5) % max(1, len(chapters) - 15)
        while len(picked) < BULK:
            picked.extend(store.video_ids(chapters[c]))
            c += 1
        ids = tuple(picked[:BULK])
        operation = MoveVideos(ids, target, 0)
        moves.append(
            timed(app, viewports, lambda op=operation: session.do(op, label, "big"))  # type: ignore[misc]
        )
        if list(store.video_ids(target)[:BULK]) != sorted(ids, key=ids.index):
            raise SystemExit("the bulk move did not land: the measurement would be a lie")
        undos.append(timed(app, viewports, session.stack("big").undo))
        if store.video(ids[0]).chapter_id == target:
            raise SystemExit("the undo did not move the videos back")
    return moves, undos


# ---------------------------------------------------------------------- baseline


class PlainListModel(QAbstractListModel):
    def __init__(self, titles: list[str]) -> None:
        super().__init__()
        self._titles = titles

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._titles)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles[index.row()]
        return None


def measure_baseline(app: QApplication, videos: int, reps: int) -> list[float]:
    model = PlainListModel([title_for(n) for n in range(videos)])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    host = QWidget()
    search = QLineEdit()
    view = QListView()
    view.setUniformItemSizes(True)
    view.setModel(proxy)
    layout = QVBoxLayout(host)
    layout.addWidget(search)
    layout.addWidget(view)
    search.textChanged.connect(proxy.setFilterFixedString)
    host.resize(600, 800)
    host.show()
    settle(app)
    search.setFocus()
    _pending_timer_owners.clear()
    samples = measure_keystrokes(app, search, [view.viewport()], reps)
    host.close()
    return samples


# ---------------------------------------------------------------------- report


def profile_action(
    app: QApplication, folder: Path, action: str, top: int = 25, *, expand_all: bool = False
) -> str:
    """cProfile one kind of action on a fresh window (for explaining a missed target)."""
    library, window = new_window(folder)
    window.resize(1280, 800)
    window.show()
    settle(app)
    viewports = [window.chapter_tree.viewport(), window.library_view.viewport()]
    profiler = cProfile.Profile()
    if action == "open":
        profiler.enable()
        timed(app, viewports, lambda: window.open_course("big"))
        profiler.disable()
    else:
        window.open_course("big")
        if expand_all:
            expand_every_chapter(window)
        settle(app)
        watch_timers(window)
        runner = {
            "keystroke": lambda: measure_keystrokes(app, window.library_search, viewports, 5),
            "move": lambda: measure_keyboard_moves(app, window, viewports, 5),
            "dnd": lambda: measure_drops(app, window, viewports, 5),
            "bulk_move": lambda: measure_bulk_moves(app, window, viewports, 3),
            "undo_bulk": lambda: measure_bulk_moves(app, window, viewports, 3),
        }[action]
        profiler.enable()
        runner()
        profiler.disable()
    window.close()
    library.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def print_table(results: list[SizeResult]) -> None:
    print()
    print(f"{'action':<26}" + "".join(f"{r.videos:>12,} videos" for r in results))
    print(f"{'build (s)':<26}" + "".join(f"{r.build_s:>19.1f}" for r in results))
    print(f"{'open, cold (s)':<26}" + "".join(f"{r.cold_open_s:>19.3f}" for r in results))
    print(
        f"{'open, switch back (ms)':<26}"
        + "".join(f"{statistics.median(r.ms['open'][1:]):>19.1f}" for r in results)
    )
    for action in SINGLE_ACTIONS:
        row = f"{action + ' median (ms)':<26}"
        row += "".join(
            f"{r.median(action):>10.1f} (max {max(r.ms[action]):>5.0f})" for r in results
        )
        print(row)
    print(
        f"{'baseline keystroke (ms)':<26}"
        + "".join(f"{statistics.median(r.baseline_ms):>19.1f}" for r in results)
    )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000x100,100000x1000")
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--profile", action="append", default=[], choices=ACTIONS)
    parser.add_argument(
        "--expand-all", action="store_true", help="time the edits with every chapter open"
    )
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)

    results: list[SizeResult] = []
    profiles: list[str] = []
    for spec in args.sizes.split(","):
        videos, chapters = (int(x) for x in spec.split("x"))
        result = SizeResult(videos, chapters)
        with tempfile.TemporaryDirectory(prefix="coursedesk-bench-") as tmp:
            folder = Path(tmp)
            start = time.perf_counter()
            build_library(folder / "library.sqlite3", videos, chapters)
            result.build_s = time.perf_counter() - start
            print(f"built {videos:,} videos in {chapters} chapters in {result.build_s:.1f} s")
            measure_window(app, folder, result, args.reps, expand_all=args.expand_all)
            result.baseline_ms = measure_baseline(app, videos, args.reps)
            for action in args.profile:
                profiles.append(f"--- profile: {action} at {videos:,} videos ---")
                profiles.append(profile_action(app, folder, action, expand_all=args.expand_all))
        results.append(result)
        print(f"measured {videos:,} videos")

    if args.expand_all:
        print("\nevery chapter expanded")
    print_table(results)
    for text in profiles:
        print(text)

    figures: dict[str, float] = {}
    misses: list[str] = []
    for r in results:
        figures[f"open_s_{r.tag}"] = round(r.cold_open_s, 4)
        figures[f"open_switch_ms_{r.tag}"] = round(statistics.median(r.ms["open"][1:]), 2)
        figures[f"keystroke_ms_{r.tag}"] = round(r.median("keystroke"), 2)
        figures[f"move_ms_{r.tag}"] = round(r.median("move"), 2)
        figures[f"dnd_ms_{r.tag}"] = round(r.median("dnd"), 2)
        figures[f"bulk_move_ms_{r.tag}"] = round(r.median("bulk_move"), 2)
        figures[f"undo_bulk_ms_{r.tag}"] = round(r.median("undo_bulk"), 2)
        figures[f"baseline_keystroke_ms_{r.tag}"] = round(statistics.median(r.baseline_ms), 2)
        single = TARGET_SINGLE_MS.get(r.videos)
        if single is not None:
            for action in SINGLE_ACTIONS:
                if r.median(action) > single:
                    misses.append(f"{action} at {r.videos:,} ({r.median(action):.1f} ms)")
        opening = TARGET_OPEN_S.get(r.videos)
        if opening is not None and r.cold_open_s > opening:
            misses.append(f"open at {r.videos:,} ({r.cold_open_s:.2f} s)")
    print("targets missed: " + "; ".join(misses) if misses else "all targets met")
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
