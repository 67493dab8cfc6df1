"""Courses of real, generated clips for the player, quick look and scrubbing tests: each clip
is ingested as the importer would (probe, hash, thumbnail and storyboard in the cache)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.clips import make_clip

from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, new_video
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.pipeline import ThumbnailCache, ingest_file

# QtMultimedia on a headless machine: no VA-API or PipeWire libraries, no sound server, no
# GPU for frame conversion. Each says so once; none is about our code.
MULTIMEDIA_NOISE = (
    r"^Couldn't (load|resolve) .+ (library|symbols)$",
    r"^PulseAudioService: pa_context_connect\(\) failed$",
    r"^No audio device detected$",
    r"No RHI backend\. Using CPU conversion\.$",
    # Switching videos while the previous one is still opening cancels that opening.
    r"^Could not open media\. FFmpeg error description: Immediate exit requested$",
    # ... and an opening cut off mid-read reports what it had read so far as invalid data.
    r"^Could not open media\. FFmpeg error description: Invalid data found when processing input$",
    # The offscreen platform can't raise the quick look tool window; like propagateSizeHints.
    r"^This plugin does not support raise\(\)$",
)

COURSE = "course"
CHAPTER = "chapter"


def start_course(library: Library) -> None:
    library.apply(CreateCourse("Intro to Photography", course_id=COURSE, created_at=1_000.0))
    library.apply(AddChapter(COURSE, "Getting started", chapter_id=CHAPTER, created_at=1_000.0))


def add_clip(
    library: Library,
    cache: ThumbnailCache,
    path: Path,
    video_id: str,
    *,
    chapter: bool = False,
    **clip: Any,
) -> str:
    """Generate ``path`` (unless it exists), ingest it and add it as video ``video_id``."""
    if not path.exists():
        make_clip(path, **clip)
    fields = ingest_file(path, cache).video_fields()
    source = fields.pop("source_path")
    video = new_video(COURSE, path.stem, source, video_id=video_id, created_at=1_000.0, **fields)
    library.apply(AddVideos((video,), CHAPTER if chapter else None))
    return video_id
