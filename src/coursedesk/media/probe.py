"""What a video file is: container, length, picture size, codecs, rates — read from its headers.

Probing reads the container's headers, the first couple of seconds of packets and the last
second of packets, never the whole file: the one full read of a large file is the hash's.
"""

import itertools
import logging
import statistics
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av.error
from av.container import InputContainer
from av.video.stream import VideoStream

from coursedesk.media.errors import CorruptVideo
from coursedesk.media.opening import open_video
from coursedesk.media.streams import announced_duration_s, codec_name, stream_bit_rate

logger = logging.getLogger(__name__)

_HEAD_PACKETS = 60  # about two seconds: enough to see a variable frame rate
_HEAD_BYTES_BUDGET = 4 * 1024 * 1024  # but no more than this, for 4K footage
_HEAD_DECODE_ERRORS = 8
_TAIL_WINDOW_S = 1.5
# How much shorter than announced the data may end before the file counts as truncated;
# containers round their durations, so a little slack is normal.
_TRUNCATION_SLACK_S = 0.5
_TRUNCATION_SLACK_FRACTION = 0.02
_INDEX_SAMPLES = 400  # frame-duration samples taken from a per-frame index (MP4, MOV)


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """Facts about one video file, as an instructor would see them in a player.

    ``width`` and ``height`` are the picture as displayed: a phone video recorded sideways
    with a rotation flag reports its upright size, and ``rotation_deg`` says how it was stored.
    """

    path: Path
    size_bytes: int
    container: str
    duration_s: float
    width: int
    height: int
    rotation_deg: int
    video_codec: str
    audio_codec: str | None
    bit_rate_bps: int | None
    video_bit_rate_bps: int | None
    frame_rate: Fraction | None
    variable_frame_rate: bool

    @property
    def has_audio(self) -> bool:
        """Whether the file has a sound track."""
        return self.audio_codec is not None


def probe(path: Path) -> MediaInfo:
    """Read the facts about the video at ``path``.

    Raises a :class:`~coursedesk.media.errors.MediaError` subclass for anything that is not a
    usable video: missing, unreadable, empty, not media, sound only, damaged or truncated.
    """
    with open_video(path) as (container, video):
        return _probe_open(path, container, video)


def _probe_open(path: Path, container: InputContainer, video: VideoStream) -> MediaInfo:
    format_names = container.format.name.split(",")
    audio = next(iter(container.streams.audio), None)
    duration_s = announced_duration_s(path, container, video)
    index_deltas = _index_deltas(video)
    rotation_deg, head_deltas = _read_head(path, container, video, need_deltas=not index_deltas)
    _check_not_truncated(path, container, duration_s)

    width, height = _display_size(video, rotation_deg)
    size_bytes = container.size
    bit_rate = container.bit_rate or (round(size_bytes * 8 / duration_s) if size_bytes else None)
    frame_rate = video.average_rate or video.guessed_rate or None
    return MediaInfo(
        path=path,
        size_bytes=size_bytes,
        container=_container_name(path, format_names),
        duration_s=duration_s,
        width=width,
        height=height,
        rotation_deg=rotation_deg,
        video_codec=codec_name(video),
        audio_codec=codec_name(audio) if audio is not None else None,
        bit_rate_bps=bit_rate or None,
        video_bit_rate_bps=_video_bit_rate(container, video, bit_rate),
        frame_rate=frame_rate,
        variable_frame_rate=_varies(index_deltas or head_deltas),
    )


