"""Making frozen value objects without their ``__init__``, for the few that are made by the
hundred in one edit.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``: that is
most of what making one costs. A bulk move of 500 videos makes 500 moved copies of videos and
1,000 move steps (the steps and their inverses), and its undo as many copies again.

A builder here fills an instance of a plain twin class, which has the same slots and no
``__setattr__`` of its own (ordinary slot stores, the cheapest Python has), and then turns it
into an instance of the real class by assigning ``__class__``. Python allows that only
between classes whose instances have the same layout and checks it on every assignment; the
twin is tried once when the builder is made, so a class that stops fitting fails at import.
The result is an ordinary instance of the class: equal to, and hashing like, one made by its
constructor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def quick_builder(
    cls: type, name: str, params: Sequence[str], values: Mapping[str, str]
) -> Callable[..., Any]:
    """A function ``name(*params)`` returning a ``cls`` whose every field is set from the
    Python expression ``values[field]`` (over the parameters).

    ``cls`` must be a slotted dataclass, and ``values`` must name every one of its fields.
    """
    fields = tuple(f.name for f in dataclasses.fields(cls))
    slots = tuple(getattr(cls, "__slots__", ()))
    if sorted(slots) != sorted(fields):
        raise TypeError(f"{cls.__name__} keeps fields outside its slots")
    if set(values) != set(fields):
        raise TypeError(f"a quick {cls.__name__} must set exactly its fields")
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": slots})
    probe: Any = object.__new__(twin)
    probe.__class__ = cls  # raises TypeError unless the layouts match
    lines = [f"def {name}({', '.join(params)}):", "    made = new(Twin)"]
    lines += [f"    made.{field} = {values[field]}" for field in fields]
    lines += ["    made.__class__ = Made", "    return made"]
    scope: dict[str, Any] = {"new": object.__new__, "Twin": twin, "Made": cls}
    exec("\n".join(lines), scope)
    built: Callable[..., Any] = scope[name]
    built.__qualname__ = name
    return built
