"""The JSON calls of B2's native API, each checked as B2 checks it and run on the simulator.

Every method takes the caller's account token, the call's parameters and the API version
of the URL, and returns the reply body. Callers hold the simulator's lock.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from b2sdk.v3 import SSE_B2_AES

from . import api_versions
from .accounts import Authorizer
from .config import EmulatorConfig
from .errors import ApiError, bad_request, not_found
from .lookups import (
    bucket_by_id,
    check_file_name,
    find_file,
    newest_version,
    unfinished_large_file,
)
from .params import Params
from .simulator import EmulatedRawApi

JsonCall = Callable[[str | None, Params, int], dict[str, Any]]

# The simulator checks that callers pass its own API URL.
SIM_API_URL = EmulatedRawApi.API_URL
MAX_LIST_COUNT = 10_000
BUCKET_TYPES = frozenset({"allPrivate", "allPublic"})
MAX_PART_NUMBER = 10_000
MAX_DOWNLOAD_AUTH_DURATION_S = 604_800


def resolve_content_type(content_type: str | None, file_name: str) -> str:
    """B2 picks a type from the name's extension for ``b2/x-auto`` (and for none at all)."""
    if content_type and content_type != "b2/x-auto":
        return content_type
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"


def parse_server_side_encryption(raw: dict[str, Any] | None) -> Any | None:
    if raw is None or raw.get("mode") in (None, "none"):
        return None
    if raw.get("mode") == "SSE-B2":
        return SSE_B2_AES
    raise bad_request(f"the emulator does not support server-side encryption {raw.get('mode')}")


