"""Long generated lists, bounded whatever the number of organisations (issue 26).

In HTML a list longer than its page size is shown on its own page in part, and whole on pages
of their own (written by :mod:`missiekaart.views.listpages`), all linked by plain ``<a href>``, so every
organisation is reached without JavaScript:

- grouped lists (the organisation overview, a concept's "Gedeeld door"): past the page size each
  province shows its first entries, as many as keep the page at ``size`` (:func:`shares`: a small
  province is shown whole and leaves the rest of its share to the others), then a link to the
  province's own pages, ``<page>/<province>``, ``<page>/<province>-2``, ..., of at most ``size``
  entries each. Where a province's pages break is chosen by its entries, not by their positions
  (:func:`breaks`), so that one organisation more or less changes one or two of them, not every
  page after it: at 10,000 organisations a shared concept has a dozen pages in a province;
- flat lists (the concept index): the page shows the first ``size`` entries and links to the
  pages that go on, ``<page>/begrippen-2``, ...

Each generated page says where it is ("Pagina 2 van 3", its province as its title, the names its
entries run from and to, as a dictionary's guide words: not their positions, which every newcomer
before them would shift) and links the
page it belongs to, the previous and next page and the pages around it. The PDF book and the other
builders show every list whole, as before. The page sizes are settings (``conf.py``); their
defaults come from measured bytes per entry (ARCHITECTURE.md, "Bounded pages").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Generic, TypeVar

from sphinx.builders import Builder
from sphinx.locale import get_translation, get_translator

from missiekaart.core.places import province_label

__all__ = [
    "CONCEPT_PAGE_SIZE",
    "INDEX_PAGE_SIZE",
    "OVERVIEW_PAGE_SIZE",
    "Page",
    "breaks",
    "flat_pages",
    "grouped_pages",
    "is_paged",
    "page_count",
    "pager_html",
    "province_groups",
    "shares",
]

_ = get_translation("missiekaart")
T = TypeVar("T")

#: Organisations per overview page (``missiekaart_overview_page_size``). An entry is about 420 bytes
#: of HTML (name, details, concepts, filter data), the page around it about 35 KB and the filter
#: controls at most about 60 KB (:data:`FACET_OPTIONS`): 250 entries keep a page near 200 KB,
#: half the 400 KB an overview page may weigh.
OVERVIEW_PAGE_SIZE = 250
#: Organisations a concept page quotes at most (``missiekaart_concept_page_size``): one linked
#: quote cut to 140 characters is about 330 bytes, so 200 keep a concept page under 110 KB, below
#: the 150 KB of a content page, with its definition, aliases and related concepts.
CONCEPT_PAGE_SIZE = 200
#: Concepts per concept-index page (``missiekaart_index_page_size``): about 130 bytes each.
INDEX_PAGE_SIZE = 1000
#: Options a filter control of the overview offers at most: the values most organisations give.
#: A free-text field (a sector, a target group) can have a value per organisation.
FACET_OPTIONS = 150
#: Page numbers the pager shows on each side of the current page (besides the first and last).
NEAR = 2
#: The builders whose output is pages of a website: they page long lists. The book shows them whole.
PAGED_BUILDERS = ("html", "dirhtml")
NOT_GIVEN = "zonder-provincie"  # the address of the group of organisations that give no province
INDEX_PAGES = "begrippen"  # the addresses of the concept index's further pages: <page>/begrippen-2


def is_paged(builder: Builder) -> bool:
    return builder.name in PAGED_BUILDERS


@dataclass(frozen=True)
class Page(Generic[T]):
    """A generated page of a list: its entries and where it stands among its group's pages."""

    pagename: str
    parent: str  # the document whose list it continues
    group: str  # the group's label ("" for a flat list, or for the organisations without a province)
    slug: str  # the group's part of the address, also its anchor on the parent page
    number: int  # 1-based, among the group's pages
    count: int  # the group's pages
    size: int  # entries per page
    total: int  # the group's entries
    items: tuple[T, ...]
    span: tuple[str, str] | None = None  # a group's page: the names of its first and last entries

    @property
    def flat(self) -> bool:
        """A page of a flat list (the concept index), whose page 1 is its parent: it has no span."""
        return self.span is None

    def where(self) -> str:
        """Where this page stands: a flat list's (the concept index's) "Pagina 2 van 3 · begrippen
        1001 tot en met 2000 van 2400"; a group's page says its organisations by name, "Pagina 2
        van 7 · 118 organisaties, van Aardwerk tot en met Bondgenoot"."""
        if self.span is None:  # flat
            return where(self.number, self.count, self.size, self.total)
        return page_of(self.number, self.count) + " · " + guide_words(len(self.items), *self.span)

    def address(self, number: int) -> str:
        """The page name of page *number* of the same group (for a flat list, 1 is the parent)."""
        if self.flat and number == 1:
            return self.parent
        return pagename(self.parent, self.slug, number, self.flat)


