"""Screenshots of the course editor window with a realistic sample course (not run by CI).

    python tools/screenshots.py OUT_DIR

builds a throwaway library with one course (3 chapters, 20 videos of varied lengths, sizes
and upload states, a few unassigned, a few deleted) and saves ``window.png`` (the editor) and
``trash.png`` (the window with the Trash in front) into OUT_DIR.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

# A tool that drives the GUI, like the tests: Qt is its business (the ban is for lower layers).
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from coursedesk.domain.model import Video, VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    MoveVideos,
    RenameVideo,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.theme import apply_theme

S = VideoStatus
CHAPTERS = {
    "Getting started": [
        ("Welcome", 95, S.UPLOADED),
        ("What you need", 312, S.UPLOADED),
        ("Camera basics", 748, S.UPLOADING),
        ("Holding the camera", 241, S.QUEUED),
        ("Your first photo", 433, S.READY),
        ("Review of the week", 187, S.READY),
    ],
    "Exposure": [
        ("Aperture", 621, S.UPLOADED),
        ("Shutter speed", 539, S.UPLOADED),
        ("ISO and noise", 477, S.FAILED),
        ("The exposure triangle", 1310, S.UPLOADING),
        ("Metering modes", 402, S.PROCESSING),
        ("Bracketing", 266, S.READY),
    ],
    "Composition": [
        ("Rule of thirds", 358, S.READY),
        ("Leading lines", 295, S.QUEUED),
        ("Framing", 201, S.MISSING),
        ("Putting it together", 2250, S.READY),
    ],
}
UNASSIGNED = [
    ("b-roll street 01", 44, S.READY),
    ("b-roll street 02", 51, S.PROCESSING),
    ("Outtakes", 612, S.READY),
    ("Intro music test", 30, S.FAILED),
]


def build_sample(library: Library) -> str:
    """The sample course; returns its id."""
    create = CreateCourse("Intro to Photography")
    library.apply(create)
    course_id = create.course_id
    library.apply(CreateCourse("Lighting for Video"))
    number = 0

    def videos(items: list[tuple[str, int, VideoStatus]]) -> tuple[Video, ...]:
        nonlocal number
        made = []
        for title, seconds, status in items:
            number += 1
            made.append(
                new_video(
                    course_id,
                    title,
                    f"/home/instructor/Videos/photo/{number:02d} {title}.mp4",
                    status=status,
                    duration_s=float(seconds),
                    size_bytes=int(seconds * (2_100_000 + 90_000 * (number % 7))),
                    width=1920,
                    height=1080,
                    error="B2 refused the upload: bucket quota reached."
                    if status == S.FAILED
                    else None,
                )
            )
        return tuple(made)

    for title, items in CHAPTERS.items():
        chapter = AddChapter(course_id, title)
        library.apply(chapter)
        library.apply(AddVideos(videos(items), chapter.chapter_id))
    library.apply(AddVideos(videos(UNASSIGNED)))
    extra = AddChapter(course_id, "Old bonus material")
    library.apply(extra)
    library.apply(AddVideos(videos([("Bonus interview", 1420, S.UPLOADED)]), extra.chapter_id))
    library.apply(TrashChapter(extra.chapter_id, VideosGo.TO_TRASH, at=_hours_ago(26)))
    store = library.store
    first = store.chapter_ids(course_id)[0]
    library.apply(TrashVideos((store.video_ids(first)[5],), at=_hours_ago(3)))
    second = store.chapter_ids(course_id)[1]
    library.apply(TrashVideos((store.video_ids(second)[5],), at=_hours_ago(0.2)))
    trashed_course = CreateCourse("Draft: Night photography")
    library.apply(trashed_course)
    library.apply(TrashCourse(trashed_course.course_id, at=_hours_ago(72)))
    return course_id


def _hours_ago(hours: float) -> float:
    return time.time() - hours * 3600


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "library.sqlite3")
        try:
            course_id = build_sample(library)
            session = EditSession(library)
            settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(library, session, settings)
            window.open_course(course_id)
            window.show()
            app.processEvents()
            # A few real edits, so the undo history and the status bar have something to say.
            store = library.store
            first, second = store.chapter_ids(course_id)[:2]
            moving = tuple(store.video_ids(first)[3:5])
            session.do(MoveVideos(moving, second, 2), "Move 2 videos", course_id)
            session.do(
                RenameVideo(moving[0], "Holding the camera steady"), "Rename video", course_id
            )
            window.chapter_tree.select_videos(list(moving))
            window.history_dock.raise_()
            window.statusBar().showMessage("Moved 2 videos to “Exposure” — Ctrl+Z to undo")
            _settle(app)
            window.grab().save(str(out / "window.png"))
            window.trash_dock.raise_()
            window.trash_view.setFocus()
            window.trash_view.setCurrentIndex(window.trash_panel.model.index(1, 0))
            _settle(app)
            window.grab().save(str(out / "trash.png"))
            window.close()
        finally:
            library.close()
    print(f"saved {out / 'window.png'} and {out / 'trash.png'}")
    return 0


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


if __name__ == "__main__":
    raise SystemExit(main())
