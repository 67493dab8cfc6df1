"""Which chapters are open when a course opens: all of them in an ordinary course, only the
first in a very large one (every open row is laid out again after each move)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, new_video
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.chapter_tree_model import ChapterTreeModel
from coursedesk.ui.chapter_tree_view import LARGE_COURSE_VIDEOS, ChapterTreeView


def build(library: Library, chapters: int, videos_per_chapter: int) -> None:
    library.apply(CreateCourse("Course", course_id="c"))
    for number in range(chapters):
        chapter_id = f"ch{number}"
        library.apply(AddChapter("c", f"Chapter {number + 1}", chapter_id=chapter_id))
        videos = tuple(
            new_video("c", f"Video {number}.{i}", "/v.mp4", status=VideoStatus.READY)
            for i in range(videos_per_chapter)
        )
        library.apply(AddVideos(videos, chapter_id))


def open_tree(library: Library, qtbot: QtBot) -> ChapterTreeView:
    session = EditSession(library)
    model = ChapterTreeModel(library.store, "c", session=session)
    view = ChapterTreeView(session, model)
    qtbot.addWidget(view)
    return view


def expanded(view: ChapterTreeView) -> list[bool]:
    model = view.model()
    return [view.isExpanded(model.index(row, 0)) for row in range(model.rowCount())]


def test_an_ordinary_course_opens_with_every_chapter_expanded(
    library: Library, qtbot: QtBot
) -> None:
    build(library, chapters=4, videos_per_chapter=5)
    assert expanded(open_tree(library, qtbot)) == [True] * 4


def test_a_very_large_course_opens_with_only_its_first_chapter_expanded(
    library: Library, qtbot: QtBot
) -> None:
    per_chapter = LARGE_COURSE_VIDEOS // 4 + 1
    build(library, chapters=4, videos_per_chapter=per_chapter)
    view = open_tree(library, qtbot)
    assert expanded(view) == [True, False, False, False]
    # Selecting a video in a closed chapter opens that chapter.
    third = library.store.video_ids("ch2")[0]
    view.select_videos([third])
    assert expanded(view) == [True, False, True, False]
