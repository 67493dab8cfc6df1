"""Without QtMultimedia (missing audio libraries) CourseDesk still starts and says why there
is no preview."""

from __future__ import annotations

from types import ModuleType

import pytest
from pytestqt.qtbot import QtBot
from tests.support.player_clips import MULTIMEDIA_NOISE

from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.services.tasks import ImmediateRunner
from coursedesk.ui.player.availability import check_multimedia
from coursedesk.ui.player.factory import PreviewUnavailable, create_player_pane


def _missing_libpulse(name: str) -> ModuleType:
    raise ImportError("libpulse.so.0: cannot open shared object file: No such file or directory")


def _broken_library(name: str) -> ModuleType:
    raise OSError("libasound.so.2: undefined symbol")


@pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE)
def test_a_multimedia_module_that_loads_means_preview_is_available() -> None:
    assert check_multimedia() is None


def test_a_missing_audio_library_is_named_in_the_reason() -> None:
    reason = check_multimedia(_missing_libpulse)
    assert reason is not None
    assert reason.startswith("Video preview is unavailable")
    assert "libpulse.so.0" in reason
    broken = check_multimedia(_broken_library)
    assert broken is not None and "libasound.so.2" in broken


def test_the_pane_says_why_preview_is_unavailable(library: Library, qtbot: QtBot) -> None:
    reason = check_multimedia(_missing_libpulse)
    assert reason is not None
    pane = create_player_pane(EditSession(library), ImmediateRunner(), unavailable_reason=reason)
    qtbot.addWidget(pane)
    assert isinstance(pane, PreviewUnavailable)
    assert pane.label.text() == reason
