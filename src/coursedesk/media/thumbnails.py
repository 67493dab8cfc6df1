"""Pictures of a video for the library: one thumbnail, and a storyboard strip for scrubbing.

Each picture is found by seeking to the nearest keyframe and decoding forward to the wanted
moment, so only a few frames around each moment are read, never the whole file.
"""

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

import av.error
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

from coursedesk.media.errors import CorruptVideo
from coursedesk.media.images import (
    SCALER_THREADS,
    RgbImage,
    rgb_image,
    scaled_rgb_frame,
    upright,
    write_image,
)
from coursedesk.media.opening import open_video
from coursedesk.media.streams import announced_duration_s

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

THUMBNAIL_MAX_SIZE = (320, 180)
STORYBOARD_TILE_MAX_SIZE = (160, 90)
STORYBOARD_COUNT = 10
# Where to look if the first choice is a black or nearly black picture (fades, title cards).
_FALLBACK_FRACTIONS = (0.25, 0.5)
_DARK_BRIGHTNESS = 24.0  # mean of RGB channels, out of 255
# Decoding forward from a keyframe is bounded, so a file with keyframes minutes apart costs
# at most this many frames per picture; the picture is then a little early.
_MAX_FRAMES_PER_SEEK = 300
_MAX_DECODE_ERRORS = 16


@dataclass(frozen=True, slots=True)
class Still:
    """One picture from a video and the moment (seconds from the start) it shows."""

    image: RgbImage
    at_s: float


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """A thumbnail written to ``path``."""

    path: Path
    width: int
    height: int
    at_s: float


@dataclass(frozen=True, slots=True)
class Storyboard:
    """Evenly spaced pictures of a video side by side in one horizontal strip.

    Tile ``i`` occupies x from ``i * tile_width`` to ``(i + 1) * tile_width`` and shows the
    moment ``times_s[i]``. ``path`` is ``None`` until the strip is written to a file.
    """

    image: RgbImage
    tile_width: int
    tile_height: int
    times_s: tuple[float, ...]
    path: Path | None = None

    @property
    def count(self) -> int:
        """How many tiles the strip holds."""
        return len(self.times_s)


def grab_thumbnail(
    path: Path, *, at_fraction: float = 0.1, max_size: tuple[int, int] = THUMBNAIL_MAX_SIZE
) -> Still:
    """A representative picture of the video, fitted inside ``max_size`` (keeping its shape).

    Taken at ``at_fraction`` of the length (10 % by default, past the black opening frame);
    if that picture is nearly black, a later moment is tried.  Raises a
    :class:`~coursedesk.media.errors.MediaError` when no picture can be had.
    """
    with _opened_video(path) as seeker:
        choice = _ThumbnailChoice(at_fraction, max_size)
        _visit(seeker, choice, None)
        return choice.result(path)


def write_thumbnail(
    path: Path,
    out_path: Path,
    *,
    at_fraction: float = 0.1,
    max_size: tuple[int, int] = THUMBNAIL_MAX_SIZE,
) -> Thumbnail:
    """Save :func:`grab_thumbnail`'s picture to ``out_path`` (JPEG or PNG by suffix).

    Raises ``OSError`` if ``out_path`` cannot be written: that is the caller's folder, not
    the instructor's video.
    """
    still = grab_thumbnail(path, at_fraction=at_fraction, max_size=max_size)
    write_image(still.image, out_path)
    return Thumbnail(out_path, still.image.width, still.image.height, still.at_s)


def grab_storyboard(
    path: Path,
    *,
    count: int = STORYBOARD_COUNT,
    tile_max_size: tuple[int, int] = STORYBOARD_TILE_MAX_SIZE,
) -> Storyboard:
    """``count`` pictures spread evenly over the video (at the middle of each of ``count``
    equal parts), as one strip of equal tiles."""
    if count < 1:
        raise ValueError("a storyboard needs at least one picture")
    with _opened_video(path) as seeker:
        strip = _Strip(count, tile_max_size)
        _visit(seeker, None, strip)
        return strip.result(path)


def write_storyboard(
    path: Path,
    out_path: Path,
    *,
    count: int = STORYBOARD_COUNT,
    tile_max_size: tuple[int, int] = STORYBOARD_TILE_MAX_SIZE,
) -> Storyboard:
    """Save :func:`grab_storyboard`'s strip to ``out_path`` (JPEG or PNG by suffix).

    Raises ``OSError`` if ``out_path`` cannot be written: that is the caller's folder, not
    the instructor's video.
    """
    board = grab_storyboard(path, count=count, tile_max_size=tile_max_size)
    write_image(board.image, out_path)
    return dataclasses.replace(board, path=out_path)


