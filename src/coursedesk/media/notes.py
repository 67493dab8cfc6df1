"""Pre-flight notes: things worth telling the instructor about a video that still imports fine."""

from dataclasses import dataclass
from enum import StrEnum

from coursedesk.media.errors import display_name
from coursedesk.media.probe import MediaInfo

# B2 takes a file this large only through its large-file API (and some course platforms cap
# uploads at it), so it is worth a word.
LARGE_FILE_BYTES = 5 * 1000**3
# Bits per pixel per frame.  Delivery encodes (phones, screen recorders, exports) sit around
# 0.05-0.3; intermediate and all-intra camera codecs (ProRes, DNxHR, All-I) well above 1.
HIGH_BITS_PER_PIXEL = 0.5


class NoteCode(StrEnum):
    """What a pre-flight note is about; stable, for filtering and tests."""

    HIGH_BIT_RATE = "high_bit_rate"
    VARIABLE_FRAME_RATE = "variable_frame_rate"
    NO_AUDIO = "no_audio"
    LARGE_FILE = "large_file"


@dataclass(frozen=True, slots=True)
class PreflightNote:
    """A non-blocking remark about a video, with the sentence to show the instructor."""

    code: NoteCode
    message: str


def preflight_notes(info: MediaInfo) -> list[PreflightNote]:
    """Remarks worth showing before ``info``'s video is uploaded; empty when all is ordinary."""
    name = display_name(info.path)
    notes: list[PreflightNote] = []
    if _bits_per_pixel(info) > HIGH_BITS_PER_PIXEL:
        megabits = (info.video_bit_rate_bps or 0) / 1e6
        notes.append(
            PreflightNote(
                NoteCode.HIGH_BIT_RATE,
                f"'{name}' has a very high bit rate for its picture size ({megabits:.3g} Mbit/s "
                f"at {info.width} x {info.height}), so it will be slow to upload. Exporting it "
                "for the web first would make it much smaller.",
            )
        )
    if info.variable_frame_rate:
        notes.append(
            PreflightNote(
                NoteCode.VARIABLE_FRAME_RATE,
                f"'{name}' has a variable frame rate (common in screen recordings); some "
                "editors and players show it out of sync.",
            )
        )
    if not info.has_audio:
        notes.append(PreflightNote(NoteCode.NO_AUDIO, f"'{name}' has no sound track."))
    if info.size_bytes > LARGE_FILE_BYTES:
        notes.append(
            PreflightNote(
                NoteCode.LARGE_FILE,
                f"'{name}' is {info.size_bytes / 1e9:.1f} GB; uploading it will take a while.",
            )
        )
    return notes


def _bits_per_pixel(info: MediaInfo) -> float:
    """Video bits spent on each pixel of each frame; 0 when the file does not say."""
    if not (info.video_bit_rate_bps and info.frame_rate and info.width and info.height):
        return 0.0
    return info.video_bit_rate_bps / (info.width * info.height * float(info.frame_rate))
