"""Change events: what listeners hear, and that a model following them stays right."""

from __future__ import annotations

import pytest
from tests.support.builders import apply_checked, assert_refused, make_course, video_value
from tests.support.mirror import EventLog, MirrorDiverged, StoreMirror

from coursedesk.domain.errors import MoveRefused
from coursedesk.domain.model import VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    EmptyTrash,
    MoveChapter,
    MoveVideos,
    Operation,
    RenameChapter,
    RenameCourse,
    RenameVideo,
    RestoreChapter,
    RestoreCourse,
    RestoreVideos,
    ShiftVideos,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    UpdateVideo,
)
from coursedesk.domain.steps import Step, VideoChanged, VideoMoved
from coursedesk.domain.store import Applied, Store


class OrderWatcher:
    """Notes chapter 1's order as the store shows it in ``before`` and in ``after``."""

    def __init__(self, store: Store, chapter_id: str) -> None:
        self.store = store
        self.chapter_id = chapter_id
        self.seen: list[tuple[str, list[str]]] = []

    def before(self, step: Step) -> None:
        self.seen.append(("before", list(self.store.video_ids(self.chapter_id))))

    def after(self, step: Step) -> None:
        self.seen.append(("after", list(self.store.video_ids(self.chapter_id))))


def test_listeners_see_the_old_order_before_a_move_and_the_new_one_after() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=3, library=0)
    watcher = OrderWatcher(store, ids.chapter(1))
    store.subscribe(watcher)
    apply_checked(store, MoveVideos((ids.video(1, 3),), ids.chapter(1), 0))
    old, new = ids.videos_of(1), [ids.video(1, 3), ids.video(1, 1), ids.video(1, 2)]
    assert watcher.seen == [("before", old), ("after", new)]


def test_listeners_hear_exactly_the_steps_the_operation_reports() -> None:
    store = Store()
    ids = make_course(store)
    log = EventLog()
    store.subscribe(log)
    applied = apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH))
    assert log.steps == list(applied.steps)
    assert [phase for phase, _ in log.calls] == ["before", "after"] * len(applied.steps)


def test_every_listener_hears_every_step_until_it_unsubscribes() -> None:
    store = Store()
    ids = make_course(store)
    first, second = EventLog(), EventLog()
    store.subscribe(first)
    store.subscribe(second)
    apply_checked(store, RenameVideo(ids.video(1, 1), "One"))
    store.unsubscribe(first)
    apply_checked(store, RenameVideo(ids.video(1, 1), "Two"))
    assert len(first.steps) == 1
    assert len(second.steps) == 2


def test_technical_update_is_one_field_change_a_view_can_repaint() -> None:
    store = Store()
    ids = make_course(store)
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, UpdateVideo(ids.video(1, 1), {"status": VideoStatus.UPLOADING}))
    (step,) = log.steps
    assert isinstance(step, VideoChanged)
    assert step.fields == {"status"}


def test_refused_bulk_move_tells_listeners_nothing() -> None:
    store = Store()
    ids = make_course(store)
    other = make_course(store, course_id="c2", chapters=1)
    selection = (ids.video(1, 1), ids.video(1, 2), other.video(1, 1))
    assert_refused(store, MoveVideos(selection, ids.chapter(2), 0), MoveRefused)


def test_moving_n_videos_announces_at_most_n_moves_with_indexes_a_model_can_follow() -> None:
    store = Store()
    ids = make_course(store, chapters=2, videos_per_chapter=6, library=3)
    mirror = StoreMirror(store)
    log = EventLog()
    store.subscribe(mirror)
    store.subscribe(log)
    selection = (
        ids.video(2, 6),
        ids.library_ids[2],
        ids.video(1, 1),
        ids.video(1, 4),
        ids.video(2, 1),
        ids.library_ids[0],
    )
    apply_checked(store, MoveVideos(selection, ids.chapter(1), 3))
    assert len(log.of_type(VideoMoved)) <= len(selection)
    mirror.assert_matches(store)


