"""A saved course for the chapter tree's tests: chapters of videos with readable ids and a mix
of upload statuses, written through the library so a fresh load sees it too."""

from __future__ import annotations

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, new_video
from coursedesk.persistence.library import Library

COURSE = "course"
STATUSES = (
    VideoStatus.UPLOADED,
    VideoStatus.UPLOADED,
    VideoStatus.UPLOADING,
    VideoStatus.QUEUED,
    VideoStatus.READY,
    VideoStatus.PROCESSING,
    VideoStatus.FAILED,
    VideoStatus.MISSING,
)
CHAPTER_TITLES = ("Getting started", "Exposure", "Composition", "Light", "Editing")
VIDEO_TITLES = (
    "Welcome",
    "Your camera and gear",
    "Holding the camera",
    "Aperture",
    "Shutter speed",
    "ISO and noise",
    "The exposure triangle",
    "Metering modes",
)


def chapter_id(n: int) -> str:
    """Chapter ``n`` (1-based)."""
    return f"ch{n}"


def video_id(chapter: int, number: int) -> str:
    """Video ``number`` of chapter ``chapter`` (both 1-based)."""
    return f"v{chapter}.{number}"


def build_course(
    library: Library, *, chapters: int = 3, videos: int = 5, library_videos: int = 2
) -> str:
    """Create the course in ``library`` and open it; returns the course id."""
    library.apply(CreateCourse("Intro to Photography", course_id=COURSE, created_at=1_000.0))
    for n in range(1, chapters + 1):
        library.apply(
            AddChapter(
                COURSE, CHAPTER_TITLES[(n - 1) % len(CHAPTER_TITLES)], chapter_id=chapter_id(n)
            )
        )
        values = tuple(
            new_video(
                COURSE,
                VIDEO_TITLES[(n + m) % len(VIDEO_TITLES)] if n > 1 or m > 1 else "Welcome",
                f"/clips/{n}-{m}.mp4",
                video_id=video_id(n, m),
                created_at=1_000.0,
                status=STATUSES[(n * 3 + m) % len(STATUSES)],
                duration_s=37.0 * m + 61.0 * n + 0.4,
                size_bytes=23_000_000 * m + 7_000_000 * n,
                error="The bucket refused the upload (HTTP 403)."
                if STATUSES[(n * 3 + m) % len(STATUSES)] == VideoStatus.FAILED
                else None,
            )
            for m in range(1, videos + 1)
        )
        library.apply(AddVideos(values, chapter_id(n)))
    if library_videos:
        extra = tuple(
            new_video(COURSE, f"b-roll {k}", f"/clips/b{k}.mp4", video_id=f"lib{k}")
            for k in range(1, library_videos + 1)
        )
        library.apply(AddVideos(extra))
    return COURSE
