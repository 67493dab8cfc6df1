"""b2sdk's in-memory ``RawSimulator``, adjusted to sit behind a long-running HTTP server.

The simulator carries Backblaze's own semantics (versions, hiding, large files, part SHA-1
checks), which is why the emulator is built on it. It was written for short unit tests,
though, so a few of its shortcuts are replaced here; each override says which and why.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from typing import Any, BinaryIO

from b2sdk.v3 import SSE_NONE, BucketSimulator, FileSimulator, RawSimulator


def _upload_timestamps_ms() -> Iterator[int]:
    """Wall-clock upload times in ms, strictly increasing like B2's for one bucket."""
    last = 0
    while True:
        last = max(last + 1, int(time.time() * 1000))
        yield last


class EmulatedFile(FileSimulator):  # type: ignore[misc]
    def finish(self, part_sha1_array: list[str]) -> None:
        super().finish(part_sha1_array)
        # The parts' bytes now live on in the joined file; keeping them too would double the
        # memory a 1 GB benchmark upload takes.
        for part in self.parts:
            if part is not None:
                part.part_data = b""


class EmulatedBucket(BucketSimulator):  # type: ignore[misc]
    FILE_SIMULATOR_CLASS = EmulatedFile
    # The simulator counts file ids down from 9999 so that newer versions sort first; more
    # digits keep that order (and the ids' equal length) for any realistic test run.
    FIRST_FILE_NUMBER = 10**15 - 1
    FIRST_FILE_ID = str(FIRST_FILE_NUMBER)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Buckets are unencrypted unless asked otherwise, as on B2 (the simulator assumes SSE-B2).
        if kwargs.get("default_server_side_encryption") is None:
            kwargs["default_server_side_encryption"] = SSE_NONE
        super().__init__(*args, **kwargs)
        # The simulator's counters run out after 200 upload URLs and 5000 uploads.
        self.upload_url_counter = itertools.count()
        self.upload_timestamp_counter = _upload_timestamps_ms()
        self.file_id_counter = itertools.count(self.FIRST_FILE_NUMBER, -1)

    def list_file_names(
        self,
        account_auth_token: str | None,
        start_file_name: str | None = None,
        max_file_count: int | None = None,
        prefix: str | None = None,
    ) -> dict[str, Any]:
        """B2's listing of the newest visible version of each name.

        Replaces the simulator's, which lets an unfinished large file hide the finished
        versions of its name, lists nothing when the start name sorts before the prefix, and
        reports a next name even when no file follows.
        """
        start_file_name = start_file_name or ""
        max_file_count = max_file_count or 100
        prefix = prefix or ""
        files: list[dict[str, Any]] = []
        previous_name = None
        for (name, _file_id), file in sorted(self.file_name_and_id_to_file.items()):
            if name < start_file_name or not name.startswith(prefix) or file.action == "start":
                continue
            if name == previous_name:
                continue  # an older version of a name already decided
            previous_name = name
            if file.is_visible():
                files.append(file.as_list_files_dict(account_auth_token))
                if len(files) > max_file_count:
                    break
        next_file_name = files.pop()["fileName"] if len(files) > max_file_count else None
        return {"files": files, "nextFileName": next_file_name}

    def _simulate_chunked_post(
        self, stream: BinaryIO, content_length: int, *args: Any, **kwargs: Any
    ) -> bytes:
        # The HTTP front has received the whole body already; re-reading it twice in 8 kB
        # chunks (how the simulator exercises client-side retries) would only cost time.
        stream.seek(0)
        return stream.read()


class EmulatedRawApi(RawSimulator):  # type: ignore[misc]
    BUCKET_SIMULATOR_CLASS = EmulatedBucket
    # The front checks part sizes itself, against the configured minimum.
    MIN_PART_SIZE = 1

    def __init__(self) -> None:
        super().__init__()
        # The server runs many request threads; the simulator keeps plain dicts.
        self.lock = threading.RLock()

    def _assert_account_auth(self, *args: Any, **kwargs: Any) -> None:
        # The HTTP front authorizes every call itself: the simulator's check ignores bucket
        # restrictions on most calls and asserts (rather than answering 401) on bad tokens.
        return None
