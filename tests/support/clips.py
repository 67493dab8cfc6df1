"""Generate small media files at test time, so tests never depend on checked-in binaries.

Every clip has the same recognisable picture so tests can tell *which* moment a thumbnail
shows without decoding it back to a timestamp:

* frame 0 is pure black (as many real recordings start);
* every later frame has a background whose brightness rises steadily with time, a horizontal
  colour gradient and a bright bar that moves left to right.

So "mean brightness of a picture" is a clock: a frame taken later is brighter, and any frame
but the first is clearly not black.  Numbers below are 8-bit limited-range luma (16 = black).
"""

import math
import os
import shutil
from array import array
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
from av.audio.stream import AudioStream
from av.container import OutputContainer
from av.video.stream import VideoStream

BLACK_LUMA = 16
FIRST_LUMA = 60
LAST_LUMA = 200
AUDIO_RATE_HZ = 48_000

# Container format and default codecs per suffix.  VP9/Opus are built into the PyAV wheels.
_CONTAINERS: dict[str, tuple[str, str, str]] = {
    ".mp4": ("mp4", "libx264", "aac"),
    ".mov": ("mov", "libx264", "aac"),
    ".mkv": ("matroska", "libx264", "aac"),
    ".webm": ("webm", "libvpx-vp9", "libopus"),
    ".avi": ("avi", "mpeg4", "libmp3lame"),
}
_AUDIO_CONTAINERS: dict[str, tuple[str, str]] = {
    ".m4a": ("ipod", "aac"),
    ".mp3": ("mp3", "libmp3lame"),
    ".ogg": ("ogg", "libopus"),
}
# Fast settings: a 2 s 320x240 clip with sound encodes in about a tenth of a second.
_FAST_OPTIONS: dict[str, dict[str, str]] = {
    "libx264": {"preset": "veryfast"},
    "libvpx-vp9": {"deadline": "realtime", "cpu-used": "8"},
}


def background_luma(frame_index: int, frame_count: int) -> int:
    """The background brightness the generator paints on frame ``frame_index``."""
    if frame_index == 0:
        return BLACK_LUMA
    progress = frame_index / max(1, frame_count - 1)
    return round(FIRST_LUMA + (LAST_LUMA - FIRST_LUMA) * progress)


def make_clip(
    path: Path,
    *,
    seconds: float = 2.0,
    width: int = 320,
    height: int = 240,
    fps: int = 25,
    codec: str | None = None,
    audio: bool = True,
    audio_codec: str | None = None,
    keyframe_interval: int | None = None,
    noise: bool = False,
    rotation_deg: int = 0,
    faststart: bool = False,
    black_until_s: float = 0.0,
    unfinished: bool = False,
) -> Path:
    """Write a clip of ``seconds`` at ``fps``; the container and default codecs follow the suffix.

    ``noise`` fills the picture with random pixels, which no encoder can compress: a cheap way
    to get a big file or a very high bitrate.  ``keyframe_interval`` (frames) lets seeking
    tests have a realistic GOP; ``rotation_deg`` stores a phone-style display rotation;
    ``faststart`` puts the MP4 index first, as web exports do; ``black_until_s`` makes every
    frame before that moment black (a fade-in), not only the first; ``unfinished`` (.mkv)
    writes the file as a recorder streams it, never going back to note its length and index,
    which is what a recording looks like after the recorder crashed.
    """
    container_format, default_video, default_audio = _CONTAINERS[path.suffix.lower()]
    frame_count = max(1, round(seconds * fps))
    options = {"movflags": "+faststart"} if faststart else {}
    if unfinished:
        options["live"] = "1"
    with av.open(str(path), "w", format=container_format, options=options) as container:
        video = _add_video_stream(
            container, codec or default_video, width, height, Fraction(fps), keyframe_interval
        )
        if rotation_deg:
            video.set_display_rotation(rotation_deg)
        sound = _add_audio_stream(container, audio_codec or default_audio) if audio else None
        samples = _AudioWriter(container, sound) if sound else None
        for index in range(frame_count):
            black = index / fps < black_until_s
            frame = _picture(width, height, 0 if black else index, frame_count, noise=noise)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            container.mux(video.encode(frame))
            if samples:
                samples.write_until((index + 1) / fps)
        container.mux(video.encode(None))
        if samples:
            samples.finish()
    return path


