"""The pages of the Settings dialog: Appearance, Uploads and Library.

Widgets only: each page shows values and says when the instructor changes one; the dialog
(``settings_dialog``) checks them, previews what can be previewed, and saves.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coursedesk.preferences import Theme, ThumbnailSize
from coursedesk.services.upload.account import StorageSettings
from coursedesk.services.upload.gateway import PRODUCTION_REALM

THEME_LABELS = {
    Theme.SYSTEM: "Follow &system",
    Theme.LIGHT: "&Light",
    Theme.DARK: "&Dark",
}
THUMBNAIL_LABELS = {
    ThumbnailSize.SMALL: "Small",
    ThumbnailSize.MEDIUM: "Medium",
    ThumbnailSize.LARGE: "Large",
}
_BANDWIDTH_MAX_MB_PER_S = 10_000.0


def _hint(text: str, object_name: str = "") -> QLabel:
    """A quiet explanatory line under a setting."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    if object_name:
        label.setObjectName(object_name)
    return label


def _fixed_width(widget: QWidget) -> QWidget:
    """Keep a field at its own width; the hints under it take the rest."""
    widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return widget


def _page_layout(page: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(12)
    return layout


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(4)
    return form


class BoundedSpinBox(QSpinBox):
    """A whole number from ``lowest`` to ``highest``.

    A number typed out of range stays as typed (a plain QSpinBox would quietly put back the
    old one), so the dialog can say what is wrong with it; the arrows keep within range.
    """

    def __init__(self, lowest: int, highest: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lowest = lowest
        self.highest = highest
        self.setRange(0, 999_999)
        self.setAccelerated(True)

    def in_range(self) -> bool:
        return self.hasAcceptableInput() and self.lowest <= self.value() <= self.highest

    def stepBy(self, steps: int) -> None:
        wanted = self.value() + steps * self.singleStep()
        self.setValue(min(max(wanted, self.lowest), self.highest))
        self.selectAll()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.value() < self.highest:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self.value() > self.lowest:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags


class AppearancePage(QWidget):
    """Theme (Follow system / Light / Dark) and the library grid's thumbnail size."""

    # The instructor picked another theme or size (the dialog previews it at once).
    theme_chosen = Signal(object)
    thumbnail_size_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appearancePage")
        self.theme_buttons: dict[Theme, QRadioButton] = {}
        self._themes = QButtonGroup(self)
        theme_box = QGroupBox("Theme")
        theme_layout = QVBoxLayout(theme_box)
        theme_layout.setSpacing(6)
        for n, (theme, label) in enumerate(THEME_LABELS.items()):
            button = QRadioButton(label)
            button.setObjectName(f"theme{theme.value.capitalize()}Radio")
            self._themes.addButton(button, n)
            self.theme_buttons[theme] = button
            theme_layout.addWidget(button)
            if theme is Theme.SYSTEM:
                self.system_hint = _hint("", "systemThemeHint")
                self.system_hint.setContentsMargins(24, 0, 0, 4)
                theme_layout.addWidget(self.system_hint)
        self._themes.idToggled.connect(self._theme_toggled)

        grid_box = QGroupBox("Media library")
        grid_form = _form()
        grid_box.setLayout(grid_form)
        self.thumbnail_size = QComboBox()
        self.thumbnail_size.setObjectName("thumbnailSizeCombo")
        self.thumbnail_size.setAccessibleName("Thumbnail size")
        for size, label in THUMBNAIL_LABELS.items():
            self.thumbnail_size.addItem(label, size.value)
        self.thumbnail_size.currentIndexChanged.connect(self._size_changed)
        size_label = QLabel("Thumbnail &size:")
        size_label.setBuddy(self.thumbnail_size)
        grid_form.addRow(size_label, _fixed_width(self.thumbnail_size))
        grid_form.addRow("", _hint("How big the video cards in the library grid are."))

        layout = _page_layout(self)
        layout.addWidget(theme_box)
        layout.addWidget(grid_box)
        layout.addStretch(1)

    def theme(self) -> Theme:
        for theme, button in self.theme_buttons.items():
            if button.isChecked():
                return theme
        return Theme.SYSTEM

    def chosen_thumbnail_size(self) -> ThumbnailSize:
        return ThumbnailSize(self.thumbnail_size.currentData())

    def show_values(self, theme: Theme, size: ThumbnailSize) -> None:
        """Show these values without announcing them as choices."""
        for widget in (self._themes, self.thumbnail_size):
            widget.blockSignals(True)
        self.theme_buttons[theme].setChecked(True)
        self.thumbnail_size.setCurrentIndex(self.thumbnail_size.findData(size.value))
        for widget in (self._themes, self.thumbnail_size):
            widget.blockSignals(False)

    def show_system_scheme(self, dark: bool) -> None:
        now = "dark" if dark else "light"
        self.system_hint.setText(f"Light or dark, as your desktop is set (now {now}).")

    def _theme_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.theme_chosen.emit(self.theme())

    def _size_changed(self, _index: int) -> None:
        self.thumbnail_size_chosen.emit(self.chosen_thumbnail_size())


def account_summary(account: StorageSettings | None) -> str:
    """The storage account in a sentence or two (rich text), never the key."""
    if account is None:
        return (
            "<b>No storage account.</b> Videos wait on this computer until you set one up; "
            "everything else works without it."
        )
    where = f"bucket <b>{_escape(account.bucket)}</b>"
    if account.name_prefix:
        where += f", names starting with <b>{_escape(account.name_prefix)}</b>"
    text = f"Uploading to the Backblaze B2 {where}<br>with the key <b>{_escape(account.key_id)}</b>"
    if account.realm != PRODUCTION_REALM:
        text += f" at {_escape(account.realm)}"
    return text + "."


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class UploadsPage(QWidget):
    """The storage account (changed and removed through buttons, at once) and how uploads go:
    connections at once, part size, bandwidth limit (saved with the dialog)."""

    def __init__(
        self,
        *,
        connections_range: tuple[int, int],
        connections_default: int,
        part_size_mb_range: tuple[int, int],
        part_size_mb_default: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("uploadsPage")
        account_box = QGroupBox("Storage account")
        account_layout = QVBoxLayout(account_box)
        self.account_summary = QLabel()
        self.account_summary.setObjectName("accountSummary")
        self.account_summary.setTextFormat(Qt.TextFormat.RichText)
        self.account_summary.setWordWrap(True)
        self.account_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_account_button = QPushButton("&Change…")
        self.change_account_button.setObjectName("changeAccountButton")
        self.change_account_button.setAutoDefault(False)
        self.remove_account_button = QPushButton("&Remove Account…")
        self.remove_account_button.setObjectName("removeAccountButton")
        self.remove_account_button.setAutoDefault(False)
        self.remove_account_button.setToolTip(
            "Forget the account and remove its key from this computer's credential store"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_account_button)
        buttons.addWidget(self.remove_account_button)
        buttons.addStretch(1)
        account_layout.addWidget(self.account_summary)
        account_layout.addLayout(buttons)

        transfer_box = QGroupBox("Transfers")
        form = _form()
        transfer_box.setLayout(form)
        self.connections = BoundedSpinBox(*connections_range)
        self.connections.setObjectName("connectionsSpin")
        self.connections.setAccessibleName("Connections at once")
        self.connections.setMinimumWidth(120)
        _fixed_width(self.connections)
        self.part_size = BoundedSpinBox(*part_size_mb_range)
        self.part_size.setObjectName("partSizeSpin")
        self.part_size.setAccessibleName("Part size in megabytes")
        self.part_size.setSuffix(" MB")
        self.part_size.setSingleStep(5)
        self.part_size.setMinimumWidth(120)
        _fixed_width(self.part_size)
        self.bandwidth = QDoubleSpinBox()
        self.bandwidth.setObjectName("bandwidthSpin")
        self.bandwidth.setAccessibleName("Bandwidth limit")
        self.bandwidth.setRange(0.0, _BANDWIDTH_MAX_MB_PER_S)
        self.bandwidth.setDecimals(1)
        self.bandwidth.setSingleStep(0.5)
        self.bandwidth.setSuffix(" MB/s")
        self.bandwidth.setSpecialValueText("No limit")
        self.bandwidth.setMinimumWidth(120)
        _fixed_width(self.bandwidth)
        low, high = connections_range
        form.addRow(self._label("Connections at &once:", self.connections), self.connections)
        form.addRow(
            "",
            _hint(
                f"From {low} to {high}; default {connections_default}. How many pieces of your "
                "videos are sent at the same time; more can be faster on a fast connection."
            ),
        )
        low, high = part_size_mb_range
        form.addRow(self._label("&Part size:", self.part_size), self.part_size)
        form.addRow(
            "",
            _hint(
                f"From {low} to {high} MB; default {part_size_mb_default} MB ({low} MB is "
                "B2's smallest). Large videos are sent in parts of this size; uploads already "
                "under way keep theirs."
            ),
        )
        form.addRow(self._label("&Bandwidth limit:", self.bandwidth), self.bandwidth)
        form.addRow(
            "",
            _hint(
                "Shared by all uploads, so the rest of your connection stays usable. The "
                "Uploads panel has the same control."
            ),
        )

        # Shown instead of the controls' use when the window has no uploads.
        self.unavailable = QLabel(
            "Uploads aren't available in this window, so their account and transfer "
            "settings can't be changed here."
        )
        self.unavailable.setObjectName("uploadsUnavailable")
        self.unavailable.setWordWrap(True)
        self.unavailable.hide()
        self._boxes = (account_box, transfer_box)

        layout = _page_layout(self)
        layout.addWidget(self.unavailable)
        layout.addWidget(account_box)
        layout.addWidget(transfer_box)
        layout.addStretch(1)

    def set_available(self, available: bool) -> None:
        """Without uploads, the page says so and its controls are disabled."""
        self.unavailable.setVisible(not available)
        for box in self._boxes:
            box.setEnabled(available)
        if not available:
            self.account_summary.setText("No storage account in use here.")

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def show_account(self, account: StorageSettings | None) -> None:
        self.account_summary.setText(account_summary(account))
        self.change_account_button.setText("&Change…" if account is not None else "&Set Up…")
        self.remove_account_button.setEnabled(account is not None)


class LibraryPage(QWidget):
    """Where the library lives; a new folder is used from the next start."""

    def __init__(self, in_use: Path, default: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPage")
        self.default_folder = default
        box = QGroupBox("Library folder")
        box_layout = QVBoxLayout(box)
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("libraryFolderEdit")
        self.folder_edit.setAccessibleName("Library folder")
        self.folder_edit.setPlaceholderText(str(default))
        self.folder_edit.setClearButtonEnabled(True)
        self.choose_button = QPushButton("C&hange…")
        self.choose_button.setObjectName("chooseLibraryFolderButton")
        self.choose_button.setAutoDefault(False)
        self.default_button = QPushButton("Use &Default")
        self.default_button.setObjectName("defaultLibraryFolderButton")
        self.default_button.setAutoDefault(False)
        self.default_button.setToolTip(f"Keep the library in {default}")
        self.default_button.clicked.connect(self.folder_edit.clear)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.default_button)
        self.in_use = QLabel(f"In use now: <b>{_escape(str(in_use))}</b>")
        self.in_use.setObjectName("libraryInUse")
        self.in_use.setTextFormat(Qt.TextFormat.RichText)
        self.in_use.setWordWrap(True)
        self.in_use.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_start = QLabel()
        self.next_start.setObjectName("libraryNextStart")
        self.next_start.setTextFormat(Qt.TextFormat.RichText)
        self.next_start.setWordWrap(True)
        self.next_start.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._in_use_folder = in_use
        box_layout.addLayout(row)
        box_layout.addWidget(self.in_use)
        box_layout.addWidget(self.next_start)
        box_layout.addWidget(
            _hint(
                "The folder holds the library, its storage settings and the window layout. "
                "A new folder takes effect the next time CourseDesk starts: if it holds no "
                "library yet, CourseDesk starts a new, empty one there, and the current "
                "library stays where it is. When CourseDesk is started with --data-dir or "
                "COURSEDESK_DATA_DIR, that folder is used instead.",
                "libraryFolderNote",
            )
        )
        layout = _page_layout(self)
        layout.addWidget(box)
        layout.addStretch(1)

    def folder(self) -> Path | None:
        """The folder as typed (None: the default)."""
        text = self.folder_edit.text().strip()
        if not text:
            return None
        folder = Path(text).expanduser()
        return None if folder == self.default_folder else folder

    def show_folder(self, folder: Path | None) -> None:
        self.folder_edit.setText(str(folder) if folder is not None else "")

    def show_next_start(self, folder: Path) -> None:
        """Say which folder the next start uses, when it is not the one in use."""
        different = folder != self._in_use_folder
        self.next_start.setText(
            f"From the next start: <b>{_escape(str(folder))}</b>" if different else ""
        )
        self.next_start.setVisible(different)
