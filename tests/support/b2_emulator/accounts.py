"""Who may do what: account tokens, upload tokens and download grants.

The simulator's own checks are switched off (see ``EmulatedRawApi``); this module applies
B2's rules instead: 401 ``bad_auth_token`` for an unknown token, 401 ``expired_auth_token``
for an expired one, 401 ``unauthorized`` for a key lacking the capability, the bucket or
the name prefix. Callers hold the simulator's lock.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any, Literal

from .errors import ApiError, unauthorized
from .simulator import EmulatedBucket, EmulatedRawApi

UploadKind = Literal["file", "part"]


@dataclass(frozen=True)
class UploadTarget:
    """What an upload token (from b2_get_upload_url / b2_get_upload_part_url) opens.

    ``target_id`` is the bucket id for whole files and the large file's id for parts;
    ``simulator_url`` is the simulator's own upload URL for the same target;
    ``name_prefix`` the restriction of the key that asked for the token.
    """

    token: str
    kind: UploadKind
    target_id: str
    simulator_url: str
    name_prefix: str | None = None


@dataclass(frozen=True)
class DownloadGrant:
    bucket_id: str
    file_name_prefix: str
    expires_at_s: float


def check_name_prefix(prefix: str | None, file_name: str | None) -> None:
    """Refuse a name (or listing prefix) outside a key's name prefix; None: no name involved."""
    if prefix and file_name is not None and not file_name.startswith(prefix):
        raise unauthorized(f"the application key is restricted to names starting {prefix!r}")


def _expired() -> ApiError:
    return ApiError(401, "expired_auth_token", "Authorization token has expired")


class Authorizer:
    def __init__(self, sim: EmulatedRawApi) -> None:
        self._sim = sim
        self._counter = itertools.count(1)
        self._upload_targets: dict[str, UploadTarget] = {}
        self._expired_upload_tokens: set[str] = set()
        self._uploads_in_progress: set[str] = set()
        self._download_grants: dict[str, DownloadGrant] = {}

    def key_for(self, token: str | None) -> Any:
        """The simulator's KeySimulator behind an account token."""
        if not token:
            raise ApiError(401, "bad_auth_token", "Missing Authorization header")
        if token in self._sim.expired_auth_tokens:
            raise _expired()
        key = self._sim.auth_token_to_key.get(token)
        if key is None:
            raise ApiError(401, "bad_auth_token", "Invalid authorization token")
        return key

    def require(
        self,
        token: str | None,
        capability: str,
        bucket_id: str | None = None,
        file_name: str | None = None,
    ) -> Any:
        """The key behind ``token``, if it may use ``capability`` on that bucket and name."""
        key = self.key_for(token)
        if capability not in key.capabilities:
            raise unauthorized(f"the application key lacks the capability {capability}")
        if key.buckets_or_none is not None and bucket_id not in {
            bucket["id"] for bucket in key.buckets_or_none
        }:
            raise unauthorized("the application key is not allowed to use this bucket")
        check_name_prefix(key.name_prefix_or_none, file_name)
        return key

    def expire_all(self) -> None:
        """Expire every token handed out so far; clients must authorize again."""
        self._sim.expired_auth_tokens.update(self._sim.auth_token_to_key)
        self._expired_upload_tokens.update(self._upload_targets)
        self._download_grants.clear()

    # Upload tokens

    def mint_upload_token(
        self, kind: UploadKind, target_id: str, simulator_url: str, key: Any
    ) -> str:
        token = f"upload-{kind}-{next(self._counter)}"
        self._upload_targets[token] = UploadTarget(
            token, kind, target_id, simulator_url, key.name_prefix_or_none
        )
        return token

    def begin_upload(self, token: str | None, kind: UploadKind, target_id: str) -> UploadTarget:
        """Claim an upload token for one request; B2 refuses two uploads at once on one."""
        target = self._upload_targets.get(token or "")
        if target is None or target.kind != kind or target.target_id != target_id:
            raise ApiError(401, "bad_auth_token", "Invalid upload authorization token")
        if target.token in self._expired_upload_tokens:
            raise _expired()
        if target.token in self._uploads_in_progress:
            raise ApiError(
                400, "auth_token_limit", f"more than one upload using auth token {target.token}"
            )
        self._uploads_in_progress.add(target.token)
        return target

    def end_upload(self, target: UploadTarget) -> None:
        self._uploads_in_progress.discard(target.token)

    # Download grants (b2_get_download_authorization)

    def mint_download_grant(self, bucket_id: str, prefix: str, valid_duration_s: int) -> str:
        token = f"download-{next(self._counter)}"
        self._download_grants[token] = DownloadGrant(
            bucket_id, prefix, time.monotonic() + valid_duration_s
        )
        return token

    def require_download(self, token: str | None, bucket: EmulatedBucket, file_name: str) -> None:
        if bucket.bucket_type == "allPublic":
            return
        if not token:
            raise unauthorized("this bucket is private: an authorization token is required")
        grant = self._download_grants.get(token)
        if grant is None:
            self.require(token, "readFiles", bucket.bucket_id, file_name)
            return
        if grant.expires_at_s < time.monotonic():
            raise _expired()
        if grant.bucket_id != bucket.bucket_id or not file_name.startswith(grant.file_name_prefix):
            raise unauthorized("the download authorization does not cover this file")
