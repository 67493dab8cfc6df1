"""What the control endpoints report, as values tests can compare."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CallStats:
    requests: int = 0
    bytes_received: int = 0
    bytes_sent: int = 0
    statuses: Mapping[int, int] = field(default_factory=dict)
    faults: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> CallStats:
        return cls(
            requests=raw["requests"],
            bytes_received=raw["bytes_received"],
            bytes_sent=raw["bytes_sent"],
            statuses={int(status): n for status, n in raw["statuses"].items()},
            faults=dict(raw["faults"]),
        )


@dataclass(frozen=True)
class EmulatorStats:
    """Requests per B2 call name since start or the last reset, and the faults in force."""

    calls: Mapping[str, CallStats]
    faults: list[dict[str, Any]]

    def of(self, call: str) -> CallStats:
        return self.calls.get(call, CallStats())

    def requests(self, call: str) -> int:
        return self.of(call).requests

    def bytes_received(self, call: str) -> int:
        return self.of(call).bytes_received

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> EmulatorStats:
        calls = {call: CallStats.from_dict(counters) for call, counters in raw["calls"].items()}
        return cls(calls=calls, faults=list(raw["faults"]))


@dataclass(frozen=True)
class StoredFile:
    """One file version held by the emulator (an upload, a hide marker or an unfinished
    large file, told apart by ``action``: "upload", "hide", "start")."""

    bucket_name: str
    bucket_id: str
    file_id: str
    file_name: str
    action: str
    content_length: int
    content_sha1: str
    content_type: str | None
    file_info: Mapping[str, str]
    upload_timestamp: int
    part_numbers: tuple[int, ...] = ()
    data_sha1: str | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> StoredFile:
        return cls(**{**raw, "part_numbers": tuple(raw["part_numbers"])})