def make_vfr_clip(
    path: Path,
    *,
    frame_durations_ms: Sequence[int] = (20, 20, 20, 20, 100, 100) * 8,
    width: int = 320,
    height: int = 240,
    audio: bool = True,
) -> Path:
    """Write a variable-frame-rate clip (like a screen recording): each frame lasts as given.

    The default alternates bursts of 50 fps with stretches of 10 fps.
    """
    container_format, default_video, default_audio = _CONTAINERS[path.suffix.lower()]
    millis = Fraction(1, 1000)
    with av.open(str(path), "w", format=container_format) as container:
        video = _add_video_stream(container, default_video, width, height, Fraction(25), None)
        video.codec_context.time_base = millis
        video.time_base = millis
        sound = _add_audio_stream(container, default_audio) if audio else None
        samples = _AudioWriter(container, sound) if sound else None
        pts_ms = 0
        for index, duration_ms in enumerate(frame_durations_ms):
            frame = _picture(width, height, index, len(frame_durations_ms), noise=False)
            frame.pts = pts_ms
            frame.time_base = millis
            container.mux(video.encode(frame))
            pts_ms += duration_ms
            if samples:
                samples.write_until(pts_ms / 1000)
        container.mux(video.encode(None))
        if samples:
            samples.finish()
    return path


def make_audio_only(path: Path, *, seconds: float = 2.0) -> Path:
    """Write a sound file with no picture (.m4a, .mp3 or .ogg)."""
    container_format, codec = _AUDIO_CONTAINERS[path.suffix.lower()]
    with av.open(str(path), "w", format=container_format) as container:
        writer = _AudioWriter(container, _add_audio_stream(container, codec))
        writer.write_until(seconds)
        writer.finish()
    return path


def make_truncated(source: Path, path: Path, *, keep_fraction: float = 0.5) -> Path:
    """Copy the first ``keep_fraction`` of ``source``, like an interrupted copy or download."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep_fraction)])
    return path


def make_damaged_middle(source: Path, path: Path, *, seed: int = 1) -> Path:
    """Copy ``source`` with its middle third overwritten by garbage, like a bad disk sector."""
    shutil.copyfile(source, path)
    size = path.stat().st_size
    start, stop = size // 3, 2 * size // 3
    garbage = pseudo_random_bytes(stop - start, seed)
    with path.open("r+b") as file:
        file.seek(start)
        file.write(garbage)
    return path


def make_empty(path: Path) -> Path:
    """Create a zero-byte file."""
    path.write_bytes(b"")
    return path


def make_not_a_video(path: Path) -> Path:
    """Write a small document that no demuxer recognises as media (a minimal PDF)."""
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n" * 4
    )
    return path


def make_sparse_file(path: Path, size_bytes: int) -> Path:
    """Create a file of ``size_bytes`` zeros that takes no disk space (a sparse file)."""
    with path.open("wb") as file:
        file.truncate(size_bytes)
    return path


def _add_video_stream(
    container: OutputContainer,
    codec: str,
    width: int,
    height: int,
    rate: Fraction,
    keyframe_interval: int | None,
) -> VideoStream:
    stream = container.add_stream(codec, rate=rate)
    assert isinstance(stream, VideoStream)
    stream.width = width
    stream.height = height
    stream.pix_fmt = "yuv420p"
    options: dict[str, object] = dict(_FAST_OPTIONS.get(codec, {}))
    if keyframe_interval:
        stream.gop_size = keyframe_interval
        if codec == "libx264":
            # x264 otherwise adds extra keyframes at scene cuts, and our black first frame
            # followed by a bright one is exactly such a cut.
            options["x264-params"] = f"keyint={keyframe_interval}:min-keyint={keyframe_interval}"
    stream.options = options
    return stream


def _add_audio_stream(container: OutputContainer, codec: str) -> AudioStream:
    stream = container.add_stream(codec, rate=AUDIO_RATE_HZ)
    assert isinstance(stream, AudioStream)
    stream.layout = "stereo"
    return stream


def _picture(width: int, height: int, index: int, count: int, *, noise: bool) -> av.VideoFrame:
    """One frame of the test pattern (see the module docstring), built without numpy."""
    frame = av.VideoFrame(width, height, "yuv420p")
    luma_plane, blue_plane, red_plane = frame.planes
    if noise:
        luma_plane.update(os.urandom(luma_plane.buffer_size))
        blue_plane.update(os.urandom(blue_plane.buffer_size))
        red_plane.update(os.urandom(red_plane.buffer_size))
        return frame
    luma = background_luma(index, count)
    row = bytearray([luma]) * luma_plane.line_size
    if index:
        bar_width = max(2, width // 16)
        bar_left = (index * (width - bar_width)) // max(1, count - 1)
        row[bar_left : bar_left + bar_width] = bytes([235]) * bar_width
    luma_plane.update(bytes(row) * luma_plane.height)
    for plane, (left, right) in ((blue_plane, (90, 170)), (red_plane, (170, 90))):
        if index:
            chroma = bytearray(
                left + (right - left) * x // max(1, plane.width - 1) for x in range(plane.width)
            )
            chroma += bytes([128]) * (plane.line_size - plane.width)
        else:
            chroma = bytearray([128]) * plane.line_size
        plane.update(bytes(chroma) * plane.height)
    return frame


class _AudioWriter:
    """Feeds a 480 Hz tone to an audio stream in the encoder's own frame size and format."""

    _PERIOD = 100  # samples per period at 48 kHz: 480 Hz

    def __init__(self, container: OutputContainer, stream: AudioStream) -> None:
        self._container = container
        self._stream = stream
        self._frame_size = stream.codec_context.frame_size or 1024
        self._format = stream.format.name
        self._planar = self._format.endswith("p")
        self._channels = 1 if self._planar else 2
        self._sample_bytes = stream.format.bytes * self._channels
        # Enough whole periods to cut any frame out of, starting at any phase.
        periods = self._frame_size // self._PERIOD + 2
        self._tone = _tone_period(self._format, self._PERIOD, self._channels) * periods
        self._written = 0

    def write_until(self, seconds: float) -> None:
        """Encode whole audio frames up to ``seconds`` of sound."""
        target = int(seconds * AUDIO_RATE_HZ)
        while self._written + self._frame_size <= target:
            frame = av.AudioFrame(format=self._format, layout="stereo", samples=self._frame_size)
            frame.sample_rate = AUDIO_RATE_HZ
            frame.pts = self._written
            frame.time_base = Fraction(1, AUDIO_RATE_HZ)
            start = (self._written % self._PERIOD) * self._sample_bytes
            data = self._tone[start : start + self._frame_size * self._sample_bytes]
            for plane in frame.planes:
                plane.update(data)
            self._container.mux(self._stream.encode(frame))
            self._written += self._frame_size

    def finish(self) -> None:
        """Flush the encoder's delayed packets."""
        self._container.mux(self._stream.encode(None))


