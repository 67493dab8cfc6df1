"""One emulated B2 account: the simulator, its keys and buckets, and every call on it.

The HTTP front calls these methods; each runs under the simulator's lock and turns the
simulator's exceptions into B2 error replies.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from b2sdk.v3 import KeySimulator
from b2sdk.v3.exception import B2Error

from . import api_versions
from .accounts import Authorizer, UploadKind, UploadTarget
from .calls import JsonCalls
from .config import EmulatorConfig
from .errors import ApiError, from_simulator, not_found
from .params import Params
from .simulator import EmulatedBucket, EmulatedRawApi
from .transfers import Download, Transfers

T = TypeVar("T")


class B2Backend:
    def __init__(self, config: EmulatorConfig, base_url: str) -> None:
        self.config = config
        self.base_url = base_url
        self._sim = EmulatedRawApi()
        self._auth = Authorizer(self._sim)
        self._calls = JsonCalls(self._sim, self._auth, config, base_url)
        self._transfers = Transfers(self._sim, self._auth)
        self._create_account()

    def _create_account(self) -> None:
        config = self.config
        for spec in config.buckets:
            bucket = EmulatedBucket(
                self._sim, config.account_id, spec.bucket_id, spec.name, spec.bucket_type
            )
            self._sim.bucket_name_to_bucket[spec.name] = bucket
            self._sim.bucket_id_to_bucket[spec.bucket_id] = bucket
        for key in config.keys:
            buckets = None
            if key.bucket_names is not None:
                buckets = [
                    {"id": config.bucket_named(name).bucket_id, "name": name}
                    for name in key.bucket_names
                ]
            self._sim.key_id_to_key[key.key_id] = KeySimulator(
                account_id=config.account_id,
                name=key.key_id,
                application_key_id=key.key_id,
                key=key.app_key,
                capabilities=list(key.capabilities),
                expiration_timestamp_or_none=None,
                buckets_or_none=buckets,
                name_prefix_or_none=key.name_prefix,
            )
        # Some simulator paths read file details with its "current" token; give it one.
        self._sim.authorize_account(
            self.base_url, config.master_key.key_id, config.master_key.app_key
        )

    @contextmanager
    def _simulator(self) -> Iterator[None]:
        with self._sim.lock:
            try:
                yield
            except B2Error as error:
                reply = from_simulator(error)
                if reply is None:
                    raise
                raise reply from error

    def _run(self, action: Callable[[], T]) -> T:
        with self._simulator():
            return action()

    # API calls

    def is_json_call(self, call: str) -> bool:
        return call in self._calls.by_name

    def authorize_account(self, authorization: str | None, version: int) -> dict[str, Any]:
        key_id, app_key = _basic_credentials(authorization)
        with self._simulator():
            reply = self._sim.authorize_account(self.base_url, key_id, app_key)
            key = self._sim.auth_token_to_key[reply["authorizationToken"]]
            buckets = None
            if key.buckets_or_none is not None:
                buckets = [{"id": item["id"], "name": item["name"]} for item in key.buckets_or_none]
            return api_versions.authorize_reply(
                version,
                account_id=key.account_id,
                auth_token=reply["authorizationToken"],
                base_url=self.base_url,
                capabilities=list(key.capabilities),
                buckets=buckets,
                name_prefix=key.name_prefix_or_none,
                absolute_minimum_part_size=self.config.absolute_minimum_part_size_bytes,
                recommended_part_size=self.config.recommended_part_size_bytes,
            )

    def json_call(
        self, call: str, token: str | None, params: dict[str, Any], version: int
    ) -> dict[str, Any]:
        handler = self._calls.by_name.get(call)
        if handler is None:
            raise not_found(f"unknown API call {call}")
        return self._run(lambda: handler(token, Params(params), version))

    @contextmanager
    def upload_slot(
        self, token: str | None, kind: UploadKind, target_id: str
    ) -> Iterator[UploadTarget]:
        """Hold an upload token for the length of one upload request."""
        target = self._run(lambda: self._auth.begin_upload(token, kind, target_id))
        try:
            yield target
        finally:
            self._run(lambda: self._auth.end_upload(target))

    def upload_file(
        self, target: UploadTarget, header_items: list[tuple[str, str]], body: bytes
    ) -> dict[str, Any]:
        return self._run(lambda: self._transfers.upload_file(target, header_items, body))

    def upload_part(
        self, target: UploadTarget, header_items: list[tuple[str, str]], body: bytes
    ) -> dict[str, Any]:
        return self._run(lambda: self._transfers.upload_part(target, header_items, body))

    def open_download(self, token: str | None, **where: Any) -> Download:
        return self._run(lambda: self._transfers.open_download(token, **where))

    # Control

    def expire_tokens(self) -> None:
        self._run(self._auth.expire_all)

    def stored_files(self, *, with_sha1: bool) -> list[dict[str, Any]]:
        """Every file version, unfinished large file and hide marker, for tests to check."""
        with self._sim.lock:
            return [
                _describe(bucket, file, with_sha1=with_sha1)
                for bucket in self._sim.bucket_id_to_bucket.values()
                for _key, file in sorted(bucket.file_name_and_id_to_file.items())
            ]


def _describe(bucket: EmulatedBucket, file: Any, *, with_sha1: bool) -> dict[str, Any]:
    parts = [part for part in getattr(file, "parts", []) if part is not None]
    if file.action == "start":
        content_length = sum(part.content_length for part in parts)
    else:
        content_length = len(file.data_bytes or b"")
    data_sha1 = None
    if with_sha1 and file.action == "upload":
        data_sha1 = hashlib.sha1(file.data_bytes).hexdigest()
    return {
        "bucket_name": bucket.bucket_name,
        "bucket_id": bucket.bucket_id,
        "file_id": file.file_id,
        "file_name": file.name,
        "action": file.action,
        "content_length": content_length,
        "content_sha1": file.content_sha1,
        "content_type": file.content_type,
        "file_info": dict(file.file_info),
        "upload_timestamp": file.upload_timestamp,
        "part_numbers": [part.part_number for part in parts] if file.action == "start" else [],
        "data_sha1": data_sha1,
    }


def _basic_credentials(authorization: str | None) -> tuple[str, str]:
    scheme, _, encoded = (authorization or "").partition(" ")
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    key_id, colon, app_key = decoded.partition(":")
    if scheme.lower() != "basic" or not colon:
        raise ApiError(
            401, "bad_auth_token", "Basic authorization with keyId:applicationKey required"
        )
    return key_id, app_key
