"""The grid's thumbnails: read lazily from the on-disk cache, kept in a small LRU of QImages.

The library model asks for a video's picture while painting; this answers at once with what
it has in memory, or None (the delegate draws a placeholder) and reads the JPEG file on a
worker (decoding the small file happens when it arrives, on the GUI thread).
A picture missing from the cache (cleared, or made on another machine) is made again from the
video's file there. When a picture arrives the model is told to repaint that video.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from coursedesk.domain.store import Store
from coursedesk.media import MediaError
from coursedesk.services.ingest.pipeline import ThumbnailCache, make_pictures
from coursedesk.services.tasks import TaskRunner

log = logging.getLogger(__name__)

# A 320x180 thumbnail is about 230 KB in memory: 300 of them stay under 70 MB.
THUMBNAIL_LRU_ENTRIES = 300

# A picture: its content hash and the poster moment chosen for it (None: the import's).
PictureKey = tuple[str, float | None]


def read_picture(cache: ThumbnailCache, key: PictureKey, source_path: str) -> bytes | None:
    """The bytes of a video's picture file, made again from ``source_path`` if it is
    missing. Runs on a worker (the disk is read here); None when no picture can be had."""
    sha1, poster_s = key
    if poster_s is not None:
        poster = cache.poster(sha1, poster_s)
        if poster.is_file():
            return _read(poster)
    path = cache.thumbnail(sha1)
    if not path.is_file():
        try:
            make_pictures(Path(source_path), sha1, cache)
        except (MediaError, OSError) as exc:
            log.info("no thumbnail for %s: %s", source_path, exc)
            return None
    return _read(path)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        log.info("thumbnail %s unreadable: %s", path, exc)
        return None


def decode_picture(data: bytes | None) -> QImage | None:
    """A picture file's bytes as an image. Done on the GUI thread: Qt's image plugins are
    not safe to load from several threads at once, and a 320x180 JPEG decodes in well under
    a millisecond."""
    if not data:
        return None
    image = QImage.fromData(data)
    return None if image.isNull() else image


class ThumbnailLoader(QObject):
    """``loader(video_id)`` → the video's thumbnail if in memory, else None and a load begins.

    ``picture_loaded(video_id)`` says a picture asked for is now in memory.
    """

    picture_loaded = Signal(str)

    def __init__(
        self,
        store: Store,
        cache: ThumbnailCache,
        runner: TaskRunner,
        capacity: int = THUMBNAIL_LRU_ENTRIES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._cache = cache
        self._runner = runner
        self._capacity = capacity
        self._images: OrderedDict[PictureKey, QImage | None] = OrderedDict()
        # Loads under way: key -> the videos waiting for it.
        self._loading: dict[PictureKey, set[str]] = {}
        self._closed = False

    def __call__(self, video_id: str) -> QImage | None:
        key = self._key_of(video_id)
        if key is None:
            return None
        if key in self._images:
            self._images.move_to_end(key)
            return self._images[key]
        self._load(key, video_id)
        return None

    def forget(self, video_id: str) -> None:
        """The video's pictures were (re)made: read them again next time."""
        key = self._key_of(video_id)
        if key is not None and key in self._images and self._images[key] is None:
            del self._images[key]

    def close(self) -> None:
        """Stop delivering pictures (the views are going away)."""
        self._closed = True
        self._images.clear()

    def cached_count(self) -> int:
        return sum(1 for image in self._images.values() if image is not None)

    def _key_of(self, video_id: str) -> PictureKey | None:
        if not self._store.has_video(video_id):
            return None
        video = self._store.video(video_id)
        if video.sha1 is None:
            return None
        return (video.sha1, video.thumbnail_time_s)

    def _load(self, key: PictureKey, video_id: str) -> None:
        waiting = self._loading.get(key)
        if waiting is not None:
            waiting.add(video_id)
            return
        self._loading[key] = {video_id}
        source = self._store.video(video_id).source_path
        cache = self._cache
        self._runner.run(
            lambda: read_picture(cache, key, source),
            lambda data: self._loaded(key, decode_picture(data)),
            lambda exc: self._failed(key, exc),
        )

    def _loaded(self, key: PictureKey, image: QImage | None) -> None:
        waiting = self._loading.pop(key, set())
        if self._closed:
            return
        # A failure is remembered too (None), so painting does not retry it in a loop.
        self._images[key] = image
        while len(self._images) > self._capacity:
            self._images.popitem(last=False)
        if image is not None:
            for video_id in sorted(waiting):
                self.picture_loaded.emit(video_id)

    def _failed(self, key: PictureKey, exc: BaseException) -> None:
        log.warning("loading a thumbnail failed", exc_info=exc)
        self._loaded(key, None)


ThumbnailProvider = Callable[[str], QImage | None]