def slug(label: str) -> str:
    """The part of an address made from a group's label: ASCII letters, digits and hyphens."""
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii").casefold()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "groep"


def pagename(base: str, part: str, number: int, flat: bool = False) -> str:
    """``<base>/<part>`` for a group's first page, ``<base>/<part>-<n>`` for the next ones."""
    return f"{base}/{part}" if number == 1 and not flat else f"{base}/{part}-{number}"


def province_groups(
    cards: Iterable[T], province_of: Callable[[T], tuple[str, str]], places: Mapping[str, tuple[str, ...]] | None
) -> list[tuple[str, list[T]]]:
    """The cards by province label ("Limburg (België)"), provinces by name, the cards without one
    last, each group in the order given. *province_of* gives a card's (country, province)."""
    groups: dict[str, list[T]] = defaultdict(list)
    for card in cards:
        country, province = province_of(card)
        groups[province_label(country, province, places) if province else ""].append(card)
    return [(label, groups[label]) for label in sorted(groups, key=lambda name: (not name, name.casefold()))]


def group_slugs(labels: Sequence[str]) -> list[str]:
    """An address part per group label, each its own (a number is added to a repeated one)."""
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        part = slug(label) if label else NOT_GIVEN
        seen[part] = seen.get(part, 0) + 1
        result.append(part if seen[part] == 1 else f"{part}-{seen[part]}")
    return result


def shares(size: int, counts: Sequence[int]) -> list[int]:
    """How many entries each group (of *counts* entries) shows on the parent page, *size* in all
    at most: each the same number q, the largest that fits, a small group shown whole leaving the
    rest of its share to the others; what is left over goes one entry each to the groups with more
    than q, the smallest first (so that more of them are shown whole)."""
    size = max(0, size)
    low, high = 0, max(counts, default=0)
    while low < high:  # the largest q with sum(min(count, q)) <= size
        middle = (low + high + 1) // 2
        if sum(min(count, middle) for count in counts) <= size:
            low = middle
        else:
            high = middle - 1
    result = [min(count, low) for count in counts]
    left = size - sum(result)
    for index in sorted(range(len(counts)), key=lambda i: (counts[i], i)):
        if left <= 0:
            break
        if counts[index] > result[index]:
            result[index] += 1
            left -= 1
    return result


def _picked(parent: str, key: str, chance: float) -> bool:
    """Whether the entry *key* may begin a page of *parent*'s list: the same answer in every build
    and process (a hash, not Python's salted ``hash``), independent from one list to another."""
    digest = hashlib.blake2b(f"{parent}\0{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") < chance * 2**64


