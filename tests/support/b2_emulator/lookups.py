"""Finding buckets and files in the simulator, answering as B2 does when they are missing.

The simulator indexes with plain dicts and raises KeyError (or asserts) for unknown ids;
B2 answers with specific error codes, which clients rely on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ApiError, bad_request
from .simulator import EmulatedBucket, EmulatedRawApi


@dataclass(frozen=True)
class FoundFile:
    bucket: EmulatedBucket
    file: Any  # EmulatedFile; b2sdk's simulator classes are untyped

    @property
    def name(self) -> str:
        return str(self.file.name)

    @property
    def action(self) -> str:
        return str(self.file.action)


def bucket_by_id(sim: EmulatedRawApi, bucket_id: str) -> EmulatedBucket:
    bucket: EmulatedBucket | None = sim.bucket_id_to_bucket.get(bucket_id)
    if bucket is None:
        raise ApiError(400, "bad_bucket_id", f"Invalid bucketId: {bucket_id}")
    return bucket


def find_file(sim: EmulatedRawApi, file_id: str) -> FoundFile | None:
    # file_id_to_bucket_id keeps ids of deleted files, so the bucket's own map decides.
    bucket = sim.bucket_id_to_bucket.get(sim.file_id_to_bucket_id.get(file_id, ""))
    if bucket is None:
        return None
    file = bucket.file_id_to_file.get(file_id)
    return None if file is None else FoundFile(bucket, file)


def unfinished_large_file(sim: EmulatedRawApi, file_id: str) -> FoundFile:
    found = find_file(sim, file_id)
    if found is None or found.action != "start":
        raise bad_request(f"No active upload for: {file_id}")
    return found


def newest_version(bucket: EmulatedBucket, file_name: str) -> Any | None:
    """The newest upload or hide marker named ``file_name``; unfinished uploads do not count."""
    versions = [
        file
        for (name, _file_id), file in sorted(bucket.file_name_and_id_to_file.items())
        if name == file_name and file.action != "start"
    ]
    return versions[0] if versions else None


def check_file_name(name: str) -> None:
    """B2's rules for file names (documented under "Files" in its API guide)."""
    encoded = name.encode()
    if not 1 <= len(encoded) <= 1024:
        raise bad_request("File names must be 1 to 1024 bytes of UTF-8")
    if any(ord(char) < 32 or char in "\x7f\\" for char in name):
        raise bad_request("File names may not contain control characters, DEL or backslash")
    if name.startswith("/") or name.endswith("/") or "//" in name:
        raise bad_request("File names may not start or end with '/', nor contain '//'")
    if max(len(segment.encode()) for segment in name.split("/")) > 250:
        raise bad_request("Each segment of a file name is at most 250 bytes")
