"""A course as it stands, for ``coursedesk list``: plain data, printable as text or JSON."""

from __future__ import annotations

from typing import Any

from coursedesk.domain.model import Course, Video
from coursedesk.domain.store import Store
from coursedesk.ui.format import format_duration, format_size


class CourseNotFound(Exception):
    """No course (or more than one) has the title the instructor gave."""


def find_course(store: Store, title: str) -> Course:
    """The live course with this title (exact, else ignoring case)."""
    courses = store.courses()
    matches = [c for c in courses if c.title == title] or [
        c for c in courses if c.title.casefold() == title.strip().casefold()
    ]
    if not matches:
        known = ", ".join(sorted(f"'{c.title}'" for c in courses)) or "none yet"
        raise CourseNotFound(f"There is no course called '{title}'. Courses: {known}.")
    if len(matches) > 1:
        raise CourseNotFound(
            f"Several courses are called '{title}'; rename one to tell them apart."
        )
    return matches[0]


def video_record(video: Video) -> dict[str, Any]:
    return {
        "id": video.id,
        "title": video.title,
        "status": str(video.status),
        "duration_s": video.duration_s,
        "size_bytes": video.size_bytes,
        "width": video.width,
        "height": video.height,
        "sha1": video.sha1,
        "source_path": video.source_path,
        "video_codec": video.video_codec,
        "audio_codec": video.audio_codec,
        "error": video.error,
    }


def course_record(store: Store, course_id: str) -> dict[str, Any]:
    """The course's chapters (in order, with their videos in order), library and Trash."""
    course = store.course(course_id)
    library = sorted(
        (store.video(v) for v in store.library_ids(course_id)),
        key=lambda v: (v.title.casefold(), v.created_at),
    )
    trash = sorted(
        (store.video(v) for v in store.trashed_video_ids(course_id)),
        key=lambda v: v.deleted_at or 0.0,
    )
    return {
        "course": course.title,
        "id": course.id,
        "chapters": [
            {
                "id": chapter_id,
                "title": store.chapter(chapter_id).title,
                "videos": [video_record(store.video(v)) for v in store.video_ids(chapter_id)],
            }
            for chapter_id in store.chapter_ids(course_id)
        ],
        "library": [video_record(v) for v in library],
        "trash": [video_record(v) for v in trash],
    }


def course_text(record: dict[str, Any]) -> str:
    """The record as an instructor would read it in a terminal."""
    lines = [record["course"]]

    def video_line(number: str, video: dict[str, Any]) -> str:
        details = [
            format_duration(video["duration_s"]),
            format_size(video["size_bytes"]),
            video["status"],
        ]
        return f"    {number:>4} {video['title']}  ({', '.join(d for d in details if d)})"

    for position, chapter in enumerate(record["chapters"], start=1):
        lines.append(f"  {position}. {chapter['title']}")
        lines.extend(video_line(f"{i}.", v) for i, v in enumerate(chapter["videos"], start=1))
        if not chapter["videos"]:
            lines.append("         (no videos)")
    for heading, key in (("Library (unassigned)", "library"), ("Trash", "trash")):
        lines.append(f"  {heading}:")
        lines.extend(video_line("-", v) for v in record[key])
        if not record[key]:
            lines.append("         (empty)")
    return "\n".join(lines)
