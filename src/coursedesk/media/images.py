"""Still pictures taken from videos: scaling, upright rotation, RGB bytes, JPEG/PNG files.

Everything is done with FFmpeg through PyAV (swscale, the transpose filter, the mjpeg and png
encoders), so no imaging library is needed.
"""

import os
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from av.filter import Graph
from av.video.codeccontext import VideoCodecContext
from av.video.frame import VideoFrame

# ffmpeg's -q:v scale for JPEG: 2 is best, 31 worst; 3 looks clean at thumbnail sizes.
JPEG_QUALITY = 3
# swscale's own worker threads cost more to start than a thumbnail-sized conversion takes (a
# new pool for every call); pictures are made on worker threads already.
SCALER_THREADS = 1
# What undoes each stored rotation (counter-clockwise degrees, as FFmpeg reports them).
_UPRIGHT_FILTERS: dict[int, list[tuple[str, str | None]]] = {
    90: [("transpose", "cclock")],
    180: [("hflip", None), ("vflip", None)],
    270: [("transpose", "clock")],
}


@dataclass(frozen=True, slots=True)
class RgbImage:
    """A picture as tightly packed 8-bit RGB rows (``width * 3`` bytes each).

    That layout is what ``QImage(data, width, height, width * 3, QImage.Format_RGB888)`` reads.
    """

    width: int
    height: int
    data: bytes

    def mean_brightness(self) -> float:
        """Average of all channels, 0 (black) to 255 (white)."""
        return sum(self.data) / len(self.data) if self.data else 0.0


def fit_within(width: int, height: int, max_width: int, max_height: int) -> tuple[int, int]:
    """The largest size with the aspect ratio of ``width`` x ``height`` that fits the box.

    Never enlarges, and never rounds a side down to zero.
    """
    scale = min(max_width / width, max_height / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def upright(frame: VideoFrame) -> VideoFrame:
    """``frame`` turned the way a player shows it, if the video carries a rotation flag."""
    steps = _UPRIGHT_FILTERS.get(frame.rotation % 360)
    if not steps:
        return frame
    graph = Graph()
    source = graph.add_buffer(
        width=frame.width,
        height=frame.height,
        format=frame.format,
        time_base=frame.time_base or Fraction(1, 1000),
    )
    node = source
    for name, argument in steps:
        step = graph.add(name, argument)
        node.link_to(step)
        node = step
    node.link_to(graph.add("buffersink"))
    graph.configure()
    graph.vpush(frame)
    return graph.vpull()


def scaled_rgb_frame(
    frame: VideoFrame, max_width: int, max_height: int, pixel_aspect: Fraction | None = None
) -> VideoFrame:
    """``frame`` upright, shrunk to fit the box keeping its shape, as ``rgb24``.

    ``pixel_aspect`` is the stream's sample aspect ratio, for videos with non-square pixels
    (anamorphic DV and some broadcast formats); frames do not carry it themselves.
    """
    shown_width, shown_height = frame.width, frame.height
    if pixel_aspect and pixel_aspect > 0:
        shown_width = max(1, round(frame.width * pixel_aspect))
    if frame.rotation % 360 in (90, 270):
        shown_width, shown_height = shown_height, shown_width
    width, height = fit_within(shown_width, shown_height, max_width, max_height)
    return upright(frame).reformat(
        width, height, format="rgb24", interpolation="AREA", threads=SCALER_THREADS
    )


def rgb_image(frame: VideoFrame) -> RgbImage:
    """Copy an ``rgb24`` frame's pixels out without the row padding FFmpeg adds."""
    plane = frame.planes[0]
    row_bytes = frame.width * 3
    view = memoryview(plane)
    if plane.line_size == row_bytes:
        data = bytes(view[: row_bytes * frame.height])
    else:
        data = b"".join(
            view[row * plane.line_size : row * plane.line_size + row_bytes]
            for row in range(frame.height)
        )
    return RgbImage(frame.width, frame.height, data)


def rgb_frame(image: RgbImage) -> VideoFrame:
    """A PyAV frame holding ``image`` (the inverse of :func:`rgb_image`)."""
    frame = VideoFrame(image.width, image.height, "rgb24")
    plane = frame.planes[0]
    row_bytes = image.width * 3
    if plane.line_size == row_bytes:
        plane.update(image.data)
    else:
        padding = bytes(plane.line_size - row_bytes)
        plane.update(
            b"".join(
                image.data[row * row_bytes : (row + 1) * row_bytes] + padding
                for row in range(image.height)
            )
        )
    return frame


def encode_image(image: RgbImage, suffix: str) -> bytes:
    """``image`` as the bytes of a JPEG (``.jpg``/``.jpeg``) or PNG (``.png``) file."""
    kind = suffix.lower()
    frame = rgb_frame(image)
    encoder: VideoCodecContext
    if kind in (".jpg", ".jpeg"):
        encoder = av.CodecContext.create("mjpeg", "w")
        encoder.pix_fmt = "yuvj420p"
        # A fixed quantiser, not the encoder's default bit-rate target (whose quality would
        # depend on the picture size).
        encoder.qscale = True
        encoder.options = {"qmin": str(JPEG_QUALITY), "qmax": str(JPEG_QUALITY)}
        frame = frame.reformat(format="yuvj420p", threads=SCALER_THREADS)
    elif kind == ".png":
        encoder = av.CodecContext.create("png", "w")
        encoder.pix_fmt = "rgb24"
    else:
        raise ValueError(f"pictures can be written as .jpg or .png, not {suffix!r}")
    encoder.thread_count = 1  # a single small picture: threads would only cost their start-up
    encoder.width = image.width
    encoder.height = image.height
    encoder.time_base = Fraction(1, 1)
    packets = encoder.encode(frame) + encoder.encode(None)
    return b"".join(bytes(packet) for packet in packets)


def write_image(image: RgbImage, path: Path) -> None:
    """Save ``image`` to ``path`` (format from the suffix), atomically.

    A reader never sees a half-written picture: the bytes go to a temporary file in the same
    folder, which then replaces ``path``.
    """
    data = encode_image(image, path.suffix)
    descriptor, temporary = tempfile.mkstemp(
        prefix=".partial-", suffix=path.suffix, dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
