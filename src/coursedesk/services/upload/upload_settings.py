"""How the upload queue sends: files and parts at once, part size, bandwidth, retry and
polling intervals."""

from __future__ import annotations

from dataclasses import dataclass, replace

from coursedesk.services.upload.parts import DEFAULT_PART_SIZE_BYTES


@dataclass(frozen=True, slots=True)
class UploadSettings:
    files_at_once: int = 2
    parts_per_file: int = 4
    # Parts sent at once over all files; None: files_at_once * parts_per_file.
    connections: int | None = None
    part_size_bytes: int = DEFAULT_PART_SIZE_BYTES
    bandwidth_limit_bytes_per_s: int | None = None
    retry_first_delay_s: float = 1.0
    retry_cap_s: float = 60.0
    offline_probe_interval_s: float = 10.0
    deletion_retry_interval_s: float = 60.0
    progress_interval_s: float = 0.1

    @property
    def parts_at_once(self) -> int:
        """How many parts may be on their way at the same time, over all files."""
        if self.connections is not None:
            return max(1, self.connections)
        return max(1, self.files_at_once * self.parts_per_file)


DEFAULT_FILES_AT_ONCE = UploadSettings().files_at_once
DEFAULT_CONNECTIONS = UploadSettings().parts_at_once


def with_connections(settings: UploadSettings, connections: int) -> UploadSettings:
    """``settings`` sending ``connections`` parts at once in all: up to two files side by
    side, each free to use every connection the other leaves."""
    connections = max(1, connections)
    return replace(
        settings,
        files_at_once=min(DEFAULT_FILES_AT_ONCE, connections),
        parts_per_file=connections,
        connections=connections,
    )
