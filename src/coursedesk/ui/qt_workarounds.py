"""Guards against defects of the Qt binding that would otherwise crash CourseDesk.

PySide6 6.12.0 drops a reference to ``True`` on every ``Signal.emit()`` called from Python
(100 emits leave ``sys.getrefcount(True)`` 100 lower; 6.11.3 does not), and one to ``None``
on every call of a void protected method such as ``beginInsertRows``. On CPython 3.12+
those objects are immortal and nothing happens; on 3.11 the process aborts with
"bool_dealloc: deallocating True or False" after a few thousand emits - a few bulk moves in
the editor. The real fix is a binding without the defect (pin PySide6 below 6.12 or to a
fixed release); until then the guard gives ``True``, ``False`` and ``None`` a reserve of
references that no session can use up. It checks for the defect instead of trusting
version numbers.
"""

from __future__ import annotations

import ctypes
import platform
import sys

from PySide6.QtCore import QObject, Signal

# Far more references than any process lives to emit signals, far below the counter's limit.
_RESERVE = 1 << 40


class _Probe(QObject):
    ping = Signal()


def emit_leaks_true() -> bool:
    """Whether emitting a signal from Python loses a reference to ``True``."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def guard_signal_emit_refcount() -> bool:
    """Apply the reserve if this binding has the defect and ``True`` is mortal; whether it
    was applied."""
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    if not emit_leaks_true():
        return False
    for value in (True, False, None):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(value)).value += _RESERVE
    return True
