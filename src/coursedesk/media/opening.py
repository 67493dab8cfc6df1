"""Open a file for demuxing, turning every way that can fail into a typed :class:`MediaError`.

Checks run cheapest first (stat, the first bytes) so the common bad inputs — a missing file,
an empty one, a folder, a PDF — are told apart precisely before FFmpeg is involved.
"""

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import av.error
from av.container import InputContainer
from av.video.stream import VideoStream

from coursedesk.media.errors import (
    AudioOnly,
    CorruptVideo,
    EmptyFile,
    FileUnreadable,
    FileVanished,
    MediaError,
    NotAVideo,
    UnsupportedVideo,
)
from coursedesk.media.streams import main_video_stream

logger = logging.getLogger(__name__)

_HEAD_BYTES = 16
DECODER_THREADS = 1
# Demuxers FFmpeg uses for still pictures and text; they expose a "video" stream of one frame.
_PICTURE_FORMATS = frozenset({"image2", "gif", "apng", "tty", "webp", "ico"})
# Suffixes instructors' cameras and editors produce; a file named like this that FFmpeg cannot
# open is a damaged video rather than some other kind of file.  Not ".ts": far more of those
# are TypeScript sources than MPEG transport streams.
VIDEO_SUFFIXES = frozenset(
    {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".wmv", ".asf", ".flv", ".mpg", ".mpeg"}
    | {".m2ts", ".mts", ".3gp", ".ogv", ".mxf", ".dv"}
)
_MP4_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")  # MP4 / QuickTime
_VIDEO_MAGIC = (
    b"\x1a\x45\xdf\xa3",  # Matroska / WebM
    b"FLV",
    b"\x00\x00\x01\xba",  # MPEG program stream (DVD, camcorders)
    b"\x30\x26\xb2\x75\x8e\x66\xcf\x11",  # ASF / WMV
)


def io_error(path: Path, error: OSError) -> MediaError:
    """The instructor-facing error for an operating-system failure while reading ``path``."""
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return FileVanished(path)
    if isinstance(error, IsADirectoryError):
        return NotAVideo(path, "'{name}' is a folder, not a video file.")
    if isinstance(error, PermissionError):
        return FileUnreadable(path)
    return FileUnreadable(
        path,
        "'{name}' could not be read because of a disk or network error. "
        "If it is on an external drive or a network share, check the connection and try again.",
    )


def check_regular_file(path: Path) -> os.stat_result:
    """Stat ``path``; raise if it is missing, unreadable, not a plain file, or empty."""
    try:
        info = path.stat()
    except OSError as error:
        logger.info("cannot stat %s: %s", path, error)
        raise io_error(path, error) from error
    if stat.S_ISDIR(info.st_mode):
        raise NotAVideo(path, "'{name}' is a folder, not a video file.")
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices would block or never end; no camera writes one.
        raise NotAVideo(path)
    if info.st_size == 0:
        raise EmptyFile(path)
    return info


def read_head(path: Path) -> bytes:
    """The first bytes of ``path``: proves it can be opened and identifies the container."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            return os.read(fd, _HEAD_BYTES)
        finally:
            os.close(fd)
    except OSError as error:
        logger.info("cannot read %s: %s", path, error)
        raise io_error(path, error) from error


def looks_like_video(path: Path, head: bytes) -> bool:
    """Whether the name or the first bytes say "video container" (for damaged-vs-foreign)."""
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return True
    return (
        head[4:8] in _MP4_BOXES
        or head.startswith(_VIDEO_MAGIC)
        or (head.startswith(b"RIFF") and head[8:12] == b"AVI ")
    )


@contextmanager
def open_video(path: Path) -> Iterator[tuple[InputContainer, VideoStream]]:
    """Open ``path`` and find its picture; close the file on exit.

    Raises :class:`FileVanished`, :class:`FileUnreadable`, :class:`EmptyFile`,
    :class:`NotAVideo`, :class:`AudioOnly`, :class:`UnsupportedVideo` or
    :class:`CorruptVideo`.  FFmpeg errors raised inside the ``with`` block are translated
    the same way.
    """
    check_regular_file(path)
    head = read_head(path)
    try:
        # Tags are free text that old cameras and damaged files fill with non-UTF-8 bytes;
        # a garbled title must not stop a video from importing.
        container = av.open(str(path), "r", metadata_errors="replace")
    except av.error.FFmpegError as error:
        raise refusal(path, error, head, opening=True) from error
    try:
        yield container, _require_video_stream(path, container, head)
    except av.error.FFmpegError as error:
        raise refusal(path, error, head) from error
    finally:
        container.close()


def refusal(
    path: Path, error: av.error.FFmpegError, head: bytes, *, opening: bool = False
) -> MediaError:
    """Translate an FFmpeg failure on ``path`` into the error an instructor should see.

    Our own stat and read of the file succeeded just before, so FFmpeg's failures are about
    the content: its demuxers even report malformed data as EIO.  Only a file deleted or
    locked in the meantime is reported as such.
    """
    logger.info("FFmpeg refused %s: %s", path, error)
    if isinstance(error, FileNotFoundError):
        return FileVanished(path)
    if opening and isinstance(error, PermissionError):
        return FileUnreadable(path)
    if looks_like_video(path, head):
        return CorruptVideo(path)
    return NotAVideo(path)


def _require_video_stream(path: Path, container: InputContainer, head: bytes) -> VideoStream:
    """The picture of the video in ``container``, or the reason there is none."""
    format_names = container.format.name.split(",")
    video = main_video_stream(container)
    is_picture = _PICTURE_FORMATS.intersection(format_names) or format_names[0].endswith("_pipe")
    if video is None or is_picture:
        if container.streams.audio:
            raise AudioOnly(path)
        if video is None and looks_like_video(path, head):
            # A video container with neither picture nor sound: its header is damaged.
            raise CorruptVideo(path)
        raise NotAVideo(path)
    if video.codec_context is None or video.width <= 0 or video.height <= 0:
        # FFmpeg recognises the container but has no decoder for this picture format.
        raise UnsupportedVideo(path)
    # We decode a handful of frames per file on a worker pool that already runs files side
    # by side; the decoder's own thread pool would cost more to start than it saves.
    video.codec_context.thread_count = DECODER_THREADS
    return video
