"""Long lists stay bounded on the website, whatever the number of organisations (issue 26).

First the rules themselves (:mod:`missiekaart.extension.paging`), for generated sizes: a list's page shows at
most its page size, each province either whole or its first entries and a link, and the pages of a
province hold every one of its entries once, at most a page size each.

Then built sites (tests/roots/test-paged, with N generated organisations and concepts and small
page sizes, generated too): the overview, a concept page and the concept index, and every page
that continues them, hold at most their page size; every organisation and concept is reached from
them by plain ``<a href>`` links (the HTML as it is, no JavaScript); each page of a province links
the previous and next one, says "Pagina x van y", and the pages are gone again once the list fits.
"""

from __future__ import annotations

import posixpath
import random
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from missiekaart.extension.paging import breaks, flat_pages, grouped_pages, run_starts, shares, window

ROOT = Path(__file__).resolve().parent / "roots" / "test-paged"
PLACES = [("België", "Antwerpen"), ("België", "Limburg"), ("Nederland", "Limburg"), ("Nederland", "Zeeland"), None]
BUILDS = settings(max_examples=3, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------- the rules


@settings(max_examples=300, derandomize=True, deadline=None)
@given(size=st.integers(0, 60), counts=st.lists(st.integers(0, 80), max_size=25))
def test_the_shares_of_a_page_fill_it_and_never_pass_it(size, counts):
    shown = shares(size, counts)
    assert len(shown) == len(counts)
    assert all(0 <= share <= count for share, count in zip(shown, counts, strict=True))
    assert sum(shown) <= size
    # Nothing is left out that would still fit: the page is full, or every group is whole.
    assert sum(shown) == size or shown == counts
    # No group gets more than one entry above another group that is not whole.
    cut = [share for share, count in zip(shown, counts, strict=True) if share < count]
    assert not cut or max(shown) <= min(cut) + 1


@settings(max_examples=200, derandomize=True, deadline=None)
@given(size=st.integers(1, 12), counts=st.lists(st.integers(0, 40), min_size=1, max_size=8))
def test_a_province_not_shown_whole_has_pages_holding_each_of_its_entries_once(size, counts):
    groups = [(f"Provincie {index}", [f"{index}-{n}" for n in range(count)]) for index, count in enumerate(counts)]
    pages = grouped_pages("overzicht", groups, size, str, str.upper)
    shown = shares(size, counts)
    assert len({page.pagename for page in pages}) == len(pages)
    for (label, items), share in zip(groups, shown, strict=True):
        mine = [page for page in pages if page.group == label]
        if len(items) <= share:
            assert not mine
            continue
        assert [page.number for page in mine] == list(range(1, len(mine) + 1))
        assert all(page.count == len(mine) and 1 <= len(page.items) <= size for page in mine)
        # No page but the last is nearly empty: each holds half a page at least.
        assert all(len(page.items) >= size // 2 for page in mine[:-1])
        assert [item for page in mine for item in page.items] == items
        assert all(page.span == (page.items[0].upper(), page.items[-1].upper()) for page in mine)
        assert mine[0].pagename == f"overzicht/{mine[0].slug}"


KEYS = st.lists(st.text("abcdefghij", min_size=1, max_size=6), unique=True, max_size=400).map(sorted)


def pages_of(keys: list[str], size: int) -> list[tuple[str, ...]]:
    return [tuple(keys[start:end]) for start, end in breaks("begrip", keys, size)]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(keys=KEYS, size=st.integers(1, 60), data=st.data())
def test_one_entry_more_changes_only_the_stretch_it_falls_in_until_the_breaks_meet_again(keys, size, data):
    """A group's pages are a function of its entries (a clean build and an incremental one agree).
    An entry added changes no stretch of pages before the one it falls in, and once the old and
    the new breaks begin a stretch at the same entry after it, every page from there is as it was:
    the change stays where it is, whatever its position (positional pages shift every page after)."""
    added = data.draw(st.text("abcdefghij", min_size=1, max_size=6).filter(lambda key: key not in keys))
    new = sorted([*keys, added])
    at = new.index(added)
    old_starts, new_starts = run_starts("begrip", keys, size), run_starts("begrip", new, size)
    assert pages_of(list(keys), size) == pages_of(keys, size)
    # Stretches that end before the one the entry falls in begin at the same entries.
    before = [start for start in new_starts if start <= at][:-1]
    assert [keys[start] for start in old_starts[: len(before)]] == [new[start] for start in before]
    # Where old and new breaks meet again after the entry, the rest is the same pages.
    met = sorted({keys[start] for start in old_starts} & {new[start] for start in new_starts if start > at})
    if met:
        old_pages, new_pages = pages_of(keys, size), pages_of(new, size)
        old_from = next(i for i, page in enumerate(old_pages) if page[0] == met[0])
        new_from = next(i for i, page in enumerate(new_pages) if page[0] == met[0])
        assert old_pages[old_from:] == new_pages[new_from:]


def test_a_newcomer_re_writes_about_one_page_of_a_province_not_every_page_after_it():
    """Measured on 300 seeded additions to a province of 1,000 (a concept shared across Flanders at
    10,000 organisations), with the concept page size: paging by position changed 6.0 pages an
    addition (the 1,001st entry takes a sixth page, and every page says "of 6"); breaks chosen by
    the entries change 1.11 (the page it falls on, one time in ten its neighbour too), on 6 to 9
    pages of 100 to 200 entries (the last one fewer)."""
    rng = random.Random(26)
    changed = []
    for _trial in range(300):
        keys = sorted(f"organisaties/org-{rng.randrange(10**9)}" for _ in range(1000))
        new = sorted([*keys, f"organisaties/org-{rng.randrange(10**9)}"])
        before, after = pages_of(keys, 200), pages_of(new, 200)
        changed.append(
            len(after) if len(after) != len(before) else sum(a != b for a, b in zip(before, after, strict=True))
        )
        assert all(100 <= len(page) <= 200 for page in before[:-1])
    assert sum(changed) / len(changed) <= 1.5, Counter(changed)
    assert sorted(changed)[int(0.95 * len(changed))] <= 2, Counter(changed)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(size=st.integers(1, 10), total=st.integers(0, 60))
def test_a_flat_list_goes_on_after_its_first_page(size, total):
    items = list(range(total))
    pages = flat_pages("begrippen", items, size)
    assert [item for page in pages for item in page.items] == items[size:]
    assert all(len(page.items) <= size and page.address(1) == "begrippen" for page in pages)
    assert [page.number for page in pages] == list(range(2, 2 + len(pages)))


@settings(max_examples=200, derandomize=True, deadline=None)
@given(data=st.data())
def test_the_pager_shows_the_first_last_and_nearby_pages_and_never_more(data):
    count = data.draw(st.integers(1, 500))
    number = data.draw(st.integers(1, count))
    shown = window(number, count)
    numbers = [page for page in shown if page is not None]
    assert numbers == sorted(set(numbers)) and {1, count, number} <= set(numbers)
    assert len(shown) <= 9  # the first, two gaps, five around this one, the last
    for index, page in enumerate(shown):
        if page is None:  # a gap stands for at least one page, between two numbers
            assert 0 < index < len(shown) - 1 and shown[index + 1] - shown[index - 1] >= 2


# ---------------------------------------------------------------------------- built sites


def write_site(folder: Path, organisations: int, concepts: int, seed: int) -> tuple[Path, dict[str, set[str]]]:
    """The test root with *organisations* and *concepts* of its own; returns its folder and, per
    concept id, the pages of the organisations that use it. Every organisation uses the first concept."""
    srcdir = folder / "root"
    shutil.copytree(ROOT, srcdir)
    (srcdir / "orgs").mkdir()
    rng = random.Random(seed)
    ids = [f"begrip-{number}" for number in range(concepts)]
    for concept in ids:
        (srcdir / "concepts" / f"{concept}.md").write_text(
            f"# Begrip {concept[7:]}\n\n```{{concept}} {concept}\n:title: Begrip {concept[7:]}\n\nUitleg.\n```\n",
            encoding="utf-8",
        )
    users: dict[str, set[str]] = {concept: set() for concept in ids}
    for number in range(organisations):
        place = rng.choice(PLACES)
        fields = f":country: {place[0]}\n:province: {place[1]}\n" if place else ""
        chosen = [ids[0], *rng.sample(ids[1:], rng.randint(0, len(ids) - 1))]
        for concept in chosen:
            users[concept].add(f"orgs/org-{number:03d}.html")
        (srcdir / "orgs" / f"org-{number:03d}.md").write_text(
            f"# Organisatie {number:03d}\n\n```{{mission-card}}\n{fields}:concepts: {', '.join(chosen)}\n\n"
            f"Organisatie {number} werkt in de buurt.\n```\n",
            encoding="utf-8",
        )
    return srcdir, users


def build(srcdir: Path, **sizes: int) -> Path:
    overrides = {f"missiekaart_{name}_page_size": size for name, size in sizes.items()}
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=overrides)
    try:
        app.build()
        assert app.statuscode == 0 and not app.warning.getvalue(), app.warning.getvalue()
    finally:
        app.cleanup()
    return Path(app.outdir)


def soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")


def main(outdir: Path, page: str) -> BeautifulSoup:
    article = soup(outdir, page).find("article", attrs={"role": "main"})
    assert article is not None, page
    return article


def target(page: str, href: str) -> str:
    """The page (relative to the output folder) a link on *page* leads to, without its #anchor."""
    path = urlsplit(href).path
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page


def crawl(outdir: Path, start: str, within: str) -> tuple[list[str], Counter[str]]:
    """Follow the plain links of the article of *start*, and of every page under *within*/ it
    leads to; return the pages visited and the pages all their links lead to (how often)."""
    seen, todo, found = [start], [start], Counter[str]()
    while todo:
        page = todo.pop(0)
        for link in main(outdir, page).find_all("a", href=True):
            if "://" in link["href"] or link["href"].startswith("#"):
                continue
            lands = target(page, link["href"])
            found[lands] += 1
            if lands.startswith(f"{within}/") and lands not in seen:
                assert (outdir / lands).is_file(), f"{page} links {lands}, which is not there"
                seen.append(lands)
                todo.append(lands)
    return seen, found


def entries(article: BeautifulSoup, selector: str) -> int:
    return len(article.select(selector))


def check_pages(outdir: Path, pages: list[str], selector: str, size: int) -> None:
    """Every page holds at most *size* entries; the pages of a group say where they stand and link
    their neighbours both ways, by rel="prev"/"next" and in the theme's footer."""
    for page in pages:
        article = main(outdir, page)
        assert entries(article, selector) <= size, page
        if page == pages[0]:
            continue
        where = article.select_one(".mk-pager-where")
        assert where is not None, page
        nav = article.select_one("nav.mk-pager")
        if nav is None:
            continue  # a group on one page: "3 organisaties"
        number, count = (int(word) for word in where.get_text().split("·")[0].split() if word.isdigit())
        assert where.get_text().startswith(f"Pagina {number} van {count}"), page
        following = nav.select_one('a[rel="next"]')
        assert (following is not None) == (number < count), page
        if following is not None:
            after = target(page, following["href"])
            back = main(outdir, after).select_one('nav.mk-pager a[rel="prev"]')
            assert back is not None and target(after, back["href"]) == page, (page, after)
            footer = soup(outdir, page).select_one(".related-pages a.next-page")
            assert footer is not None and target(page, footer["href"]) == after, page


SIZES = st.fixed_dictionaries({"overview": st.integers(1, 9), "concept": st.integers(1, 6), "index": st.integers(1, 3)})


@BUILDS
@given(organisations=st.integers(1, 30), concepts=st.integers(1, 6), sizes=SIZES, seed=st.integers(0, 9))
@example(organisations=12, concepts=5, sizes={"overview": 4, "concept": 3, "index": 2}, seed=1)
@example(organisations=3, concepts=2, sizes={"overview": 5, "concept": 5, "index": 5}, seed=0)  # nothing paged
def test_every_organisation_is_reached_by_plain_links_from_pages_of_bounded_size(
    tmp_path_factory, organisations, concepts, sizes, seed
):
    folder = tmp_path_factory.mktemp("paged")
    srcdir, users = write_site(folder, organisations, concepts, seed)
    outdir = build(srcdir, **sizes)
    everyone = {f"orgs/org-{number:03d}.html" for number in range(organisations)}

    pages, found = crawl(outdir, "overzicht.html", "overzicht")
    check_pages(outdir, pages, ".mk-overview-items > li", sizes["overview"])
    assert {page for page in found if page.startswith("orgs/")} == everyone
    assert (len(pages) > 1) == (organisations > sizes["overview"])
    assert (outdir / "overzicht-filters.js").is_file() == (organisations > sizes["overview"])

    for concept, using in users.items():
        pages, found = crawl(outdir, f"concepts/{concept}.html", f"concepts/{concept}")
        check_pages(outdir, pages, "ul.mk-concordance > li", sizes["concept"])
        assert {page for page in found if page.startswith("orgs/")} == using, concept
        assert (len(pages) > 1) == (len(using) > sizes["concept"]), concept

    pages, found = crawl(outdir, "concepts/index.html", "concepts/index")
    check_pages(outdir, pages, "ul.mk-concept-index > li", sizes["index"])
    assert {page for page in found if page.startswith("concepts/begrip-")} == {f"concepts/{c}.html" for c in users}
    assert (len(pages) > 1) == (concepts > sizes["index"])


def test_a_list_that_fits_its_page_looks_as_before(tmp_path):
    """Below the page sizes nothing is paged: no link to a province's pages, no pager, no filter
    data, and the overview's form names none (the reader's page of today, unchanged)."""
    srcdir, _users = write_site(tmp_path, 6, 3, seed=2)
    outdir = build(srcdir, overview=6, concept=6, index=3)
    for page in ("overzicht.html", "concepts/index.html", "concepts/begrip-0.html"):
        html = (outdir / page).read_text(encoding="utf-8")
        assert "mk-more" not in html and "mk-pager" not in html and "data-source" not in html, page
    assert not (outdir / "overzicht").exists() and not (outdir / "overzicht-filters.js").exists()
    assert not (outdir / "concepts" / "begrip-0").exists() and not (outdir / "concepts" / "index").exists()


def test_the_pages_of_a_paged_list_go_once_the_list_fits_again(tmp_path):
    """An incremental build with a larger page size writes the lists whole and deletes the pages
    that continued them, and their filter data (tests/test_never_stale.py compares whole sites)."""
    srcdir, _users = write_site(tmp_path, 8, 3, seed=3)
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides={"missiekaart_overview_page_size": 2})
    try:
        app.build()
        outdir = Path(app.outdir)
        assert list((outdir / "overzicht").glob("*.html")) and (outdir / "overzicht-filters.js").is_file()
    finally:
        app.cleanup()
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides={"missiekaart_overview_page_size": 8})
    try:
        app.build()
        assert not app.warning.getvalue(), app.warning.getvalue()
    finally:
        app.cleanup()
    assert not list((outdir / "overzicht").glob("*.html")) and not (outdir / "overzicht-filters.js").exists()
    assert entries(main(outdir, "overzicht.html"), ".mk-overview-items > li") == 8


