"""Counters per B2 call, so tests can see what a client really sent (retries included)."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _CallCounters:
    requests: int = 0
    bytes_received: int = 0
    bytes_sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: defaultdict[str, _CallCounters] = defaultdict(_CallCounters)

    def request(self, call: str) -> None:
        with self._lock:
            self._calls[call].requests += 1

    def received(self, call: str, byte_count: int) -> None:
        with self._lock:
            self._calls[call].bytes_received += byte_count

    def sent(self, call: str, status: int, byte_count: int) -> None:
        with self._lock:
            counters = self._calls[call]
            counters.statuses[status] += 1
            counters.bytes_sent += byte_count

    def fault(self, call: str, kind: str) -> None:
        with self._lock:
            self._calls[call].faults[kind] += 1

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                call: {
                    "requests": counters.requests,
                    "bytes_received": counters.bytes_received,
                    "bytes_sent": counters.bytes_sent,
                    # JSON object keys are strings.
                    "statuses": {str(status): n for status, n in counters.statuses.items()},
                    "faults": dict(counters.faults),
                }
                for call, counters in self._calls.items()
            }
