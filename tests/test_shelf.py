"""The shelf (missiekaart/core/shelf.py): a dict whose values stay pickled until used.

It holds the pages' headings and the domain's cards of a 10,000-page environment, so it must be a
dict in everything a caller can see, through any sequence of changes, saves and loads; and it must
save a value nobody asked for as the very bytes it was loaded with (what makes it cheap).
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missiekaart.core.shelf import Shelf

KEYS = st.sampled_from(["a", "b", "c", "d", "organisations/é", ""])
VALUES = st.lists(st.one_of(st.integers(), st.text(max_size=5), st.tuples(st.text(max_size=3))), max_size=4)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("set"), KEYS, VALUES),
        st.tuples(st.just("get"), KEYS),
        st.tuples(st.just("delete"), KEYS),
        st.tuples(st.just("pop"), KEYS),
        st.tuples(st.just("append"), KEYS, st.integers()),  # change a value in place, as a caller may
        st.tuples(st.just("save and load")),
    ),
    max_size=40,
)


def saved_and_loaded(shelf: Shelf[Any]) -> Shelf[Any]:
    loaded = pickle.loads(pickle.dumps(shelf, pickle.HIGHEST_PROTOCOL))
    assert isinstance(loaded, Shelf)
    return loaded


@settings(max_examples=400, derandomize=True, deadline=None)
@given(operations=OPERATIONS)
def test_a_shelf_is_a_dict_through_any_changes_saves_and_loads(operations):
    """Model-based: the same operations on a shelf and on a dict leave the same keys and values
    (a value changed in place after it was asked for is saved changed)."""
    shelf: Shelf[list[Any]] = Shelf()
    model: dict[str, list[Any]] = {}
    for operation in operations:
        name, *arguments = operation
        if name == "set":
            key, value = arguments
            shelf[key] = list(value)
            model[key] = list(value)
        elif name == "get":
            assert shelf.get(arguments[0]) == model.get(arguments[0])
        elif name == "delete":
            if arguments[0] in model:
                del shelf[arguments[0]], model[arguments[0]]
            else:
                with pytest.raises(KeyError):
                    del shelf[arguments[0]]
        elif name == "pop":
            assert shelf.pop(arguments[0], None) == model.pop(arguments[0], None)
        elif name == "append":
            key, item = arguments
            if key in model:
                shelf[key].append(item)
                model[key].append(item)
        else:
            shelf = saved_and_loaded(shelf)
        assert list(shelf) == list(model) and len(shelf) == len(model)
        assert all((key in shelf) == (key in model) for key in ["a", "b", "c", "d", "organisations/é", "", "x"])
    assert dict(shelf.items()) == model
    assert dict(saved_and_loaded(shelf).items()) == model


@settings(max_examples=200, derandomize=True, deadline=None)
@given(values=st.dictionaries(KEYS, VALUES, max_size=6), asked=st.sets(KEYS))
def test_a_frozen_shelf_saves_sequences_as_tuples_and_keeps_what_it_loaded(values, asked):
    shelf = Shelf({key: list(value) for key, value in values.items()}, frozen=True)
    loaded = saved_and_loaded(shelf)
    before = loaded.pickled()
    for key in asked & values.keys():
        assert loaded[key] == tuple(values[key])  # a tuple: a loaded value cannot be changed in place
    assert loaded.in_use() == asked & values.keys()
    after = loaded.pickled()
    assert all(after[key] is before[key] for key in values)  # asked for or not, saved as the bytes it came with
    assert {key: loaded[key] for key in loaded} == {key: tuple(value) for key, value in values.items()}


def test_a_value_nobody_asked_for_is_saved_as_the_bytes_it_was_loaded_with():
    shelf = saved_and_loaded(Shelf({"kept": [1, 2], "used": [3], "changed": [4]}))
    before = shelf.pickled()
    assert shelf["used"] == [3]
    shelf["changed"].append(5)
    after = shelf.pickled()
    assert after["kept"] is before["kept"]  # the same bytes object: not pickled again
    assert after["used"] is not before["used"] and pickle.loads(after["used"]) == [3]
    assert pickle.loads(after["changed"]) == [4, 5]
    assert shelf.in_use() == {"used", "changed"}
    assert repr(shelf) == "<Shelf of 3 values, 2 unpickled>"


def test_values_pickled_apart_keep_their_own_identity():
    """Each value is its own pickle: two keys holding one object are two objects once loaded
    (the reason a shelf is for values that are separate)."""
    shared = ["x"]
    loaded = saved_and_loaded(Shelf({"a": shared, "b": shared}))
    assert loaded["a"] == loaded["b"] and loaded["a"] is not loaded["b"]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(values=st.dictionaries(KEYS, st.dictionaries(st.text(max_size=3), VALUES, max_size=3), max_size=5), more=VALUES)
def test_a_frozen_shelf_keeps_a_mapping_whole_and_saves_one_set_again_anew(values, more):
    """What the domain keeps per page (its quotes: a dict per page) in a frozen shelf: a mapping is
    saved as itself, not as a tuple of its keys; a value that gets one more entry is set again
    (as ``MissiekaartDomain._keep`` does) and saved with it, the others as the bytes they came with."""
    loaded = saved_and_loaded(Shelf(dict(values), frozen=True))
    assert {key: loaded[key] for key in loaded} == values
    before = loaded.pickled()
    changed = sorted(values)[:1]
    for key in changed:
        entries = loaded[key]
        entries["new"] = list(more)
        loaded[key] = entries
    after = saved_and_loaded(loaded)
    assert {key: after[key] for key in after} == {
        key: {**value, "new": list(more)} if key in changed else value for key, value in values.items()
    }
    assert all(loaded.pickled()[key] is before[key] for key in values if key not in changed)
