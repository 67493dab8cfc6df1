"""Operations the importer relies on: one-step batches, discarding unreadable rows, and
replacing a video's file, each keeping undo exact."""

from __future__ import annotations

import pytest
from tests.support.builders import make_course, video_value

from coursedesk.domain.errors import InvalidState, InvalidTitle
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    Batch,
    DiscardVideos,
    RenameVideo,
    ReplaceVideoContent,
    UpdateVideo,
)
from coursedesk.domain.store import Store


def test_an_import_of_new_chapters_is_one_step_that_undoes_completely() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=2)
    before = store.snapshot()
    batch = Batch(
        (
            AddChapter(ids.course_id, "Week 1", chapter_id="w1"),
            AddVideos(
                (
                    video_value(ids.course_id, "Intro", video_id="n1"),
                    video_value(ids.course_id, "Setup", video_id="n2"),
                ),
                "w1",
            ),
            AddChapter(ids.course_id, "Week 2", chapter_id="w2"),
            AddVideos((video_value(ids.course_id, "Recap", video_id="n3"),), "w2"),
        )
    )
    applied = store.apply(batch)
    assert [store.chapter(c).title for c in store.chapter_ids(ids.course_id)][-2:] == [
        "Week 1",
        "Week 2",
    ]
    assert list(store.video_ids("w1")) == ["n1", "n2"]
    check_invariants(store)
    store.apply(applied.inverse)
    assert store.snapshot() == before


def test_a_refused_part_of_a_batch_leaves_nothing_behind() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1)
    before = store.snapshot()
    batch = Batch(
        (
            AddChapter(ids.course_id, "Week 1", chapter_id="w1"),
            AddVideos((video_value(ids.course_id, "  ", video_id="bad"),), "w1"),
        )
    )
    with pytest.raises(InvalidTitle):
        store.apply(batch)
    assert store.snapshot() == before


def test_undoing_an_import_after_unreadable_rows_were_discarded_removes_the_rest() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1)
    chapter = ids.chapter(1)
    before = store.snapshot()
    videos = tuple(video_value(ids.course_id, f"Clip {i}", video_id=f"n{i}") for i in range(4))
    imported = store.apply(AddVideos(videos, chapter))
    # The probe fills in one file and finds another unreadable.
    store.apply(UpdateVideo("n3", {"status": VideoStatus.READY, "duration_s": 12.5}))
    store.apply(DiscardVideos(("n1",)))
    check_invariants(store)

    redo = store.apply(imported.inverse).inverse
    assert store.snapshot() == before
    store.apply(redo)
    assert [store.video(v).title for v in store.video_ids(chapter)][-3:] == [
        "Clip 0",
        "Clip 2",
        "Clip 3",
    ]
    assert store.video("n3").duration_s == 12.5
    check_invariants(store)


def test_only_rows_still_processing_can_be_discarded() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1)
    video_id = ids.video(1, 1)
    store.apply(UpdateVideo(video_id, {"status": VideoStatus.READY}))
    with pytest.raises(InvalidState):
        store.apply(DiscardVideos((video_id,)))


def test_replacing_a_file_keeps_place_and_title_and_undo_brings_the_old_file_back() -> None:
    store = Store()
    ids = make_course(store, chapters=2, videos_per_chapter=3)
    video_id = ids.video(2, 2)
    store.apply(RenameVideo(video_id, "Aperture explained"))
    old = store.video(video_id)
    replaced = store.apply(
        ReplaceVideoContent(
            video_id,
            {
                "source_path": "/new/aperture-v2.mp4",
                "sha1": "ab" * 20,
                "size_bytes": 99,
                "duration_s": 61.0,
                "status": VideoStatus.READY,
            },
        )
    )
    now = store.video(video_id)
    assert (now.title, now.chapter_id, store.video_index(video_id)) == (
        "Aperture explained",
        ids.chapter(2),
        1,
    )
    assert now.source_path == "/new/aperture-v2.mp4" and now.sha1 == "ab" * 20
    # The uploader moves the status on before the instructor changes their mind.
    store.apply(UpdateVideo(video_id, {"status": VideoStatus.UPLOADING}))
    store.apply(replaced.inverse)
    back = store.video(video_id)
    assert (back.source_path, back.sha1, back.size_bytes, back.duration_s) == (
        old.source_path,
        old.sha1,
        old.size_bytes,
        old.duration_s,
    )
    check_invariants(store)


def test_replacing_refuses_fields_that_are_not_the_files() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=1)
    with pytest.raises(InvalidState):
        store.apply(ReplaceVideoContent(ids.video(1, 1), {"title": "Sneaky"}))
