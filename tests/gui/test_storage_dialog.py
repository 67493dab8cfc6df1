"""Settings ▸ Storage…: the account is tested against the loopback B2 emulator, saved with
its key in the keyring and the rest in storage.json."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from tests.support.b2_emulator import B2Emulator

from coursedesk.services.upload.account import KEYRING_SERVICE, StorageSettings, Verdict
from coursedesk.services.upload.settings_file import (
    load_upload_config,
    save_account,
    storage_file,
)
from coursedesk.ui.uploads.storage_dialog import StorageDialog

WAIT_MS = 60_000


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


def make_dialog(
    qtbot: QtBot, folder: Path, current: StorageSettings | None = None, *, has_key: bool = False
) -> StorageDialog:
    dialog = StorageDialog(
        current,
        lambda account, key: save_account(folder, account, key),
        has_saved_key=has_key,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: StorageDialog, emulator: B2Emulator, *, app_key: str | None = None) -> None:
    dialog.key_id_edit.setText(emulator.key_id)
    dialog.app_key_edit.setText(app_key if app_key is not None else emulator.app_key)
    dialog.bucket_edit.setText(emulator.bucket_name)
    dialog.advanced_toggle.setChecked(True)
    dialog.realm_edit.setText(emulator.realm_url)


def run_test(qtbot: QtBot, dialog: StorageDialog) -> None:
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == "Testing…"
    qtbot.waitUntil(lambda: dialog.last_check is not None, timeout=WAIT_MS)
    assert not dialog.is_testing()


def test_test_connection_with_the_right_account_says_connected(
    qtbot: QtBot, folder: Path, b2_emulator: B2Emulator
) -> None:
    dialog = make_dialog(qtbot, folder)
    fill(dialog, b2_emulator)

    run_test(qtbot, dialog)

    assert dialog.last_check is not None and dialog.last_check.verdict is Verdict.OK
    assert b2_emulator.bucket_name in dialog.result_label.text()
    assert "Connected" in dialog.result_label.text()
    assert dialog.result_icon.pixmap() is not None and not dialog.result_icon.pixmap().isNull()


def test_a_wrong_key_is_named_as_such(qtbot: QtBot, folder: Path, b2_emulator: B2Emulator) -> None:
    dialog = make_dialog(qtbot, folder)
    fill(dialog, b2_emulator, app_key="K000-not-the-key")

    run_test(qtbot, dialog)

    assert dialog.last_check is not None and dialog.last_check.verdict is Verdict.BAD_KEY
    assert "key" in dialog.result_label.text().lower()
    assert "K000-not-the-key" not in dialog.result_label.text()


def test_a_missing_bucket_is_named(qtbot: QtBot, folder: Path, b2_emulator: B2Emulator) -> None:
    dialog = make_dialog(qtbot, folder)
    fill(dialog, b2_emulator)
    dialog.bucket_edit.setText("no-such-bucket-here")

    run_test(qtbot, dialog)

    assert dialog.last_check is not None
    assert dialog.last_check.verdict in (Verdict.NO_SUCH_BUCKET, Verdict.BUCKET_NOT_ALLOWED)
    assert "no-such-bucket-here" in dialog.result_label.text()


def test_an_unreachable_endpoint_says_offline(qtbot: QtBot, folder: Path) -> None:
    dialog = make_dialog(qtbot, folder)
    dialog.key_id_edit.setText("key")
    dialog.app_key_edit.setText("secret")
    dialog.bucket_edit.setText("bucket")
    dialog.realm_edit.setText("http://127.0.0.1:9")  # the discard port: nothing listens

    run_test(qtbot, dialog)

    assert dialog.last_check is not None and dialog.last_check.verdict is Verdict.OFFLINE


def test_incomplete_fields_say_what_is_missing_and_cannot_be_saved(
    qtbot: QtBot, folder: Path
) -> None:
    dialog = make_dialog(qtbot, folder)
    assert not dialog.save_button.isEnabled()
    dialog.key_id_edit.setText("0051a2b3")
    dialog.bucket_edit.setText("lectures")
    assert not dialog.save_button.isEnabled()

    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)

    assert dialog.result_label.text() == "Enter the application key."
    dialog.app_key_edit.setText("secret")
    assert dialog.save_button.isEnabled()
    assert dialog.result_label.text() == ""  # the old answer was about other fields


def test_save_puts_the_key_in_the_keyring_and_never_in_the_file(
    qtbot: QtBot, folder: Path, b2_emulator: B2Emulator
) -> None:
    dialog = make_dialog(qtbot, folder)
    fill(dialog, b2_emulator)
    dialog.prefix_edit.setText("school/")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == StorageDialog.DialogCode.Accepted
    assert keyring.get_password(KEYRING_SERVICE, b2_emulator.key_id) == b2_emulator.app_key
    text = storage_file(folder).read_text(encoding="utf-8")
    assert b2_emulator.app_key not in text
    assert json.loads(text)["account"] == {
        "key_id": b2_emulator.key_id,
        "bucket": b2_emulator.bucket_name,
        "name_prefix": "school/",
        "realm": b2_emulator.realm_url,
    }
    assert load_upload_config(folder).account == StorageSettings(
        b2_emulator.key_id, b2_emulator.bucket_name, "school/", b2_emulator.realm_url
    )


def test_an_empty_key_field_keeps_the_saved_key_for_test_and_save(
    qtbot: QtBot, folder: Path, b2_emulator: B2Emulator
) -> None:
    account = StorageSettings(
        b2_emulator.key_id, b2_emulator.bucket_name, "", b2_emulator.realm_url
    )
    save_account(folder, account, b2_emulator.app_key)
    dialog = make_dialog(qtbot, folder, account, has_key=True)
    assert dialog.app_key_edit.text() == ""
    assert dialog.advanced.isVisibleTo(dialog)  # a custom endpoint shows itself
    assert dialog.save_button.isEnabled()

    run_test(qtbot, dialog)
    assert dialog.last_check is not None and dialog.last_check.ok

    dialog.bucket_edit.setText("another-bucket")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert keyring.get_password(KEYRING_SERVICE, b2_emulator.key_id) == b2_emulator.app_key
    saved = load_upload_config(folder).account
    assert saved is not None and saved.bucket == "another-bucket"


def test_a_locked_keyring_is_reported_and_nothing_is_saved(
    qtbot: QtBot, folder: Path, b2_emulator: B2Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    backend = keyring.get_keyring()
    backend.broken = True  # type: ignore[attr-defined]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    dialog = make_dialog(qtbot, folder)
    fill(dialog, b2_emulator)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert warnings and "credential store" in warnings[0]
    assert dialog.isVisible()
    assert not storage_file(folder).exists()


def test_the_dialog_is_usable_from_the_keyboard(qtbot: QtBot, folder: Path) -> None:
    dialog = make_dialog(qtbot, folder)
    labels = {label.buddy() for label in dialog.findChildren(QLabel)}
    for edit in (dialog.key_id_edit, dialog.app_key_edit, dialog.bucket_edit, dialog.prefix_edit):
        assert edit in labels
        assert edit.accessibleName()
    assert dialog.app_key_edit.echoMode() is dialog.app_key_edit.EchoMode.Password
    dialog.show_key.setChecked(True)
    assert dialog.app_key_edit.echoMode() is dialog.app_key_edit.EchoMode.Normal
