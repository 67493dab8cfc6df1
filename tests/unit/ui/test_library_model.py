"""The library grid's model: the rows are exactly the store's videos that pass the filter and
the search, in sort order; single edits move single rows (never a reset); drops and deletes go
through the edit session."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QImage
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from tests.support.builders import CourseIds, make_course, video_value
from tests.support.tree_course import COURSE, build_course

from coursedesk.domain.model import VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    MoveChapter,
    MoveVideos,
    Operation,
    RenameChapter,
    RenameVideo,
    RestoreVideos,
    TrashChapter,
    TrashVideos,
    UpdateVideo,
)
from coursedesk.domain.store import Store
from coursedesk.domain.text import fold_for_search
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.library_model import (
    SCOPE_ALL,
    SCOPE_UNASSIGNED,
    ChapterLabelRole,
    DurationTextRole,
    LibraryModel,
    ProgressRole,
    SortKey,
    StatusRole,
    ThumbnailRole,
    VideoIdRole,
)
from coursedesk.ui.mime import VIDEO_IDS_MIME, decode_ids, encode_ids

TITLES = [
    "Éclair au chocolat",
    "eclair 2",
    "Video 10",
    "Video 9",
    "ÉCLAT",
    "b-roll",
    "Intro",
    "crème brûlée",
    "Zoom 1",
    "zoom 01",
]


class ResetCounter:
    def __init__(self, model: LibraryModel) -> None:
        self.resets = 0
        model.modelAboutToBeReset.connect(self._count)

    def _count(self) -> None:
        self.resets += 1


def _natural(text: str) -> tuple[Any, ...]:
    parts = re.split(r"(\d+)", fold_for_search(text))
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def expected_ids(
    store: Store, course_id: str, scope: str, query: str, sort: SortKey, descending: bool
) -> list[str]:
    """The rows computed the slow, obvious way from the store."""
    found = store.search(course_id, query)
    if scope == SCOPE_UNASSIGNED:
        found = [v for v in found if store.video(v).chapter_id is None]
    elif scope != SCOPE_ALL:
        found = [v for v in found if store.video(v).chapter_id == scope]

    def key(video_id: str) -> tuple[Any, ...]:
        video = store.video(video_id)
        name = _natural(video.title)
        if sort is SortKey.NAME:
            return (name, video.title, video.id)
        if sort is SortKey.ADDED:
            return (video.created_at, name, video.id)
        if sort is SortKey.DURATION:
            return (video.duration_s is None, video.duration_s or 0, name, video.id)
        return (video.size_bytes is None, video.size_bytes or 0, name, video.id)

    return sorted(found, key=key, reverse=descending)


def assert_rows_match(model: LibraryModel, store: Store) -> None:
    assert model.course_id is not None
    expected = expected_ids(
        store, model.course_id, model.scope, model.query, model.sort_key, model.descending
    )
    assert model.video_ids() == expected
    # The C++ rows Qt reads and the Python mirror agree.
    assert model.stringList() == expected
    assert [model.index(r, 0).data(VideoIdRole) for r in range(model.rowCount())] == expected


@pytest.fixture
def course(qtbot: QtBot) -> tuple[Store, CourseIds]:
    store = Store()
    return store, make_course(store, chapters=3, videos_per_chapter=5, library=3)


@pytest.fixture
def model(course: tuple[Store, CourseIds]) -> LibraryModel:
    store, ids = course
    return LibraryModel(store, ids.course_id)


def test_model_passes_qt_model_checks(model: LibraryModel, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(model)


def test_shows_every_live_video_of_the_course_sorted_by_name(
    model: LibraryModel, course: tuple[Store, CourseIds]
) -> None:
    store, _ids = course
    assert model.rowCount() == 18
    assert_rows_match(model, store)
    titles = [model.index(r, 0).data() for r in range(3)]
    assert titles == ["Clip 1", "Clip 2", "Clip 3"]


def test_names_sort_naturally_and_searches_ignore_case_and_accents(
    model: LibraryModel, course: tuple[Store, CourseIds]
) -> None:
    store, ids = course
    store.apply(
        AddVideos(
            tuple(
                video_value(ids.course_id, title, video_id=f"t{n}")
                for n, title in enumerate(TITLES)
            )
        )
    )
    model.set_query("Video ")
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert titles.index("Video 9") < titles.index("Video 10")
    model.set_query("ECLA")
    found = {model.index(r, 0).data() for r in range(model.rowCount())}
    assert found == {"Éclair au chocolat", "eclair 2", "ÉCLAT"}
    model.set_query("creme bru")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["crème brûlée"]
    assert_rows_match(model, store)


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_and_filter_matches_the_store(
    model: LibraryModel, course: tuple[Store, CourseIds], sort: SortKey, descending: bool
) -> None:
    store, ids = course
    store.apply(UpdateVideo(ids.video(1, 2), {"duration_s": None, "size_bytes": None}))
    model.set_sort(sort, descending)
    for scope in (SCOPE_ALL, SCOPE_UNASSIGNED, ids.chapter(2)):
        model.set_scope(scope)
        for query in ("", "video 2", "clip", "1", "nothing like it"):
            model.set_query(query)
            assert_rows_match(model, store)


def _random_operation(rnd: random.Random, store: Store, course_id: str, serial: int) -> Operation:
    live = sorted(store.live_video_ids(course_id))
    chapters = list(store.chapter_ids(course_id))
    trashed = sorted(store.trashed_video_ids(course_id))
    choice = rnd.randrange(12)
    if choice == 0 or not live:
        chapter = rnd.choice([None, *chapters])
        title = f"{rnd.choice(TITLES)} {serial}"
        video = video_value(
            course_id,
            title,
            video_id=f"new{serial}",
            created_at=rnd.choice([500.0, 1_000.0, 2_000.0]),
            duration_s=rnd.choice([None, 5.0, 61.0]),
            size_bytes=rnd.choice([None, 10, 99]),
        )
        return AddVideos((video,), chapter)
    if choice == 1:
        return RenameVideo(rnd.choice(live), rnd.choice(TITLES) + rnd.choice(["", " 3", " 12"]))
    if choice == 2 and chapters:
        picked = tuple(rnd.sample(live, min(len(live), rnd.randint(1, 3))))
        chapter = rnd.choice(chapters)
        return MoveVideos(picked, chapter, rnd.randint(0, len(store.video_ids(chapter))))
    if choice == 3:
        return MoveVideos(tuple(rnd.sample(live, min(len(live), rnd.randint(1, 3)))), None)
    if choice == 4:
        return TrashVideos(tuple(rnd.sample(live, min(len(live), rnd.randint(1, 2)))))
    if choice == 5 and trashed:
        return RestoreVideos((rnd.choice(trashed),))
    if choice == 6:
        return UpdateVideo(rnd.choice(live), {"duration_s": rnd.choice([None, 1.0, 30.0, 900.0])})
    if choice == 7:
        return UpdateVideo(rnd.choice(live), {"size_bytes": rnd.choice([None, 1, 500, 10**9])})
    if choice == 8:
        return UpdateVideo(rnd.choice(live), {"status": rnd.choice(list(VideoStatus))})
    if choice == 9 and chapters:
        return RenameChapter(rnd.choice(chapters), f"Part {serial}")
    if choice == 10 and len(chapters) > 1:
        return MoveChapter(rnd.choice(chapters), rnd.randrange(len(chapters)))
    if choice == 11 and len(chapters) > 2:
        return TrashChapter(rnd.choice(chapters), rnd.choice(list(VideosGo)))
    return AddChapter(course_id, f"Chapter {serial}", chapter_id=f"chapter{serial}")


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_move_single_rows_and_never_reset(
    course: tuple[Store, CourseIds], qtmodeltester: ModelTester, seed: int
) -> None:
    store, ids = course
    rnd = random.Random(seed)
    model = LibraryModel(store, ids.course_id)
    qtmodeltester.check(model)
    sort = list(SortKey)[seed % len(SortKey)]
    model.set_sort(sort, descending=seed % 2 == 1)
    model.set_scope([SCOPE_ALL, SCOPE_UNASSIGNED, ids.chapter(1)][seed % 3])
    model.set_query(["", "e", "video"][seed % 3])
    resets = ResetCounter(model)
    for serial in range(120):
        operation = _random_operation(rnd, store, ids.course_id, serial)
        try:
            store.apply(operation)
        except Exception as exc:  # a random edit may be refused; the rows must not move
            assert type(exc).__module__.startswith("coursedesk.domain")
        assert_rows_match(model, store)
    assert resets.resets == 0


def test_a_rename_that_changes_the_order_moves_one_row(
    model: LibraryModel, course: tuple[Store, CourseIds], qtbot: QtBot
) -> None:
    store, _ids = course
    resets = ResetCounter(model)
    first = model.video_id_at(0)
    with qtbot.waitSignal(model.rowsMoved) as moved:
        store.apply(RenameVideo(first, "Zebra crossing"))
    assert moved.args is not None
    assert moved.args[1] == 0 and moved.args[2] == 0
    assert model.video_id_at(model.rowCount() - 1) == first
    assert resets.resets == 0
    assert_rows_match(model, store)


def test_a_status_change_repaints_its_row_only(
    model: LibraryModel, course: tuple[Store, CourseIds], qtbot: QtBot
) -> None:
    store, ids = course
    video = ids.video(2, 3)
    row = model.row_of(video)
    assert row is not None
    with qtbot.waitSignal(model.dataChanged) as changed:
        store.apply(UpdateVideo(video, {"status": VideoStatus.UPLOADING}))
    assert changed.args is not None
    assert changed.args[0].row() == changed.args[1].row() == row
    assert model.index(row, 0).data(StatusRole) == VideoStatus.UPLOADING


def test_moving_to_and_from_the_library_inserts_and_removes_in_the_unassigned_view(
    model: LibraryModel, course: tuple[Store, CourseIds], qtbot: QtBot
) -> None:
    store, ids = course
    model.set_scope(SCOPE_UNASSIGNED)
    resets = ResetCounter(model)
    with qtbot.waitSignal(model.rowsInserted):
        store.apply(MoveVideos((ids.video(1, 1),), None))
    assert model.row_of(ids.video(1, 1)) is not None
    with qtbot.waitSignal(model.rowsRemoved):
        store.apply(MoveVideos((ids.library_ids[0],), ids.chapter(3)))
    assert model.row_of(ids.library_ids[0]) is None
    assert resets.resets == 0
    assert_rows_match(model, store)


@pytest.mark.parametrize("scope", ["all", "chapter 3", "unassigned"])
def test_a_bulk_move_between_chapters_keeps_rows_in_place_and_repaints_once(
    model: LibraryModel, course: tuple[Store, CourseIds], qtbot: QtBot, scope: str
) -> None:
    store, ids = course
    model.set_scope({"all": SCOPE_ALL, "unassigned": SCOPE_UNASSIGNED}.get(scope, ids.chapter(3)))
    resets = ResetCounter(model)
    moved_rows: list[int] = []
    model.rowsMoved.connect(lambda *args: moved_rows.append(args[1]))
    repaints: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: repaints.append((top.row(), bottom.row())))
    before = model.video_ids()
    moving = (*ids.videos_of(1), *ids.videos_of(2), ids.library_ids[0])
    applied = store.apply(MoveVideos(moving, ids.chapter(3), 0))
    assert_rows_match(model, store)
    assert not moved_rows and resets.resets == 0
    if scope == "all":
        assert model.video_ids() == before
        assert len(repaints) == 1
        first, last = repaints[0]
        assert first <= min(model.row_of(v) or 0 for v in moving)
        assert last >= max(model.row_of(v) or 0 for v in moving)
    row = model.row_of(ids.video(1, 2))
    if row is not None:
        assert model.index(row, 0).data(ChapterLabelRole).startswith("3 · ")
    store.apply(applied.inverse)
    assert_rows_match(model, store)
    assert model.video_ids() == before


def test_a_chapter_filter_empties_when_its_chapter_goes_to_the_trash(
    model: LibraryModel, course: tuple[Store, CourseIds]
) -> None:
    store, ids = course
    model.set_scope(ids.chapter(2))
    assert model.rowCount() == 5
    store.apply(TrashChapter(ids.chapter(2), VideosGo.TO_LIBRARY))
    assert model.rowCount() == 0


def test_chapter_labels_follow_chapter_renames_and_moves(
    model: LibraryModel, course: tuple[Store, CourseIds], qtbot: QtBot
) -> None:
    store, ids = course
    row = model.row_of(ids.video(3, 1))
    assert row is not None
    assert model.index(row, 0).data(ChapterLabelRole) == "3 · Chapter 3"
    with qtbot.waitSignal(model.dataChanged):
        store.apply(RenameChapter(ids.chapter(3), "Light"))
    store.apply(MoveChapter(ids.chapter(3), 0))
    assert model.index(row, 0).data(ChapterLabelRole) == "1 · Light"
    library_row = model.row_of(ids.library_ids[0])
    assert library_row is not None
    assert model.index(library_row, 0).data(ChapterLabelRole) is None


def test_hooks_for_thumbnails_and_progress(
    model: LibraryModel, course: tuple[Store, CourseIds], qtbot: QtBot
) -> None:
    store, ids = course
    video = ids.video(1, 1)
    row = model.row_of(video)
    assert row is not None
    index = model.index(row, 0)
    assert index.data(ThumbnailRole) is None
    assert index.data(ProgressRole) is None
    assert index.data(DurationTextRole) == "1:01"
    image = QImage(16, 9, QImage.Format.Format_RGB32)
    model.thumbnail_provider = lambda vid: image if vid == video else None
    model.progress_provider = lambda vid: 0.25
    store.apply(UpdateVideo(video, {"status": VideoStatus.UPLOADING}))
    with qtbot.waitSignal(model.dataChanged):
        model.refresh_video(video)
    assert isinstance(index.data(ThumbnailRole), QImage)
    assert index.data(ProgressRole) == 0.25


def test_switching_course_resets_and_says_what_is_empty(
    model: LibraryModel, course: tuple[Store, CourseIds]
) -> None:
    store, _ids = course
    model.set_query("no such video")
    assert model.rowCount() == 0
    assert model.empty_hint()[0] == "No videos match “no such video”"
    model.set_course(None)
    assert model.rowCount() == 0
    assert model.empty_hint()[0] == "No course is open"
    other = make_course(store, chapters=1, videos_per_chapter=1, library=0, course_id="c2")
    model.set_query("")
    model.set_course(other.course_id)
    assert model.video_ids() == [other.video(1, 1)]


def test_rows_cannot_be_edited_through_the_generic_model_api(model: LibraryModel) -> None:
    before = model.video_ids()
    assert not model.removeRows(0, 2)
    assert not model.insertRows(0, 1)
    assert not model.setData(model.index(0, 0), "x")
    assert not model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.video_ids() == list(reversed(before))


# ---------------------------------------------------------------------- drags and drops


@pytest.fixture
def session(library: Library, qtbot: QtBot) -> EditSession:
    build_course(library, chapters=2, videos=3, library_videos=2)
    return EditSession(library)


def test_a_drag_carries_the_ids_in_row_order(session: EditSession) -> None:
    model = LibraryModel(session.store, COURSE, session=session)
    data = model.mimeData([model.index(4, 0), model.index(1, 0)])
    assert decode_ids(data, VIDEO_IDS_MIME) == [model.video_id_at(1), model.video_id_at(4)]
    assert Qt.ItemFlag.ItemIsDragEnabled in model.flags(model.index(0, 0))


def test_dropping_assigned_videos_unassigns_them_as_one_undo_step(
    session: EditSession, library: Library
) -> None:
    model = LibraryModel(session.store, COURSE, session=session)
    store = session.store
    moved = ["v1.1", "v2.3", "lib1"]
    data = encode_ids(VIDEO_IDS_MIME, moved)
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert all(store.video(v).chapter_id is None for v in moved)
    stack = session.stack(COURSE)
    assert stack.count() == 1
    assert stack.text(0) == "Move 2 videos to the library"
    stack.undo()
    assert store.video("v1.1").chapter_id == "ch1"


def test_only_videos_in_chapters_can_be_dropped(session: EditSession) -> None:
    model = LibraryModel(session.store, COURSE, session=session)
    unassigned = encode_ids(VIDEO_IDS_MIME, ["lib1", "lib2"])
    assert not model.canDropMimeData(unassigned, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    files = QMimeData()
    files.setText("file:///tmp/clip.mp4")
    assert not model.canDropMimeData(files, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    one = encode_ids(VIDEO_IDS_MIME, ["v1.2"])
    assert model.dropMimeData(one, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert session.stack(COURSE).text(0) == "Unassign video"


def test_trash_is_one_undoable_edit(session: EditSession) -> None:
    model = LibraryModel(session.store, COURSE, session=session)
    assert model.trash(["v1.1", "lib2"]) == 2
    assert session.stack(COURSE).text(0) == "Delete 2 videos"
    assert model.row_of("v1.1") is None
    session.stack(COURSE).undo()
    assert model.row_of("v1.1") is not None


def test_a_model_without_a_session_refuses_edits(course: tuple[Store, CourseIds]) -> None:
    store, ids = course
    model = LibraryModel(store, ids.course_id)
    data = encode_ids(VIDEO_IDS_MIME, [ids.video(1, 1)])
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert model.trash([ids.video(1, 1)]) == 0


class _ScopeSwitcher:
    """A store listener that shows one chapter only, in the middle of the next edit."""

    def __init__(self, model: LibraryModel, scope: str) -> None:
        self.model = model
        self.scope = scope
        self.switched = False

    def before(self, step: object) -> None:
        pass

    def after(self, step: object) -> None:
        if not self.switched:
            self.switched = True
            self.model.set_scope(self.scope)


def test_a_bulk_move_that_narrows_the_view_half_way_keeps_the_rows_right(
    model: LibraryModel, course: tuple[Store, CourseIds]
) -> None:
    store, ids = course
    store.subscribe(_ScopeSwitcher(model, ids.chapter(3)))
    moving = (*ids.videos_of(1), *ids.videos_of(2), ids.library_ids[0])

    store.apply(MoveVideos(moving, ids.chapter(3), 0))

    assert model.scope == ids.chapter(3)
    assert_rows_match(model, store)
    assert model.rowCount() == 16


def test_a_bulk_move_in_another_course_repaints_nothing(
    model: LibraryModel, course: tuple[Store, CourseIds]
) -> None:
    store, _ids = course
    other = make_course(store, course_id="c2", chapters=3, videos_per_chapter=35, library=0)
    repaints: list[object] = []
    model.dataChanged.connect(lambda *args: repaints.append(args))

    store.apply(MoveVideos((*other.videos_of(1), *other.videos_of(2)), other.chapter(3), 0))

    assert repaints == []
    assert_rows_match(model, store)