def _tone_period(sample_format: str, period: int, channels: int) -> bytes:
    """One period of a quiet sine wave in ``sample_format``, ``channels`` interleaved."""
    wave = [0.2 * math.sin(2 * math.pi * i / period) for i in range(period)]
    samples: array[float] | array[int]
    if sample_format.startswith("flt"):
        samples = array("f", wave)
    elif sample_format.startswith("s16"):
        samples = array("h", (int(v * 32_767) for v in wave))
    elif sample_format.startswith("s32"):
        samples = array("i", (int(v * 2_147_483_647) for v in wave))
    else:
        raise ValueError(f"no test tone for sample format {sample_format}")
    return array(samples.typecode, (v for v in samples for _ in range(channels))).tobytes()


def pseudo_random_bytes(count: int, seed: int) -> bytes:
    """Deterministic garbage, so a failing damaged-file test can be reproduced."""
    state = seed or 1
    out = bytearray(count)
    for i in range(count):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out[i] = state >> 16 & 0xFF
    return bytes(out)


def read_picture(path: Path) -> tuple[int, int, bytes]:
    """The first picture in a file (a JPEG, a PNG or a video's first frame), decoded to
    ``(width, height, packed RGB bytes)``."""
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0)).reformat(format="rgb24")
    plane = frame.planes[0]
    row_bytes = frame.width * 3
    view = memoryview(plane)
    data = b"".join(
        view[row * plane.line_size : row * plane.line_size + row_bytes]
        for row in range(frame.height)
    )
    return frame.width, frame.height, data


def bytes_read_by_this_process() -> int | None:
    """Bytes this process has read through system calls so far (Linux), else ``None``.

    Counts reads served from the page cache too, which is what "reads only part of the file"
    needs; disk statistics would hide cached reads.
    """
    try:
        with Path("/proc/self/io").open() as stats:
            for line in stats:
                if line.startswith("rchar:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None
