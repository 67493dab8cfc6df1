"""The B2 gateway: the few native-API calls uploads need, over b2sdk's lower-level session.

Why not ``Bucket.upload_local_file``: it retries a failed part at once, ignores Retry-After on
parts, fails the whole upload on one 429, has no cancel and cannot be told that a resumed
file changed. So the part loop is ours (``worker.py``) and this module only makes single
calls: authorize, start / list parts / upload part / finish / cancel a large file, upload a
small file, file info, list unfinished large files, delete versions.

Each call is tried once at the HTTP level (b2sdk's own retry loop sleeps without telling
anyone and can't be interrupted); every failure comes out as an ``UploadProblem`` that says
whether retrying can help, and the caller's retry loop decides when. Expired account tokens
are renewed by b2sdk's session (it re-authorizes once and repeats the call) and a failed
upload URL is never reused (the session only pools URLs whose upload succeeded).

Tested against b2sdk 2.13 (pyproject pins ``b2sdk>=2.13,<2.14``): the single-try HTTP class
overrides ``B2Http._translate_and_retry``, which is not part of b2sdk's public interface.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar
from urllib.parse import urlencode

from b2sdk.v2 import B2HttpApiConfig, InMemoryAccountInfo
from b2sdk.v2 import exception as b2exc
from b2sdk.v2.b2http import B2Http
from b2sdk.v2.session import B2Session

from coursedesk.logs import remember_secret
from coursedesk.services.upload.errors import (
    BadKey,
    BucketNotAllowed,
    MissingCapabilities,
    NoSuchBucket,
    Offline,
    Refused,
    RemoteFileGone,
    StorageFull,
    TransientProblem,
    UploadProblem,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

PRODUCTION_REALM = "production"
# What uploads, resuming and deleting need from a key ("Test connection" checks them).
NEEDED_CAPABILITIES: tuple[str, ...] = ("listBuckets", "listFiles", "writeFiles", "deleteFiles")
VIDEO_CONTENT_TYPE = "b2/x-auto"
_PAGE = 1000


@dataclass(frozen=True, slots=True)
class Credentials:
    """Who talks to B2. ``realm`` is "production" or a URL (the test emulator)."""

    key_id: str
    app_key: str = field(repr=False)
    bucket_name: str
    realm: str = PRODUCTION_REALM


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What B2 said about the key when it was authorized."""

    bucket_id: str
    absolute_minimum_part_bytes: int
    recommended_part_bytes: int
    capabilities: frozenset[str]
    name_prefix: str | None


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """A finished file version in the bucket. ``sha1`` is the content SHA-1 B2 checked, or
    for a large file the ``large_file_sha1`` it carries (None when it has neither)."""

    file_id: str
    name: str
    size_bytes: int
    sha1: str | None


@dataclass(frozen=True, slots=True)
class RemotePart:
    number: int
    sha1: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class UnfinishedFile:
    file_id: str
    name: str
    large_file_sha1: str | None


class _SingleTryHttp(B2Http):  # type: ignore[misc]
    """B2's HTTP layer without its own sleeping retry loop: retries are the caller's."""

    @classmethod
    def _translate_and_retry(
        cls, fcn: Callable[[], Any], try_count: int, post_params: dict[str, Any] | None = None
    ) -> Any:
        return cls._translate_errors(fcn, post_params)


class _Session(B2Session):  # type: ignore[misc]
    B2HTTP_CLASS = staticmethod(_SingleTryHttp)


_OFFLINE_HINTS = (
    "connection refused",
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "failed to resolve",
    "network is unreachable",
    "no route to host",
    "getaddrinfo failed",
)