def breaks(parent: str, keys: Sequence[str], size: int) -> list[tuple[int, int]]:
    """The pages of one group of *parent*'s list, as (start, end) of its entries (their *keys*, in
    the list's order), each at most *size* entries: chosen by the entries, so that one entry more
    or less changes the page it falls on (sometimes its neighbour too), not every page after it.

    This is content-defined chunking (as rsync, backup tools and prolly trees cut files): a page
    may begin at an entry whose key :func:`_picked` chose (four in *size*), at least half of
    *size* after the last page began. Every page after the change begins where it did, once a
    chosen entry is far enough from the one before in both the old and the new list (at the next
    chosen entry, mostly). A stretch the chosen entries leave longer than *size* is cut in even
    pages (the change shifts only these). Only the last page may hold less than half of *size*,
    as the last page of any paged list. One hash per entry: linear."""
    size = max(1, size)
    starts = run_starts(parent, keys, size)
    ends = [*starts[1:], len(keys)] if starts else []
    result = []
    for start, end in zip(starts, ends, strict=True):
        parts = -(-(end - start) // size)
        for part in range(parts):  # even pages: the first ones one entry longer
            result.append((start + (end - start) * part // parts, start + (end - start) * (part + 1) // parts))
    return result


def run_starts(parent: str, keys: Sequence[str], size: int) -> list[int]:
    """Where :func:`breaks` lets a stretch of pages begin: the first entry, and each chosen entry
    at least half of *size* after the one before."""
    if not keys:
        return []
    shortest = max(1, size // 2)
    chance = min(1.0, 4 / max(1, size))
    starts = [0]
    for index in range(1, len(keys)):
        if index - starts[-1] >= shortest and _picked(parent, keys[index], chance):
            starts.append(index)
    return starts


def page_count(parent: str, keys: Sequence[str], size: int) -> int:
    """How many pages one group of *parent*'s list takes (:func:`breaks`)."""
    return len(breaks(parent, keys, size))


def grouped_pages(
    parent: str,
    groups: Sequence[tuple[str, Sequence[T]]],
    size: int,
    key: Callable[[T], str],
    name: Callable[[T], str],
) -> list[Page[T]]:
    """The pages of every group that its share of the parent page (:func:`shares`) does not hold
    whole: ``<parent>/<slug>``, ``<parent>/<slug>-2``, ..., of at most *size* entries each, broken
    where :func:`breaks` says by the entries' *key*; a page's guide words are its first and last
    entries' *name*."""
    size = max(1, size)
    shown = shares(size, [len(items) for _label, items in groups])
    result: list[Page[T]] = []
    for (label, items), part, share in zip(
        groups, group_slugs([label for label, _items in groups]), shown, strict=True
    ):
        if len(items) <= share:
            continue
        spans = breaks(parent, [key(item) for item in items], size)
        for number, (start, end) in enumerate(spans, 1):
            entries = tuple(items[start:end])
            result.append(
                Page(
                    pagename(parent, part, number),
                    parent,
                    label,
                    part,
                    number,
                    len(spans),
                    size,
                    len(items),
                    entries,
                    span=(name(entries[0]), name(entries[-1])),
                )
            )
    return result


def flat_pages(parent: str, items: Sequence[T], size: int) -> list[Page[T]]:
    """The pages after the parent's first *size* entries: ``<parent>/begrippen-2``, ... (the
    parent is page 1)."""
    size = max(1, size)
    count = -(-len(items) // size)
    return [
        Page(
            pagename(parent, INDEX_PAGES, index + 1, flat=True),
            parent,
            "",
            INDEX_PAGES,
            index + 1,
            count,
            size,
            len(items),
            tuple(items[index * size : (index + 1) * size]),
        )
        for index in range(1, count)
    ]


def page_of(number: int, count: int) -> str:
    """ "Pagina 2 van 7"."""
    return str(_("Page %(page)d of %(pages)d")) % {"page": number, "pages": count}


def where(number: int, count: int, size: int, total: int) -> str:
    """Where page *number* of *count* of a flat list (the concept index) stands, and which of the
    *total* concepts it holds."""
    first, last = (number - 1) * size + 1, min(total, number * size)
    numbers = {"first": first, "last": last, "total": total}
    return page_of(number, count) + " · " + str(_("concepts %(first)d to %(last)d of %(total)d")) % numbers


def guide_words(count: int, first: str, last: str) -> str:
    """ "118 organisaties, van Aardwerk tot en met Bondgenoot": a page's entries by their names."""
    translator = get_translator("missiekaart")
    text = translator.ngettext(
        "%(count)d organisation: %(first)s", "%(count)d organisations, %(first)s to %(last)s", count
    )
    return str(text) % {"count": count, "first": first, "last": last}


def window(number: int, count: int, near: int = NEAR) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and *near* on each side of *number*;
    ``None`` stands for the numbers left out between them."""
    shown = sorted({1, count, *range(max(1, number - near), min(count, number + near) + 1)})
    result: list[int | None] = []
    for previous, current in zip([0, *shown], shown, strict=False):
        if current - previous > 1 and previous:
            result.append(None)
        result.append(current)
    return result


def pager_html(
    number: int, count: int, address: Callable[[int], str], label: str, where: str = "", landmark: bool = True
) -> str:
    """A ``<nav>`` of plain links to the previous and next page and the pages around this one;
    *address* gives the (relative) URL of a page number, *label* names the list for screen readers.
    The same links again below the list are no landmark of their own (*landmark* false): a page's
    landmarks are each named once."""
    tag = "nav" if landmark else "div"
    parts = [f'<{tag} class="mk-pager" aria-label="{escape(label)}">' if landmark else f'<{tag} class="mk-pager">']
    if where:
        parts.append(f'<p class="mk-pager-where">{escape(where)}</p>')
    previous, following = escape(str(_("Previous page"))), escape(str(_("Next page")))
    links = []
    if number > 1:
        links.append(f'<a class="mk-pager-prev" rel="prev" href="{escape(address(number - 1))}">« {previous}</a>')
    for page in window(number, count):
        if page is None:
            links.append('<span class="mk-pager-gap">…</span>')
        elif page == number:
            links.append(f'<span class="mk-pager-current" aria-current="page">{page}</span>')
        else:
            links.append(f'<a href="{escape(address(page))}">{page}</a>')
    if number < count:
        links.append(f'<a class="mk-pager-next" rel="next" href="{escape(address(number + 1))}">{following} »</a>')
    parts.append(f'<p class="mk-pager-pages">{" ".join(links)}</p></{tag}>')
    return "".join(parts)