def test_a_document_at_the_address_of_a_list_page_is_kept_and_reported(tmp_path):
    """Added later, too: the overview's page is written again (the documents in its folder are in
    its digest), and every later build reports the clash until it is gone."""
    srcdir, _users = write_site(tmp_path, 4, 1, seed=4)
    for page in (srcdir / "orgs").glob("*.md"):  # every organisation without a province: one group
        lines = page.read_text(encoding="utf-8").splitlines()
        page.write_text("\n".join(line for line in lines if not line.startswith((":country:", ":province:"))))
    overrides = {"missiekaart_overview_page_size": 2}
    clash = "overzicht/zonder-provincie"  # the first page of the organisations without a province
    warnings = []
    for step in ("paged", "clash added", "unchanged"):
        if step == "clash added":
            (srcdir / "overzicht").mkdir()
            (srcdir / f"{clash}.md").write_text("# Eigen pagina\n\nGeen lijst.\n", encoding="utf-8")
            with (srcdir / "index.md").open("a", encoding="utf-8") as index:
                index.write(f"\n```{{toctree}}\n:hidden:\n\n{clash}\n```\n")
        app = SphinxTestApp("html", srcdir=srcdir, freshenv=step == "paged", confoverrides=overrides)
        try:
            app.build()
            warnings.append(app.warning.getvalue())
        finally:
            app.cleanup()
        if step == "paged":
            assert not warnings[0], warnings[0]
            assert main(Path(app.outdir), "overzicht.html").select_one(".mk-more a") is not None
    for reported in warnings[1:]:
        assert "overzicht.md" in reported and "[missiekaart.list-page-clash]" in reported, reported
    assert "Eigen pagina" in (Path(app.outdir) / f"{clash}.html").read_text(encoding="utf-8")
    overview = main(Path(app.outdir), "overzicht.html")
    assert overview.select_one(".mk-more") is not None and overview.select_one(".mk-more a") is None