def translate(exc: BaseException, *, authorizing: bool = False) -> UploadProblem:
    """An instructor-readable problem for an exception raised by b2sdk."""
    if isinstance(exc, UploadProblem):
        return exc
    if isinstance(exc, b2exc.MaxRetriesExceeded):
        # b2sdk's upload manager reports a key without writeFiles this way after 5 tries.
        inner = [info for info in getattr(exc, "exception_info_list", []) if info is not None]
        causes = [getattr(info, "exception", info) for info in inner]
        for cause in reversed(causes):
            if isinstance(cause, BaseException):
                return translate(cause, authorizing=authorizing)
        return TransientProblem("B2 did not accept the upload after several tries.")
    retry_after = getattr(exc, "retry_after_seconds", None)
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, b2exc.UnknownHost) or (
        isinstance(exc, b2exc.B2ConnectionError | b2exc.UnknownError)
        and any(hint in lowered for hint in _OFFLINE_HINTS)
    ):
        return Offline("B2 can't be reached: this computer seems to be offline.")
    if isinstance(exc, b2exc.B2RequestTimeout | b2exc.RequestTimeout):
        return TransientProblem("B2 took too long to answer.", retry_after_s=retry_after)
    if isinstance(
        exc, b2exc.B2ConnectionError | b2exc.ConnectionReset | b2exc.BrokenPipe | b2exc.UnknownError
    ):
        return TransientProblem("The connection to B2 was lost.", retry_after_s=retry_after)
    if isinstance(exc, b2exc.TooManyRequests):
        return TransientProblem("B2 asked to slow down.", retry_after_s=retry_after)
    if isinstance(exc, b2exc.ServiceError | b2exc.TruncatedOutput | b2exc.ChecksumMismatch):
        return TransientProblem("B2 is having trouble right now.", retry_after_s=retry_after)
    if getattr(exc, "code", None) == "auth_token_limit" or type(exc).__name__ == (
        "UploadTokenUsedConcurrently"
    ):
        return TransientProblem("B2's upload address was busy.", retry_after_s=retry_after)
    if isinstance(exc, b2exc.RestrictedBucket):
        bucket = getattr(exc, "bucket_name", "")
        return BucketNotAllowed(
            f"This application key may not use the bucket {bucket!r}: it is restricted to "
            "another bucket. Use a key for this bucket, or the bucket the key allows."
        )
    if isinstance(exc, b2exc.NonExistentBucket | b2exc.BucketIdNotFound):
        return NoSuchBucket("The bucket does not exist (any more) in this B2 account.")
    if isinstance(exc, b2exc.InvalidAuthToken) and not authorizing:
        # The session re-authorized once already and the token is still refused.
        return TransientProblem("B2's sign-in expired; signing in again.")
    if isinstance(exc, b2exc.Unauthorized):
        return _unauthorized(text, authorizing=authorizing)
    if isinstance(exc, b2exc.StorageCapExceeded | b2exc.TransactionCapExceeded):
        return StorageFull(
            "The B2 account reached its storage or transaction cap. Raise the cap in the "
            "Backblaze web console; uploads continue after Retry."
        )
    if isinstance(exc, b2exc.FileNotPresent):
        return RemoteFileGone("A file B2 was holding for this upload is gone.")
    if isinstance(exc, b2exc.BadRequest) and "sha1 did not match" in lowered:
        # The bytes changed between hashing and sending (or on the way): send them again.
        return TransientProblem("A part arrived damaged at B2; sending it again.")
    if isinstance(exc, b2exc.B2Error):
        return Refused(f"B2 refused the request: {getattr(exc, 'message', '') or text}")
    if isinstance(exc, ConnectionError | TimeoutError):
        return TransientProblem("The connection to B2 was lost.")
    return Refused(f"Unexpected problem talking to B2: {type(exc).__name__}.")


def _unauthorized(text: str, *, authorizing: bool) -> UploadProblem:
    lowered = text.lower()
    named = tuple(match.group(1) for match in re.finditer(r"capability (\w+)", text))
    if named:
        return missing_capabilities(named)
    if authorizing:
        return BadKey(
            "B2 did not accept the key ID and application key. Check both, or create a new key."
        )
    if "restricted to" in lowered or "bucket" in lowered or "prefix" in lowered:
        return BucketNotAllowed(
            "The application key is not allowed to use this bucket or these file names."
        )
    return BadKey("B2 no longer accepts this application key (it may have been deleted).")


def missing_capabilities(missing: tuple[str, ...]) -> MissingCapabilities:
    return MissingCapabilities(
        f"The application key lacks {', '.join(missing)}; CourseDesk needs "
        f"{', '.join(NEEDED_CAPABILITIES)}. Create a key with those capabilities.",
        missing,
    )


def _allowed_bucket_names(allowed: dict[str, Any]) -> list[str] | None:
    if allowed.get("buckets"):
        return [str(b.get("name")) for b in allowed["buckets"]]
    if allowed.get("bucketName"):
        return [str(allowed["bucketName"])]
    return None


