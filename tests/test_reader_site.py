"""The reader's pages as HTML, on a small site of its own (tests/roots/test-reader): an organisation's
page puts its summary first and its original text, with origin and text file, in a section of its
own; generated lists stay out of the search index; concept pages carry their aliases and forms."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from missiekaart.extension.searchtext import TERMS_ANCHOR
from missiekaart.importer.checksource import check_source
from missiekaart.importer.sourcefile import read_source


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def organisations(app) -> list[str]:
    return sorted(f"orgs/{path.stem}" for path in (Path(app.srcdir) / "orgs").glob("*.md"))


def test_the_build_has_no_warnings(reader_site):
    assert reader_site.warning.getvalue().strip() == ""


def test_an_organisation_page_is_in_the_readers_order(reader_site):
    """Title, jump links, mission card, value cards, related organisations, then the original text:
    the summary before the text, and nothing of the summary inside the text's section."""
    for name in organisations(reader_site):
        soup = page(reader_site, name)
        article = soup.select_one("article")
        top = article.find("section")
        children = list(top.find_all(recursive=False))
        assert children[0].name == "h1"
        assert "mk-mission-card" in children[2]["class"]
        sections = [child.get("id") for child in children[3:]]
        expected = ["waarden-en-doelen", "verwante-organisaties", "oorspronkelijke-tekst"]
        values = top.find("section", id="waarden-en-doelen", recursive=False)
        if values is None:  # an organisation without value cards has no such section
            expected.remove("waarden-en-doelen")
        assert sections == expected, name
        # The jump links under the title lead to every section, in the page's order.
        jumps = [link["href"] for link in children[1].select("a")]
        assert jumps == [f"#{anchor}" for anchor in expected], name
        assert not values or values.select(".mk-card") == values.find_all(class_="mk-card", recursive=False)
        related = top.find("section", id="verwante-organisaties", recursive=False)
        assert related.h2.get_text(strip=True).startswith("Verwante organisaties")
        assert related.select(".mk-related") and not related.select(".mk-related-title")  # titled once
        text = top.find("section", id="oorspronkelijke-tekst", recursive=False)
        assert text.h2.get_text(strip=True).startswith("Oorspronkelijke tekst")
        assert text.select(".mk-card, .mk-related, .mk-concept-map") == [], name
        # Footnotes and the text's own headings are inside the text's section.
        others = [node for node in article.find_all(recursive=False) if node is not top]
        assert [node["class"] for node in others] == [["mk-search-terms", "docutils", "container"]]


def test_the_original_text_file_is_linked_and_copied_byte_for_byte(reader_site):
    for name in organisations(reader_site):
        soup = page(reader_site, name)
        link = soup.select_one("#oorspronkelijke-tekst a.mk-source-file")
        assert link is not None, name
        target = (Path(reader_site.outdir) / name).parent / link["href"]
        front = (Path(reader_site.srcdir) / f"{name}.md").read_text(encoding="utf-8")
        source = Path(reader_site.srcdir) / re.search(r"^mk-source: (.+)$", front, re.MULTILINE).group(1)
        assert target.resolve().is_file(), link["href"]
        assert target.read_bytes() == source.read_bytes()


