"""What happens to one dropped file off the GUI thread: probe it, hash it, picture it.

The probe comes first (it only glances at the file) so an unreadable or non-video file is
refused before its content is read; then the content is read once, for its SHA-1; then the
thumbnail and the storyboard seek to a few frames. Thumbnails are content-addressed (named by
SHA-1) so a replaced file and its undo each keep their own picture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.media import (
    MediaError,
    MediaInfo,
    preflight_notes,
    probe,
    sha1_of_file,
    write_pictures,
    write_storyboard,
    write_thumbnail,
)

STORYBOARD_FRAMES = 10


class ThumbnailCache:
    """Where pictures of videos are kept: ``<root>/<sha1>.jpg`` and ``<sha1>.storyboard.jpg``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def thumbnail(self, sha1: str) -> Path:
        return self.root / f"{sha1}.jpg"

    def storyboard(self, sha1: str) -> Path:
        return self.root / f"{sha1}.storyboard.jpg"

    def has_pictures(self, sha1: str) -> bool:
        return self.thumbnail(sha1).is_file() and self.storyboard(sha1).is_file()

    def poster(self, sha1: str, time_s: float) -> Path:
        """The thumbnail of a chosen moment (poster frame): ``<sha1>.<milliseconds>.jpg``."""
        return self.root / f"{sha1}.{round(time_s * 1000)}.jpg"

    def picture_of(self, video: Video) -> Path | None:
        """The thumbnail a video shows: its chosen poster frame if that picture is there,
        else the one taken at import; None before the file is hashed."""
        if video.sha1 is None:
            return None
        if video.thumbnail_time_s is not None:
            poster = self.poster(video.sha1, video.thumbnail_time_s)
            if poster.is_file():
                return poster
        return self.thumbnail(video.sha1)


@dataclass(frozen=True, slots=True)
class IngestedFile:
    """Everything learnt about a file, ready to be stored on its video."""

    path: Path
    info: MediaInfo
    sha1: str
    mtime: float
    notes: tuple[str, ...]

    def video_fields(self) -> dict[str, Any]:
        """The video's technical fields for this file (status: ready)."""
        info = self.info
        return {
            "source_path": str(self.path),
            "size_bytes": info.size_bytes,
            "duration_s": info.duration_s,
            "width": info.width,
            "height": info.height,
            "container": info.container,
            "video_codec": info.video_codec,
            "audio_codec": info.audio_codec,
            "bitrate_bps": info.bit_rate_bps or None,
            "frame_rate": float(info.frame_rate) if info.frame_rate else None,
            "sha1": self.sha1,
            "notes": self.notes,
            "source_mtime": self.mtime,
            "status": VideoStatus.READY,
            "error": None,
        }


def ingest_file(
    path: Path,
    cache: ThumbnailCache,
    *,
    on_progress: Callable[[int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> IngestedFile:
    """Probe, hash and picture ``path``. Raises ``MediaError`` (refused, with a message for
    the instructor) or ``Cancelled``."""
    info = probe(path)
    sha1 = sha1_of_file(path, on_progress=on_progress, should_cancel=should_cancel)
    mtime = _mtime(path)
    make_pictures(path, sha1, cache)
    notes = tuple(note.message for note in preflight_notes(info))
    return IngestedFile(path, info, sha1, mtime, notes)


def make_pictures(path: Path, sha1: str, cache: ThumbnailCache) -> None:
    """Write the thumbnail and storyboard of a file unless they are already cached."""
    cache.root.mkdir(parents=True, exist_ok=True)
    thumbnail, storyboard = cache.thumbnail(sha1), cache.storyboard(sha1)
    has_thumbnail, has_storyboard = thumbnail.is_file(), storyboard.is_file()
    if not (has_thumbnail or has_storyboard):
        # One pass over the file for both (one open, each moment decoded once).
        write_pictures(path, thumbnail, storyboard, count=STORYBOARD_FRAMES)
        return
    if not has_thumbnail:
        write_thumbnail(path, thumbnail)
    if not has_storyboard:
        write_storyboard(path, storyboard, count=STORYBOARD_FRAMES)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


__all__ = ["IngestedFile", "MediaError", "ThumbnailCache", "ingest_file", "make_pictures"]
