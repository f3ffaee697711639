"""An ordered chain of named passes, after markdown-it-py's ``Ruler``: easy to list, find and reorder."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Rule", "Ruler"]

T = TypeVar("T")


@dataclass(frozen=True)
class Rule(Generic[T]):
    name: str
    run: Callable[[T], T]


class Ruler(Generic[T]):
    """Passes run in order, each a pure function from a state to a new state."""

    def __init__(self, rules: Iterable[tuple[str, Callable[[T], T]]] = ()) -> None:
        self._rules: list[Rule[T]] = [Rule(name, run) for name, run in rules]

    @property
    def names(self) -> list[str]:
        return [rule.name for rule in self._rules]

    def _index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"no rule named {name!r}; the rules are {self.names}") from None

    def push(self, name: str, run: Callable[[T], T]) -> None:
        self._rules.append(Rule(name, run))

    def before(self, anchor: str, name: str, run: Callable[[T], T]) -> None:
        self._rules.insert(self._index(anchor), Rule(name, run))

    def after(self, anchor: str, name: str, run: Callable[[T], T]) -> None:
        self._rules.insert(self._index(anchor) + 1, Rule(name, run))

    def without(self, *names: str) -> Ruler[T]:
        """A copy of this chain without the named rules."""
        for name in names:
            self._index(name)
        return Ruler((rule.name, rule.run) for rule in self._rules if rule.name not in names)

    def __call__(self, state: T) -> T:
        for rule in self._rules:
            state = rule.run(state)
        return state
