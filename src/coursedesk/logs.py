"""CourseDesk's log: a rotating file in the user log folder, with secrets masked.

Everything any logger writes (ours, b2sdk's, urllib3's) goes through one handler whose filter
masks B2 application keys, auth tokens, Authorization headers and ``name=value`` secrets before
the line is formatted, so neither a message, its arguments nor a traceback can put a key on disk.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from coursedesk import __version__
from coursedesk.paths import log_dir

LOG_FILE_NAME = "coursedesk.log"
LOG_LEVEL_ENV = "COURSEDESK_LOG_LEVEL"
MAX_LOG_BYTES = 1_000_000
KEPT_LOG_FILES = 5
MASK = "***"

_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

# ``Authorization: Bearer abc``, ``'Authorization': 'abc'``, ``?Authorization=abc``: the whole
# credential, scheme word included.
_AUTHORIZATION = re.compile(
    r"""(?ix)
    (authorization ["']? \s* [:=] \s* ["']?)
    (?:(?:bearer|basic|token) \s+)?
    [^\s"',;&}\]]+
    """
)
# ``app_key=abc``, ``"authorizationToken": "abc"``, ``password: abc`` ...: a name that says
# "secret" directly followed by ``=`` or ``:`` and a value.
_NAMED_SECRET = re.compile(
    r"""(?ix)
    (\b [\w.-]*?
      (?: token | secret | passw(?:or)?d | credentials?
        | app(?:lication)?[_-]?key | api[_-]?key | access[_-]?key | private[_-]?key )
      ["']? \s* [:=] \s* ["']?)
    [^\s"',;&}\]]+
    """
)
# Shapes of B2 secrets wherever they appear: application keys (K + 3 digits + 27 characters)
# and account auth tokens (``4_`` + the key id + hex fields + base64).
_B2_APPLICATION_KEY = re.compile(r"\bK\d{3}[A-Za-z0-9+/]{27}\b")
_B2_AUTH_TOKEN = re.compile(r"\b\d_[0-9a-f]{12,}_[0-9a-f]{4,}_[\w+/=-]{8,}")

_known_secrets: set[str] = set()
_known_lock = threading.Lock()
# Shorter values are too likely to be ordinary words to mask wherever they appear.
_MIN_KNOWN_SECRET_CHARS = 6


def remember_secret(value: str) -> None:
    """Mask ``value`` wherever it appears in the log from now on (a key read from the keyring,
    a token B2 handed out), whatever its shape."""
    if len(value) >= _MIN_KNOWN_SECRET_CHARS:
        with _known_lock:
            _known_secrets.add(value)


def redact(text: str) -> str:
    """``text`` with every secret it seems to hold replaced by ``***``."""
    with _known_lock:
        known = sorted(_known_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, MASK)
    text = _AUTHORIZATION.sub(lambda m: m.group(1) + MASK, text)
    text = _NAMED_SECRET.sub(lambda m: m.group(1) + MASK, text)
    text = _B2_APPLICATION_KEY.sub(MASK, text)
    return _B2_AUTH_TOKEN.sub(MASK, text)


class RedactSecrets(logging.Filter):
    """Masks secrets in a record's message, arguments, traceback and stack, in place, so every
    handler after this one sees the masked text too."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what can be shown of it
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            # The formatter would render exc_info again only if exc_text were empty.
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def log_file_path() -> Path:
    """Where the current log file is (or will be)."""
    return log_dir() / LOG_FILE_NAME


def _our_handler() -> logging.Handler | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _CourseDeskFileHandler):
            return handler
    return None


class _CourseDeskFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log file; its own class so a second setup finds it instead of adding
    another."""


def _level_from_environment() -> int:
    name = os.environ.get(LOG_LEVEL_ENV, "").strip().upper()
    level = logging.getLevelName(name) if name else logging.INFO
    return level if isinstance(level, int) else logging.INFO


@contextlib.contextmanager
def logging_to_file() -> Iterator[Path]:
    """Log to the rotating file while the block runs; yields the file's path.

    Nested uses share the first one's handler. The level is INFO unless $COURSEDESK_LOG_LEVEL
    names another (``DEBUG`` shows b2sdk's and urllib3's requests, masked all the same).
    """
    existing = _our_handler()
    if isinstance(existing, _CourseDeskFileHandler):
        yield Path(existing.baseFilename)
        return
    path = log_file_path()
    root = logging.getLogger()
    previous_level = root.level
    handler: _CourseDeskFileHandler | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _CourseDeskFileHandler(
            path, maxBytes=MAX_LOG_BYTES, backupCount=KEPT_LOG_FILES, encoding="utf-8"
        )
    except OSError as exc:
        # No log is no reason not to start; say so where someone may see it.
        print(f"CourseDesk can't write its log at {path}: {exc}", file=sys.stderr)
    if handler is not None:
        handler.addFilter(RedactSecrets())
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
        root.setLevel(_level_from_environment())
        logging.getLogger(__name__).info(
            "CourseDesk %s starting (Python %s, %s)",
            __version__,
            sys.version.split()[0],
            sys.platform,
        )
    try:
        yield path
    finally:
        if handler is not None:
            root.removeHandler(handler)
            handler.close()
            root.setLevel(previous_level)
