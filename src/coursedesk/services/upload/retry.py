"""When to try again: exponential backoff with jitter, never sooner than Retry-After."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    first_delay_s: float = 1.0
    retry_cap_s: float = 60.0
    jitter: float = 0.5  # the delay is drawn from [(1 - jitter) * d, d]

    def delay_s(self, attempt: int, retry_after_s: float | None, rng: random.Random) -> float:
        """The wait before try ``attempt + 1`` (``attempt`` from 1)."""
        backoff = min(self.retry_cap_s, self.first_delay_s * 2 ** (attempt - 1))
        backoff *= 1.0 - self.jitter * rng.random()
        return float(max(backoff, retry_after_s or 0.0))


class Clock(Protocol):
    def sleep(self, seconds: float, wake: threading.Event) -> None:
        """Wait ``seconds``, or less if ``wake`` is set."""


class RealClock:
    def sleep(self, seconds: float, wake: threading.Event) -> None:
        wake.wait(seconds)


class RecordingClock:
    """Doesn't wait; remembers every wait asked for (tests measure Retry-After with it)."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self._lock = threading.Lock()

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        with self._lock:
            self.waits.append(seconds)
        time.sleep(0)  # let other threads run, as a real wait would
