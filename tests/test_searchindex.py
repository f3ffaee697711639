"""How the search index is split into bundles (missiekaart.build.searchindex), without a build: the number
of bundles keeps their size within bounds and changes only when it must."""

from __future__ import annotations

import math
import random

import pytest

from missiekaart.build.searchindex import bundle_count


@pytest.mark.parametrize("size", [1, 2, 7, 125])
def test_a_new_index_has_bundles_of_at_most_the_size(size):
    for organisations in range(0, 3 * size + 2):
        count = bundle_count(organisations, size)
        assert count == max(1, math.ceil(organisations / size))


def test_the_count_is_kept_while_bundles_stay_between_half_and_twice_the_size():
    rng = random.Random(3)
    size, organisations, count, changes = 125, 1000, 8, 0
    for _week in range(3000):  # a weekly organisation more or less, for decades
        organisations = max(0, organisations + rng.choice((1, 1, 1, -1)))
        new = bundle_count(organisations, size, count)
        if new != count:
            changes += 1
            assert not size / 2 <= organisations / count <= 2 * size  # it had to change
            assert new == max(1, math.ceil(organisations / size))  # and starts as a new index would
        count = new
        assert organisations == 0 or size / 2 <= organisations / count <= 2 * size
    assert 0 < changes <= 4  # 1,000 to about 2,500 organisations: grown past twice the size once or twice
