"""What a drag carries: ids under CourseDesk's own MIME types; files from outside arrive as
``text/uri-list`` and are imported, never moved."""

from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QMimeData

VIDEO_IDS_MIME = "application/x-coursedesk-video-ids"
CHAPTER_IDS_MIME = "application/x-coursedesk-chapter-ids"


def encode_ids(mime_type: str, ids: Iterable[str], data: QMimeData | None = None) -> QMimeData:
    """Put ``ids`` (in order) on ``data`` (a new QMimeData if none) under ``mime_type``."""
    data = data if data is not None else QMimeData()
    data.setData(mime_type, QByteArray(json.dumps(list(ids)).encode()))
    return data


def decode_ids(data: QMimeData, mime_type: str) -> list[str]:
    """The ids a drag carries under ``mime_type``; empty if none or malformed."""
    if not data.hasFormat(mime_type):
        return []
    try:
        ids = json.loads(bytes(data.data(mime_type).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [str(i) for i in ids] if isinstance(ids, list) else []
