"""Which existing chapter a folder dropped again belongs to.

An instructor who drops a folder a second time (new recordings added to it) expects them to
join the chapter that folder made the first time, not a second chapter of the same name. A
folder matches a live chapter of the course whose title is its chapter title: exactly, or
else ignoring case and runs of whitespace. When several chapters share that title, the one
holding videos read from this very folder wins; otherwise the first, in chapter order, that
no other folder of the same drop has taken yet (so re-dropping two folders called
``Exercises`` from ``Week 1`` and ``Week 2`` fills the two ``Exercises`` chapters, each from
its own folder); otherwise the first.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from coursedesk.domain.store import Store


def title_key(title: str) -> str:
    """``title`` as compared for matching: NFC, case folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", title).casefold().split())


class ChapterMatcher:
    """Finds, for each folder of one drop, the live chapter of ``course_id`` it joins."""

    def __init__(self, store: Store, course_id: str) -> None:
        self._store = store
        self._chapters = [store.chapter(c) for c in store.chapter_ids(course_id)]
        self._taken: set[str] = set()

    def chapter_for(self, title: str, folder: Path | None) -> str | None:
        """The id of the chapter a group titled ``title`` (read from ``folder``) joins, or
        None if it needs a chapter of its own."""
        wanted = title.strip()
        exact = [c.id for c in self._chapters if c.title == wanted]
        key = title_key(wanted)
        candidates = exact or [c.id for c in self._chapters if title_key(c.title) == key]
        if not candidates:
            return None
        chosen = (
            (self._holding_files_from(candidates, folder) if folder is not None else None)
            or next((c for c in candidates if c not in self._taken), None)
            or candidates[0]
        )
        self._taken.add(chosen)
        return chosen

    def _holding_files_from(self, chapter_ids: list[str], folder: Path) -> str | None:
        store = self._store
        for chapter_id in chapter_ids:
            for video_id in store.video_ids(chapter_id):
                if Path(store.video(video_id).source_path).parent == folder:
                    return chapter_id
        return None
