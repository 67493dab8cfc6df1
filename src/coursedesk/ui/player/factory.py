"""Building the player without importing QtMultimedia unless it loads: where it can't, the
pane says why preview is unavailable and quick look stays off; the rest of CourseDesk works."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from coursedesk.editing.session import EditSession
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import TaskRunner
from coursedesk.ui.player.availability import preview_unavailable_reason
from coursedesk.ui.player.sources import RemoteSource

if TYPE_CHECKING:
    from coursedesk.ui.player.player_pane import ReplaceFile
    from coursedesk.ui.player.quick_look import QuickLook


class PreviewUnavailable(QWidget):
    """Stands where the player would be, saying why there is no preview."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewUnavailable")
        self.reason = reason
        self.label = QLabel(reason)
        self.label.setObjectName("previewUnavailableReason")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.label)


def create_player_pane(
    session: EditSession,
    runner: TaskRunner,
    cache: ThumbnailCache | None = None,
    *,
    remote_source: RemoteSource | None = None,
    link_runner: TaskRunner | None = None,
    replace_file: ReplaceFile | None = None,
    unavailable_reason: str | None = None,
) -> QWidget:
    """A ``PlayerPane``, or a ``PreviewUnavailable`` when QtMultimedia can't load here
    (``unavailable_reason`` overrides the check, for tests)."""
    reason = unavailable_reason or preview_unavailable_reason()
    if reason is not None:
        return PreviewUnavailable(reason)
    from coursedesk.ui.player.player_pane import PlayerPane

    return PlayerPane(
        session,
        runner,
        cache,
        remote_source=remote_source,
        link_runner=link_runner,
        replace_file=replace_file,
    )


def create_quick_look(
    session: EditSession,
    runner: TaskRunner,
    cache: ThumbnailCache | None = None,
    *,
    remote_source: RemoteSource | None = None,
    link_runner: TaskRunner | None = None,
    parent: QObject | None = None,
) -> QuickLook | None:
    """Quick look, or None when preview is unavailable on this system."""
    if preview_unavailable_reason() is not None:
        return None
    from coursedesk.ui.player.quick_look import QuickLook

    return QuickLook(
        session,
        runner,
        cache,
        remote_source=remote_source,
        link_runner=link_runner,
        parent=parent,
    )
