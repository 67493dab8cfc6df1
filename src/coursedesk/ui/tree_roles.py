"""The chapter tree's columns and custom roles, as named constants (views and tests ask for
these; ``chapter_tree_model`` re-exports them)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

VideoIdRole = Qt.ItemDataRole.UserRole + 1
ChapterIdRole = Qt.ItemDataRole.UserRole + 2
IsChapterRole = Qt.ItemDataRole.UserRole + 3
StatusRole = Qt.ItemDataRole.UserRole + 4
# Upload progress of a video, 0.0 to 1.0, or None when there is none to show (then the
# delegate shows the status sign). ``progress_provider`` supplies it while a video uploads.
ProgressRole = Qt.ItemDataRole.UserRole + 5
# A row's place in its chapter (or a chapter's in the course), counting from 1. The title
# column shows the bare title; the delegate paints the number in front of it, and assistive
# technology reads "3  Title" (AccessibleTextRole).
PositionRole = Qt.ItemDataRole.UserRole + 6
POSITION_ROLES = [PositionRole, int(Qt.ItemDataRole.AccessibleTextRole)]


class Column(IntEnum):
    TITLE = 0
    DURATION = 1
    SIZE = 2
    STATUS = 3


COLUMNS = len(Column)

# internalId of a chapter row; video rows carry their chapter's key (always > 0).
TOP = 0