def _read_head(
    path: Path, container: InputContainer, video: VideoStream, *, need_deltas: bool
) -> tuple[int, list[int]]:
    """Decode the first picture (proves the video decodes; carries the rotation flag) and,
    if ``need_deltas``, collect the timestamp steps of the first packets (frame-rate check)."""
    rotation: int | None = None
    timestamps: list[int] = []
    budget_bytes = _HEAD_BYTES_BUDGET if need_deltas else 0
    errors = 0
    for packet in container.demux(video):
        if packet.pts is not None:
            timestamps.append(packet.pts)
        budget_bytes -= packet.size
        if rotation is None:
            try:
                frames = video.decode(packet)
            except av.error.InvalidDataError as error:
                errors += 1
                logger.debug("undecodable packet in %s: %s", path, error)
                if errors >= _HEAD_DECODE_ERRORS:
                    raise CorruptVideo(path) from error
                continue
            if frames:
                rotation = frames[0].rotation
        if rotation is not None and (len(timestamps) >= _HEAD_PACKETS or budget_bytes <= 0):
            break
    if rotation is None:
        logger.info("no picture could be decoded from the start of %s", path)
        raise CorruptVideo(path)
    timestamps.sort()
    return rotation % 360, [b - a for a, b in itertools.pairwise(timestamps)]


def _check_not_truncated(path: Path, container: InputContainer, duration_s: float) -> None:
    """Raise :class:`CorruptVideo` if the packets stop well before the announced end.

    An interrupted copy keeps the header (and its duration) but loses the end of the data.
    Only the last ``_TAIL_WINDOW_S`` seconds are read: seeking lands near the announced end.
    """
    start_s = container.start_time / av.time_base if container.start_time else 0.0
    target_s = start_s + max(0.0, duration_s - _TAIL_WINDOW_S)
    try:
        container.seek(round(target_s * av.time_base), any_frame=True)
    except av.error.FFmpegError as error:
        # Some streams cannot seek; without a seek the check would read the whole file.
        logger.debug("cannot seek in %s to check its end: %s", path, error)
        return
    end_s: float | None = None
    try:
        for packet in container.demux():
            if packet.pts is None or packet.time_base is None:
                continue
            packet_end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
            end_s = packet_end if end_s is None else max(end_s, packet_end)
    except av.error.InvalidDataError as error:
        logger.info("damaged data near the end of %s: %s", path, error)
    missing_s = duration_s - ((end_s - start_s) if end_s is not None else 0.0)
    if missing_s > max(_TRUNCATION_SLACK_S, _TRUNCATION_SLACK_FRACTION * duration_s):
        logger.info("%s ends %.2f s before its announced %.2f s", path, missing_s, duration_s)
        raise CorruptVideo(path)


def _index_deltas(video: VideoStream) -> list[int]:
    """Frame-to-frame timestamp steps sampled across the whole file from a per-frame index.

    MP4 and MOV index every frame in the header, so this costs no reading; other containers
    index only keyframes, and the caller falls back to the first packets.
    """
    index = video.index_entries
    count = len(index)
    if video.frames <= 1 or count < 0.9 * video.frames:
        return []
    step = max(1, (count - 1) // _INDEX_SAMPLES)
    return [index[i + 1].timestamp - index[i].timestamp for i in range(0, count - 1, step)]


def _varies(deltas: list[int]) -> bool:
    """Whether frame durations differ by more than timestamp rounding explains."""
    steps = [d for d in deltas if d > 0]
    if len(steps) < 2:
        return False
    typical = statistics.median(steps)
    tolerance = max(2, typical * 0.1)
    return max(steps) - min(steps) > tolerance


def _display_size(video: VideoStream, rotation_deg: int) -> tuple[int, int]:
    width, height = video.width, video.height
    aspect = video.sample_aspect_ratio
    if aspect and aspect != 1:
        width = round(width * aspect)
    if rotation_deg in (90, 270):
        return height, width
    return width, height


def _container_name(path: Path, format_names: list[str]) -> str:
    """A short container name: FFmpeg's demuxers cover families ("mov,mp4,m4a,…")."""
    suffix = path.suffix.lower().lstrip(".")
    aliases = {"mkv": "matroska", "m4v": "mp4"}
    wanted = aliases.get(suffix, suffix)
    return wanted if wanted in format_names else format_names[0]


def _video_bit_rate(
    container: InputContainer, video: VideoStream, total_bps: int | None
) -> int | None:
    if stream_bit_rate(video):
        return stream_bit_rate(video)
    if not total_bps:
        return None
    audio_bps = sum(stream_bit_rate(stream) for stream in container.streams.audio)
    return max(0, total_bps - audio_bps) or None
