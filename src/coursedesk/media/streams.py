"""Finding the picture in a container and how long it claims to last."""

from pathlib import Path

import av
from av.container import InputContainer
from av.stream import Disposition, Stream
from av.video.stream import VideoStream

from coursedesk.media.errors import CorruptVideo


def main_video_stream(container: InputContainer) -> VideoStream | None:
    """The first real video stream; cover art in an audio file does not count."""
    for stream in container.streams.video:
        if not stream.disposition & Disposition.attached_pic:
            return stream
    return None


def announced_duration_s(path: Path, container: InputContainer, video: VideoStream) -> float:
    """The length the file's headers announce (which a truncated file no longer has).

    Raises :class:`CorruptVideo` if they announce none: a recording whose recorder stopped
    without finishing the file.  Measuring it instead would mean reading the whole file.
    """
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    if video.duration and video.time_base is not None:
        return float(video.duration * video.time_base)
    raise CorruptVideo(
        path,
        "'{name}' does not say how long it is, which happens when a recording was not "
        "finished properly (for example after a crash). Open it in your recording or editing "
        "app and save or export it again, then add it again.",
    )


def codec_name(stream: Stream) -> str:
    """FFmpeg's short name of the stream's format ("h264", "aac"), or "unknown"."""
    context = stream.codec_context
    return context.codec.canonical_name if context is not None else "unknown"


def stream_bit_rate(stream: Stream) -> int:
    """The bit rate the stream's header states, or 0 if it states none."""
    context = stream.codec_context
    return (context.bit_rate or 0) if context is not None else 0
