"""Default titles for imported videos and for chapters made from folders.

An instructor's files are named for the file manager (``01_-_Welcome.mp4``,
``intro.to.photography.mov``); the course needs titles (``Welcome``,
``intro to photography``). The rules, applied in order:

1. The extension is dropped: a final ``.xxx`` of one to five ASCII letters or digits with at
   least one letter (``.mp4``, ``.m2ts``, ``.3gp``). ``Intro 1.5`` keeps its ``.5``.
   Folder names (:func:`clean_chapter_title`) keep everything.
2. Text is put in NFC (macOS hands out NFD names), control characters become spaces and
   undecodable bytes (lone surrogates) become U+FFFD, so a title is always displayable.
3. Underscores become spaces; runs of two or more dots or hyphens (``--``, ``..``) become a
   space, except an ellipsis ``...``, which is punctuation.
4. Leading numbering is taken off: one to three digits, optionally dotted or dashed
   (``1.2``, ``3-1``) and optionally bracketed (``[01]``, ``(2)``), followed by at least one
   separator (space, ``.``, ``-``, ``)``, ``]``, ``:``). ``01 - Welcome``, ``1.Intro``,
   ``03_Setup`` and ``[2] Gear`` all become the bare words. The number is not lost: it is
   :func:`order_hint`, and the file order already follows it (natural sort). Words that carry
   a number (``Lesson 4 - Setup``, ``Part 2``), a number glued to a word (``3D basics``,
   ``1st take``) and four-digit numbers such as years (``2024 recap``) are kept. When nothing
   but the number is left (``01.mp4``) the number stays as the title.
5. If what remains has no whitespace at all, it is a dotted or kebab-case name
   (``intro.to.photography``, ``intro-to-photography``): its dots and hyphens become spaces,
   except between two digits (``v1.5``, ``2024-05``). In a name with spaces, dots and hyphens
   are punctuation and stay (``Mr. Smith``, ``Wi-Fi setup``).
6. Whitespace is collapsed to single spaces and trimmed; a lone dash left at either end
   (``Intro -``) goes too.
7. At most :data:`TITLE_MAX_CHARS` (200) characters: a longer title is cut at 199 (never
   between a character and its combining marks) and ends with ``…``.
8. Never empty: if the rules leave nothing (``___.mp4``), the raw name without its extension
   is used with only steps 2, 6 and 7 applied; if that is blank too (`` .mp4``), the whole
   name goes through the rules, then through steps 2, 6 and 7 only; last comes ``Untitled``.

Case is never changed: instructors often name files exactly as they want them shown.
"""

from __future__ import annotations

import re
import unicodedata

from coursedesk.domain.model import TITLE_MAX_CHARS

ELLIPSIS = "…"
UNTITLED = "Untitled"

_EXTENSION = re.compile(r"(?<=.)\.([A-Za-z0-9]{1,5})\Z", re.DOTALL)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SEPARATOR_RUN = re.compile(r"[.\-]{2,}")
# Possessive quantifiers: "3.5mm" must not backtrack into "3" + "." + "5mm".
_NUMBERING = re.compile(
    r"""
    \A
    (?P<open>[\[(])?+
    (?P<number>\d{1,3}+)(?!\d)
    (?:[.\-]\d{1,3}+(?!\d))*+
    (?(open)[\])])
    [\s.\-)\]:]+
    """,
    re.VERBOSE,
)
_WORD_SEPARATOR = re.compile(r"(?<!\d)[.\-]|[.\-](?!\d)")
_EDGE_DASH = re.compile(r"\A[-\u2013\u2014]+\s+|\s+[-\u2013\u2014]+\Z")


def clean_title(file_name: str) -> str:
    """The default title for a video imported from ``file_name`` (a name, not a path)."""
    return _title(_strip_extension(file_name), fallback_name=file_name)


def clean_chapter_title(folder_name: str) -> str:
    """The default title for a chapter made from a folder called ``folder_name``."""
    return _title(folder_name, fallback_name=folder_name)


def order_hint(file_name: str) -> int | None:
    """The leading number of ``file_name`` (``"03 - Setup.mp4"`` → 3), or None.

    This is the number :func:`clean_title` takes off the title; it is also given for a name
    that is nothing but a number (``"07.mp4"`` → 7), where the title keeps it.
    """
    text = _separators_as_spaces(_displayable(_strip_extension(file_name)))
    text = " ".join(text.split())
    match = _NUMBERING.match(text + " ")
    return int(match.group("number")) if match else None


def _title(stem: str, *, fallback_name: str) -> str:
    candidates = (_styled(stem), _plain(stem), _styled(fallback_name), _plain(fallback_name))
    for candidate in candidates:
        if candidate:
            return _truncate(candidate)
    return UNTITLED


def _styled(stem: str) -> str:
    text = _separators_as_spaces(_displayable(stem))
    text = " ".join(text.split())
    match = _NUMBERING.match(text)
    rest = text[match.end() :] if match else text
    if not rest:
        rest = text
    if not any(ch.isspace() for ch in rest):
        rest = _WORD_SEPARATOR.sub(" ", rest)
    return _EDGE_DASH.sub("", " ".join(rest.split()))


def _strip_extension(name: str) -> str:
    match = _EXTENSION.search(name)
    if match and any(ch.isalpha() for ch in match.group(1)):
        return name[: match.start()]
    return name


def _displayable(text: str) -> str:
    text = unicodedata.normalize("NFC", _LONE_SURROGATE.sub("\ufffd", text))
    return _CONTROL.sub(" ", text)


def _separators_as_spaces(text: str) -> str:
    text = text.replace("_", " ")
    return _SEPARATOR_RUN.sub(lambda run: run.group() if run.group() == "..." else " ", text)


def _plain(text: str) -> str:
    return " ".join(_displayable(text).split())


def _truncate(title: str) -> str:
    if len(title) <= TITLE_MAX_CHARS:
        return title
    cut = TITLE_MAX_CHARS - len(ELLIPSIS)
    # Keep a character together with the marks and joiners that follow it.
    while cut > 0 and _continues_previous(title[cut]):
        cut -= 1
    kept = title[:cut].rstrip() or title[: TITLE_MAX_CHARS - len(ELLIPSIS)]
    return kept + ELLIPSIS


def _continues_previous(ch: str) -> bool:
    return ch in "\u200c\u200d" or unicodedata.category(ch).startswith("M")
