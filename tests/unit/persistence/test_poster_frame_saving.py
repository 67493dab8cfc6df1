"""A chosen poster frame is saved with the video and comes back after a reload."""

from __future__ import annotations

from pathlib import Path

from tests.unit.persistence.library_helpers import build_course, reload_snapshot

from coursedesk.domain.operations import SetPosterFrame
from coursedesk.persistence.library import Library


def test_a_poster_frame_survives_a_reload(library: Library, library_path: Path) -> None:
    course = build_course(library, chapters=1, videos_per_chapter=2, unassigned=0)
    video_id = course.videos_by_chapter[course.chapter_ids[0]][1]
    library.apply(SetPosterFrame(video_id, 1.25))
    assert reload_snapshot(library_path) == library.store.snapshot()
    assert library.store.video(video_id).thumbnail_time_s == 1.25
