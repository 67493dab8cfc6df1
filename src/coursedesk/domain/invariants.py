"""The structural rules of the store, checked in one place (tests call it after every step)."""

from __future__ import annotations

from coursedesk.domain.errors import InvariantViolation
from coursedesk.domain.store import Store
from coursedesk.domain.text import fold_for_search


def check_invariants(store: Store) -> None:
    """Raise ``InvariantViolation`` naming the first broken rule:

    every live video is in at most one chapter, exactly once, and its ``chapter_id`` says
    which; chapter and video orders are dense lists without repeats; videos and chapters in
    the Trash are in no order; each video sits in exactly one of: a chapter, the library,
    the Trash; the course's live videos are exactly those in its chapters and library; totals
    (per chapter, library and course) match a recount; search sees every current title.
    """
    problems: list[str] = []
    seen_in_chapters: dict[str, str] = {}
    snap = store.snapshot()
    for course_id in snap["loaded"]:
        chapter_order = snap["chapter_order"].get(course_id, ())
        if len(set(chapter_order)) != len(chapter_order):
            problems.append(f"course {course_id} lists a chapter twice")
        for chapter_id in chapter_order:
            chapter = snap["chapters"].get(chapter_id)
            if chapter is None or chapter.deleted_at is not None:
                problems.append(f"chapter {chapter_id} is ordered but not live")
                continue
            if chapter.course_id != course_id:
                problems.append(f"chapter {chapter_id} is ordered in another course")
            for video_id in snap["video_order"].get(chapter_id, ()):
                if video_id in seen_in_chapters:
                    problems.append(f"video {video_id} appears in two places in chapters")
                seen_in_chapters[video_id] = chapter_id
                video = snap["videos"].get(video_id)
                if video is None or video.deleted_at is not None:
                    problems.append(f"video {video_id} is in chapter {chapter_id} but not live")
                elif video.chapter_id != chapter_id or video.course_id != course_id:
                    problems.append(f"video {video_id} disagrees about its chapter")
        library = snap["library"].get(course_id, frozenset())
        trash = snap["trash_videos"].get(course_id, frozenset())
        for video_id in library:
            video = snap["videos"].get(video_id)
            if video is None or video.deleted_at is not None or video.chapter_id is not None:
                problems.append(f"video {video_id} is in the library but not unassigned and live")
            if video_id in seen_in_chapters:
                problems.append(f"video {video_id} is both in a chapter and in the library")
        for video_id in trash:
            video = snap["videos"].get(video_id)
            if video is None or video.deleted_at is None or video.chapter_id is not None:
                problems.append(f"video {video_id} is in the Trash but not deleted")
            if video_id in seen_in_chapters or video_id in library:
                problems.append(f"deleted video {video_id} is still placed")
        for chapter_id in snap["trash_chapters"].get(course_id, frozenset()):
            chapter = snap["chapters"].get(chapter_id)
            if chapter is None or chapter.deleted_at is None or chapter_id in chapter_order:
                problems.append(f"chapter {chapter_id} is in the Trash but not deleted")
        in_chapters = {vid for vid, cid in seen_in_chapters.items() if cid in chapter_order}
        placed_live = in_chapters | set(library)
        if set(store.live_video_ids(course_id)) != placed_live:
            problems.append(f"course {course_id}'s live videos are not its chapters' and library's")
        _check_totals(store, course_id, problems)
    for chapter in snap["chapters"].values():
        live = chapter.deleted_at is None
        if live and chapter.trash_index is not None:
            problems.append(f"live chapter {chapter.id} still remembers a Trash position")
        listed = snap["chapter_order"] if live else snap["trash_chapters"]
        if chapter.id not in listed.get(chapter.course_id, ()):
            problems.append(f"chapter {chapter.id} is neither ordered nor in the Trash")
    for video in snap["videos"].values():
        if video.course_id not in snap["loaded"]:
            problems.append(f"video {video.id} belongs to a course that is not open")
            continue
        placed = (
            video.id in seen_in_chapters
            or video.id in snap["library"].get(video.course_id, ())
            or video.id in snap["trash_videos"].get(video.course_id, ())
        )
        if not placed:
            problems.append(f"video {video.id} is nowhere: not in a chapter, library or Trash")
        if video.deleted_at is None and (video.trash_index is not None or video.trash_chapter_id):
            problems.append(f"live video {video.id} still remembers a Trash position")
        if store.folded_title(video.id) != fold_for_search(video.title):
            problems.append(f"video {video.id} is searched under an old title")
    if problems:
        raise InvariantViolation("; ".join(problems[:5]))


def _check_totals(store: Store, course_id: str, problems: list[str]) -> None:
    def recount(video_ids: list[str]) -> tuple[int, int, int]:
        videos = [store.video(v) for v in video_ids]
        return (
            len(videos),
            sum(round((v.duration_s or 0) * 1_000_000) for v in videos),
            sum(v.size_bytes or 0 for v in videos),
        )

    def as_tuple(count: int, duration_s: float, size: int) -> tuple[int, int, int]:
        return count, round(duration_s * 1_000_000), size

    for chapter_id in store.chapter_ids(course_id):
        totals = store.chapter_totals(chapter_id)
        expected = recount(list(store.video_ids(chapter_id)))
        if as_tuple(totals.count, totals.duration_s, totals.size_bytes) != expected:
            problems.append(f"chapter {chapter_id} totals are stale")
    totals = store.library_totals(course_id)
    expected = recount(list(store.library_ids(course_id)))
    if as_tuple(totals.count, totals.duration_s, totals.size_bytes) != expected:
        problems.append(f"course {course_id}'s library totals are stale")
    totals = store.course_totals(course_id)
    expected = recount(list(store.live_video_ids(course_id)))
    if as_tuple(totals.count, totals.duration_s, totals.size_bytes) != expected:
        problems.append(f"course {course_id} totals are stale")