def scripted_edits(store: Store) -> list[Operation]:
    ids = make_course(store, chapters=3, videos_per_chapter=4, library=2)
    c1 = ids.course_id
    new = tuple(video_value(c1, f"n{i}", video_id=f"n{i}") for i in range(3))
    return [
        CreateCourse("Second", course_id="c2", created_at=1.0),
        AddChapter("c2", "Only", chapter_id="c2:ch1", created_at=1.0),
        AddChapter(c1, "Intro", index=0, chapter_id="intro", created_at=1.0),
        AddVideos(new, "intro", 0),
        AddVideos((video_value(c1, "loose", video_id="loose"),)),
        RenameCourse(c1, "Renamed"),
        RenameChapter(ids.chapter(1), "Basics"),
        RenameVideo(ids.video(1, 1), "Welcome"),
        MoveChapter("intro", 4),
        MoveChapter(ids.chapter(3), 0),
        MoveVideos((ids.video(1, 4), ids.video(1, 1)), ids.chapter(1), 2),
        MoveVideos((ids.video(3, 2), "n1", ids.library_ids[0]), ids.chapter(2), 1),
        MoveVideos(("n0", ids.video(2, 2)), None),
        ShiftVideos((ids.video(2, 1), ids.video(2, 4), ids.video(1, 3)), 1),
        ShiftVideos((ids.video(2, 1), ids.video(1, 2)), -1),
        UpdateVideo(ids.video(1, 2), {"duration_s": 5.0, "status": VideoStatus.READY}),
        TrashVideos((ids.video(1, 2), "loose", ids.video(3, 3)), at=10.0),
        TrashChapter(ids.chapter(2), at=11.0),
        TrashChapter(ids.chapter(3), VideosGo.TO_TRASH, at=12.0),
        RestoreVideos((ids.video(1, 2), ids.video(3, 1), "loose")),
        RestoreChapter(ids.chapter(3)),
        TrashCourse("c2", at=13.0),
        EmptyTrash(),
        TrashCourse(c1, at=14.0),
        RestoreCourse(c1),
    ]


def test_a_mirror_following_the_events_matches_the_store_through_every_kind_of_edit() -> None:
    store = Store()
    edits = scripted_edits(store)
    mirror = StoreMirror(store)
    store.subscribe(mirror)
    history: list[Applied] = []
    for edit in edits:
        history.append(apply_checked(store, edit))
        mirror.assert_matches(store)
    for applied in reversed(history):
        apply_checked(store, applied.inverse)
        mirror.assert_matches(store)


def test_a_mirror_built_late_catches_up_from_the_store_and_follows_from_there() -> None:
    store = Store()
    edits = scripted_edits(store)
    for edit in edits[:12]:
        apply_checked(store, edit)
    mirror = StoreMirror(store)
    store.subscribe(mirror)
    mirror.assert_matches(store)
    for edit in edits[12:]:
        apply_checked(store, edit)
    mirror.assert_matches(store)


def test_a_mirror_rejects_a_move_from_an_index_where_the_video_is_not() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=3, library=0)
    mirror = StoreMirror(store)
    wrong = VideoMoved(ids.video(1, 3), ids.course_id, ids.chapter(1), 1, ids.chapter(1), 0)
    with pytest.raises(MirrorDiverged, match="not at that index"):
        mirror.before(wrong)


def test_a_mirror_notices_a_change_it_was_not_told_about() -> None:
    store = Store()
    ids = make_course(store, chapters=2, videos_per_chapter=3, library=0)
    mirror = StoreMirror(store)
    apply_checked(store, MoveVideos((ids.video(1, 1),), ids.chapter(2), 0))
    assert mirror.mismatches(store) == [
        f"videos of {ids.chapter(1)}: mirror {ids.videos_of(1)}, store {ids.videos_of(1)[1:]}",
        f"videos of {ids.chapter(2)}: mirror {ids.videos_of(2)}, "
        f"store {[ids.video(1, 1), *ids.videos_of(2)]}",
    ]


class _Brackets:
    """Records the operation brackets around the steps a listener hears."""

    def __init__(self) -> None:
        self.heard: list[str] = []

    def operation_started(self, expected_steps: int) -> None:
        self.heard.append(f"start {expected_steps}")

    def operation_finished(self) -> None:
        self.heard.append("finish")

    def before(self, step: object) -> None:
        self.heard.append("step")

    def after(self, step: object) -> None:
        pass