def write_pictures(
    path: Path,
    thumbnail_path: Path,
    storyboard_path: Path,
    *,
    count: int = STORYBOARD_COUNT,
) -> tuple[Thumbnail, Storyboard]:
    """:func:`write_thumbnail` and :func:`write_storyboard` (default sizes) in one pass: the
    file is opened once and the frames on the way to one picture serve the next, so each
    moment is decoded once. The pictures are the same as the two functions make."""
    if count < 1:
        raise ValueError("a storyboard needs at least one picture")
    with _opened_video(path) as seeker:
        choice = _ThumbnailChoice(0.1, THUMBNAIL_MAX_SIZE)
        strip = _Strip(count, STORYBOARD_TILE_MAX_SIZE)
        _visit(seeker, choice, strip)
        still, board = choice.result(path), strip.result(path)
    write_image(still.image, thumbnail_path)
    write_image(board.image, storyboard_path)
    thumbnail = Thumbnail(thumbnail_path, still.image.width, still.image.height, still.at_s)
    return thumbnail, dataclasses.replace(board, path=storyboard_path)


class _ThumbnailChoice:
    """The thumbnail's candidates, in order, until one is bright enough."""

    def __init__(self, at_fraction: float, max_size: tuple[int, int]) -> None:
        self.fractions = (at_fraction, *(f for f in _FALLBACK_FRACTIONS if f > at_fraction))
        self._max_size = max_size
        self._best: Still | None = None
        self.done = False

    def consider(self, seeker: "_Seeker", frame: VideoFrame) -> None:
        still = Still(
            rgb_image(scaled_rgb_frame(frame, *self._max_size, seeker.pixel_aspect)),
            seeker.seconds(frame),
        )
        brightness = still.image.mean_brightness()
        if brightness >= _DARK_BRIGHTNESS:
            self._best, self.done = still, True
        elif self._best is None or brightness > self._best.image.mean_brightness():
            self._best = still

    def result(self, path: Path) -> Still:
        if self._best is None:
            raise CorruptVideo(path)
        return self._best


class _Strip:
    """The storyboard's tiles as they are found (None where the video gave no picture)."""

    def __init__(self, count: int, tile_max_size: tuple[int, int]) -> None:
        self.count = count
        self._tile_max_size = tile_max_size
        self._tiles: list[RgbImage | None] = []
        self._times: list[float | None] = []
        self._size: tuple[int, int] | None = None

    def add(self, seeker: "_Seeker", frame: VideoFrame | None) -> None:
        if frame is None:
            self._tiles.append(None)
            self._times.append(None)
            return
        if self._size is None:
            scaled = scaled_rgb_frame(frame, *self._tile_max_size, seeker.pixel_aspect)
            self._size = scaled.width, scaled.height
        else:
            # Every tile the same size, even if the video changes resolution midway.
            scaled = upright(frame).reformat(
                *self._size, format="rgb24", interpolation="AREA", threads=SCALER_THREADS
            )
        self._tiles.append(rgb_image(scaled))
        self._times.append(seeker.seconds(frame))

    def result(self, path: Path) -> Storyboard:
        if self._size is None:
            raise CorruptVideo(path)
        tiles, times = _fill_gaps(self._tiles), _fill_gaps(self._times)
        return Storyboard(_side_by_side(tiles, *self._size), *self._size, tuple(times))


def _visit(seeker: "_Seeker", choice: _ThumbnailChoice | None, strip: _Strip | None) -> None:
    """Find the frames the thumbnail and the strip want, in the order they are shown, each
    moment once (a moment both want is decoded once and given to both)."""
    duration_s = seeker.duration_s
    # Moment (seconds) → (wanted by the thumbnail, tile index or None).
    moments: dict[float, tuple[bool, int | None]] = {}
    if strip is not None:
        for index in range(strip.count):
            moments[duration_s * (index + 0.5) / strip.count] = (False, index)
    if choice is not None:
        for fraction in choice.fractions:
            at_s = duration_s * fraction
            moments[at_s] = (True, moments.get(at_s, (False, None))[1])
    for at_s in sorted(moments):
        for_thumbnail, tile = moments[at_s]
        wanted_by_thumbnail = for_thumbnail and choice is not None and not choice.done
        if not wanted_by_thumbnail and tile is None:
            continue
        frame = seeker.frame_at(at_s)
        if wanted_by_thumbnail and choice is not None and frame is not None:
            choice.consider(seeker, frame)
        if tile is not None and strip is not None:
            strip.add(seeker, frame)


