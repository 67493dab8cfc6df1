"""Uploads (b2_upload_file, b2_upload_part) and downloads (by id and by name).

These carry bodies instead of JSON parameters: the HTTP front reads the request body, and
this module checks the headers as B2 does and hands the bytes to the simulator, which
verifies their SHA-1. Callers hold the simulator's lock.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

from b2sdk.v3 import b2_url_decode

from .accounts import Authorizer, UploadTarget, check_name_prefix
from .calls import MAX_PART_NUMBER, parse_server_side_encryption, resolve_content_type
from .errors import ApiError, bad_request, not_found
from .lookups import check_file_name, find_file, newest_version, unfinished_large_file
from .simulator import EmulatedRawApi

FILE_INFO_HEADER_PREFIX = "x-bz-info-"
HEX_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
# Values of X-Bz-Content-Sha1 that are not a digest: the digest trails the body, or none is given.
SHA1_AT_END = "hex_digits_at_end"
SHA1_NOT_GIVEN = "do_not_verify"
RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass(frozen=True)
class Download:
    status: int
    headers: list[tuple[str, str]]
    body: memoryview


def _header(headers: dict[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        raise bad_request(f"missing header {name}")
    return value


def _content_sha1(headers: dict[str, str], *, allow_unverified: bool) -> str:
    sha1 = _header(headers, "x-bz-content-sha1")
    if HEX_SHA1.fullmatch(sha1):
        return sha1.lower()
    if sha1 == SHA1_AT_END or (allow_unverified and sha1 == SHA1_NOT_GIVEN):
        return sha1
    raise bad_request(f"invalid X-Bz-Content-Sha1: {sha1}")


class Transfers:
    def __init__(self, sim: EmulatedRawApi, auth: Authorizer) -> None:
        self._sim = sim
        self._auth = auth

    def upload_file(
        self, target: UploadTarget, header_items: list[tuple[str, str]], body: bytes
    ) -> dict[str, Any]:
        headers = {name.lower(): value for name, value in header_items}
        file_name = b2_url_decode(_header(headers, "x-bz-file-name"))
        check_file_name(file_name)
        check_name_prefix(target.name_prefix, file_name)
        sha1 = _content_sha1(headers, allow_unverified=True)
        file_info = {
            name[len(FILE_INFO_HEADER_PREFIX) :]: b2_url_decode(value)
            for name, value in header_items
            if name.lower().startswith(FILE_INFO_HEADER_PREFIX)
        }
        sse_header = headers.get("x-bz-server-side-encryption")
        timestamp = headers.get("x-bz-custom-upload-timestamp")
        unverified = sha1 == SHA1_NOT_GIVEN
        if unverified:
            sha1 = hashlib.sha1(body).hexdigest()
        reply = self._sim.upload_file(
            target.simulator_url,
            target.simulator_url,
            file_name,
            len(body),
            resolve_content_type(headers.get("content-type"), file_name),
            sha1,
            file_info,
            io.BytesIO(body),
            parse_server_side_encryption({"mode": "SSE-B2"} if sse_header == "AES256" else None),
            custom_upload_timestamp=None if timestamp is None else int(timestamp),
        )
        if unverified:
            # B2 stores what it was told, marked as not checked.
            stored = self._sim.bucket_id_to_bucket[target.target_id].file_id_to_file[
                reply["fileId"]
            ]
            stored.content_sha1 = f"unverified:{sha1}"
            reply["contentSha1"] = stored.content_sha1
        return dict(reply)

    def upload_part(
        self, target: UploadTarget, header_items: list[tuple[str, str]], body: bytes
    ) -> dict[str, Any]:
        headers = {name.lower(): value for name, value in header_items}
        try:
            part_number = int(_header(headers, "x-bz-part-number"))
        except ValueError:
            raise bad_request("X-Bz-Part-Number must be a number") from None
        if not 1 <= part_number <= MAX_PART_NUMBER:
            raise bad_request(f"Part number must be in range 1 - {MAX_PART_NUMBER}")
        sha1 = _content_sha1(headers, allow_unverified=False)
        unfinished_large_file(self._sim, target.target_id)
        reply = self._sim.upload_part(
            target.simulator_url,
            target.simulator_url,
            part_number,
            len(body),
            sha1,
            io.BytesIO(body),
        )
        return dict(reply)

    def open_download(
        self,
        token: str | None,
        *,
        file_id: str | None = None,
        bucket_name: str | None = None,
        file_name: str | None = None,
        range_header: str | None = None,
    ) -> Download:
        """The reply to a download by id, or by bucket and file name."""
        if file_id is not None:
            found = find_file(self._sim, file_id)
            if found is None or found.action != "upload":
                raise not_found(f"File with such id does not exist: {file_id}")
            bucket, file = found.bucket, found.file
        else:
            assert bucket_name is not None and file_name is not None
            bucket = self._sim.bucket_name_to_bucket.get(bucket_name)
            if bucket is None:
                raise not_found(f"Bucket does not exist: {bucket_name}")
            file = newest_version(bucket, file_name)
            if file is None or file.action != "upload":
                raise not_found(f"File with such name does not exist: {file_name}")
        self._auth.require_download(token, bucket, file.name)
        headers = {
            name: value
            for name, value in file.as_download_headers().items()
            if name.lower() not in ("content-length", "content-range")
        }
        return _ranged(headers, file.data_bytes, range_header)


def _ranged(headers: dict[str, str], data: bytes, range_header: str | None) -> Download:
    size = len(data)
    span = _parse_range(range_header, size)
    items = [*headers.items(), ("Accept-Ranges", "bytes")]
    if span is None:
        return Download(200, [*items, ("Content-Length", str(size))], memoryview(data))
    start, end = span
    items += [
        ("Content-Range", f"bytes {start}-{end}/{size}"),
        ("Content-Length", str(end - start + 1)),
    ]
    return Download(206, items, memoryview(data)[start : end + 1])


def _parse_range(range_header: str | None, size: int) -> tuple[int, int] | None:
    """The byte span asked for, clamped to the file; None for the whole file."""
    match = RANGE.fullmatch(range_header.strip()) if range_header else None
    if match is None or match.group(1) == match.group(2) == "":
        return None  # absent, or a form B2 ignores (several ranges)
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or start > end:
        raise ApiError(416, "range_not_satisfiable", f"The range {range_header} is not satisfiable")
    return start, end
