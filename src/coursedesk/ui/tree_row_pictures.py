"""What a video row of the chapter tree is painted with and shows, for ``ItemPictures``.

A video row looks exactly as its last picture as long as these have not changed:

* the video value itself (any change of a video makes a new value) and its position number;
* the row's size, whether it is selected, whether it is the current row;
* the paint's context: columns, palette, font, style, pixel ratio, active window, focus and
  indentation.

Rows of videos being uploaded (their progress bar moves without the video changing) and
chapter rows (their totals change without the chapter value changing) are never kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from coursedesk.domain.model import Video


@dataclass(frozen=True, slots=True)
class PaintContext:
    """What every row of one paint is painted with."""

    columns: tuple[tuple[int, int], ...]
    palette_key: int
    font_key: str
    style_id: int
    pixel_ratio: float
    active: bool
    enabled: bool
    indentation: int
    focused: bool


@dataclass(frozen=True, slots=True)
class RowLook:
    """Everything a video row shows that its picture depends on."""

    video: Video
    row: int
    width: int
    height: int
    selected: bool
    current: bool