def _fill_gaps(items: list[_T | None]) -> list[_T]:
    """Replace each missing picture (past a damaged or early end) by its nearest neighbour."""
    known = [item for item in items if item is not None]
    filled: list[_T] = []
    for item in items:
        if item is not None:
            filled.append(item)
        else:
            filled.append(filled[-1] if filled else known[0])
    return filled


def _side_by_side(tiles: list[RgbImage], width: int, height: int) -> RgbImage:
    row_bytes = width * 3
    rows = (
        b"".join(tile.data[y * row_bytes : (y + 1) * row_bytes] for tile in tiles)
        for y in range(height)
    )
    return RgbImage(width * len(tiles), height, b"".join(rows))


class _Seeker:
    """Finds the frame shown at a given moment, reusing decoding already done when it can."""

    def __init__(self, path: Path, container: InputContainer, video: VideoStream) -> None:
        self._path = path
        self._container = container
        self._video = video
        self._time_base: Fraction = video.time_base or Fraction(1, 90_000)
        self._start_pts = video.start_time or 0
        self.duration_s = announced_duration_s(path, container, video)
        self.pixel_aspect = video.sample_aspect_ratio
        self._frames: Iterator[VideoFrame] | None = None
        self._last: VideoFrame | None = None

    def seconds(self, frame: VideoFrame) -> float:
        """When ``frame`` is shown, in seconds from the start of the video."""
        if frame.pts is None:
            return 0.0
        return max(0.0, float((frame.pts - self._start_pts) * self._time_base))

    def frame_at(self, at_s: float) -> VideoFrame | None:
        """The first frame shown at or after ``at_s``; the last one if the video ends first."""
        target = self._start_pts + int(at_s / self._time_base)
        if self._must_seek(target):
            self._seek(target)
        frames = self._frames if self._frames is not None else self._decode()
        self._frames = frames
        found: VideoFrame | None = None
        for decoded, frame in enumerate(frames, start=1):
            if frame.pts is None:
                continue
            found = self._last = frame
            if frame.pts >= target or decoded >= _MAX_FRAMES_PER_SEEK:
                return found
        return found or self._last

    def _must_seek(self, target: int) -> bool:
        if self._last is None or self._last.pts is None:
            return target > self._start_pts
        if target <= self._last.pts:
            return True
        index = self._video.index_entries
        if len(index):
            at = index.search_timestamp(target, backward=True)
            # Seeking helps only if it skips ahead of where decoding already is.
            return at >= 0 and index[at].timestamp > self._last.pts
        return float((target - self._last.pts) * self._time_base) > 2.0

    def _seek(self, target: int) -> None:
        try:
            self._container.seek(target, stream=self._video, backward=True)
        except av.error.FFmpegError as error:
            # Not every file can seek; decoding on from where we are still gives a picture.
            logger.debug("cannot seek in %s: %s", self._path, error)
            return
        self._frames = None
        self._last = None

    def _decode(self) -> Iterator[VideoFrame]:
        """Decoded frames from the current position; damaged packets are skipped, as players do."""
        errors = 0
        try:
            for packet in self._container.demux(self._video):
                try:
                    yield from self._video.decode(packet)
                except av.error.InvalidDataError as error:
                    errors += 1
                    logger.debug("undecodable packet in %s: %s", self._path, error)
                    if errors >= _MAX_DECODE_ERRORS:
                        # Damaged through and through from here: treat it as the end, and
                        # let the caller use the pictures it already has.
                        logger.info("giving up decoding %s at a damaged stretch", self._path)
                        return
        except av.error.InvalidDataError as error:
            logger.info("damaged container data in %s: %s", self._path, error)


@contextmanager
def _opened_video(path: Path) -> Iterator[_Seeker]:
    """Open ``path`` and yield a :class:`_Seeker` on its main video stream."""
    with open_video(path) as (container, video):
        yield _Seeker(path, container, video)
