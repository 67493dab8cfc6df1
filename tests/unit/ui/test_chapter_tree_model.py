"""The chapter tree model: rows follow the store edit by edit (never a reset), and every edit
it makes (inline renames, drops) goes through the edit session as one undo step."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QColor
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from tests.support.tree_course import COURSE, build_course, chapter_id, video_id

from coursedesk.domain.errors import DomainError
from coursedesk.domain.model import VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    MoveChapter,
    MoveVideos,
    Operation,
    RenameChapter,
    RenameVideo,
    RestoreChapter,
    RestoreVideos,
    ShiftVideos,
    TrashChapter,
    TrashVideos,
    UpdateVideo,
    expected_steps,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.chapter_tree_model import (
    BULK_STEPS,
    ChapterIdRole,
    ChapterTreeModel,
    Column,
    IsChapterRole,
    PositionRole,
    ProgressRole,
    StatusRole,
    VideoIdRole,
)
from coursedesk.ui.mime import CHAPTER_IDS_MIME, VIDEO_IDS_MIME, decode_ids, encode_ids

ROOT = QModelIndex()


@pytest.fixture
def session(library: Library, qtbot: QtBot) -> EditSession:
    build_course(library, chapters=3, videos=5)
    library.open_course(COURSE)
    return EditSession(library)


@pytest.fixture
def model(session: EditSession, library: Library) -> Iterator[ChapterTreeModel]:
    tree = ChapterTreeModel(library.store, COURSE, session=session)
    yield tree
    tree.detach()


def assert_rows_match_store(model: ChapterTreeModel, library: Library) -> None:
    store = library.store
    chapters = list(store.chapter_ids(COURSE))
    assert model.rowCount() == len(chapters)
    for row, cid in enumerate(chapters):
        chapter = model.index(row, 0)
        assert chapter.data(ChapterIdRole) == cid
        assert chapter.data() == store.chapter(cid).title
        assert chapter.data(PositionRole) == row + 1
        assert model.index(row, Column.STATUS).data().startswith(f"{len(store.video_ids(cid))} ")
        shown = [
            model.index(r, 0, chapter).data(VideoIdRole) for r in range(model.rowCount(chapter))
        ]
        assert shown == list(store.video_ids(cid))
        for r, vid in enumerate(shown):
            video = model.index(r, 0, chapter)
            assert video.data() == store.video(vid).title
            assert video.data(PositionRole) == r + 1


def chapter_row(model: ChapterTreeModel, number: int) -> QModelIndex:
    return model.index(number - 1, 0)


def video_ids_data(*ids: str) -> QMimeData:
    return encode_ids(VIDEO_IDS_MIME, ids)


# ------------------------------------------------------------------ model contract


def test_model_passes_qt_model_checks(model: ChapterTreeModel, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(model)


def test_rows_show_position_title_duration_size_and_status(
    model: ChapterTreeModel, library: Library
) -> None:
    chapter = chapter_row(model, 2)
    assert chapter.data(IsChapterRole) is True
    assert chapter.data(Qt.ItemDataRole.FontRole).bold()
    totals = library.store.chapter_totals(chapter_id(2))
    assert model.index(1, Column.STATUS).data() == "5 videos"
    assert model.index(1, Column.DURATION).data().count(":") >= 1
    assert totals.count == 5
    video = model.index(2, 0, chapter)
    title = library.store.video(video_id(2, 3)).title
    assert video.data() == title
    assert video.data(PositionRole) == 3
    assert video.data(Qt.ItemDataRole.AccessibleTextRole) == f"3  {title}"
    assert video.data(Qt.ItemDataRole.EditRole) == library.store.video(video_id(2, 3)).title
    status = video.siblingAtColumn(Column.STATUS)
    assert VideoStatus(status.data(StatusRole)) == library.store.video(video_id(2, 3)).status
    assert not status.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert status.data(ProgressRole) is None
    size = video.siblingAtColumn(Column.SIZE)
    assert size.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert size.data().endswith("MB")


def test_titles_are_editable_and_rows_draggable_only_with_a_session(
    model: ChapterTreeModel, library: Library
) -> None:
    flags = model.flags(model.index(0, 0, chapter_row(model, 1)))
    assert flags & Qt.ItemFlag.ItemIsEditable and flags & Qt.ItemFlag.ItemIsDragEnabled
    assert not flags & Qt.ItemFlag.ItemIsDropEnabled  # drops land between videos
    assert model.flags(chapter_row(model, 1)) & Qt.ItemFlag.ItemIsDropEnabled
    read_only = ChapterTreeModel(library.store, COURSE)
    try:
        assert not read_only.flags(read_only.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
        assert not read_only.setData(read_only.index(0, 0), "New title")
    finally:
        read_only.detach()


# ------------------------------------------------------------------ random edits


def _random_operation(rng: random.Random, library: Library, counter: Iterator[int]) -> Operation:
    store = library.store
    chapters = list(store.chapter_ids(COURSE))
    placed = [v for c in chapters for v in store.video_ids(c)]
    live = list(store.live_video_ids(COURSE))
    trashed_videos = list(store.trashed_video_ids(COURSE))
    trashed_chapters = list(store.trashed_chapter_ids(COURSE))
    kind = rng.choice(
        [
            "move",
            "move",
            "shift",
            "move_chapter",
            "add_chapter",
            "rename",
            "trash_videos",
            "trash_chapter",
            "restore_videos",
            "restore_chapter",
            "add_videos",
            "status",
        ]
    )
    n = next(counter)
    if kind == "move" and live and chapters:
        ids = tuple(rng.sample(live, k=min(len(live), rng.randint(1, 4))))
        if rng.random() < 0.15:
            return MoveVideos(ids, None)
        target = rng.choice(chapters)
        size = len(store.video_ids(target))
        return MoveVideos(ids, target, rng.choice([None, rng.randint(0, size)]))
    if kind == "shift" and placed:
        ids = tuple(rng.sample(placed, k=min(len(placed), rng.randint(1, 3))))
        return ShiftVideos(ids, rng.choice([-1, 1]))
    if kind == "move_chapter" and chapters:
        return MoveChapter(rng.choice(chapters), rng.randint(0, len(chapters)))
    if kind == "add_chapter":
        return AddChapter(COURSE, f"Added {n}", rng.randint(0, len(chapters)))
    if kind == "rename" and placed and rng.random() < 0.5:
        return RenameVideo(rng.choice(placed), f"Renamed video {n}")
    if kind == "rename" and chapters:
        return RenameChapter(rng.choice(chapters), f"Renamed chapter {n}")
    if kind == "trash_videos" and live:
        return TrashVideos(tuple(rng.sample(live, k=min(len(live), rng.randint(1, 3)))))
    if kind == "trash_chapter" and chapters:
        return TrashChapter(rng.choice(chapters), rng.choice(list(VideosGo)))
    if kind == "restore_videos" and trashed_videos:
        return RestoreVideos((rng.choice(trashed_videos),))
    if kind == "restore_chapter" and trashed_chapters:
        return RestoreChapter(rng.choice(trashed_chapters))
    if kind == "status" and live:
        return UpdateVideo(rng.choice(live), {"status": rng.choice(list(VideoStatus))})
    target = rng.choice([*chapters, None]) if chapters else None
    videos = tuple(
        new_video(COURSE, f"New {n}.{k}", f"/new/{n}-{k}.mp4", duration_s=12.0, size_bytes=99)
        for k in range(rng.randint(1, 3))
    )
    index = None
    if target is not None and rng.random() < 0.5:
        index = rng.randint(0, len(store.video_ids(target)))
    return AddVideos(videos, target, index)


@pytest.mark.parametrize("seed", range(6))
def test_rows_follow_random_edits_and_undos_without_a_reset_or_a_layout_for_small_edits(
    seed: int, model: ChapterTreeModel, library: Library, qtbot: QtBot
) -> None:
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    resets: list[str] = []
    model.modelAboutToBeReset.connect(lambda: resets.append("reset"))
    model.layoutAboutToBeChanged.connect(lambda: resets.append("layout"))
    rng = random.Random(seed)
    counter = iter(range(10_000))
    undo: list[Operation] = []
    for _ in range(80):
        if undo and rng.random() < 0.25:
            operation = undo.pop()
        else:
            operation = _random_operation(rng, library, counter)
        bulk = expected_steps(operation, library.store) > BULK_STEPS
        try:
            applied = library.apply(operation)
        except DomainError:
            resets.clear()
            continue
        if operation not in undo:
            undo.append(applied.inverse)
        # A bulk edit is at most one layout change; anything smaller is rows inserted, moved,
        # removed or changed in place.
        allowed = ([], ["layout"]) if bulk else ([],)
        assert resets in allowed, f"{operation} made the model {resets}"
        resets.clear()
        assert_rows_match_store(model, library)
    del tester


def test_a_bulk_edit_is_one_layout_change_and_persistent_rows_follow_their_videos(
    model: ChapterTreeModel, library: Library, qtbot: QtBot
) -> None:
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    signals: list[str] = []
    for name in ("rowsAboutToBeMoved", "rowsAboutToBeInserted", "rowsAboutToBeRemoved"):
        getattr(model, name).connect(lambda *_, n=name: signals.append(n))
    model.layoutChanged.connect(lambda *_: signals.append("layoutChanged"))
    moved = [video_id(1, n) for n in range(1, 6)] + [video_id(2, n) for n in range(1, 6)]
    assert len(moved) > BULK_STEPS
    held = {
        "moved": QPersistentModelIndex(model.index(1, Column.SIZE, chapter_row(model, 1))),
        "stays": QPersistentModelIndex(model.index(0, 0, chapter_row(model, 3))),
        "chapter": QPersistentModelIndex(chapter_row(model, 2)),
    }
    applied = library.apply(MoveVideos(tuple(moved), chapter_id(3), 0))
    assert signals == ["layoutChanged"]
    assert_rows_match_store(model, library)
    assert held["moved"].data(VideoIdRole) == video_id(1, 2)
    assert held["moved"].column() == Column.SIZE
    assert held["moved"].parent().data(ChapterIdRole) == chapter_id(3)
    assert held["stays"].data(VideoIdRole) == video_id(3, 1) and held["stays"].row() == 10
    assert held["chapter"].data(ChapterIdRole) == chapter_id(2)
    signals.clear()
    library.apply(applied.inverse)  # the undo is a bulk edit too
    assert signals == ["layoutChanged"]
    assert_rows_match_store(model, library)
    assert held["moved"].data(VideoIdRole) == video_id(1, 2) and held["moved"].row() == 1
    library.apply(TrashVideos(tuple(moved)))
    assert not held["moved"].isValid() and held["chapter"].isValid()
    assert_rows_match_store(model, library)
    del tester


def test_a_move_within_a_chapter_changes_rows_in_place_and_persistent_rows_follow(
    model: ChapterTreeModel, library: Library, qtbot: QtBot
) -> None:
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    signals: list[str] = []
    for name in ("rowsAboutToBeMoved", "rowsAboutToBeInserted", "layoutAboutToBeChanged"):
        getattr(model, name).connect(lambda *_, n=name: signals.append(n))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: changed.append((top.row(), bottom.row())))
    chapter = chapter_row(model, 2)
    held = {
        n: QPersistentModelIndex(model.index(n - 1, Column.DURATION, chapter)) for n in range(1, 6)
    }
    with qtbot.waitSignal(model.rows_reordering) as reordering:
        library.apply(MoveVideos((video_id(2, 2),), chapter_id(2), 5))
    assert reordering.args[0] == chapter
    assert signals == []
    assert (1, 4) in changed  # the rows between the old and the new place
    assert_rows_match_store(model, library)
    for n, index in held.items():
        assert index.data(VideoIdRole) == video_id(2, n)
        assert index.column() == Column.DURATION
    assert [held[n].row() for n in range(1, 6)] == [0, 4, 1, 2, 3]
    del tester


@pytest.fixture
def long_chapters(library: Library, qtbot: QtBot) -> Iterator[tuple[ChapterTreeModel, Library]]:
    build_course(library, chapters=2, videos=30)
    library.open_course(COURSE)
    tree = ChapterTreeModel(library.store, COURSE, session=EditSession(library))
    yield tree, library
    tree.detach()


def test_a_bulk_reorder_within_chapters_is_one_change_per_chapter_and_no_layout(
    long_chapters: tuple[ChapterTreeModel, Library], qtbot: QtBot
) -> None:
    model, library = long_chapters
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    signals: list[str] = []
    for name in ("rowsAboutToBeMoved", "layoutAboutToBeChanged", "modelAboutToBeReset"):
        getattr(model, name).connect(lambda *_, n=name: signals.append(n))
    changed: list[tuple[str | None, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, *_: changed.append(
            (model.chapter_id_of(top.parent()), top.row(), bottom.row())
        )
    )
    held = QPersistentModelIndex(model.index(24, 0, chapter_row(model, 1)))
    moved = tuple(video_id(1, n) for n in range(11, 26))
    assert len(moved) > BULK_STEPS
    applied = library.apply(MoveVideos(moved, chapter_id(1), 0))
    assert signals == []
    assert changed == [(chapter_id(1), 0, 24)]
    assert_rows_match_store(model, library)
    assert held.data(VideoIdRole) == video_id(1, 25) and held.row() == 14
    changed.clear()
    library.apply(applied.inverse)
    assert signals == [] and changed == [(chapter_id(1), 0, 24)]
    assert held.data(VideoIdRole) == video_id(1, 25) and held.row() == 24
    assert_rows_match_store(model, library)
    # Moving between chapters as well is one layout change for the lot.
    library.apply(MoveVideos((*moved, video_id(2, 1)), chapter_id(2), 3))
    assert signals == ["layoutAboutToBeChanged"]
    assert held.data(VideoIdRole) == video_id(1, 25)
    assert held.parent().data(ChapterIdRole) == chapter_id(2)
    assert_rows_match_store(model, library)
    del tester


def test_a_painted_cell_gets_the_same_roles_as_data_answers(
    model: ChapterTreeModel, library: Library, qtbot: QtBot
) -> None:
    # Views paint a cell from one multiData call; it must answer as data() does.
    delegate = QStyledItemDelegate()
    chapter = chapter_row(model, 1)
    for index in (
        chapter,
        chapter.siblingAtColumn(Column.SIZE),
        model.index(2, Column.TITLE, chapter),
        model.index(2, Column.SIZE, chapter),
        model.index(2, Column.STATUS, chapter),
    ):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, index)
        assert option.text == index.data()
        assert option.font.bold() == (index.data(Qt.ItemDataRole.FontRole) is not None)
        assert option.displayAlignment == (
            index.data(Qt.ItemDataRole.TextAlignmentRole) or option.displayAlignment
        )
        assert option.icon.isNull() == (index.data(Qt.ItemDataRole.DecorationRole) is None)
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        if background is None:
            assert option.backgroundBrush.style() == Qt.BrushStyle.NoBrush
        else:
            assert option.backgroundBrush.color() == QColor(background)
    assert model.index(2, Column.SIZE, chapter).data().endswith("MB")


# ------------------------------------------------------------------ renames


def test_setdata_renames_through_the_session_as_one_undo_step(
    model: ChapterTreeModel, session: EditSession, library: Library
) -> None:
    index = model.index(1, 0, chapter_row(model, 1))
    assert model.setData(index, "  Welcome aboard ")
    assert library.store.video(video_id(1, 2)).title == "Welcome aboard"
    assert index.data() == "Welcome aboard"
    stack = session.stack(COURSE)
    assert stack.count() == 1 and stack.text(0) == "Rename video"
    assert model.setData(chapter_row(model, 3), "Wrapping up")
    assert stack.text(1) == "Rename chapter"
    stack.undo()
    stack.undo()
    assert library.store.video(video_id(1, 2)).title != "Welcome aboard"
    assert library.store.chapter(chapter_id(3)).title != "Wrapping up"


def test_an_empty_title_is_refused_with_a_message_and_the_old_title_kept(
    model: ChapterTreeModel, session: EditSession, library: Library, qtbot: QtBot
) -> None:
    index = chapter_row(model, 2)
    before = library.store.chapter(chapter_id(2)).title
    with qtbot.waitSignal(session.refused) as refused:
        assert not model.setData(index, "   ")
    assert "can't be empty" in refused.args[0]
    assert library.store.chapter(chapter_id(2)).title == before
    assert session.stack(COURSE).count() == 0


# ------------------------------------------------------------------ drag and drop


def test_a_drag_carries_the_selected_videos_in_course_order(model: ChapterTreeModel) -> None:
    indexes = [
        model.index(3, 0, chapter_row(model, 2)),
        model.index(0, Column.SIZE, chapter_row(model, 1)),
        model.index(1, 0, chapter_row(model, 2)),
        model.index(0, 0, chapter_row(model, 1)),
        chapter_row(model, 3),
    ]
    data = model.mimeData(indexes)
    assert decode_ids(data, VIDEO_IDS_MIME) == [video_id(1, 1), video_id(2, 2), video_id(2, 4)]
    assert decode_ids(data, CHAPTER_IDS_MIME) == [chapter_id(3)]


def test_dropping_on_a_chapter_row_appends_to_it(
    model: ChapterTreeModel, library: Library, session: EditSession
) -> None:
    data = video_ids_data(video_id(1, 2), video_id(1, 4), "lib1")
    move = Qt.DropAction.MoveAction
    assert model.canDropMimeData(data, move, -1, -1, chapter_row(model, 3))
    assert model.dropMimeData(data, move, -1, -1, chapter_row(model, 3))
    assert list(library.store.video_ids(chapter_id(3)))[-3:] == [
        video_id(1, 2),
        video_id(1, 4),
        "lib1",
    ]
    assert session.stack(COURSE).text(0) == "Move 3 videos"
    session.stack(COURSE).undo()
    assert len(library.store.video_ids(chapter_id(3))) == 5
    assert "lib1" in library.store.library_ids(COURSE)
    assert_rows_match_store(model, library)


def test_dropping_between_video_rows_inserts_there(
    model: ChapterTreeModel, library: Library
) -> None:
    data = video_ids_data(video_id(2, 5))
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, chapter_row(model, 2))
    assert list(library.store.video_ids(chapter_id(2))) == [
        video_id(2, 1),
        video_id(2, 5),
        video_id(2, 2),
        video_id(2, 3),
        video_id(2, 4),
    ]


def test_dropping_between_chapter_rows_appends_to_the_chapter_above(
    model: ChapterTreeModel, library: Library
) -> None:
    move = Qt.DropAction.MoveAction
    assert model.dropMimeData(video_ids_data(video_id(3, 1)), move, 2, 0, ROOT)
    assert library.store.video_ids(chapter_id(2))[-1] == video_id(3, 1)
    assert model.dropMimeData(video_ids_data(video_id(3, 2)), move, 0, 0, ROOT)
    assert library.store.video_ids(chapter_id(1))[0] == video_id(3, 2)


def test_a_dragged_chapter_moves_to_the_drop_position(
    model: ChapterTreeModel, library: Library, session: EditSession
) -> None:
    data = encode_ids(CHAPTER_IDS_MIME, [chapter_id(3)])
    move = Qt.DropAction.MoveAction
    assert not model.canDropMimeData(data, move, 2, 0, chapter_row(model, 1))  # among videos
    assert model.dropMimeData(data, move, 0, 0, ROOT)
    assert list(library.store.chapter_ids(COURSE)) == [chapter_id(3), chapter_id(1), chapter_id(2)]
    assert session.stack(COURSE).text(0) == "Move chapter"
    # Onto a chapter further down: it takes that chapter's place.
    assert model.dropMimeData(data, move, -1, 0, chapter_row(model, 3))
    assert list(library.store.chapter_ids(COURSE)) == [chapter_id(1), chapter_id(2), chapter_id(3)]
    assert_rows_match_store(model, library)


def test_drops_of_unknown_or_trashed_ids_are_refused(
    model: ChapterTreeModel, library: Library
) -> None:
    library.apply(TrashVideos((video_id(1, 1),)))
    move = Qt.DropAction.MoveAction
    for ids in (["nope"], [video_id(1, 1)], []):
        assert not model.canDropMimeData(video_ids_data(*ids), move, -1, -1, chapter_row(model, 2))
    plain = QMimeData()
    plain.setText("hello")
    assert not model.canDropMimeData(plain, move, -1, -1, chapter_row(model, 2))


def test_files_are_left_to_the_importer_hook(model: ChapterTreeModel, qtbot: QtBot) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile("/videos/intro.mp4")])
    copy = Qt.DropAction.CopyAction
    assert not model.canDropMimeData(data, copy, 1, 0, chapter_row(model, 2))
    model.accept_files = True
    with qtbot.waitSignal(model.files_dropped) as dropped:
        assert model.dropMimeData(data, copy, 1, 0, chapter_row(model, 2))
    assert dropped.args == [["/videos/intro.mp4"], chapter_id(2), 1]


def test_qt_never_removes_dragged_rows_after_a_move(
    model: ChapterTreeModel, library: Library
) -> None:
    assert not model.removeRows(0, 2, chapter_row(model, 1))
    assert len(library.store.video_ids(chapter_id(1))) == 5