def test_a_build_in_which_nothing_changed_makes_no_list_and_one_that_lost_a_page_makes_it_again(tmp_path, monkeypatch):
    """At 10,000 organisations, making the lists takes seconds: a build that read, removed and wrote
    no page after a finished one leaves them as they are; one whose output lost a list page, or
    that read a page, makes them and writes what is missing."""
    from missiekaart.views import listwriter

    made: list[int] = []
    real = listwriter.list_pages
    monkeypatch.setattr(listwriter, "list_pages", lambda app, chrome=None: made.append(1) or real(app, chrome))
    srcdir, _users = write_site(tmp_path, 8, 3, seed=5)
    overrides = {"missiekaart_overview_page_size": 2}

    def build_again(freshenv: bool = False) -> Path:
        made.clear()
        app = SphinxTestApp("html", srcdir=srcdir, freshenv=freshenv, confoverrides=overrides)
        try:
            app.build()
            assert not app.warning.getvalue(), app.warning.getvalue()
        finally:
            app.cleanup()
        return Path(app.outdir)

    outdir = build_again(freshenv=True)
    assert made
    continued = sorted((outdir / "overzicht").glob("*.html"))
    assert continued
    first = {page: page.read_bytes() for page in continued}
    build_again()
    assert not made  # nothing changed: no list made
    continued[0].unlink()
    build_again()
    assert made and {page: page.read_bytes() for page in continued} == first  # made again, as it was
    build_again()
    assert not made
    page = sorted((srcdir / "orgs").glob("*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    build_again()
    assert made  # a page was read: the lists are made, and written where they changed
