"""The Trash model and panel on their own: what they list, in which order, and live updates."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from coursedesk.domain.model import VideosGo
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    EmptyTrash,
    RenameChapter,
    RenameVideo,
    RestoreVideos,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.trash_model import Column, Kind, TrashModel, describe_deleted_at
from coursedesk.ui.trash_view import TrashPanel


@pytest.fixture
def course(library: Library) -> str:
    library.apply(CreateCourse("Photography", course_id="c1"))
    library.apply(AddChapter("c1", "Basics", chapter_id="ch1"))
    library.apply(AddChapter("c1", "Light", chapter_id="ch2"))
    for chapter_id in ("ch1", "ch2"):
        videos = tuple(
            new_video(
                "c1",
                f"{chapter_id} clip {i}",
                f"/c/{chapter_id}{i}.mp4",
                video_id=f"{chapter_id}.v{i}",
            )
            for i in range(3)
        )
        library.apply(AddVideos(videos, chapter_id))
    return "c1"


def test_model_passes_the_model_tester_through_trash_and_restore(
    qtmodeltester: ModelTester, library: Library, course: str
) -> None:
    model = TrashModel(library.store, course)
    qtmodeltester.check(model)
    library.apply(TrashVideos(("ch1.v0", "ch1.v2"), at=10.0))
    library.apply(TrashChapter("ch2", VideosGo.TO_TRASH, at=20.0))
    qtmodeltester.check(model)
    library.apply(RestoreVideos(("ch1.v2",)))
    qtmodeltester.check(model)
    model.detach()


def test_newest_deletions_come_first_and_each_says_where_it_was(
    library: Library, course: str
) -> None:
    model = TrashModel(library.store, course)
    library.apply(TrashVideos(("ch1.v1",), at=100.0))
    library.apply(TrashChapter("ch2", VideosGo.TO_TRASH, at=300.0))
    library.apply(CreateCourse("Old draft", course_id="c2"))
    library.apply(TrashCourse("c2", at=200.0))

    kinds = [(e.kind, e.item_id) for e in model.entries()]
    assert kinds[-2:] == [(Kind.COURSE, "c2"), (Kind.VIDEO, "ch1.v1")]
    assert {k for k, _ in kinds[:4]} == {Kind.CHAPTER, Kind.VIDEO}
    row = model.row_of(Kind.VIDEO, "ch1.v1")
    assert row is not None
    assert model.index(row, Column.WAS_IN).data() == "Basics, #2"
    video_of_ch2 = model.row_of(Kind.VIDEO, "ch2.v0")
    assert video_of_ch2 is not None
    assert model.index(video_of_ch2, Column.WAS_IN).data() == "Light, #1 (chapter deleted)"
    assert model.counts().total == 6
    model.detach()


def test_renames_and_purges_show_at_once(library: Library, course: str) -> None:
    model = TrashModel(library.store, course)
    library.apply(TrashVideos(("ch1.v1",), at=100.0))
    library.apply(RenameVideo("ch1.v1", "Outtake"))
    library.apply(RenameChapter("ch1", "Getting started"))
    row = model.row_of(Kind.VIDEO, "ch1.v1")
    assert row is not None
    assert model.index(row, Column.NAME).data() == "Outtake"
    assert model.index(row, Column.WAS_IN).data() == "Getting started, #2"
    library.apply(EmptyTrash())
    assert model.rowCount() == 0
    model.detach()


def test_other_courses_trash_is_not_listed(library: Library, course: str) -> None:
    library.apply(CreateCourse("Astronomy", course_id="c2"))
    library.apply(AddVideos((new_video("c2", "Stars", "/s.mp4", video_id="s"),)))
    model = TrashModel(library.store, course)
    library.apply(TrashVideos(("s",)))
    assert model.rowCount() == 0
    model.set_course("c2")
    assert [e.item_id for e in model.entries()] == ["s"]
    model.detach()


def test_deletion_times_read_as_today_yesterday_or_a_date() -> None:
    now = datetime(2025, 3, 14, 15, 0).timestamp()
    assert describe_deleted_at(datetime(2025, 3, 14, 9, 5).timestamp(), now) == "Today 09:05"
    assert describe_deleted_at(datetime(2025, 3, 13, 23, 59).timestamp(), now) == (
        "Yesterday 23:59"
    )
    assert describe_deleted_at(datetime(2024, 12, 1, 8, 0).timestamp(), now) == ("1 Dec 2024 08:00")


def test_panel_summary_and_buttons_follow_the_trash(
    qtbot: QtBot, library: Library, course: str
) -> None:
    session = EditSession(library)
    panel = TrashPanel(session)
    qtbot.addWidget(panel)
    panel.set_course(course)
    assert panel.summary.text() == "The Trash is empty"
    assert not panel.empty_action.isEnabled()
    session.do(TrashVideos(("ch1.v0", "ch1.v1"), at=time.time()), "Delete 2 videos", course)
    assert panel.summary.text() == "2 videos"
    assert panel.empty_action.isEnabled()
    assert not panel.restore_action.isEnabled()
    panel.view.selectAll()
    assert panel.restore_action.isEnabled()
    with qtbot.waitSignal(panel.status_message):
        panel.restore_action.trigger()
    assert list(library.store.video_ids("ch1"))[:2] == ["ch1.v0", "ch1.v1"]
    assert panel.summary.text() == "The Trash is empty"
    panel.detach()
