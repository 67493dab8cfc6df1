"""Reading video files: what they are, pictures of them, and their SHA-1.

Plain Python over PyAV, with no Qt and nothing else of CourseDesk's, so every function here
can run on a worker thread and be tested alone.  Bad input raises a :class:`MediaError`
subclass whose message is written for the instructor.
"""

from coursedesk.media.errors import (
    AudioOnly,
    Cancelled,
    CorruptVideo,
    EmptyFile,
    FileChanged,
    FileUnreadable,
    FileVanished,
    MediaError,
    NotAVideo,
    UnsupportedVideo,
)
from coursedesk.media.hashing import sha1_of_file
from coursedesk.media.images import RgbImage
from coursedesk.media.notes import NoteCode, PreflightNote, preflight_notes
from coursedesk.media.probe import MediaInfo, probe
from coursedesk.media.thumbnails import (
    Still,
    Storyboard,
    Thumbnail,
    grab_storyboard,
    grab_thumbnail,
    write_pictures,
    write_storyboard,
    write_thumbnail,
)

__all__ = [
    "AudioOnly",
    "Cancelled",
    "CorruptVideo",
    "EmptyFile",
    "FileChanged",
    "FileUnreadable",
    "FileVanished",
    "MediaError",
    "MediaInfo",
    "NotAVideo",
    "NoteCode",
    "PreflightNote",
    "RgbImage",
    "Still",
    "Storyboard",
    "Thumbnail",
    "UnsupportedVideo",
    "grab_storyboard",
    "grab_thumbnail",
    "preflight_notes",
    "probe",
    "sha1_of_file",
    "write_pictures",
    "write_storyboard",
    "write_thumbnail",
]
