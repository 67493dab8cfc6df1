"""Random sequences of edits keep the store consistent, and undo/redo stay exact.

See ``tests/support/store_machine.py`` for what each run does and checks."""

from __future__ import annotations

from hypothesis import settings
from tests.support.store_machine import StoreMachine

TestRandomEdits = StoreMachine.TestCase
TestRandomEdits.settings = settings(max_examples=75, stateful_step_count=30, deadline=None)
