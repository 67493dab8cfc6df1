"""A B2 call's parameters, read with the checks (and 400 replies) B2 applies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import bad_request


class Params:
    """The JSON body of a POST call, or the query of a GET call."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = raw

    def text(self, name: str) -> str:
        value = self.optional_text(name)
        if value is None:
            raise bad_request(f"required field {name} is missing")
        return value

    def optional_text(self, name: str) -> str | None:
        value = self._raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise bad_request(f"field {name} must be a string")
        return value

    def optional_int(
        self, name: str, *, minimum: int = 0, maximum: int | None = None
    ) -> int | None:
        value = self._raw.get(name)
        if value is None:
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise bad_request(f"field {name} must be a number") from None
        if number < minimum or (maximum is not None and number > maximum):
            raise bad_request(f"field {name} is out of range: {number}")
        return number

    def text_list(self, name: str) -> list[str]:
        value = self.optional_text_list(name)
        if value is None:
            raise bad_request(f"required field {name} is missing")
        return value

    def optional_text_list(self, name: str) -> list[str] | None:
        value = self._raw.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise bad_request(f"field {name} must be a list of strings")
        return value

    def text_map(self, name: str) -> dict[str, str]:
        value = self._raw.get(name) or {}
        if not isinstance(value, dict) or not all(
            isinstance(key, str) and isinstance(item, str) for key, item in value.items()
        ):
            raise bad_request(f"field {name} must map strings to strings")
        return value

    def optional_map(self, name: str) -> dict[str, Any] | None:
        value = self._raw.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise bad_request(f"field {name} must be an object")
        return value

    def flag(self, name: str) -> bool:
        return bool(self._raw.get(name))