def test_a_bulk_move_is_bracketed_with_an_estimate_of_its_steps() -> None:
    from tests.support.builders import make_course

    from coursedesk.domain.operations import MoveVideos
    from coursedesk.domain.store import Store

    store = Store()
    ids = make_course(store, chapters=2, videos_per_chapter=5)
    listener = _Brackets()
    store.subscribe(listener)
    applied = store.apply(MoveVideos(tuple(ids.videos_of(1)[:3]), ids.chapter(2), 0))
    assert listener.heard == ["start 3", "step", "step", "step", "finish"]
    listener.heard.clear()
    store.apply(applied.inverse)
    assert listener.heard[0] == "start 3" and listener.heard[-1] == "finish"


def test_brackets_reach_listeners_subscribed_since_the_last_edit_and_no_longer_those_gone() -> None:
    from coursedesk.domain.operations import MoveVideos
    from coursedesk.domain.store import Store

    store = Store()
    ids = make_course(store, chapters=2, videos_per_chapter=5)
    first, second = _Brackets(), _Brackets()
    store.subscribe(first)
    apply_checked(store, MoveVideos((ids.video(1, 1),), ids.chapter(2), 0))
    store.subscribe(second)
    apply_checked(store, MoveVideos((ids.video(1, 2),), ids.chapter(2), 0))
    store.unsubscribe(first)
    apply_checked(store, MoveVideos((ids.video(1, 3),), ids.chapter(2), 0))

    assert first.heard == ["start 1", "step", "finish"] * 2
    assert second.heard == ["start 1", "step", "finish"] * 2


class NarrowListener:
    """Hears only moves before a step, and only video field changes after one."""

    before_kinds = frozenset({VideoMoved})
    after_kinds = frozenset({VideoChanged})

    def __init__(self) -> None:
        self.calls: list[tuple[str, Step]] = []

    def before(self, step: Step) -> None:
        self.calls.append(("before", step))

    def after(self, step: Step) -> None:
        self.calls.append(("after", step))


def test_a_listener_that_names_the_steps_it_follows_hears_only_those() -> None:
    store = Store()
    ids = make_course(store)
    narrow, everything = NarrowListener(), EventLog()
    store.subscribe(narrow)
    store.subscribe(everything)
    moved = apply_checked(store, MoveVideos((ids.video(1, 1),), ids.chapter(2), 0))
    renamed = apply_checked(store, RenameVideo(ids.video(1, 2), "Light"))
    assert narrow.calls == [("before", moved.steps[0]), ("after", renamed.steps[0])]
    assert everything.steps == [*moved.steps, *renamed.steps]


def test_a_listener_subscribed_later_hears_the_steps_it_names_from_then_on() -> None:
    store = Store()
    ids = make_course(store)
    apply_checked(store, RenameVideo(ids.video(1, 2), "Light"))  # kinds looked up and kept
    narrow = NarrowListener()
    store.subscribe(narrow)
    renamed = apply_checked(store, RenameVideo(ids.video(1, 2), "Shade"))
    store.unsubscribe(narrow)
    apply_checked(store, RenameVideo(ids.video(1, 2), "Dusk"))
    assert narrow.calls == [("after", renamed.steps[0])]


def test_undoing_a_bulk_move_right_away_and_redoing_it_replays_the_same_steps() -> None:
    store = Store()
    ids = make_course(store, chapters=3, videos_per_chapter=20, library=0)
    log = EventLog()
    store.subscribe(log)
    moved = apply_checked(
        store, MoveVideos((*ids.videos_of(2), *ids.videos_of(3)), ids.chapter(1), 3)
    )
    undone = apply_checked(store, moved.inverse)
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)
    redone = apply_checked(store, undone.inverse)
    assert redone.steps == moved.steps
    assert undone.inverse.steps == moved.steps
    assert log.steps == [*moved.steps, *undone.steps, *redone.steps]


def test_an_undo_after_another_edit_still_puts_a_bulk_move_back() -> None:
    store = Store()
    ids = make_course(store, chapters=3, videos_per_chapter=20, library=0)
    moved = apply_checked(store, MoveVideos(tuple(ids.videos_of(2)), ids.chapter(1), 0))
    apply_checked(store, RenameVideo(ids.video(3, 1), "Later edit"))
    apply_checked(store, moved.inverse)
    assert list(store.video_ids(ids.chapter(1))) == ids.videos_of(1)
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)
