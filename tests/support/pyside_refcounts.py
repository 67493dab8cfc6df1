"""Work around a reference-counting bug of PySide6 6.12.0 on CPython 3.11.

There, every ``Signal.emit()`` made from Python drops one reference to ``True`` and every
call of a void protected method (``beginInsertRows``, ``endMoveRows`` ...) drops one to
``None``. CPython 3.12 made those objects immortal, so the bug is harmless there; on 3.11 the
process aborts ("bool_dealloc: deallocating True or False") after a few hundred emits.
Tests that drive item models through many edits hold extra references for the rest of the
process. This hides the symptom in tests only: the application itself needs a PySide6
without the bug (or CPython >= 3.12).
"""

from __future__ import annotations

import ctypes
import sys

import PySide6

_AFFECTED = sys.version_info < (3, 12) and PySide6.__version__ == "6.12.0"
_PADDING: list[object] = []
_PAD_EACH = 1_000_000


def pad_refcounts() -> None:
    """Hold many more references to True, False and None (once per process)."""
    if _AFFECTED and not _PADDING:
        _PADDING.extend([True, False, None] * _PAD_EACH)
        # Never freed, not even at interpreter shutdown, when the lost references would
        # otherwise bring the counts to zero.
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(_PADDING))
