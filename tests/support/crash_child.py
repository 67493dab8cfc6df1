"""The process the crash test kills: it edits a library at random until it is killed.

    python -m tests.support.crash_child LIBRARY SEED

It opens (or creates) one course in the library and then applies seeded random edits through
``Library.apply``, the way the editor does. For every edit it prints two lines, flushed:

    pending <n> <digest>   before the edit is saved: the state the edit leads to
    done <n> <digest>      once ``Library.apply`` returned: the edit is saved

so whoever kills it knows that the library must hold the state of the last ``done`` line, or
of a later ``pending`` line (the edit in flight may have committed before it was
acknowledged). Before all that come ``opening``, just before the library is opened (or
created), and ``ready <digest>``, once the course is open.
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path
from typing import Any

from coursedesk.domain.errors import DomainError
from coursedesk.domain.model import VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    EmptyTrash,
    MoveChapter,
    MoveVideos,
    Operation,
    RenameChapter,
    RenameVideo,
    RestoreChapter,
    RestoreVideos,
    ShiftVideos,
    TrashChapter,
    TrashVideos,
    UpdateVideo,
    new_video,
)
from coursedesk.domain.store import Store
from coursedesk.persistence.library import Library

COURSE_TITLE = "Crash course"
_MAX_LIVE_VIDEOS = 250


def snapshot_digest(store: Store) -> str:
    """A short fingerprint of everything ``Store.snapshot`` holds, the same in every process."""
    return hashlib.sha256(repr(_canonical(store.snapshot())).encode()).hexdigest()[:16]


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return sorted((key, _canonical(item)) for key, item in value.items())
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [_canonical(item) for item in value]
    return repr(value)


class RandomEditor:
    """Picks a random edit an instructor could make to the course as it stands now."""

    def __init__(self, rng: random.Random, store: Store, course_id: str) -> None:
        self.rng = rng
        self.store = store
        self.course_id = course_id
        self.undo: list[Operation] = []
        self._serial = 0

    def next_edit(self) -> Operation | None:
        kinds = [
            (self._add_videos, 3),
            (self._move_videos, 6),
            (self._rename, 3),
            (self._shift, 2),
            (self._trash_videos, 2),
            (self._restore_videos, 1),
            (self._add_chapter, 1),
            (self._trash_chapter, 1),
            (self._restore_chapter, 1),
            (self._move_chapter, 1),
            (self._update_video, 2),
            (self._undo, 3),
            (self._empty_trash, 0.3),
        ]
        if len(self.store.live_video_ids(self.course_id)) > _MAX_LIVE_VIDEOS:
            kinds = [(self._trash_videos, 3), (self._trash_chapter, 1), (self._empty_trash, 1)]
        make = self.rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        return make()

    # ------------------------------------------------------------------ picking things

    def _chapters(self) -> list[str]:
        return list(self.store.chapter_ids(self.course_id))

    def _live_videos(self) -> list[str]:
        return list(self.store.course_video_ids(self.course_id))

    def _some(self, items: list[str], most: int) -> tuple[str, ...]:
        return tuple(self.rng.sample(items, self.rng.randint(1, min(most, len(items)))))

    def _name(self, what: str) -> str:
        self._serial += 1
        return f"{what} {self._serial}"

    # ------------------------------------------------------------------ edits

    def _add_videos(self) -> Operation | None:
        chapters = self._chapters()
        clips = tuple(
            new_video(self.course_id, self._name("Take"), f"/footage/take-{self._serial}.mp4")
            for _ in range(self.rng.randint(1, 12))
        )
        if not chapters or self.rng.random() < 0.2:
            return AddVideos(clips)
        chapter_id = self.rng.choice(chapters)
        size = len(self.store.video_ids(chapter_id))
        return AddVideos(clips, chapter_id, self.rng.randint(0, size))

    def _move_videos(self) -> Operation | None:
        videos = self._live_videos()
        chapters = self._chapters()
        if not videos:
            return None
        picked = self._some(videos, 5)
        if not chapters or self.rng.random() < 0.15:
            return MoveVideos(picked, None)
        chapter_id = self.rng.choice(chapters)
        size = len(self.store.video_ids(chapter_id))
        return MoveVideos(picked, chapter_id, self.rng.choice([None, self.rng.randint(0, size)]))

    def _rename(self) -> Operation | None:
        videos = self._live_videos()
        if videos and self.rng.random() < 0.8:
            return RenameVideo(self.rng.choice(videos), self._name("Clip"))
        chapters = self._chapters()
        return RenameChapter(self.rng.choice(chapters), self._name("Part")) if chapters else None

    def _shift(self) -> Operation | None:
        videos = self._live_videos()
        return ShiftVideos(self._some(videos, 3), self.rng.choice([-1, 1])) if videos else None

    def _trash_videos(self) -> Operation | None:
        videos = self._live_videos()
        return TrashVideos(self._some(videos, 6)) if videos else None

    def _restore_videos(self) -> Operation | None:
        trashed = list(self.store.trashed_video_ids(self.course_id))
        return RestoreVideos(self._some(trashed, 4)) if trashed else None

    def _add_chapter(self) -> Operation | None:
        size = len(self._chapters())
        return AddChapter(self.course_id, self._name("Chapter"), self.rng.randint(0, size))

    def _trash_chapter(self) -> Operation | None:
        chapters = self._chapters()
        if len(chapters) < 2:
            return None
        return TrashChapter(self.rng.choice(chapters), self.rng.choice(list(VideosGo)))

    def _restore_chapter(self) -> Operation | None:
        trashed = list(self.store.trashed_chapter_ids(self.course_id))
        return RestoreChapter(self.rng.choice(trashed)) if trashed else None

    def _move_chapter(self) -> Operation | None:
        chapters = self._chapters()
        if not chapters:
            return None
        return MoveChapter(self.rng.choice(chapters), self.rng.randint(0, len(chapters)))

    def _update_video(self) -> Operation | None:
        videos = self._live_videos()
        if not videos:
            return None
        return UpdateVideo(
            self.rng.choice(videos),
            {
                "status": self.rng.choice(list(VideoStatus)),
                "duration_s": round(self.rng.uniform(1, 3600), 3),
                "size_bytes": self.rng.randint(1, 10**10),
            },
        )

    def _undo(self) -> Operation | None:
        return self.undo.pop() if self.undo else None

    def _empty_trash(self) -> Operation | None:
        return EmptyTrash()


def open_or_create_course(library: Library) -> str:
    for course in library.store.courses():
        if course.title == COURSE_TITLE:
            library.open_course(course.id)
            return course.id
    create = CreateCourse(COURSE_TITLE)
    library.apply(create)
    for number in range(1, 5):
        chapter = AddChapter(create.course_id, f"Chapter {number}")
        library.apply(chapter)
        clips = tuple(
            new_video(create.course_id, f"Clip {number}.{i}", f"/clips/{number}-{i}.mp4")
            for i in range(1, 11)
        )
        library.apply(AddVideos(clips, chapter.chapter_id))
    return create.course_id


def main(argv: list[str]) -> int:
    path, seed = Path(argv[0]), int(argv[1])
    rng = random.Random(seed)
    sys.stdout.write("opening\n")
    sys.stdout.flush()
    library = Library.open(path)
    course_id = open_or_create_course(library)
    store = library.store
    editor = RandomEditor(rng, store, course_id)
    out = sys.stdout
    out.write(f"ready {snapshot_digest(store)}\n")
    out.flush()
    number = 0
    while True:
        edit = editor.next_edit()
        if edit is None:
            continue
        # Try the edit on the store alone first, to announce the state it leads to.
        try:
            trial = store.apply(edit)
        except DomainError:
            continue  # a stale undo or an edit the course refuses: nothing changed
        if not trial.changed:
            continue
        expected = snapshot_digest(store)
        store.apply(trial.inverse)
        out.write(f"pending {number} {expected}\n")
        out.flush()
        applied = library.apply(edit)
        editor.undo.append(applied.inverse)
        out.write(f"done {number} {snapshot_digest(store)}\n")
        out.flush()
        number += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
