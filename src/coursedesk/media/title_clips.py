"""Short clips made from a still picture, as the sample course's lessons are.

The picture (a title card) stays on screen for the clip's length while a thin line grows
along its bottom edge, so the clip visibly plays and its thumbnails and storyboard differ
from moment to moment; a soft two-note chime opens its sound track. H.264 when this FFmpeg
can write it, else MPEG-4 Part 2, which every FFmpeg build carries; AAC sound.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import av.error
from av.audio.stream import AudioStream
from av.container import OutputContainer
from av.video.stream import VideoStream

from coursedesk.media.errors import Cancelled
from coursedesk.media.images import RgbImage

# The first of these this FFmpeg can encode with is used.
VIDEO_ENCODERS = ("libx264", "mpeg4")
_ENCODER_OPTIONS: dict[str, dict[str, str]] = {
    "libx264": {"preset": "veryfast", "crf": "23"},
    "mpeg4": {"qscale": "3"},
}
PROGRESS_LINE_PX = 6
AUDIO_ENCODER = "aac"
AUDIO_RATE_HZ = 48_000
# The chime: (frequency, start, length in seconds), each note fading out.
_CHIME_NOTES = ((660.0, 0.0, 0.5), (880.0, 0.16, 0.6))
_CHIME_LEVEL = 0.12


class CannotEncode(Exception):
    """This FFmpeg build has none of the encoders the clips need."""


def video_encoder() -> str:
    """The name of the encoder clips are written with."""
    for name in VIDEO_ENCODERS:
        try:
            av.Codec(name, "w")
        except (av.error.FFmpegError, ValueError):
            continue
        return name
    raise CannotEncode(
        "The video library CourseDesk uses can't write videos on this computer "
        f"(it has none of: {', '.join(VIDEO_ENCODERS)})."
    )


def write_title_clip(
    path: Path,
    card: RgbImage,
    *,
    seconds: float,
    fps: int = 25,
    line_rgb: tuple[int, int, int] = (255, 255, 255),
    is_cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write an MP4 of ``card`` lasting ``seconds`` with a progress line along its bottom.

    ``card`` must have even sides (the encoders subsample colour by two). Raises
    :class:`~coursedesk.media.errors.Cancelled` when ``is_cancelled`` says so (the
    unfinished file is left for the caller to remove) and :class:`CannotEncode` when no
    encoder is available.
    """
    width, height = card.width, card.height
    if width % 2 or height % 2 or len(card.data) != width * height * 3:
        raise ValueError(f"a {width}x{height} card needs even sides and packed RGB rows")
    encoder = video_encoder()
    frame_count = max(1, round(seconds * fps))
    picture = bytearray(card.data)
    line = bytes(line_rgb) * width
    row_bytes = width * 3
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream(encoder, rate=fps, options=_ENCODER_OPTIONS[encoder])
        assert isinstance(stream, VideoStream)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        # A keyframe every second keeps seeking (thumbnails, scrubbing) cheap.
        stream.codec_context.gop_size = fps
        sound = _SoundTrack.add(container, frame_count / fps)
        for index in range(frame_count):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            filled = (width * (index + 1)) // frame_count
            for row in range(height - PROGRESS_LINE_PX, height):
                start = row * row_bytes
                picture[start : start + filled * 3] = line[: filled * 3]
            frame = _rgb_frame(picture, width, height)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            container.mux(stream.encode(frame.reformat(format="yuv420p")))
            if sound is not None:
                sound.write_until((index + 1) / fps)
        container.mux(stream.encode(None))
        if sound is not None:
            sound.finish()
    return path


def chime_samples(seconds: float, rate_hz: int = AUDIO_RATE_HZ) -> array[float]:
    """``seconds`` of mono sound: the chime, then silence."""
    samples = array("f", bytes(4 * max(1, round(seconds * rate_hz))))
    for frequency, start_s, length_s in _CHIME_NOTES:
        first = round(start_s * rate_hz)
        count = min(round(length_s * rate_hz), len(samples) - first)
        for i in range(max(0, count)):
            t = i / rate_hz
            fade = math.exp(-6.0 * t / length_s)
            samples[first + i] += _CHIME_LEVEL * fade * math.sin(2 * math.pi * frequency * t)
    return samples


class _SoundTrack:
    """Feeds the chime to an AAC stream in the encoder's own frame size."""

    def __init__(self, container: OutputContainer, stream: AudioStream, seconds: float) -> None:
        self._container = container
        self._stream = stream
        self._frame_size = stream.codec_context.frame_size or 1024
        # Whole frames: the last one is padded with silence.
        samples = chime_samples(seconds)
        frames = math.ceil(len(samples) / self._frame_size)
        samples.extend([0.0] * (frames * self._frame_size - len(samples)))
        self._samples = samples
        self._written = 0

    @classmethod
    def add(cls, container: OutputContainer, seconds: float) -> _SoundTrack | None:
        """A sound track for ``container``; None when this FFmpeg has no AAC encoder."""
        try:
            stream = container.add_stream(AUDIO_ENCODER, rate=AUDIO_RATE_HZ)
        except (av.error.FFmpegError, ValueError):
            return None
        assert isinstance(stream, AudioStream)
        stream.layout = "mono"
        stream.format = "fltp"
        return cls(container, stream, seconds)

    def write_until(self, seconds: float) -> None:
        target = min(len(self._samples), math.ceil(seconds * AUDIO_RATE_HZ))
        while self._written < target:
            size = self._frame_size
            frame = av.AudioFrame(format="fltp", layout="mono", samples=size)
            frame.sample_rate = AUDIO_RATE_HZ
            frame.pts = self._written
            frame.time_base = Fraction(1, AUDIO_RATE_HZ)
            chunk = self._samples[self._written : self._written + size]
            frame.planes[0].update(chunk.tobytes().ljust(frame.planes[0].buffer_size, b"\0"))
            self._container.mux(self._stream.encode(frame))
            self._written += size

    def finish(self) -> None:
        self.write_until(len(self._samples) / AUDIO_RATE_HZ)
        self._container.mux(self._stream.encode(None))


def _rgb_frame(data: bytes | bytearray, width: int, height: int) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "rgb24")
    plane = frame.planes[0]
    row_bytes = width * 3
    if plane.line_size == row_bytes:
        plane.update(bytes(data))
        return frame
    # FFmpeg pads rows to its alignment; copy row by row into the padded layout.
    padded = bytearray(plane.buffer_size)
    for row in range(height):
        source = row * row_bytes
        target = row * plane.line_size
        padded[target : target + row_bytes] = data[source : source + row_bytes]
    plane.update(bytes(padded))
    return frame
