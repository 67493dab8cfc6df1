"""Ending a test that played video: wait until the player has really stopped and gone.

The pane stops its player through the event loop (see ``PlayerPane.retire``). A test that
ended right away would leave FFmpeg's threads running past it, into the next test's Qt
message handler; these helpers run the event loop until the player is deleted.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.player.player_pane import PlayerPane
from coursedesk.ui.player.quick_look import QuickLook

PLAYER_GONE_MS = 10_000


def retire_pane(qtbot: QtBot, pane: PlayerPane) -> None:
    """Retire ``pane`` and wait until its player has stopped and been deleted."""
    with qtbot.waitSignal(pane.player.destroyed, timeout=PLAYER_GONE_MS):
        pane.retire()


def close_window(qtbot: QtBot, window: MainWindow) -> None:
    """Close ``window`` and wait until its Player dock's player has stopped and gone."""
    pane = window.window_player.pane
    if not isinstance(pane, PlayerPane):  # preview unavailable: nothing plays
        window.close()
        return
    with qtbot.waitSignal(pane.player.destroyed, timeout=PLAYER_GONE_MS):
        window.close()


def shut_quick_look(qtbot: QtBot, look: QuickLook) -> None:
    """Shut quick look down and wait until its player has stopped and gone."""
    if look.window is None:
        look.shut_down()
        return
    with qtbot.waitSignal(look.window.pane.player.destroyed, timeout=PLAYER_GONE_MS):
        look.shut_down()
