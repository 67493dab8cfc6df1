"""The log: a rotating file in the user log folder that never holds a key or a token."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.b2_emulator import B2Emulator

from coursedesk import logs
from coursedesk.logs import LOG_LEVEL_ENV, MASK, logging_to_file, redact, remember_secret
from coursedesk.paths import LOG_DIR_ENV, log_dir
from coursedesk.services.upload.errors import BadKey
from coursedesk.services.upload.gateway import B2Gateway, Credentials

log = logging.getLogger("coursedesk.tests.logs")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    return tmp_path / "logs"


@pytest.fixture
def debug_log(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(LOG_LEVEL_ENV, "DEBUG")
    with logging_to_file() as path:
        yield path


def test_log_folder_comes_from_the_environment_else_the_user_log_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert log_dir() == folder.resolve()
    monkeypatch.delenv(LOG_DIR_ENV)
    assert "CourseDesk" in str(log_dir())


def test_the_log_file_is_written_in_the_log_folder_and_closed_afterwards(folder: Path) -> None:
    root = logging.getLogger()
    handlers_before, level_before = list(root.handlers), root.level
    with logging_to_file() as path:
        log.info("course opened")
        assert path == folder.resolve() / "coursedesk.log"
    assert root.handlers == handlers_before and root.level == level_before
    text = path.read_text(encoding="utf-8")
    assert "CourseDesk" in text and "starting" in text
    assert "coursedesk.tests.logs: course opened" in text


def test_a_nested_setup_shares_the_first_one_file(folder: Path) -> None:
    with logging_to_file() as outer:
        count = len(logging.getLogger().handlers)
        with logging_to_file() as inner:
            assert inner == outer
            assert len(logging.getLogger().handlers) == count
            log.info("inside both")
        log.info("after the inner one ended")
    text = outer.read_text(encoding="utf-8")
    assert "inside both" in text and "after the inner one ended" in text


def test_the_log_rotates_and_keeps_five_old_files(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_LOG_BYTES", 2_000)
    with logging_to_file() as path:
        for i in range(400):
            log.info("line %04d %s", i, "x" * 60)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "coursedesk.log",
        *(f"coursedesk.log.{n}" for n in range(1, logs.KEPT_LOG_FILES + 1)),
    ]
    assert all(p.stat().st_size <= 2_000 for p in folder.iterdir())
    # The newest lines are in the current file, the oldest were let go.
    assert "line 0399" in path.read_text(encoding="utf-8")
    assert not any("line 0000" in p.read_text(encoding="utf-8") for p in folder.iterdir())


def test_an_unwritable_log_folder_does_not_stop_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(LOG_DIR_ENV, str(blocker / "logs"))
    with logging_to_file():
        log.info("still running")
    assert "can't write its log" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("headers={'Authorization': 'Bearer 4_abcdef'}", "4_abcdef"),
        ('"Authorization": "tok-123456"', "tok-123456"),
        ("GET /file/b/x.mp4?Authorization=3_zzzz9999&b2ContentDisposition=a", "3_zzzz9999"),
        ("authorize_account(application_key='sEcReT-vAlUe')", "sEcReT-vAlUe"),
        ("applicationKey: hunter22", "hunter22"),
        ('{"authorizationToken": "4_0021234567890abcdef_01234567_abcdef_acct_XyZ="}', "XyZ="),
        ("uploadAuthToken=up-token-77", "up-token-77"),
        ("password = opensesame", "opensesame"),
        ("api_key=abc123def", "abc123def"),
        ("the key is K005abcdefghijklmnopqrstuvwxyz1 here", "K005abcdefghijklmnopqrstuvwxyz1"),
        ("token 4_0021234567890abcdef0000_01abcdef_d9e2_acct_A1b2C3d4e5F6=", "A1b2C3d4e5F6"),
    ],
)
def test_secrets_are_masked_wherever_they_appear(line: str, secret: str) -> None:
    masked = redact(line)
    assert secret not in masked
    assert MASK in masked


@pytest.mark.parametrize(
    "line",
    [
        "application_key_id=0051234567890ab0000000001",
        "uploaded part 3 of 12 (tokens left: none)",
        "library /tmp/data/library.sqlite3 upgraded from 0004 to 0005",
        "bucket coursedesk-test, 48 MB/s",
    ],
)
def test_ordinary_lines_are_left_as_they_are(line: str) -> None:
    assert redact(line) == line


def test_a_remembered_secret_is_masked_whatever_its_shape(debug_log: Path) -> None:
    remember_secret("plain words as a key")
    log.warning("sent plain words as a key to the server")
    assert "plain words as a key" not in debug_log.read_text(encoding="utf-8")


def test_secrets_in_arguments_and_tracebacks_never_reach_the_file(debug_log: Path) -> None:
    logging.getLogger("b2sdk._internal.b2http").debug(
        "calling %s with %r", "b2_list_buckets", {"Authorization": "4_token_in_headers"}
    )
    try:
        raise RuntimeError("refused: applicationKey=K005abcdefghijklmnopqrstuvwxyz1")
    except RuntimeError:
        log.exception("talking to B2 failed")
    text = debug_log.read_text(encoding="utf-8")
    assert "4_token_in_headers" not in text
    assert "K005abcdefghijklmnopqrstuvwxyz1" not in text
    assert "talking to B2 failed" in text and "RuntimeError: refused" in text


def test_b2sdk_debug_logging_never_writes_the_key_or_the_auth_token(
    debug_log: Path, b2_emulator: B2Emulator
) -> None:
    credentials = Credentials(
        b2_emulator.key_id, b2_emulator.app_key, b2_emulator.bucket_name, b2_emulator.realm_url
    )
    content = b"a short clip"
    with B2Gateway(credentials) as gateway:
        gateway.authorize()
        token = gateway._session.account_info.get_account_auth_token()
        gateway.upload_small(
            "courses/c/videos/v/clip.mp4",
            io.BytesIO(content),
            len(content),
            hashlib.sha1(content).hexdigest(),
        )
    wrong = Credentials(
        b2_emulator.key_id, "not-the-right-key", b2_emulator.bucket_name, b2_emulator.realm_url
    )
    with B2Gateway(wrong) as gateway, pytest.raises(BadKey):
        gateway.authorize()

    text = debug_log.read_text(encoding="utf-8")
    # b2sdk and urllib3 did log the calls at DEBUG ...
    assert "b2_authorize_account" in text and "b2_upload_file" in text
    # ... but none of the secrets.
    assert isinstance(token, str) and token
    for secret in (b2_emulator.app_key, "not-the-right-key", token):
        assert secret not in text