class JsonCalls:
    def __init__(
        self, sim: EmulatedRawApi, auth: Authorizer, config: EmulatorConfig, base_url: str
    ) -> None:
        self._sim = sim
        self._auth = auth
        self._config = config
        self._base_url = base_url
        self.by_name: dict[str, JsonCall] = {
            "b2_list_buckets": self.list_buckets,
            "b2_create_bucket": self.create_bucket,
            "b2_delete_bucket": self.delete_bucket,
            "b2_get_upload_url": self.get_upload_url,
            "b2_get_upload_part_url": self.get_upload_part_url,
            "b2_start_large_file": self.start_large_file,
            "b2_finish_large_file": self.finish_large_file,
            "b2_cancel_large_file": self.cancel_large_file,
            "b2_list_parts": self.list_parts,
            "b2_list_unfinished_large_files": self.list_unfinished_large_files,
            "b2_list_file_names": self.list_file_names,
            "b2_list_file_versions": self.list_file_versions,
            "b2_get_file_info": self.get_file_info,
            "b2_delete_file_version": self.delete_file_version,
            "b2_hide_file": self.hide_file,
            "b2_get_download_authorization": self.get_download_authorization,
        }

    # Buckets

    def list_buckets(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        key = self._auth.key_for(token)
        if params.text("accountId") != key.account_id:
            raise ApiError(401, "unauthorized", "accountId does not match the token")
        bucket_id = params.optional_text("bucketId")
        bucket_name = params.optional_text("bucketName")
        if bucket_name is not None and bucket_id is None:
            named = self._sim.bucket_name_to_bucket.get(bucket_name)
            bucket_id = named.bucket_id if named else None
        if key.buckets_or_none is not None or bucket_id is not None:
            # A key restricted to buckets must name one of them, as on B2.
            self._auth.require(token, "listBuckets", bucket_id)
        else:
            self._auth.require(token, "listBuckets")
        reply = self._sim.list_buckets(
            SIM_API_URL, token, key.account_id, params.optional_text("bucketId"), bucket_name
        )
        types = set(params.optional_text_list("bucketTypes") or ["all"])
        if "all" not in types:
            reply["buckets"] = [b for b in reply["buckets"] if b["bucketType"] in types]
        return dict(reply)

    def create_bucket(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        key = self._auth.require(token, "writeBuckets")
        if params.text("accountId") != key.account_id:
            raise ApiError(401, "unauthorized", "accountId does not match the token")
        bucket_type = params.text("bucketType")
        if bucket_type not in BUCKET_TYPES:
            raise bad_request(f"bucketType must be one of {sorted(BUCKET_TYPES)}")
        reply = self._sim.create_bucket(
            SIM_API_URL,
            token,
            key.account_id,
            params.text("bucketName"),
            bucket_type,
            bucket_info=params.optional_map("bucketInfo"),
        )
        return dict(reply)

    def delete_bucket(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        bucket = bucket_by_id(self._sim, params.text("bucketId"))
        key = self._auth.require(token, "deleteBuckets", bucket.bucket_id)
        if bucket.file_id_to_file:
            # B2's own code; b2sdk does not know it and warns, as it would against B2.
            raise ApiError(400, "cannot_delete_non_empty_bucket", "Bucket is not empty")
        return dict(self._sim.delete_bucket(SIM_API_URL, token, key.account_id, bucket.bucket_id))

    # Uploads

    def get_upload_url(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        bucket = bucket_by_id(self._sim, params.text("bucketId"))
        key = self._auth.require(token, "writeFiles", bucket.bucket_id)
        simulator_url = self._sim.get_upload_url(SIM_API_URL, token, bucket.bucket_id)["uploadUrl"]
        upload_token = self._auth.mint_upload_token("file", bucket.bucket_id, simulator_url, key)
        return {
            "bucketId": bucket.bucket_id,
            "uploadUrl": f"{self._base_url}/b2api/v{version}/b2_upload_file/{bucket.bucket_id}",
            "authorizationToken": upload_token,
        }

    def get_upload_part_url(
        self, token: str | None, params: Params, version: int
    ) -> dict[str, Any]:
        found = unfinished_large_file(self._sim, params.text("fileId"))
        file_id = found.file.file_id
        key = self._auth.require(token, "writeFiles", found.bucket.bucket_id, found.name)
        simulator_url = self._sim.get_upload_part_url(SIM_API_URL, token, file_id)["uploadUrl"]
        upload_token = self._auth.mint_upload_token("part", file_id, simulator_url, key)
        return {
            "fileId": file_id,
            "uploadUrl": f"{self._base_url}/b2api/v{version}/b2_upload_part/{file_id}",
            "authorizationToken": upload_token,
        }

    def start_large_file(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        bucket = bucket_by_id(self._sim, params.text("bucketId"))
        file_name = params.text("fileName")
        self._auth.require(token, "writeFiles", bucket.bucket_id, file_name)
        check_file_name(file_name)
        reply = self._sim.start_large_file(
            SIM_API_URL,
            token,
            bucket.bucket_id,
            file_name,
            resolve_content_type(params.optional_text("contentType"), file_name),
            params.text_map("fileInfo"),
            parse_server_side_encryption(params.optional_map("serverSideEncryption")),
            custom_upload_timestamp=params.optional_int("custom_upload_timestamp"),
        )
        return dict(reply)

    def finish_large_file(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        found = unfinished_large_file(self._sim, params.text("fileId"))
        self._auth.require(token, "writeFiles", found.bucket.bucket_id, found.name)
        part_sha1s = params.text_list("partSha1Array")
        parts = sorted(
            (part for part in found.file.parts if part is not None),
            key=lambda part: part.part_number,
        )
        if not parts:
            raise bad_request("no parts have been uploaded for this large file")
        minimum = self._config.absolute_minimum_part_size_bytes
        for part in parts[:-1]:
            if part.content_length < minimum:
                raise bad_request(
                    f"Part number {part.part_number} is smaller than the minimum part size"
                )
        reply = self._sim.finish_large_file(SIM_API_URL, token, found.file.file_id, part_sha1s)
        return dict(reply)

    def cancel_large_file(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        found = unfinished_large_file(self._sim, params.text("fileId"))
        self._auth.require(token, "writeFiles", found.bucket.bucket_id, found.name)
        return dict(self._sim.cancel_large_file(SIM_API_URL, token, found.file.file_id))

    def list_parts(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        found = unfinished_large_file(self._sim, params.text("fileId"))
        self._auth.require(token, "writeFiles", found.bucket.bucket_id, found.name)
        return dict(
            self._sim.list_parts(
                SIM_API_URL,
                token,
                found.file.file_id,
                params.optional_int("startPartNumber", minimum=1, maximum=MAX_PART_NUMBER),
                params.optional_int("maxPartCount", minimum=1, maximum=MAX_LIST_COUNT),
            )
        )

    def list_unfinished_large_files(
        self, token: str | None, params: Params, version: int
    ) -> dict[str, Any]:
        bucket = bucket_by_id(self._sim, params.text("bucketId"))
        prefix = params.optional_text("namePrefix")
        self._auth.require(token, "listFiles", bucket.bucket_id, prefix or "")
        return dict(
            self._sim.list_unfinished_large_files(
                SIM_API_URL,
                token,
                bucket.bucket_id,
                params.optional_text("startFileId"),
                params.optional_int("maxFileCount", minimum=1, maximum=100),
                prefix,
            )
        )

    # Listing

    def list_file_names(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        bucket = bucket_by_id(self._sim, params.text("bucketId"))
        prefix = params.optional_text("prefix") or ""
        self._auth.require(token, "listFiles", bucket.bucket_id, prefix)
        start = _start_within_prefix(params.optional_text("startFileName"), prefix)
        count = params.optional_int("maxFileCount", minimum=1) or 100
        delimiter = params.optional_text("delimiter")
        if start is None:
            reply: dict[str, Any] = {"files": [], "nextFileName": None}
        elif delimiter:
            everything = bucket.list_file_names(token, start, MAX_LIST_COUNT * 100, prefix)
            reply = _collapse_folders(everything["files"], prefix, delimiter, count)
        else:
            reply = bucket.list_file_names(token, start, min(count, MAX_LIST_COUNT), prefix)
        return api_versions.listing_reply(version, reply)

    def list_file_versions(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        bucket = bucket_by_id(self._sim, params.text("bucketId"))
        prefix = params.optional_text("prefix") or ""
        self._auth.require(token, "listFiles", bucket.bucket_id, prefix)
        start_name = params.optional_text("startFileName")
        start_id = params.optional_text("startFileId")
        if start_id is not None and (start_name is None or not start_id.isdigit()):
            raise bad_request(f"Invalid startFileId: {start_id}")
        start = _start_within_prefix(start_name, prefix)
        if start != start_name:
            start_id = None  # the start moved to the prefix: begin with that name's newest
        count = min(params.optional_int("maxFileCount", minimum=1) or 100, MAX_LIST_COUNT)
        if start is None:
            reply: dict[str, Any] = {"files": [], "nextFileName": None, "nextFileId": None}
        else:
            reply = self._sim.list_file_versions(
                SIM_API_URL, token, bucket.bucket_id, start, start_id, count, prefix or None
            )
        return api_versions.listing_reply(version, reply)

    # Single files

    def get_file_info(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        file_id = params.text("fileId")
        found = find_file(self._sim, file_id)
        if found is None:
            raise not_found(f"file not present: {file_id}")
        self._auth.require(token, "readFiles", found.bucket.bucket_id, found.name)
        return dict(self._sim.get_file_info_by_id(SIM_API_URL, token, file_id))

    def delete_file_version(
        self, token: str | None, params: Params, version: int
    ) -> dict[str, Any]:
        file_id = params.text("fileId")
        file_name = params.text("fileName")
        found = find_file(self._sim, file_id)
        if found is None or found.name != file_name:
            raise ApiError(400, "file_not_present", f"File not present: {file_name} {file_id}")
        self._auth.require(token, "deleteFiles", found.bucket.bucket_id, file_name)
        reply = self._sim.delete_file_version(
            SIM_API_URL, token, file_id, file_name, params.flag("bypassGovernance")
        )
        return {"fileId": reply["fileId"], "fileName": reply["fileName"]}

    def hide_file(self, token: str | None, params: Params, version: int) -> dict[str, Any]:
        bucket = bucket_by_id(self._sim, params.text("bucketId"))
        file_name = params.text("fileName")
        self._auth.require(token, "writeFiles", bucket.bucket_id, file_name)
        newest = newest_version(bucket, file_name)
        if newest is None:
            raise ApiError(400, "no_such_file", f"File not present: {file_name}")
        if newest.action == "hide":
            raise ApiError(400, "already_hidden", f"File already hidden: {file_name}")
        return dict(self._sim.hide_file(SIM_API_URL, token, bucket.bucket_id, file_name))

    def get_download_authorization(
        self, token: str | None, params: Params, version: int
    ) -> dict[str, Any]:
        bucket = bucket_by_id(self._sim, params.text("bucketId"))
        prefix = params.optional_text("fileNamePrefix") or ""
        self._auth.require(token, "shareFiles", bucket.bucket_id, prefix)
        duration = params.optional_int(
            "validDurationInSeconds", minimum=1, maximum=MAX_DOWNLOAD_AUTH_DURATION_S
        )
        if duration is None:
            raise bad_request("required field validDurationInSeconds is missing")
        return {
            "bucketId": bucket.bucket_id,
            "fileNamePrefix": prefix,
            "authorizationToken": self._auth.mint_download_grant(
                bucket.bucket_id, prefix, duration
            ),
        }


def _start_within_prefix(start: str | None, prefix: str) -> str | None:
    """Where a listing starts, given both a start name and a prefix; None: nothing to list.

    B2 starts at the prefix when the start name sorts before it, and lists nothing when the
    start name sorts after every name with the prefix.
    """
    if not start or start < prefix:
        return prefix
    if start.startswith(prefix):
        return start
    return None


def _collapse_folders(
    files: list[dict[str, Any]], prefix: str, delimiter: str, count: int
) -> dict[str, Any]:
    """Names below ``prefix`` with a further ``delimiter`` become one "folder" entry each."""
    entries: list[dict[str, Any]] = []
    next_file_name = None
    for entry in files:
        rest = entry["fileName"][len(prefix) :]
        cut = rest.find(delimiter)
        if cut >= 0:
            folder = prefix + rest[: cut + len(delimiter)]
            if entries and entries[-1]["fileName"] == folder:
                continue
            entry = _folder_entry(folder)
        if len(entries) == count:
            next_file_name = entry["fileName"]
            break
        entries.append(entry)
    return {"files": entries, "nextFileName": next_file_name}


def _folder_entry(folder: str) -> dict[str, Any]:
    return {
        "action": "folder",
        "fileName": folder,
        "fileId": None,
        "contentLength": 0,
        "contentSha1": None,
        "contentType": None,
        "fileInfo": {},
        "uploadTimestamp": 0,
    }
