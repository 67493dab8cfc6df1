"""Object names in the bucket: ``<prefix>courses/<course-id>/videos/<video-id>/<file name>``.

B2 accepts any UTF-8 name up to 1024 bytes without control characters (DEL included), not
starting with '/', without '//' and without '\\'. A local file name may hold all of those
(and, on Linux, bytes that are not UTF-8 at all, which Python hands over as lone
surrogates), so the last segment is made safe here; Unicode letters are kept as they are.
"""

from __future__ import annotations

import unicodedata

MAX_NAME_BYTES = 1024
FALLBACK_FILE_NAME = "video"
_REPLACEMENT = "_"


def _is_unsafe(char: str) -> bool:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:  # a byte that was not UTF-8 in the local name
        return True
    if char in "/\\":
        return True
    return unicodedata.category(char) == "Cc"  # C0, DEL and C1 control characters


def safe_file_name(name: str) -> str:
    """``name`` as one valid, readable path segment of a B2 name."""
    cleaned = "".join(_REPLACEMENT if _is_unsafe(char) else char for char in name)
    cleaned = unicodedata.normalize("NFC", cleaned).strip()
    return cleaned or FALLBACK_FILE_NAME


def _truncate_utf8(text: str, budget: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= budget:
        return text
    return encoded[:budget].decode("utf-8", errors="ignore")


def _fit(name: str, budget: int) -> str:
    """``name`` shortened to ``budget`` UTF-8 bytes, keeping its extension when it can."""
    if len(name.encode("utf-8")) <= budget:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and len(extension.encode("utf-8")) + 1 < budget // 2:
        kept = _truncate_utf8(stem, budget - len(extension.encode("utf-8")) - 1).rstrip()
        if kept:
            return f"{kept}.{extension}"
    return _truncate_utf8(name, budget).rstrip() or FALLBACK_FILE_NAME


def check_name_prefix(prefix: str) -> str | None:
    """Why ``prefix`` can't start B2 names, or None when it can."""
    if prefix.startswith("/"):
        return "The name prefix can't start with '/'."
    if "//" in prefix or "\\" in prefix:
        return "The name prefix can't contain '//' or '\\'."
    if any(_is_unsafe(char) for char in prefix.replace("/", "")):
        return "The name prefix can't contain control characters."
    if len(prefix.encode("utf-8")) > MAX_NAME_BYTES // 2:
        return f"The name prefix can be at most {MAX_NAME_BYTES // 2} bytes long."
    return None


def video_prefix(prefix: str, course_id: str, video_id: str) -> str:
    return f"{prefix}courses/{course_id}/videos/{video_id}/"


def object_name(prefix: str, course_id: str, video_id: str, file_name: str) -> str:
    """The B2 name of a video's file (``prefix`` must pass ``check_name_prefix``)."""
    problem = check_name_prefix(prefix)
    if problem is not None:
        raise ValueError(problem)
    folder = video_prefix(prefix, course_id, video_id)
    budget = MAX_NAME_BYTES - len(folder.encode("utf-8"))
    return folder + _fit(safe_file_name(file_name), budget)


def is_valid_b2_name(name: str) -> bool:
    """B2's own rules for a file name (used by tests and as a last check)."""
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return (
        0 < len(encoded) <= MAX_NAME_BYTES
        and not name.startswith("/")
        and "//" not in name
        and "\\" not in name
        and not any(unicodedata.category(char) == "Cc" for char in name)
    )
