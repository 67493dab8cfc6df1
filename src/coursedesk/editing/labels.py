"""Undo labels as the Edit menu shows them: "Undo Move 3 videos"."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """'1 video', '3 videos'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
