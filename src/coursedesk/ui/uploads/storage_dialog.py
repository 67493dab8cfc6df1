"""Settings ▸ Storage…: the Backblaze B2 account uploads go to, with "Test connection"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coursedesk.domain.model import VideoStatus
from coursedesk.services.tasks import PoolRunner, TaskRunner
from coursedesk.services.upload.account import (
    ConnectionCheck,
    KeyringUnavailable,
    StorageSettings,
    Verdict,
    load_application_key,
    test_connection,
)
from coursedesk.services.upload.gateway import PRODUCTION_REALM
from coursedesk.ui.icons import status_icon

SaveAccount = Callable[[StorageSettings, str | None], None]

_INTRO = (
    "CourseDesk uploads your videos to a Backblaze B2 bucket in the background. In your B2 "
    "account, create an application key with access to that bucket "
    "(<i>Application Keys ▸ Add a New Application Key</i>) and enter it here. The key is kept "
    "in this computer's credential store, never in CourseDesk's files."
)
_KEEP_KEY_HINT = "Saved on this computer — leave empty to keep it"


def _verdict_icon(check: ConnectionCheck) -> QIcon:
    if check.ok:
        return status_icon(VideoStatus.UPLOADED)
    if check.verdict in (Verdict.OFFLINE, Verdict.INCOMPLETE):
        return status_icon(VideoStatus.MISSING)
    return status_icon(VideoStatus.FAILED)


class StorageDialog(QDialog):
    """Key ID, application key, bucket, name prefix (and, under Advanced, the endpoint)."""

    def __init__(
        self,
        current: StorageSettings | None,
        save: SaveAccount,
        *,
        has_saved_key: bool = False,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("storageDialog")
        self.setWindowTitle("Storage Settings")
        self.setMinimumWidth(560)
        self._current = current
        self._save = save
        self._has_saved_key = has_saved_key and current is not None
        self._runner: TaskRunner = runner or PoolRunner(max_threads=1)
        self._test_generation = 0
        self._closed = False
        self.last_check: ConnectionCheck | None = None

        intro = QLabel(_INTRO)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setObjectName("storageIntro")

        self.key_id_edit = self._line("keyIdEdit", "Key ID", "e.g. 0051a2b3c4d5e6f0000000001")
        self.app_key_edit = self._line(
            "applicationKeyEdit",
            "Application key",
            _KEEP_KEY_HINT if self._has_saved_key else "shown once, when you created the key",
        )
        self.app_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_key = QCheckBox("Sho&w")
        self.show_key.setObjectName("showKeyCheck")
        self.show_key.setToolTip("Show the application key as you type it")
        self.show_key.toggled.connect(self._show_key_toggled)
        key_row = QHBoxLayout()
        key_row.setContentsMargins(0, 0, 0, 0)
        key_row.addWidget(self.app_key_edit, 1)
        key_row.addWidget(self.show_key)
        self.bucket_edit = self._line("bucketEdit", "Bucket", "the bucket's name")
        self.prefix_edit = self._line("namePrefixEdit", "Name prefix", "optional, e.g. coursedesk/")
        self.realm_edit = self._line("realmEdit", "Endpoint", PRODUCTION_REALM)
        self.realm_edit.setToolTip(
            "Leave at “production” for Backblaze B2. Another endpoint URL is for testing "
            "against a B2-compatible emulator."
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label("&Key ID:", self.key_id_edit), self.key_id_edit)
        form.addRow(self._label("Application &key:", self.app_key_edit), key_row)
        form.addRow(self._label("&Bucket:", self.bucket_edit), self.bucket_edit)
        form.addRow(self._label("Name &prefix:", self.prefix_edit), self.prefix_edit)

        self.advanced_toggle = QCheckBox("&Advanced: endpoint")
        self.advanced_toggle.setObjectName("advancedToggle")
        self.advanced = QWidget()
        advanced_form = QFormLayout(self.advanced)
        advanced_form.setContentsMargins(0, 0, 0, 0)
        advanced_form.addRow(self._label("&Endpoint (realm):", self.realm_edit), self.realm_edit)
        self.advanced_toggle.toggled.connect(self.advanced.setVisible)

        self.test_button = QPushButton("&Test Connection")
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.spinner = QProgressBar()
        self.spinner.setObjectName("testSpinner")
        self.spinner.setRange(0, 0)
        self.spinner.setTextVisible(False)
        self.spinner.setFixedSize(64, 10)
        self.spinner.hide()
        self.result_icon = QLabel()
        self.result_icon.setObjectName("testResultIcon")
        self.result_icon.setFixedWidth(20)
        self.result_label = QLabel()
        self.result_label.setObjectName("testResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.spinner, 0, Qt.AlignmentFlag.AlignVCenter)
        test_row.addWidget(self.result_icon, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.result_label, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.advanced_toggle)
        layout.addWidget(self.advanced)
        layout.addLayout(test_row)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if current is not None:
            self.key_id_edit.setText(current.key_id)
            self.bucket_edit.setText(current.bucket)
            self.prefix_edit.setText(current.name_prefix)
            self.realm_edit.setText(current.realm)
        else:
            self.realm_edit.setText(PRODUCTION_REALM)
        custom_realm = self.realm_edit.text().strip() not in ("", PRODUCTION_REALM)
        self.advanced_toggle.setChecked(custom_realm)
        self.advanced.setVisible(custom_realm)
        for edit in (self.key_id_edit, self.app_key_edit, self.bucket_edit, self.prefix_edit):
            edit.textChanged.connect(self._fields_changed)
        self.realm_edit.textChanged.connect(self._fields_changed)
        self._fields_changed()

    # ------------------------------------------------------------------ construction

    def _line(self, object_name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(object_name != "applicationKeyEdit")
        return edit

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _show_key_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.app_key_edit.setEchoMode(mode)

    # ------------------------------------------------------------------ fields

    def settings(self) -> StorageSettings:
        """The account as typed."""
        realm = self.realm_edit.text().strip() or PRODUCTION_REALM
        return StorageSettings(
            key_id=self.key_id_edit.text().strip(),
            bucket=self.bucket_edit.text().strip(),
            name_prefix=self.prefix_edit.text().strip(),
            realm=realm,
        )

    def _typed_key(self) -> str:
        return self.app_key_edit.text().strip()

    def _keeps_saved_key(self) -> bool:
        current = self._current
        return (
            self._has_saved_key
            and not self._typed_key()
            and current is not None
            and current.key_id == self.settings().key_id
        )

    def _problem(self) -> str | None:
        problem = self.settings().problem()
        if problem is None and not self._typed_key() and not self._keeps_saved_key():
            problem = "Enter the application key."
        return problem

    def _fields_changed(self) -> None:
        self.save_button.setEnabled(self._problem() is None)
        # A result is about the fields it was tested with.
        self._test_generation += 1
        self._set_testing(False)
        if self.last_check is not None:
            self.last_check = None
            self.result_icon.clear()
            self.result_label.clear()

    # ------------------------------------------------------------------ test connection

    def test_connection(self) -> None:
        """Sign in with the fields on a worker and show what B2 says (or what is missing)."""
        problem = self._problem()
        if problem is not None:
            self._show_check(ConnectionCheck(Verdict.INCOMPLETE, problem))
            return
        settings = self.settings()
        typed = self._typed_key()
        self._test_generation += 1
        generation = self._test_generation
        self._set_testing(True)

        def work() -> ConnectionCheck:
            key = typed or load_application_key(settings.key_id) or ""
            return test_connection(settings, key)

        self._runner.run(
            work,
            lambda check: self._tested(generation, check),
            lambda exc: self._tested(generation, self._failure(exc)),
        )

    @staticmethod
    def _failure(exc: BaseException) -> ConnectionCheck:
        if isinstance(exc, KeyringUnavailable):
            return ConnectionCheck(Verdict.TROUBLE, exc.message)
        return ConnectionCheck(Verdict.TROUBLE, "The test could not run. Try again.")

    def _tested(self, generation: int, check: ConnectionCheck) -> None:
        if self._closed or generation != self._test_generation:
            return  # the fields changed meanwhile, or the dialog is gone
        self._set_testing(False)
        self._show_check(check)

    def _set_testing(self, testing: bool) -> None:
        self.spinner.setVisible(testing)
        self.test_button.setEnabled(not testing)
        if testing:
            self.result_icon.clear()
            self.result_label.setText("Testing…")

    def _show_check(self, check: ConnectionCheck) -> None:
        self.last_check = check
        self.result_icon.setPixmap(_verdict_icon(check).pixmap(18, 18))
        self.result_label.setText(check.message)
        self.result_label.setAccessibleName(f"Test result: {check.message}")

    def is_testing(self) -> bool:
        return self.spinner.isVisibleTo(self)

    # ------------------------------------------------------------------ save

    def save(self) -> None:
        if self._problem() is not None:
            return
        key = self._typed_key() or None
        try:
            self._save(self.settings(), key)
        except KeyringUnavailable as exc:
            QMessageBox.warning(self, "Storage Settings", exc.message)
            return
        self.accept()

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)
