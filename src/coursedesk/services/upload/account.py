"""The storage account: settings (key id, bucket, name prefix), the application key in the
operating system's keyring, and "Test connection".

The application key lives only in the keyring (service "CourseDesk B2", user = the key id):
never in the library, the settings file, a log line, an exception message or a URL.
``StorageSettings`` holds everything else and may be saved anywhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import keyring
import keyring.errors

from coursedesk.services.upload.errors import (
    BadKey,
    BucketNotAllowed,
    MissingCapabilities,
    NoAccount,
    NoSuchBucket,
    Offline,
    UploadProblem,
)
from coursedesk.services.upload.gateway import (
    NEEDED_CAPABILITIES,
    PRODUCTION_REALM,
    B2Gateway,
    Credentials,
    missing_capabilities,
)
from coursedesk.services.upload.naming import check_name_prefix

log = logging.getLogger(__name__)

KEYRING_SERVICE = "CourseDesk B2"


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """Where uploads go. ``realm`` is "production" except against a test emulator."""

    key_id: str
    bucket: str
    name_prefix: str = ""
    realm: str = PRODUCTION_REALM

    def problem(self) -> str | None:
        """What is wrong with these settings as typed, or None."""
        if not self.key_id.strip():
            return "Enter the key ID."
        if not self.bucket.strip():
            return "Enter the bucket name."
        return check_name_prefix(self.name_prefix)

    def to_dict(self) -> dict[str, str]:
        return {
            "key_id": self.key_id,
            "bucket": self.bucket,
            "name_prefix": self.name_prefix,
            "realm": self.realm,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> StorageSettings:
        return cls(
            key_id=str(raw.get("key_id", "")),
            bucket=str(raw.get("bucket", "")),
            name_prefix=str(raw.get("name_prefix", "")),
            realm=str(raw.get("realm", PRODUCTION_REALM)),
        )


class KeyringUnavailable(NoAccount):
    """The operating system's credential store can't be used."""


def store_application_key(key_id: str, app_key: str) -> None:
    try:
        keyring.set_password(KEYRING_SERVICE, key_id, app_key)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring refused to store the B2 key: %s", type(exc).__name__)
        raise KeyringUnavailable(
            "CourseDesk can't save the application key: this computer's credential store "
            "(keyring) is not available."
        ) from None


def load_application_key(key_id: str) -> str | None:
    try:
        password: str | None = keyring.get_password(KEYRING_SERVICE, key_id)
        return password
    except keyring.errors.KeyringError as exc:
        log.warning("keyring refused to read the B2 key: %s", type(exc).__name__)
        raise KeyringUnavailable(
            "CourseDesk can't read the application key: this computer's credential store "
            "(keyring) is not available."
        ) from None


def forget_application_key(key_id: str) -> None:
    try:
        keyring.delete_password(KEYRING_SERVICE, key_id)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError:
        log.warning("keyring refused to delete the B2 key", exc_info=False)


def credentials_for(settings: StorageSettings) -> Credentials:
    """The credentials for ``settings``, with the key from the keyring."""
    problem = settings.problem()
    if problem is not None:
        raise NoAccount(f"Storage is not set up: {problem}")
    app_key = load_application_key(settings.key_id)
    if not app_key:
        raise NoAccount(
            "The application key for this storage account is not saved on this computer. "
            "Enter it in the Storage settings."
        )
    return Credentials(settings.key_id, app_key, settings.bucket, settings.realm)


class Verdict(StrEnum):
    OK = "ok"
    INCOMPLETE = "incomplete"
    BAD_KEY = "bad key"
    BUCKET_NOT_ALLOWED = "bucket not allowed"
    NO_SUCH_BUCKET = "no such bucket"
    MISSING_CAPABILITIES = "missing capabilities"
    NAME_PREFIX_NOT_ALLOWED = "name prefix not allowed"
    OFFLINE = "offline"
    TROUBLE = "trouble"


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    """The answer to "Test connection": a verdict and a sentence for the instructor."""

    verdict: Verdict
    message: str
    missing_capabilities: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


def test_connection(
    settings: StorageSettings, app_key: str, *, raw_api_class: type[Any] | None = None
) -> ConnectionCheck:
    """Sign in with ``settings`` and ``app_key`` and say exactly what is wrong, if anything.

    Blocks on the network: run it on a worker. ``raw_api_class`` is for tests (RawSimulator).
    """
    problem = settings.problem()
    if problem is None and not app_key:
        problem = "Enter the application key."
    if problem is not None:
        return ConnectionCheck(Verdict.INCOMPLETE, problem)
    creds = Credentials(settings.key_id, app_key, settings.bucket, settings.realm)
    gateway = B2Gateway(creds, raw_api_class=raw_api_class)
    try:
        facts = gateway.authorize()
    except BadKey as exc:
        return ConnectionCheck(Verdict.BAD_KEY, exc.message)
    except BucketNotAllowed as exc:
        return ConnectionCheck(Verdict.BUCKET_NOT_ALLOWED, exc.message)
    except NoSuchBucket as exc:
        return ConnectionCheck(Verdict.NO_SUCH_BUCKET, exc.message)
    except MissingCapabilities as exc:
        return ConnectionCheck(Verdict.MISSING_CAPABILITIES, exc.message, exc.missing)
    except Offline as exc:
        return ConnectionCheck(Verdict.OFFLINE, exc.message)
    except UploadProblem as exc:
        return ConnectionCheck(Verdict.TROUBLE, exc.message)
    finally:
        gateway.close()
    missing = tuple(cap for cap in NEEDED_CAPABILITIES if cap not in facts.capabilities)
    if missing:
        return ConnectionCheck(
            Verdict.MISSING_CAPABILITIES, missing_capabilities(missing).message, missing
        )
    key_prefix = facts.name_prefix
    if key_prefix and not settings.name_prefix.startswith(key_prefix):
        return ConnectionCheck(
            Verdict.NAME_PREFIX_NOT_ALLOWED,
            f"This key may only write file names starting with {key_prefix!r}. Set the name "
            f"prefix to {key_prefix!r} (or something starting with it).",
        )
    return ConnectionCheck(Verdict.OK, f"Connected to the bucket {settings.bucket!r}.")


# Not a test, whatever its name says: keep pytest from collecting it where it is imported.
test_connection.__test__ = False  # type: ignore[attr-defined]
