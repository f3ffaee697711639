"""A mapping whose values stay pickled until they are used.

Sphinx saves the whole environment after every build that read a page, and loads it at the start
of every build. Most of what it holds per page is not used again until that page is read or
written again: a build that re-reads one organisation of 10,000 still pickled and unpickled the
headings of all 10,000 (``env.tocs``: 36 MB of docutils nodes, 2.0 s to save and 1.0 s to load at
10,000 organisations, measured with the garbage collector off, as the build runs).

A :class:`Shelf` is saved as one pickle per value, and loaded as those bytes. A value is unpickled
when it is first asked for, and from then on is a plain value: its bytes are dropped, since the
caller may change it in place, and it is pickled again when the shelf is saved. A value nobody
asked for is saved as the bytes it was loaded with (a copy, not a walk through nodes). So a build
pays for the pages it touches, not for all of them.

A *frozen* shelf holds values that are never changed in place once set (the domain's cards of a
page, what it keeps made from one page): it saves a list as a tuple, so a loaded list cannot be
changed in place, and it keeps a loaded value's bytes when it is asked for: a build that reads
every page's cards to compute the overviews saves the 9,999 it did not read again as the bytes
they came with. A value that changes is set again (``shelf[key] = value``), and pickled anew.

Values pickled apart share no objects with each other (each is its own pickle): a shelf is for
values that are separate, such as one page's table of contents.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, TypeVar

__all__ = ["Shelf"]

V = TypeVar("V")
_UNPICKLED = object()


class _Pickled:
    """A value as its pickle (and, in a frozen shelf, the value once unpickled); never handed out."""

    __slots__ = ("data", "value")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.value: Any = _UNPICKLED


class Shelf(MutableMapping[str, V]):
    """A ``dict`` of str keys whose values are unpickled on first use and kept pickled otherwise;
    *frozen*: of values never changed in place (lists saved as tuples), whose bytes are kept once
    unpickled."""

    __slots__ = ("_items", "frozen")

    def __init__(self, items: Mapping[str, V] | None = None, *, frozen: bool = False) -> None:
        self._items: dict[str, V | _Pickled] = dict(items or {})
        self.frozen = frozen

    def __getitem__(self, key: str) -> V:
        value = self._items[key]
        if type(value) is not _Pickled:
            return value  # type: ignore[return-value]
        if not self.frozen:
            loaded = self._items[key] = pickle.loads(value.data)
            return loaded  # type: ignore[no-any-return]
        if value.value is _UNPICKLED:
            value.value = pickle.loads(value.data)
        return value.value  # type: ignore[no-any-return]

    def __setitem__(self, key: str, value: V) -> None:
        self._items[key] = value

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __repr__(self) -> str:
        return f"<Shelf of {len(self._items)} values, {len(self.in_use())} unpickled>"

    def in_use(self) -> set[str]:
        """The keys whose values were set or unpickled since the shelf was loaded."""
        return {
            key for key, value in self._items.items() if type(value) is not _Pickled or value.value is not _UNPICKLED
        }

    def pickled(self) -> dict[str, bytes]:
        """Every value as its pickle: the bytes it was loaded with, or, for a value in use, pickled
        now (and left in use, as a ``dict`` would: whoever holds it may still change it)."""
        return {
            key: value.data if type(value) is _Pickled else self._pickle(value) for key, value in self._items.items()
        }

    def _pickle(self, value: Any) -> bytes:
        if self.frozen and isinstance(value, list):
            value = tuple(value)
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self.pickled(), self.frozen))


def _restore(pickles: dict[str, bytes], frozen: bool) -> Shelf[Any]:
    shelf: Shelf[Any] = Shelf(frozen=frozen)
    shelf._items = {key: _Pickled(data) for key, data in pickles.items()}
    return shelf
