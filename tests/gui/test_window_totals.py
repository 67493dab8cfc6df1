"""The window's status line of course totals follows every edit, bulk edits and their undo
included (it is worked out once per edit, however many steps the edit takes)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, MoveVideos, new_video
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.main_window import MainWindow


def test_totals_follow_bulk_moves_and_their_undo(
    library: Library, tmp_path: Path, qtbot: QtBot
) -> None:
    library.apply(CreateCourse("Photography", course_id="c1"))
    for n in (1, 2):
        library.apply(AddChapter("c1", f"Chapter {n}", chapter_id=f"c1:ch{n}"))
        videos = tuple(
            new_video("c1", f"Video {n}.{m}", f"/clips/{n}.{m}.mp4", video_id=f"c1:v{n}.{m}")
            for m in range(1, 11)
        )
        library.apply(AddVideos(videos, f"c1:ch{n}"))
    session = EditSession(library)
    window = MainWindow(
        library, session, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_course("c1")
    label = window.totals_label
    qtbot.waitUntil(lambda: "(0 unassigned)" in label.text())

    chapter_two = tuple(f"c1:v2.{m}" for m in range(1, 11))
    session.do(MoveVideos(chapter_two, None), "Unassign", "c1")
    qtbot.waitUntil(lambda: "(10 unassigned)" in label.text())
    session.do(MoveVideos(chapter_two[:4], "c1:ch1", 0), "Move", "c1")
    qtbot.waitUntil(lambda: "(6 unassigned)" in label.text())
    session.stack("c1").undo()
    qtbot.waitUntil(lambda: "(10 unassigned)" in label.text())
    session.stack("c1").undo()
    qtbot.waitUntil(lambda: "(0 unassigned)" in label.text())
    assert label.text().startswith("2 chapters · 20 videos")
