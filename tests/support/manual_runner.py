"""A task runner a test drives by hand: work waits until the test runs it, on its own thread.

With it a test can stop an import halfway (some files read, others not) without racing the
thread pool, then click Cancel or take a picture of the progress bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class ManualRunner:
    def __init__(self) -> None:
        self.waiting: list[tuple[Callable[[], Any], Callable[[Any], None], Callable[..., None]]]
        self.waiting = []

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self.waiting.append((work, on_done, on_error))

    def run_next(self) -> None:
        """Run the oldest waiting work and deliver its result (or error)."""
        work, on_done, on_error = self.waiting.pop(0)
        try:
            result = work()
        except Exception as exc:  # handed over, as the real runners do
            on_error(exc)
            return
        on_done(result)

    def run_all(self) -> None:
        while self.waiting:
            self.run_next()

    def wait(self, timeout_ms: int = -1) -> bool:
        return True
