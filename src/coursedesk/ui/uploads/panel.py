"""The Uploads panel: every upload job with its progress, speed and time left; pause, resume,
cancel and retry; pause all; the bandwidth limit."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coursedesk.persistence.uploads import JobState
from coursedesk.services.upload.queue import QueueState, QueueTotals
from coursedesk.ui.empty_state import HintingTreeView
from coursedesk.ui.item_painting import paint_bar, paint_cell_frame
from coursedesk.ui.theme import theme_colours
from coursedesk.ui.uploads.center import UploadCenter
from coursedesk.ui.uploads.formatting import NO_ACCOUNT_HINT, format_speed
from coursedesk.ui.uploads.jobs_model import Column, FractionRole, PlaceRole, UploadJobsModel

AnyIndex = QModelIndex | QPersistentModelIndex
_MB = 1_000_000


class VideoDelegate(QStyledItemDelegate):
    """Paints the video column in two lines: the title, and under it, smaller and muted,
    where the video belongs ("Intro to Photography ▸ Exposure")."""

    PADDING_PX = 4
    GAP_PX = 1

    def _place_font(self, font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.88)
        return small

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        base = super().sizeHint(option, index)
        title = QFontMetrics(option.font).height()
        place = QFontMetrics(self._place_font(option.font)).height()
        return QSize(base.width(), title + place + self.GAP_PX + 2 * self.PADDING_PX)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt, title = paint_cell_frame(self, painter, option, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(self.PADDING_PX, 0, -self.PADDING_PX, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        ink = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = QColor(ink) if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        if selected:
            muted.setAlphaF(0.75)
        place_font = self._place_font(opt.font)
        title_metrics = QFontMetrics(opt.font)
        place_metrics = QFontMetrics(place_font)
        block = title_metrics.height() + self.GAP_PX + place_metrics.height()
        top = rect.top() + (rect.height() - block) // 2
        width = max(0, rect.width())
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(ink)
        painter.drawText(
            QRectF(rect.left(), top, width, title_metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, width),
        )
        place = index.data(PlaceRole)
        if isinstance(place, str) and place:
            painter.setFont(place_font)
            painter.setPen(muted)
            painter.drawText(
                QRectF(
                    rect.left(),
                    top + title_metrics.height() + self.GAP_PX,
                    width,
                    place_metrics.height(),
                ),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                place_metrics.elidedText(place, Qt.TextElideMode.ElideMiddle, width),
            )
        painter.restore()


class ProgressDelegate(QStyledItemDelegate):
    """Paints the progress column as a slim bar with its text ("61% · 24 MB of 40 MB")."""

    BAR_WIDTH_PX = 110
    BAR_HEIGHT_PX = 6
    MARGIN_PX = 6

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        fraction = index.data(FractionRole)
        if index.column() != Column.PROGRESS or fraction is None:
            super().paint(painter, option, index)
            return
        opt, text = paint_cell_frame(self, painter, option, index)
        rect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        height = self.BAR_HEIGHT_PX
        track = QRectF(
            rect.left() + self.MARGIN_PX,
            rect.top() + (rect.height() - height) / 2,
            self.BAR_WIDTH_PX,
            height,
        )
        done = float(fraction)
        fill = (
            palette.color(QPalette.ColorRole.HighlightedText)
            if selected
            else (theme_colours(palette).success if done >= 1.0 else theme_colours(palette).accent)
        )
        paint_bar(painter, track, palette, done, fill)
        painter.save()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        text_rect = QRectF(rect).adjusted(self.MARGIN_PX * 2 + self.BAR_WIDTH_PX, 0, -4, 0)
        painter.drawText(
            text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.restore()


class UploadsPanel(QWidget):
    """Lives in a dock at the bottom of the window, next to the Trash and the undo history."""

    status_message = Signal(str)
    # The panel's "Storage Settings…" link was clicked.
    storage_settings_requested = Signal()

    def __init__(self, center: UploadCenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("uploadsPanel")
        self.center = center
        self.queue = center.queue
        self.model = UploadJobsModel(self.queue, center.places, self)

        self.view = HintingTreeView(
            "No uploads yet",
            "Imported videos upload here in the background, each with its progress",
            parent=self,
        )
        self.view.setObjectName("uploadsView")
        self.view.setAccessibleName("Uploads")
        self.view.setAccessibleDescription(
            "Upload jobs. Space pauses or resumes, Delete cancels, R retries the selection."
        )
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(Column.VIDEO, VideoDelegate(self.view))
        self.view.setItemDelegateForColumn(Column.PROGRESS, ProgressDelegate(self.view))
        self.view.customContextMenuRequested.connect(self._context_menu)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(Column.VIDEO, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(Column.VIDEO, 320)
        self.view.setColumnWidth(Column.PROGRESS, 360)
        self.view.setColumnWidth(Column.SPEED, 90)
        self.view.setColumnWidth(Column.ETA, 80)

        self.pause_action = self._action("&Pause", self.pause_selected, "Space")
        self.resume_action = self._action("Res&ume", self.resume_selected)
        self.cancel_action = self._action("&Cancel Upload", self.cancel_selected, "Del")
        self.retry_action = self._action("&Retry", self.retry_selected, "R")
        for action in (self.pause_action, self.cancel_action, self.retry_action):
            self.view.addAction(action)
        self.pause_action.setToolTip("Pause the selected uploads (Space)")
        self.resume_action.setToolTip("Resume the selected uploads")
        self.cancel_action.setToolTip("Stop the selected uploads (Delete); Retry starts again")
        self.retry_action.setToolTip("Try the selected failed or cancelled uploads again (R)")

        self.summary = QLabel()
        self.summary.setObjectName("uploadsSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.settings_button = QPushButton("Storage Settings…")
        self.settings_button.setObjectName("uploadsStorageButton")
        self.settings_button.clicked.connect(self.storage_settings_requested)
        self.limit = QDoubleSpinBox()
        self.limit.setObjectName("bandwidthLimit")
        self.limit.setAccessibleName("Bandwidth limit")
        self.limit.setToolTip("Limit all uploads together; 0 lets them go as fast as they can")
        self.limit.setRange(0.0, 10_000.0)
        self.limit.setDecimals(1)
        self.limit.setSingleStep(0.5)
        self.limit.setSuffix(" MB/s")
        self.limit.setSpecialValueText("No limit")
        self.limit.setKeyboardTracking(False)
        limit_label = QLabel("&Bandwidth:")
        limit_label.setBuddy(self.limit)
        self.pause_all_button = QPushButton("Pause All")
        self.pause_all_button.setObjectName("pauseAllButton")
        self.pause_all_button.clicked.connect(self.toggle_all)

        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 0)
        top.addWidget(self.summary, 1)
        top.addWidget(self.settings_button)
        top.addWidget(limit_label)
        top.addWidget(self.limit)
        top.addWidget(self.pause_all_button)

        self.detail = QLabel()
        self.detail.setObjectName("uploadDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(6, 0, 6, 4)
        buttons.addWidget(self.detail, 1)
        self.job_buttons: dict[str, QToolButton] = {}
        for name, action in (
            ("pause", self.pause_action),
            ("resume", self.resume_action),
            ("cancel", self.cancel_action),
            ("retry", self.retry_action),
        ):
            button = QToolButton()
            button.setObjectName(f"{name}UploadButton")
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
            self.job_buttons[name] = button
        self.clear_button = QToolButton()
        self.clear_button.setObjectName("clearFinishedButton")
        self.clear_button.setText("Clear &Finished")
        self.clear_button.setToolTip("Remove uploaded and cancelled jobs from this list")
        self.clear_button.clicked.connect(self.model.clear_finished)
        buttons.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.dataChanged.connect(self._update_actions)
        self.model.rowsInserted.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.limit.valueChanged.connect(self._limit_changed)
        center.queue.totals_changed.connect(self._show_totals)
        center.summary_changed.connect(self._summary_changed)
        center.config_changed.connect(self._show_config)
        self._show_config()
        self._show_totals(center.totals)
        self._update_actions()

    def _action(self, text: str, slot: object, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        return action

    # ------------------------------------------------------------------ selection

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.job(row).video_id for row in rows]

    def select(self, video_id: str) -> None:
        row = self.model.row_of(video_id)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _selected_states(self) -> list[JobState]:
        rows = {index.row() for index in self.view.selectionModel().selectedRows()}
        return [self.model.job(row).state for row in rows]

    def _update_actions(self) -> None:
        states = self._selected_states()
        self.pause_action.setEnabled(any(s in (JobState.QUEUED, JobState.RUNNING) for s in states))
        self.resume_action.setEnabled(JobState.PAUSED in states)
        self.cancel_action.setEnabled(
            any(s not in (JobState.DONE, JobState.CANCELLED) for s in states)
        )
        self.retry_action.setEnabled(
            any(s in (JobState.FAILED, JobState.CANCELLED) for s in states)
        )
        current = self.view.currentIndex()
        failed = ""
        if current.isValid() and self.view.selectionModel().isRowSelected(current.row()):
            job = self.model.job(current.row())
            if job.state is JobState.FAILED and job.message:
                failed = f"{self.model.title(current.row())}: {job.message}"
        self.detail.setText(failed)

    # ------------------------------------------------------------------ commands

    def pause_selected(self) -> None:
        for video_id in self.selected_ids():
            self.queue.pause(video_id)

    def resume_selected(self) -> None:
        for video_id in self.selected_ids():
            self.queue.resume(video_id)

    def cancel_selected(self) -> None:
        for video_id in self.selected_ids():
            self.queue.cancel(video_id)

    def retry_selected(self) -> None:
        for video_id in self.selected_ids():
            self.queue.retry(video_id)

    def toggle_all(self) -> None:
        if self.queue.state is QueueState.PAUSED:
            self.queue.resume_all()
            self.status_message.emit("Uploads resumed.")
        else:
            self.queue.pause_all()
            self.status_message.emit("Uploads paused. They resume when you press Resume All.")

    def _context_menu(self, position: object) -> None:
        menu = QMenu(self)
        menu.addActions([self.pause_action, self.resume_action])
        menu.addSeparator()
        menu.addActions([self.cancel_action, self.retry_action])
        menu.exec(self.view.viewport().mapToGlobal(position))  # type: ignore[call-overload]

    # ------------------------------------------------------------------ showing state

    def _show_totals(self, totals: QueueTotals) -> None:
        state = totals.state
        no_account = state is QueueState.NO_ACCOUNT
        if no_account:
            text = self.center.summary() if self.center.account is not None else NO_ACCOUNT_HINT
        elif state is QueueState.OFFLINE:
            text = f"Offline — {self.center.state_message}"
        else:
            busy = totals.running + totals.queued
            text = (
                f"{totals.running} uploading · {totals.queued} queued · "
                f"{totals.paused} paused · {totals.failed} failed · {totals.done} done"
            )
            if totals.running:
                text += f" — {format_speed(totals.bytes_per_s)} in all"
            elif not busy and not totals.failed:
                text = "Every video is uploaded." if totals.done else "Nothing to upload."
            if state is QueueState.PAUSED:
                text = "Paused — " + text
        self.summary.setText(text)
        self.summary.setToolTip(self.center.state_message or text)
        self.settings_button.setVisible(no_account)
        self.pause_all_button.setText("Resume All" if state is QueueState.PAUSED else "Pause All")
        self.pause_all_button.setEnabled(state in (QueueState.RUNNING, QueueState.PAUSED))

    def _summary_changed(self, _text: str) -> None:
        self._show_totals(self.center.totals)

    def _show_config(self) -> None:
        limit = self.center.config.bandwidth_limit_bytes_per_s
        self.limit.blockSignals(True)
        self.limit.setValue(limit / _MB if limit else 0.0)
        self.limit.blockSignals(False)

    def _limit_changed(self, mb_per_s: float) -> None:
        limit = round(mb_per_s * _MB) if mb_per_s > 0 else None
        self.center.set_bandwidth_limit(limit)