class B2Gateway:
    """One B2 account and bucket, shared by every upload thread (b2sdk's session and its
    URL pools are thread-safe). ``close()`` releases its HTTP connections."""

    def __init__(self, credentials: Credentials, *, raw_api_class: type[Any] | None = None) -> None:
        self.credentials = credentials
        remember_secret(credentials.app_key)
        config = (
            B2HttpApiConfig(_raw_api_class=raw_api_class)
            if raw_api_class is not None
            else B2HttpApiConfig()
        )
        self._session = _Session(InMemoryAccountInfo(), api_config=config)
        self._facts: AccountFacts | None = None
        self._lock = threading.Lock()

    @property
    def raw_api(self) -> Any:
        return self._session.raw_api

    def close(self) -> None:
        http = getattr(self._session.raw_api, "b2_http", None)
        session = getattr(http, "session", None)
        if session is not None:
            session.close()

    def __enter__(self) -> B2Gateway:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # Account

    def authorize(self) -> AccountFacts:
        """Sign in and find the bucket; raises what is wrong (bad key, bucket ...)."""
        creds = self.credentials
        try:
            self._session.authorize_account(creds.realm, creds.key_id, creds.app_key)
        except Exception as exc:  # translated: every b2sdk failure means something here
            raise translate(exc, authorizing=True) from None
        info = self._session.account_info
        remember_secret(info.get_account_auth_token())
        allowed: dict[str, Any] = info.get_allowed() or {}
        capabilities = frozenset(allowed.get("capabilities") or ())
        names = _allowed_bucket_names(allowed)
        if names is not None and creds.bucket_name not in names:
            raise BucketNotAllowed(
                f"This application key may only use the bucket {', '.join(names)}, not "
                f"{creds.bucket_name!r}. Use a key for this bucket, or change the bucket."
            )
        bucket_id = self._find_bucket(info.get_account_id(), names, allowed)
        facts = AccountFacts(
            bucket_id=bucket_id,
            absolute_minimum_part_bytes=int(info.get_absolute_minimum_part_size()),
            recommended_part_bytes=int(info.get_recommended_part_size()),
            capabilities=capabilities,
            name_prefix=allowed.get("namePrefix"),
        )
        with self._lock:
            self._facts = facts
        return facts

    def _find_bucket(
        self, account_id: str, names: list[str] | None, allowed: dict[str, Any]
    ) -> str:
        bucket_name = self.credentials.bucket_name
        if names is not None:
            for entry in allowed.get("buckets") or ():
                if entry.get("name") == bucket_name and entry.get("id"):
                    return str(entry["id"])
        reply = self._call(lambda: self._session.list_buckets(account_id, bucket_name=bucket_name))
        for bucket in reply.get("buckets", []):
            if bucket.get("bucketName") == bucket_name:
                return str(bucket["bucketId"])
        raise NoSuchBucket(
            f"There is no bucket named {bucket_name!r} in this B2 account. Check the name, "
            "or create the bucket in the Backblaze web console."
        )

    def facts(self) -> AccountFacts:
        """The account facts, signing in first if needed."""
        with self._lock:
            facts = self._facts
        return facts if facts is not None else self.authorize()

    # Calls

    def _call(self, action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return action(*args, **kwargs)
        except UploadProblem:
            raise
        except Exception as exc:  # translated: the caller retries or reports it
            problem = translate(exc)
            log.debug("B2 call failed: %s", exc)
            if isinstance(problem, BadKey | BucketNotAllowed):
                # B2 often says no more than "unauthorized": the key's capabilities tell why.
                with self._lock:
                    facts = self._facts
                if facts is not None:
                    missing = tuple(
                        cap for cap in NEEDED_CAPABILITIES if cap not in facts.capabilities
                    )
                    if missing:
                        problem = missing_capabilities(missing)
            raise problem from None

    def upload_small(self, name: str, stream: IO[bytes], size_bytes: int, sha1: str) -> RemoteFile:
        bucket_id = self.facts().bucket_id
        reply = self._call(
            lambda: self._session.upload_file(
                bucket_id, name, size_bytes, VIDEO_CONTENT_TYPE, sha1, {}, stream
            )
        )
        return _remote_file(reply)

    def start_large_file(self, name: str, large_file_sha1: str) -> str:
        bucket_id = self.facts().bucket_id
        reply = self._call(
            lambda: self._session.start_large_file(
                bucket_id, name, VIDEO_CONTENT_TYPE, {"large_file_sha1": large_file_sha1}
            )
        )
        return str(reply["fileId"])

    def list_parts(self, large_file_id: str) -> dict[int, RemotePart]:
        parts: dict[int, RemotePart] = {}
        start: int | None = 1
        while start is not None:
            reply = self._call(self._session.list_parts, large_file_id, start, _PAGE)
            for raw in reply.get("parts", []):
                part = RemotePart(
                    int(raw["partNumber"]), str(raw["contentSha1"]), int(raw["contentLength"])
                )
                parts[part.number] = part
            start = reply.get("nextPartNumber")
        return parts

    def upload_part(
        self, large_file_id: str, number: int, stream: IO[bytes], size_bytes: int, sha1: str
    ) -> RemotePart:
        reply = self._call(
            lambda: self._session.upload_part(large_file_id, number, size_bytes, sha1, stream)
        )
        return RemotePart(number, str(reply["contentSha1"]), int(reply["contentLength"]))

    def finish_large_file(self, large_file_id: str, part_sha1s: list[str]) -> RemoteFile:
        reply = self._call(lambda: self._session.finish_large_file(large_file_id, part_sha1s))
        return _remote_file(reply)

    def cancel_large_file(self, large_file_id: str) -> None:
        # Already gone is what we wanted.
        with contextlib.suppress(RemoteFileGone):
            self._call(self._session.cancel_large_file, large_file_id)

    def list_unfinished_large_files(self, prefix: str = "") -> list[UnfinishedFile]:
        bucket_id = self.facts().bucket_id
        found: list[UnfinishedFile] = []
        start: str | None = None
        while True:
            reply = self._call(
                self._session.list_unfinished_large_files,
                bucket_id,
                start_file_id=start,
                max_file_count=100,
                prefix=prefix or None,
            )
            for raw in reply.get("files", []):
                info = raw.get("fileInfo") or {}
                found.append(
                    UnfinishedFile(
                        str(raw["fileId"]), str(raw["fileName"]), info.get("large_file_sha1")
                    )
                )
            start = reply.get("nextFileId")
            if not start:
                return found

    def get_file_info(self, file_id: str) -> RemoteFile | None:
        """A finished file version, or None when there is none by that id."""
        try:
            reply = self._call(lambda: self._session.get_file_info_by_id(file_id))
        except RemoteFileGone:
            return None
        if reply.get("action") not in (None, "upload"):
            return None
        return _remote_file(reply)

    def versions_of(self, name: str) -> Iterator[tuple[str, str]]:
        """(file id, action) of every version of exactly ``name``."""
        bucket_id = self.facts().bucket_id
        start_name: str | None = name
        start_id: str | None = None
        while start_name == name:
            reply = self._call(
                self._session.list_file_versions, bucket_id, start_name, start_id, _PAGE, name
            )
            for raw in reply.get("files", []):
                if raw.get("fileName") == name:
                    yield str(raw["fileId"]), str(raw.get("action", "upload"))
            start_name, start_id = reply.get("nextFileName"), reply.get("nextFileId")

    def delete_version(self, file_id: str, name: str) -> None:
        with contextlib.suppress(RemoteFileGone):
            self._call(self._session.delete_file_version, file_id, name)

    def delete_all_versions(self, name: str) -> int:
        """Delete every version (and hide marker) of ``name`` and cancel its unfinished large
        files; how many were removed."""
        removed = 0
        for file_id, action in list(self.versions_of(name)):
            if action == "start":
                self.cancel_large_file(file_id)
            else:
                self.delete_version(file_id, name)
            removed += 1
        for unfinished in self.list_unfinished_large_files(name):
            if unfinished.name == name:
                self.cancel_large_file(unfinished.file_id)
                removed += 1
        return removed

    # Downloads (playing an uploaded video from the bucket)

    def authorized_download_url(self, name: str, valid_s: int) -> str:
        """A URL that reads ``name`` for ``valid_s`` seconds, with nothing else to send.

        The authorization (b2_get_download_authorization, for names starting with ``name``)
        rides in the query string, because a media player can't add headers. It grants only
        reading this object for a while; still, it is a credential: the log masks it and
        nothing keeps it. Needs the key's shareFiles capability.
        """
        bucket_id = self.facts().bucket_id
        reply = self._call(
            lambda: self._session.get_download_authorization(bucket_id, name, valid_s)
        )
        token = str(reply["authorizationToken"])
        remember_secret(token)
        base = self._session.get_download_url_by_name(self.credentials.bucket_name, name)
        return f"{base}?{urlencode({'Authorization': token})}"

    def can_download(self, url: str) -> bool:
        """Whether ``url`` (from ``authorized_download_url``) serves a file, by reading its
        first byte (a HEAD's 404 has no body to tell a missing file from a wrong address).
        False when there is no file by that name; raises what else is wrong."""
        http = self._session.raw_api.b2_http
        try:
            response = http.get_content(url, {"Range": "bytes=0-0"}).response
        except b2exc.FileNotPresent:
            return False
        except Exception as exc:  # translated: the caller shows it
            log.debug("B2 download check failed: %s", exc)
            raise translate(exc) from None
        response.close()
        return True

    def limit_waits(self, connect_s: float, answer_s: float) -> None:
        """Give up on a connection after ``connect_s`` and on an answer after ``answer_s``
        seconds (b2sdk waits minutes, right for uploads, too long for someone watching)."""
        http = self._session.raw_api.b2_http
        http.CONNECTION_TIMEOUT = connect_s
        http.TIMEOUT = http.TIMEOUT_FOR_UPLOAD = answer_s


def _remote_file(reply: dict[str, Any]) -> RemoteFile:
    sha1 = reply.get("contentSha1")
    if not sha1 or sha1 == "none":
        sha1 = (reply.get("fileInfo") or {}).get("large_file_sha1")
    elif sha1.startswith("unverified:"):
        sha1 = sha1.removeprefix("unverified:")
    return RemoteFile(
        file_id=str(reply["fileId"]),
        name=str(reply["fileName"]),
        size_bytes=int(reply.get("contentLength") or 0),
        sha1=sha1,
    )