def test_a_changed_text_file_is_copied_again_even_at_the_same_size(make_app, rootdir, tmp_path):
    """The copies are compared by time and size first (1,000 texts are not read twice per build):
    a text changed to the same size is still copied again, and an unchanged one is left alone."""
    import shutil

    srcdir = tmp_path / "root"
    shutil.copytree(rootdir / "test-reader", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    texts = sorted((srcdir / "source_texts").glob("*.txt"))
    copies = [Path(app.outdir) / "_bronteksten" / text.name for text in texts]
    kept = copies[1].stat().st_mtime_ns
    original = texts[0].read_bytes()
    changed = original.replace(b"e", b"a", 1)  # the same size
    assert changed != original
    texts[0].write_bytes(changed)
    make_app("html", srcdir=srcdir).build()
    assert copies[0].read_bytes() == changed
    assert copies[1].stat().st_mtime_ns == kept and copies[1].read_bytes() == texts[1].read_bytes()


def test_a_build_that_read_no_page_restores_a_published_text_deleted_or_changed_in_the_output(
    make_app, rootdir, tmp_path
):
    """A build that reads no page trusts the last build's record of ``_bronteksten/`` (each file's
    size and time) instead of checking every text against its source, so it must notice when the
    folder is no longer what was recorded: a copy deleted, or changed, is published again, and a
    stray file is removed. A folder as recorded is left alone."""
    import shutil

    from missiekaart.extension.domain import get_domain

    srcdir = tmp_path / "root"
    shutil.copytree(rootdir / "test-reader", srcdir)
    make_app("html", srcdir=srcdir).build()
    texts = sorted((srcdir / "source_texts").glob("*.txt"))
    app = make_app("html", srcdir=srcdir)
    folder = Path(app.outdir) / "_bronteksten"
    kept = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    app.build()
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == kept  # nothing to do
    (folder / texts[0].name).unlink()
    (folder / texts[1].name).write_bytes(b"changed in the output")
    (folder / "stray.txt").write_bytes(b"not a source text")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert get_domain(app.env).data["unchanged"]  # no page was read or removed
    assert sorted(path.name for path in folder.iterdir()) == sorted(kept)
    assert all((folder / text.name).read_bytes() == text.read_bytes() for text in texts)


def test_a_page_read_again_publishes_its_new_text_and_a_removed_page_takes_its_text_along(make_app, rootdir, tmp_path):
    """After a build that finished, only the texts of the pages read again are checked: a page that
    now names another text publishes that one (the old one leaves), a removed page's text leaves,
    and the others stay as they were."""
    import re
    import shutil

    srcdir = tmp_path / "root"
    shutil.copytree(rootdir / "test-reader", srcdir)
    make_app("html", srcdir=srcdir).build()
    pages = sorted(path for path in srcdir.rglob("*.md") if "mk-source:" in path.read_text(encoding="utf-8"))
    assert len(pages) >= 2
    moved, removed = pages[0], pages[1]
    old = re.search(r"^mk-source: (.+)$", moved.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    gone = re.search(r"^mk-source: (.+)$", removed.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    new = Path(old).with_name(f"renamed-{Path(old).name}").as_posix()
    (srcdir / old).rename(srcdir / new)
    moved.write_text(moved.read_text(encoding="utf-8").replace(f"mk-source: {old}", f"mk-source: {new}"), "utf-8")
    removed.unlink()
    app = make_app("html", srcdir=srcdir)
    app.build()
    folder = Path(app.outdir) / "_bronteksten"
    names = sorted(path.name for path in folder.iterdir())
    assert Path(new).name in names and Path(old).name not in names and Path(gone).name not in names, names
    assert (folder / Path(new).name).read_bytes() == (srcdir / new).read_bytes()
    texts = sorted(path.name for path in (srcdir / "source_texts").iterdir() if path.name != Path(gone).name)
    assert names == texts


def test_a_windows_1252_text_is_served_as_utf8_with_the_same_characters(make_app, rootdir, tmp_path):
    """A host serves ``.txt`` as ``charset=utf-8``: a text in Windows-1252 is published re-encoded, the
    same characters (accents, curly quotes, €), while the repository keeps the original; the
    next build leaves the copy alone, and a changed text is published again."""
    import os
    import shutil

    srcdir = tmp_path / "root"
    shutil.copytree(rootdir / "test-reader", srcdir)
    text = sorted((srcdir / "source_texts").glob("*.txt"))[0]
    original = text.read_text(encoding="utf-8") + "\nCafé “Zoë” kost 5 €.\n"
    text.write_bytes(original.encode("cp1252"))
    app = make_app("html", srcdir=srcdir, confoverrides={"suppress_warnings": ["missiekaart.missing-source-words"]})
    app.build()
    copy = Path(app.outdir) / "_bronteksten" / text.name
    assert copy.read_bytes() == original.encode("utf-8") != text.read_bytes()
    kept = copy.stat().st_mtime_ns
    make_app("html", srcdir=srcdir, confoverrides={"suppress_warnings": ["missiekaart.missing-source-words"]}).build()
    assert copy.stat().st_mtime_ns == kept
    changed = original.replace("Zoë", "Zoé")
    text.write_bytes(changed.encode("cp1252"))
    os.utime(text, ns=(kept + 10**9, kept + 10**9))
    make_app("html", srcdir=srcdir, confoverrides={"suppress_warnings": ["missiekaart.missing-source-words"]}).build()
    assert copy.read_bytes() == changed.encode("utf-8")


def test_a_mission_card_written_below_the_value_cards_comes_first_in_html_and_pdf(make_app, rootdir, tmp_path):
    """A contributor may put value cards above the mission card: the page shows the mission first all
    the same, on the website and in the book (the LaTeX source: its card environments in order)."""
    import shutil

    srcdir = tmp_path / "root"
    shutil.copytree(rootdir / "test-reader", srcdir)
    path = srcdir / "orgs" / "zonnebloem.md"
    markdown = path.read_text(encoding="utf-8")
    mission = re.search(r"```\{mission-card\}.*?\n```\n", markdown, re.DOTALL).group()
    value = re.search(r"```\{value-card\}.*?\n```\n", markdown, re.DOTALL).group()
    path.write_text(markdown.replace(mission, "\0").replace(value, mission).replace("\0", value), encoding="utf-8")
    assert path.read_text(encoding="utf-8").index("{value-card}") < path.read_text(encoding="utf-8").index("{mission")
    html = make_app("html", srcdir=srcdir)
    html.build()
    assert html.warning.getvalue().strip() == ""
    top = page(html, "orgs/zonnebloem").select_one("article section")
    assert "mk-mission-card" in top.find_all(recursive=False)[2]["class"]
    latex = make_app("latex", srcdir=srcdir, builddir=tmp_path / "latex-build")
    latex.build()
    tex = next(Path(latex.outdir).glob("*.tex")).read_text(encoding="utf-8")
    chapter = tex[tex.index(r"\label{\detokenize{orgs/zonnebloem:") :]
    assert chapter.index(r"\begin{missiekaartmission}") < chapter.index(r"\begin{missiekaartvalue}")


def test_the_origin_comes_from_front_matter_and_empty_fields_are_left_out(reader_site):
    for name in organisations(reader_site):
        soup = page(reader_site, name)
        front = (Path(reader_site.srcdir) / f"{name}.md").read_text(encoding="utf-8")
        fields = {
            dt.get_text(strip=True).rstrip(":"): dd
            for dt, dd in zip(soup.select(".mk-source-fields dt"), soup.select(".mk-source-fields dd"), strict=False)
        }
        if "mk-source-datePublished" in front:
            assert re.fullmatch(r"\d{1,2} [a-z]+ \d{4}", fields["Gepubliceerd"].get_text(strip=True))
            assert fields["Adres"].a["href"].startswith("https://")
        else:
            assert set(fields) == {"Tekstbestand"}
        for dd in soup.select(".mk-card-fields dd"):
            assert dd.get_text(strip=True) not in {"", "—", "-"}


def test_the_text_is_still_verbatim_on_the_restructured_page(reader_site):
    for name in organisations(reader_site):
        front = (Path(reader_site.srcdir) / f"{name}.md").read_text(encoding="utf-8")
        source = Path(reader_site.srcdir) / re.search(r"^mk-source: (.+)$", front, re.MULTILINE).group(1)
        report = check_source(read_source(source), Path(reader_site.outdir) / f"{name}.html")
        assert report.ok, report.problems


def test_no_page_links_to_its_markup_source(reader_site):
    assert not [path for path in (Path(reader_site.outdir) / "_sources").rglob("*") if path.is_file()]
    for path in Path(reader_site.outdir).rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "_sources/" not in html and 'rel="edit"' not in html, path


def indexed(node) -> bool:
    """Whether Pagefind reads *node*'s text: it is, or is inside, an element ``data-pagefind-body``."""
    return node.has_attr("data-pagefind-body") or node.find_parent(attrs={"data-pagefind-body": True}) is not None


def test_generated_lists_are_not_indexed_and_cards_carry_filters(reader_site):
    soup = page(reader_site, organisations(reader_site)[0])
    related = soup.select(".mk-related-organisations")
    assert related and all(node.has_attr("data-pagefind-ignore") and not indexed(node) for node in related)
    assert not [node for node in soup.select(".mk-card, .mk-card *") if indexed(node)]
    filters = {node["data-pagefind-filter"].partition(":")[0] for node in soup.select("[data-pagefind-filter]")}
    assert {"Begrip"} <= filters
    overview = page(reader_site, "index").select_one(".mk-organisation-cards")
    assert overview.has_attr("data-pagefind-ignore") and not indexed(overview)
    for concept in (Path(reader_site.srcdir) / "concepts").glob("*.md"):
        soup = page(reader_site, f"concepts/{concept.stem}")
        for kind in (".mk-backlinks", ".mk-related"):
            assert all(node.has_attr("data-pagefind-ignore") and not indexed(node) for node in soup.select(kind))
        aliases = re.search(r"^:aliases: (.+)$", concept.read_text(encoding="utf-8"), re.MULTILINE).group(1)
        # Shown once, as the concept's aliases; searchable as words to match, never as an excerpt.
        shown = soup.select(".mk-aliases")
        assert len(shown) == 1 and not shown[0].find_parent(attrs={"data-pagefind-ignore": True})
        assert soup.get_text().count(str(shown[0].select_one(".mk-aliases-label").get_text())) == 1
        assert not indexed(shown[0])
        terms = soup.select_one(f"#{TERMS_ANCHOR}")
        assert indexed(terms) and terms["data-pagefind-index-attrs"] == "data-mk-terms"
        for alias in aliases.split(","):
            assert alias.strip() in shown[0].get_text() and alias.strip() in terms["data-mk-terms"]
        assert soup.select_one("[data-pagefind-filter]")["data-pagefind-filter"].startswith("Begrip:")


def test_the_pagefind_index_is_written_in_bundles(reader_site):
    """Every page is in exactly one bundle of the search index; the search page loads them all."""
    from missiekaart.build.searchindex import search_index

    index = search_index(Path(reader_site.outdir))
    pages = [url for fragments in index.values() for url in fragments.values()]
    assert len(pages) == len(set(pages)) and "/orgs/zonnebloem.html" in pages, index
    assert "/" in index["site"].values()  # the landing page, as Pagefind names it
    html = (Path(reader_site.outdir) / "search.html").read_text(encoding="utf-8")
    listing = Path(reader_site.outdir, BeautifulSoup(html, "html.parser").select_one("#mk-search")["data-index"])
    assert sorted(json.loads(listing.read_text(encoding="utf-8"))["bundles"]) == sorted(index)
