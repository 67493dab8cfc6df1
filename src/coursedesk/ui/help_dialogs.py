"""Help ▸ Keyboard Shortcuts and Help ▸ About CourseDesk.

The shortcuts list is made from the window itself: every action in its menus, every other
action with a shortcut on one of its widgets, and the keys views handle themselves (quick
look, the player's J/K/L …), which :data:`VIEW_KEYS` names because no action carries them.
So a new action with a shortcut shows up in the list without anyone writing it down twice.
"""

from __future__ import annotations

import platform
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata

import av
import PySide6
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from coursedesk import __version__
from coursedesk.ui.item_painting import paint_cell_frame
from coursedesk.ui.resources import app_icon

# A QAction property: the name the shortcuts list gives an action whose text changes (Undo
# reads "Undo Move 3 videos" while there is something to undo).
SHORTCUT_LABEL = "shortcutLabel"
GENERAL_SECTION = "Window"
_NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True, slots=True)
class Shortcut:
    """One line of the list: where it works, what it does, its keys (as shown)."""

    section: str
    action: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ViewKey:
    """A key a view handles itself, without an action."""

    section: str
    action: str
    keys: tuple[QKeySequence.StandardKey | Qt.Key | str, ...]

    def shortcut(self) -> Shortcut:
        return Shortcut(self.section, self.action, tuple(_key_text(k) for k in self.keys))


# Keys handled in keyPressEvent or event filters: quick look (ui/player/quick_look.py), the
# player (ui/player/player_pane.py), the grid's Delete (ui/library_view.py) and the Trash.
VIEW_KEYS: tuple[ViewKey, ...] = (
    ViewKey("Chapters and library", "Quick look at the current video", (Qt.Key.Key_Space,)),
    ViewKey("Chapters and library", "Close quick look", (Qt.Key.Key_Escape,)),
    ViewKey("Chapters and library", "Play the current video in the Player", (Qt.Key.Key_Return,)),
    ViewKey("Chapters and library", "Open the context menu", (Qt.Key.Key_Menu,)),
    ViewKey(
        "Media library",
        "Move the selected videos to the Trash",
        (QKeySequence.StandardKey.Delete, Qt.Key.Key_Backspace),
    ),
    ViewKey("Player", "Play or pause", (Qt.Key.Key_Space,)),
    ViewKey("Player", "Pause", (Qt.Key.Key_K,)),
    ViewKey("Player", "Play; again to play faster", (Qt.Key.Key_L,)),
    ViewKey("Player", "Back 5 seconds; slower while playing fast", (Qt.Key.Key_J,)),
    ViewKey("Player", "Back or forward 5 seconds", (Qt.Key.Key_Left, Qt.Key.Key_Right)),
    ViewKey("Player", "Previous or next frame", (Qt.Key.Key_Comma, Qt.Key.Key_Period)),
    ViewKey("Player", "Mute or unmute", (Qt.Key.Key_M,)),
    ViewKey("Player", "Full screen on or off", (Qt.Key.Key_F,)),
    ViewKey("Trash", "Restore the selection", (Qt.Key.Key_Return,)),
)


def _key_text(key: QKeySequence.StandardKey | Qt.Key | str) -> str:
    if isinstance(key, QKeySequence.StandardKey):
        bindings = QKeySequence.keyBindings(key)
        return bindings[0].toString(_NATIVE) if bindings else ""
    if isinstance(key, Qt.Key):
        return QKeySequence(key).toString(_NATIVE)
    return QKeySequence(key).toString(_NATIVE)


def plain_text(text: str) -> str:
    """An action's text as a list shows it: no mnemonic marker, no trailing ellipsis."""
    marker = "\0"
    cleaned = text.replace("&&", marker).replace("&", "").replace(marker, "&")
    return cleaned.removesuffix("…").removesuffix("...").strip()


def action_label(action: QAction) -> str:
    label = action.property(SHORTCUT_LABEL)
    return str(label) if label else plain_text(action.text())


def _keys(action: QAction) -> tuple[str, ...]:
    return tuple(text for s in action.shortcuts() if (text := s.toString(_NATIVE)))


def _section_of(action: QAction, window: QWidget) -> str:
    """Where an action that is in no menu works: the named widget it belongs to."""
    for owner in action.associatedObjects():
        widget: QObject | None = owner
        while isinstance(widget, QWidget) and widget is not window:
            if name := widget.accessibleName() or widget.windowTitle():
                return name
            widget = widget.parent()
    return GENERAL_SECTION


