"""The grid's thumbnail loader: lazy, remembered in a bounded LRU, remade when missing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from tests.support.clips import make_clip
from tests.support.manual_runner import ManualRunner

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import AddVideos, CreateCourse, UpdateVideo, new_video
from coursedesk.domain.store import Store
from coursedesk.services.ingest.pipeline import ThumbnailCache, ingest_file
from coursedesk.ui.thumbnail_loader import ThumbnailLoader


def imported_store(tmp_path: Path, count: int, cache: ThumbnailCache) -> tuple[Store, list[str]]:
    store = Store()
    store.apply(CreateCourse("C", course_id="c"))
    ids = []
    for n in range(count):
        clip = make_clip(tmp_path / f"clip{n}.mp4", seconds=1.0 + n * 0.5)
        video = new_video("c", f"clip {n}", str(clip), status=VideoStatus.PROCESSING)
        store.apply(AddVideos((video,)))
        fields = ingest_file(clip, cache).video_fields()
        store.apply(UpdateVideo(video.id, fields))
        ids.append(video.id)
    return store, ids


def test_a_picture_is_read_in_the_background_then_served_from_memory(
    tmp_path: Path, qtbot: QtBot
) -> None:
    cache = ThumbnailCache(tmp_path / "thumbs")
    store, (video_id,) = imported_store(tmp_path, 1, cache)
    runner = ManualRunner()
    loader = ThumbnailLoader(store, cache, runner)
    assert loader(video_id) is None  # not in memory yet: a read is queued
    assert loader(video_id) is None and len(runner.waiting) == 1  # asked once only
    with qtbot.waitSignal(loader.picture_loaded) as loaded:
        runner.run_all()
    assert loaded.args == [video_id]
    image = loader(video_id)
    assert isinstance(image, QImage) and not image.isNull()
    assert image.width() <= 320 and image.height() <= 180
    assert loader(video_id) is image and not runner.waiting


def test_memory_holds_at_most_the_capacity_and_forgets_the_least_recently_used(
    tmp_path: Path, qtbot: QtBot
) -> None:
    cache = ThumbnailCache(tmp_path / "thumbs")
    store, ids = imported_store(tmp_path, 3, cache)
    runner = ManualRunner()
    loader = ThumbnailLoader(store, cache, runner, capacity=2)
    for video_id in ids:
        loader(video_id)
        runner.run_all()
    assert loader.cached_count() == 2
    assert loader(ids[0]) is None  # the oldest went; asking reads it again
    assert len(runner.waiting) == 1


def test_a_missing_picture_is_made_again_and_an_impossible_one_is_not_retried(
    tmp_path: Path, qtbot: QtBot
) -> None:
    cache = ThumbnailCache(tmp_path / "thumbs")
    store, (good, gone) = imported_store(tmp_path, 2, cache)
    for picture in cache.root.iterdir():
        picture.unlink()
    Path(store.video(gone).source_path).unlink()
    runner = ManualRunner()
    loader = ThumbnailLoader(store, cache, runner)
    loader(good)
    loader(gone)
    runner.run_all()
    good_sha1 = store.video(good).sha1
    assert good_sha1 is not None and cache.thumbnail(good_sha1).is_file()
    assert isinstance(loader(good), QImage)
    assert loader(gone) is None and not runner.waiting  # remembered as having no picture
    loader.forget(gone)  # e.g. its pictures were made again
    assert loader(gone) is None and len(runner.waiting) == 1
