"""Title rules and the text folding used by search."""

from __future__ import annotations

import unicodedata

from coursedesk.domain.errors import InvalidTitle
from coursedesk.domain.model import TITLE_MAX_CHARS


def clean_title(title: str, what: str = "title") -> str:
    """The title as stored: stripped of surrounding whitespace, non-empty, at most 200 chars."""
    cleaned = " ".join(title.split()) if "\n" in title or "\t" in title else title.strip()
    if not cleaned:
        raise InvalidTitle(f"The {what} can't be empty.")
    if len(cleaned) > TITLE_MAX_CHARS:
        raise InvalidTitle(
            f"The {what} is {len(cleaned)} characters long; keep it to {TITLE_MAX_CHARS}."
        )
    return cleaned


def fold_for_search(text: str) -> str:
    """Case- and accent-insensitive form of ``text``: 'Éclair' and 'eclair' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return without_marks.casefold()