def window_shortcuts(
    window: QMainWindow, view_keys: Iterable[ViewKey] = VIEW_KEYS
) -> list[Shortcut]:
    """Every shortcut of ``window``: menus first (in menu order), then widgets' own actions,
    then the keys views handle themselves."""
    listed: set[QAction] = set()
    found: list[Shortcut] = []

    def walk(menu: QMenu, section: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, section)
                continue
            listed.add(action)
            keys = _keys(action)
            if keys and action.text():
                found.append(Shortcut(section, action_label(action), keys))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, plain_text(top.text()))
    for action in window.findChildren(QAction):
        if action in listed or not action.text() or not action.associatedObjects():
            continue
        keys = _keys(action)
        if keys:
            listed.add(action)
            found.append(Shortcut(_section_of(action, window), action_label(action), keys))
    found.extend(key.shortcut() for key in view_keys)
    return _merged(found)


def _merged(shortcuts: Sequence[Shortcut]) -> list[Shortcut]:
    """Sections in first-seen order; the same line twice (two windows' actions) once."""
    order: dict[str, list[Shortcut]] = {}
    for shortcut in shortcuts:
        lines = order.setdefault(shortcut.section, [])
        if shortcut not in lines:
            lines.append(shortcut)
    return [line for lines in order.values() for line in lines]


# ---------------------------------------------------------------------- the dialog

KeysRole = Qt.ItemDataRole.UserRole + 1


class KeycapDelegate(QStyledItemDelegate):
    """Draws a shortcut's keys as small key caps: ``Ctrl`` ``Shift`` ``Z``."""

    PADDING = 6
    GAP = 3

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        keys = index.data(KeysRole)
        if not isinstance(keys, tuple):
            super().paint(painter, option, index)
            return
        paint_cell_frame(self, painter, option, index)
        palette: QPalette = option.palette
        rect: QRect = option.rect
        font: QFont = option.font
        metrics = QFontMetrics(font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        x = float(rect.left() + 4)
        height = metrics.height() + 4
        top = rect.top() + (rect.height() - height) / 2
        for n, sequence in enumerate(keys):
            if n:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                comma = QRectF(x, top, metrics.horizontalAdvance("or") + 8, height)
                painter.drawText(comma, Qt.AlignmentFlag.AlignCenter, "or")
                x = comma.right()
            for part in _key_parts(sequence):
                width = metrics.horizontalAdvance(part) + 2 * self.PADDING
                cap = QRectF(x, top, width, height)
                painter.setPen(palette.color(QPalette.ColorRole.Mid))
                painter.setBrush(palette.color(QPalette.ColorRole.Button))
                painter.drawRoundedRect(cap.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
                painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
                painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, part)
                x = cap.right() + self.GAP
            x += 2
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        return QSize(size.width(), max(size.height(), metrics.height() + 10))


def _key_parts(sequence: str) -> list[str]:
    """``Ctrl+Shift+Z`` → ``Ctrl``, ``Shift``, ``Z``; ``Ctrl++`` keeps its plus."""
    parts: list[str] = []
    for chord in sequence.split(", "):
        piece = ""
        for n, char in enumerate(chord):
            if char == "+" and piece and n + 1 < len(chord):
                parts.append(piece)
                piece = ""
            else:
                piece += char
        if piece:
            parts.append(piece)
    return parts


class _ShortcutFilter(QSortFilterProxyModel):
    """Matches the action's name, its keys or its section (every word of the search)."""

    needle = ""

    def search(self, text: str) -> None:
        self.needle = text.strip().casefold()
        # Setting the (unused) fixed string is what makes the proxy filter again.
        self.setFilterFixedString(self.needle)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        needle = self.needle
        if not needle:
            return True
        model = self.sourceModel()
        if not source_parent.isValid():
            section = str(model.index(source_row, 0, source_parent).data() or "")
            return needle in section.casefold()
        parent_text = str(source_parent.data() or "")
        name = str(model.index(source_row, 0, source_parent).data() or "")
        keys = model.index(source_row, 1, source_parent).data(KeysRole) or ()
        haystack = " ".join((parent_text, name, *keys)).casefold()
        return all(word in haystack for word in needle.split())


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut of a window, grouped by where it works, with a search."""

    def __init__(self, shortcuts: Sequence[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(620, 640)
        self.shortcuts = list(shortcuts)

        self.search = QLineEdit()
        self.search.setObjectName("shortcutsSearch")
        self.search.setAccessibleName("Search shortcuts")
        self.search.setPlaceholderText("Search actions or keys")
        self.search.setClearButtonEnabled(True)

        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Action", "Keys"])
        sections: dict[str, QStandardItem] = {}
        for shortcut in self.shortcuts:
            section = sections.get(shortcut.section)
            if section is None:
                section = QStandardItem(shortcut.section)
                section.setEditable(False)
                bold = QFont(self.font())
                bold.setWeight(QFont.Weight.DemiBold)
                section.setFont(bold)
                filler = QStandardItem()
                filler.setEditable(False)
                self.model.appendRow([section, filler])
                sections[shortcut.section] = section
            name = QStandardItem(shortcut.action)
            name.setEditable(False)
            keys = QStandardItem(", ".join(shortcut.keys))
            keys.setData(shortcut.keys, KeysRole)
            keys.setEditable(False)
            keys.setToolTip(" or ".join(shortcut.keys))
            section.appendRow([name, keys])
        self.proxy = _ShortcutFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)

        self.view = QTreeView()
        self.view.setObjectName("shortcutsView")
        self.view.setAccessibleName("Keyboard shortcuts")
        self.view.setModel(self.proxy)
        self.view.setItemDelegateForColumn(1, KeycapDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setRootIsDecorated(False)
        self.view.setItemsExpandable(False)
        header = self.view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.view.setColumnWidth(1, 230)
        self.nothing = QLabel()
        self.nothing.setObjectName("shortcutsNothing")
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.nothing.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.nothing, 1)
        layout.addWidget(buttons)

        self.search.textChanged.connect(self._search)
        self._search("")
        self.search.setFocus()

    def _search(self, text: str) -> None:
        self.proxy.search(text)
        self.view.expandAll()
        for row in range(self.proxy.rowCount()):
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)
        empty = self.proxy.rowCount() == 0
        self.view.setVisible(not empty)
        self.nothing.setVisible(empty)
        self.nothing.setText(f"No shortcut matches “{text.strip()}”")

    def visible_lines(self) -> list[Shortcut]:
        """The lines the list shows now, top to bottom."""
        lines: list[Shortcut] = []
        for row in range(self.proxy.rowCount()):
            section = self.proxy.index(row, 0)
            for child in range(self.proxy.rowCount(section)):
                name = self.proxy.index(child, 0, section).data()
                keys = self.proxy.index(child, 1, section).data(KeysRole)
                lines.append(Shortcut(str(section.data()), str(name), tuple(keys)))
        return lines


# ---------------------------------------------------------------------- about


def component_versions() -> list[tuple[str, str]]:
    """What this copy of CourseDesk is made of, as (name, version)."""
    try:
        b2sdk = metadata.version("b2sdk")
    except metadata.PackageNotFoundError:
        b2sdk = "not installed"
    return [
        ("CourseDesk", __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("PyAV", av.__version__),
        ("FFmpeg", str(av.ffmpeg_version_info)),
        ("b2sdk", b2sdk),
        ("SQLite", sqlite3.sqlite_version),
        ("Python", platform.python_version()),
        ("System", platform.platform(terse=True)),
    ]


def about_text(versions: Sequence[tuple[str, str]], folders: Sequence[tuple[str, str]]) -> str:
    """The plain text Copy puts on the clipboard (for a bug report)."""
    width = max(len(name) for name, _ in (*versions, *folders))
    return "\n".join(f"{name + ':':<{width + 1}} {value}" for name, value in (*versions, *folders))


class AboutDialog(QDialog):
    """Versions of CourseDesk and what it is built on, where it keeps its files, and Copy."""

    def __init__(
        self,
        folders: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        versions: Sequence[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About CourseDesk")
        self.versions = list(versions if versions is not None else component_versions())
        self.folders = list(folders)

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(64, 64)))
        name = QLabel("CourseDesk")
        big = QFont(self.font())
        big.setPointSizeF(max(big.pointSizeF(), 9.0) * 1.7)
        big.setWeight(QFont.Weight.DemiBold)
        name.setFont(big)
        version = QLabel(f"Version {__version__}")
        version.setObjectName("aboutVersion")
        blurb = QLabel(
            "Build video courses offline; CourseDesk uploads them to Backblaze B2 "
            "in the background."
        )
        blurb.setWordWrap(True)
        blurb.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(name)
        heading.addWidget(version)
        heading.addWidget(blurb)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(5)
        self.value_labels: dict[str, QLabel] = {}
        for label, value in self.versions:
            form.addRow(f"{label}:", self._value(label, value))
        gap = QWidget()
        gap.setFixedHeight(6)
        form.addRow(gap)
        for label, value in self.folders:
            form.addRow(f"{label}:", self._value(label, value, link=label.endswith("folder")))

        self.copy_button = QPushButton("&Copy")
        self.copy_button.setObjectName("aboutCopyButton")
        self.copy_button.setToolTip("Copy these versions and folders, for a bug report")
        self.copy_button.clicked.connect(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 14)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _value(self, label: str, value: str, *, link: bool = False) -> QLabel:
        shown = QLabel()
        shown.setObjectName(f"about{label.replace(' ', '')}")
        if link:
            url = QUrl.fromLocalFile(value).toString()
            shown.setText(f'<a href="{url}">{_escape(value)}</a>')
            shown.setTextFormat(Qt.TextFormat.RichText)
            shown.setOpenExternalLinks(True)
            shown.setToolTip("Open this folder")
            shown.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextBrowserInteraction
                | Qt.TextInteractionFlag.TextSelectableByMouse
            )
        else:
            shown.setText(value)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setWordWrap(True)
        self.value_labels[label] = shown
        return shown

    def text(self) -> str:
        return about_text(self.versions, self.folders)

    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.text())
        self.copy_button.setText("Copied")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
