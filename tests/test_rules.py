"""The contributor guide's content rules are build checks: a located warning with its own subtype.

Each case adds or replaces pages in a copy of the ``test-rules`` root (two organisations that
follow every rule), builds it serially and with -j 2, and expects exactly the listed warnings
at their file and line; the build goes on, and ``suppress_warnings`` silences each subtype.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from missiekaart.extension.problems import SUBTYPES

CARD = "```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n```\n"

# (id, files to write, [(docname, line, message fragment, subtype)], conf overrides)
CASES = [
    (
        "unclosed-card-swallows-a-card",
        {
            "orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n\n"
            "```{value-card} Samen\n:concepts: netwerk\n\nSamen.\n```\n\nDe tekst.\n"
        },
        [
            (
                "orgs/c",
                3,
                "the mission-card that starts here contains another card (line 8): its closing fence "
                "is probably missing",
                "unclosed-card",
            )
        ],
        {},
    ),
    (
        "unclosed-card-swallows-a-heading",
        {
            "orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n\n"
            "## Onze waarden\n\nDe tekst.\n```\n"
        },
        [("orgs/c", 3, "contains the heading 'Onze waarden'", "unclosed-card")],
        {},
    ),
    (
        "unclosed-card-runs-to-the-end",
        {
            "orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n\n"
            "De hele tekst.\n\nNog meer tekst.\n"
        },
        [("orgs/c", 3, "the mission-card that starts here runs to the end of the page", "unclosed-card")],
        {},
    ),
    (
        "card-before-title",
        {"orgs/c.md": f"{CARD}\n# Organisatie C\n\nTekst.\n"},
        [("orgs/c", 1, "the mission-card comes before the page title", "card-before-title")],
        {},
    ),
    (
        "second-mission-card",
        {"orgs/c.md": f"# C\n\n{CARD}\n{CARD}"},
        [("orgs/c", 9, "a second mission card on this page (the first is on line 3)", "duplicate-mission-card")],
        {},
    ),
    (
        "organisation-page-without-mission-card",
        {"orgs/c.md": "# C\n\nAlleen tekst.\n"},
        [("orgs/c", 1, "this page is in orgs/ but has no mission-card", "missing-mission-card")],
        {},
    ),
    (
        "mission-card-outside-organisations",
        {"concepts/zorg.md": f"# Zorg\n\n{CARD}"},
        [
            (
                "concepts/zorg",
                3,
                "a mission-card makes its page an organisation, but this page is not in orgs/",
                "card-outside-organisation",
            )
        ],
        {},
    ),
    (
        "value-card-outside-organisations",
        {"concepts/zorg.md": "# Zorg\n\n```{value-card} Los\n:concepts: netwerk\n\nLos.\n```\n"},
        [("concepts/zorg", 3, "value card 'Los' is not on an organisation page", "card-outside-organisation")],
        {},
    ),
    (
        "empty-organisation-page",
        {"orgs/c.md": ""},
        [
            (
                "orgs/c",
                1,
                "this organisation page is empty; import the organisation's text with 'missiekaart import",
                "empty-page",
            )
        ],
        {},
    ),
    (
        "broken-front-matter",
        {"orgs/c.md": f"---\nmk-source: source_texts/a.txt\nregio: [Gent\nsector: zorg\n---\n# C\n\n{CARD}"},
        [
            (
                "orgs/c",
                4,
                "the front matter is not valid YAML (line 4, column 7: expected ',' or ']', but got ':')",
                "front-matter",
            )
        ],
        {},
    ),
    (
        "card-not-verbatim",
        {
            "orgs/c.md": "---\nmk-source: source_texts/a.txt\n---\n# C\n\n```{mission-card}\n"
            ":concepts: netwerk, kwetsbare-groepen\n\nWij bouwen samen aan een stevig netwerk.\n```\n\n"
            "## Over ons\n\nWij bouwen samen aan een sterk netwerk rond\nkwetsbare gezinnen in de buurt.\n\n"
            "Iedereen telt mee.\n"
        },
        [
            (
                "orgs/c",
                6,
                "text is not in source_texts/a.txt word for word: after 'bouwen samen aan een' the card "
                "has 'stevig netwerk', which the source text does not",
                "card-not-verbatim",
            )
        ],
        {},
    ),
    (
        "missing-source",
        {"orgs/c.md": f"---\nmk-source: source_texts/weg.txt\n---\n# C\n\n{CARD}"},
        [
            (
                "orgs/c",
                2,
                "the page's front matter says 'mk-source: source_texts/weg.txt', but there is no such file",
                "missing-source",
            )
        ],
        {},
    ),
    *[
        (
            f"unsafe-source-{name}",
            {"orgs/c.md": f"---\ntitel: C\nmk-source: {value}\n---\n# C\n\n{CARD}"},
            [("orgs/c", 3, f"the page's 'mk-source: {value}' is not used: {why}", "unsafe-source")],
            {},
        )
        for name, value, why in [
            ("parent", "../../../../../../etc/passwd", "this file is outside source_texts/"),
            ("absolute", "/etc/passwd", "this file is outside source_texts/"),
            ("proc", "/proc/self/environ", "this file is outside source_texts/"),
            ("project-file", "conf.py", "this file is outside source_texts/"),
            ("folder", "source_texts", "this is a folder, not a text file"),
        ]
    ],
    (
        "unreadable-source",
        {
            "source_texts/c.txt": "Wij zijn C.\n\x00\x01\n",
            "orgs/c.md": f"---\nmk-source: source_texts/c.txt\n---\n# C\n\n{CARD}",
        },
        [
            (
                "orgs/c",
                6,
                "the cards cannot be checked against the source text source_texts/c.txt: control character U+0000",
                "unreadable-source",
            )
        ],
        {},
    ),
    (
        "front-matter-too-deep",
        {"orgs/c.md": "---\nmk-source: source_texts/a.txt\nx: " + "[" * 40 + "]" * 40 + f"\n---\n# C\n\n{CARD}"},
        [("orgs/c", 3, "nested more than 32 levels deep", "front-matter")],
        {},
    ),
    (
        "front-matter-impossible-date",
        {"orgs/c.md": f"---\nmk-source: source_texts/a.txt\ndatum: 2019-02-29\n---\n# C\n\n{CARD}"},
        [("orgs/c", 3, "'2019-02-29' is not a date that exists", "front-matter")],
        {},
    ),
    (
        "backtick-title-never-closed",
        {
            "orgs/c.md": f"# C\n\n{CARD}\n```{{value-card}} Samen met {{concept}}`netwerk`\n:concepts: netwerk\n\n"
            "Samen.\n"
        },
        [("orgs/c", 9, "its fence of 3 backticks is never closed", "unclosed-card")],
        {},
    ),
    (
        "html-in-a-card-title",
        {
            "orgs/c.md": f"# C\n\n{CARD}\n```{{value-card}} Respect <img src=x onerror=alert(1)>\n"
            ":concepts: netwerk\n\nSamen.\n```\n"
        },
        [("orgs/c", 9, "the value-card's title holds HTML ('<img src=x onerror=alert(1)>')", "html-in-title")],
        {},
    ),
    (
        "list-nested-too-deep",
        {"orgs/c.md": f"# C\n\n{CARD}\n" + "".join("  " * i + f"- punt {i}\n" for i in range(12)) + "\nNa de lijst.\n"},
        [("orgs/c", 18, "lists or quotes are nested more than 10 levels deep here", "too-deep")],
        {},
    ),
    (
        "quote-nested-too-deep",
        {"orgs/c.md": f"# C\n\n{CARD}\nTekst.\n\n" + ">" * 25 + " Diep.\n"},
        [("orgs/c", 11, "lists or quotes are nested more than 10 levels deep here", "too-deep")],
        {},
    ),
    (
        "unsafe-file-name",
        {"orgs/c#d.md": f"# C\n\n{CARD}"},
        [("orgs/c#d", 1, "the file name holds '#', which breaks the links to this page", "unsafe-file-name")],
        {},
    ),
    (
        "alias-of-another-concept",
        {
            "concepts/groep.md": "# Groep\n\n```{concept} groep\n:title: Groep\n:aliases: netwerken\n\n"
            "Een groep. Mensen die samen iets doen. Ze delen een doel.\n```\n"
        },
        [
            (
                "concepts/groep",
                3,
                "concept id or alias 'netwerken' is already defined by concept 'netwerk'",
                "duplicate-concept",
            ),
            (
                "concepts/netwerk",
                3,
                "concept id or alias 'netwerken' is already defined by concept 'groep'",
                "duplicate-concept",
            ),
        ],
        {},
    ),
    (
        "new-id-that-is-an-alias",
        {
            "concepts/netwerken.md": "# N\n\n```{concept} netwerken\n:title: Netwerken\n\n"
            "Dubbel. Dit begrip herhaalt een ander. Het hoort er niet te zijn.\n```\n"
        },
        [
            (
                "concepts/netwerken",
                3,
                "concept id or alias 'netwerken' is already defined by concept 'netwerk'",
                "duplicate-concept",
            ),
            (
                "concepts/netwerk",
                3,
                "concept id or alias 'netwerken' is already defined by concept 'netwerken'",
                "duplicate-concept",
            ),
        ],
        {},
    ),
    (
        "missing-source-words",
        {
            "orgs/c.md": "---\nmk-source: source_texts/a.txt\n---\n# C\n\n```{mission-card}\n"
            ":concepts: netwerk, kwetsbare-groepen\n\nIedereen telt mee.\n```\n\n"
            "## Over ons\n\nWij bouwen samen aan een netwerk rond\nkwetsbare gezinnen in de buurt.\n"
        },
        [
            (
                "orgs/c",
                2,
                "4 word(s) of the source text source_texts/a.txt are not on this page in order: 'sterk' (line 3, "
                "missing), 'Iedereen' (line 6, out of order), 'telt' (line 6, out of order), 'mee' (line 6, out of",
                "missing-source-words",
            )
        ],
        {},
    ),
    (
        "definition-length",
        {
            "concepts/netwerk.md": "# Netwerk\n\n```{concept} netwerk\n:title: Sociaal netwerk\n:aliases: netwerken\n\n"
            "De mensen rond iemand.\n```\n"
        },
        [("concepts/netwerk", 3, "the definition of concept 'netwerk' has 1 sentence(s)", "definition-length")],
        {},
    ),
    (
        "definition-names-organisation",
        {
            "concepts/netwerk.md": "# Netwerk\n\n```{concept} netwerk\n:title: Sociaal netwerk\n:aliases: netwerken\n\n"
            "De mensen rond iemand. Organisatie A bouwt eraan in de buurt. "
            "Wie weinig mensen kent, is kwetsbaarder.\n```\n"
        },
        [
            (
                "concepts/netwerk",
                3,
                "the definition of concept 'netwerk' names 'Organisatie A'",
                "definition-names-organisation",
            )
        ],
        {},
    ),
    (
        "missing-value-card",
        {"orgs/c.md": f"# C\n\n{CARD}"},
        [("orgs/c", 3, "organisation 'C' has 0 value card(s), fewer than 1", "missing-value-card")],
        {"missiekaart_min_value_cards": 1},
    ),
    (
        "too-few-concepts",
        {"orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk\n\nWij zijn C.\n```\n"},
        [("orgs/c", 3, "organisation 'C' shares 1 concept(s), fewer than the minimum of 2", "too-few-concepts")],
        {},
    ),
    (
        "unshared-concept",
        {
            "concepts/zorg.md": "# Zorg\n\n```{concept} zorg\n:title: Zorg\n\n"
            "Zorg voor elkaar. Iedereen draagt bij. Niemand staat er alleen voor.\n```\n"
        },
        [
            (
                "concepts/zorg",
                3,
                "concept 'zorg' is used by 0 organisation(s), fewer than the 2 a shared concept needs",
                "unshared-concept",
            )
        ],
        {},
    ),
    (
        "draft-card",
        {"orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n:draft:\n\nWij zijn C.\n```\n"},
        [("orgs/c", 5, "this mission-card is a draft proposed by 'missiekaart import'", "draft-card")],
        {},
    ),
    (
        "unlinked-concept-opt-in",
        {"orgs/c.md": f"# C\n\n{CARD}\nWij werken voor zelfredzame en kwetsbare groepen.\n"},
        [
            (
                "orgs/c",
                9,
                "'kwetsbare groepen' names the concept 'kwetsbare-groepen' without a link; write "
                "{concept}`kwetsbare groepen`",
                "unlinked-concept",
            )
        ],
        {"missiekaart_suggest_links": True},
    ),
] + [
    (
        f"unsafe-url-{name}",
        {
            "orgs/c.md": f"# C\n\n```{{mission-card}}\n:concepts: netwerk, kwetsbare-groepen\n:website: {url}\n\n"
            "Wij zijn C.\n```\n"
        },
        [("orgs/c", 5, f"the :website: {url!r} is not shown as a link: {why}", "unsafe-url")],
        {},
    )
    for name, url, why in [
        ("bracket", "http://[::1", "it is not a valid address (Invalid IPv6 URL)"),
        ("bidi", "https://www.gent\u202eeb.moc", "it contains the invisible character U+202E"),
        ("zero-width", "https://www.\u200bgent.be", "it contains the invisible character U+200B"),
        ("port", "https://www.gent.be:99999/", "it is not a valid address (Port out of range"),
        ("javascript", "javascript:alert(1)", "it has the scheme 'javascript:'"),
        ("data", "data:text/html,<b>x</b>", "it has the scheme 'data:'"),
        ("vbscript", "vbscript:msgbox(1)", "it has the scheme 'vbscript:'"),
        ("relative", "../contact.html", "it has no scheme"),
        ("spaces", "niet een url", "it contains spaces"),
    ]
]


def project(tmp_path: Path, rootdir: Path, files: dict[str, str]) -> Path:
    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-rules", srcdir)
    for name, content in files.items():
        (srcdir / name).write_text(content, encoding="utf-8")
    return srcdir


def build_quietly(make_app, srcdir: Path, subtype: str):
    """Build *srcdir* with one rule's warning silenced, to look at what the page shows."""
    app = make_app("html", srcdir=srcdir, confoverrides={"suppress_warnings": [f"missiekaart.{subtype}"]})
    app.build()
    return app


def test_the_rules_root_follows_every_rule(make_app, tmp_path, rootdir):
    app = make_app("html", srcdir=project(tmp_path, rootdir, {}))
    app.build()
    assert app.warning.getvalue() == ""


# Serially, every case; with -j 2, the rules checked once all pages are read (they meet the
# merge of the workers' data) and one rule of each other kind, to keep the suite's time in bounds.

# A country or province not in the list of places (missiekaart.core.places), at its option's line.
CASES += [
    (
        f"unknown-place-{name}",
        {
            "orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n"
            f"{options}\n\nWij zijn C.\n```\n"
        },
        [("orgs/c", line, message, "unknown-place")],
        {},
    )
    for name, options, line, message in [
        ("typo", ":province: Oost-Vlaamderen", 5, "unknown :province: 'Oost-Vlaamderen' in any country of the list"),
        ("municipality", ":country: België\n:province: Gent", 6, "unknown :province: 'Gent' in België; did you mean"),
        ("country", ":country: Belgiё\n:province: Luik", 5, "unknown :country: 'Belgiё'; did you mean 'België'?"),
        ("ambiguous", ":province: Limburg", 5, ":province: 'Limburg' is in België and Nederland; give :country:"),
        (
            "wrong-country",
            ":country: Nederland\n:province: Antwerpen",
            6,
            "unknown :province: 'Antwerpen' in Nederland",
        ),
    ]
]

PARALLEL = {
    "unclosed-card-swallows-a-card",
    "second-mission-card",
    "organisation-page-without-mission-card",
    "value-card-outside-organisations",
    "empty-organisation-page",
    "broken-front-matter",
    "card-not-verbatim",
    "missing-source-words",
    "too-few-concepts",
    "unshared-concept",
    "unsafe-url-javascript",
}
RUNS = [(*case[1:], 1) for case in CASES] + [(*case[1:], 2) for case in CASES if case[0] in PARALLEL]
RUN_IDS = [f"{case[0]}-1" for case in CASES] + [f"{case[0]}-2" for case in CASES if case[0] in PARALLEL]


@pytest.mark.parametrize(("files", "expected", "overrides", "parallel"), RUNS, ids=RUN_IDS)
def test_a_broken_rule_is_a_located_warning_and_the_build_goes_on(
    make_app, tmp_path, rootdir, files, expected, overrides, parallel
):
    srcdir = project(tmp_path, rootdir, files)
    app = make_app("html", srcdir=srcdir, parallel=parallel, confoverrides=overrides)
    app.build()
    warnings = app.warning.getvalue()
    assert "Traceback" not in warnings
    assert warnings.count("WARNING") == len(expected), warnings
    for docname, line, message, subtype in expected:
        assert subtype in SUBTYPES
        pattern = (
            rf"{re.escape(str(srcdir / docname))}\.md:{line}: WARNING: .*{re.escape(message)}.*"
            rf"\[missiekaart\.{subtype}\]"
        )
        assert re.search(pattern, warnings), warnings
        assert (Path(app.outdir) / f"{docname}.html").exists()  # the build went on
    app.cleanup()
    if parallel == 1:
        # The printed [missiekaart.<subtype>] above is Sphinx's, from the record's type and subtype,
        # which suppress_warnings matches: silencing is built again for the PARALLEL cases only
        # (warnings of every phase, also from -j workers), not for every case.
        return
    quiet = make_app(
        "html",
        srcdir=srcdir,
        freshenv=True,
        confoverrides={**overrides, "suppress_warnings": [f"missiekaart.{subtype}" for *_, subtype in expected]},
    )
    quiet.build()
    assert "WARNING" not in quiet.warning.getvalue()
    quiet.cleanup()


def main(app, docname: str) -> BeautifulSoup:
    html = (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").find(attrs={"role": "main"})


def organisations(app) -> dict[str, str]:
    data = json.loads((Path(app.outdir) / "missiekaart.json").read_text(encoding="utf-8"))
    return {organisation["id"]: organisation["name"] for organisation in data["organisations"]}


def test_a_card_above_the_title_still_takes_the_page_title_as_name(make_app, tmp_path, rootdir):
    app = build_quietly(
        make_app, project(tmp_path, rootdir, {"orgs/c.md": f"{CARD}\n# Organisatie C\n\nTekst.\n"}), "card-before-title"
    )
    assert organisations(app)["orgs/c"] == "Organisatie C"
    assert main(app, "orgs/c").select_one(".mk-card-title strong").get_text() == "Organisatie C"


def test_a_mission_card_outside_organisations_is_no_organisation(make_app, tmp_path, rootdir):
    app = build_quietly(
        make_app, project(tmp_path, rootdir, {"concepts/zorg.md": f"# Zorg\n\n{CARD}"}), "card-outside-organisation"
    )
    assert sorted(organisations(app)) == ["orgs/a", "orgs/b"]
    assert main(app, "concepts/zorg").select_one(".mk-mission-card") is not None  # shown, not lost


def test_an_unclosed_card_keeps_every_word_on_the_page(make_app, tmp_path, rootdir):
    files = {
        "orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n\n"
        "De hele tekst.\n"
    }
    app = build_quietly(make_app, project(tmp_path, rootdir, files), "unclosed-card")
    assert "De hele tekst." in main(app, "orgs/c").get_text()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "../contact.html", "niet een url"]
)
def test_an_unsafe_url_renders_no_link(make_app, tmp_path, rootdir, url):
    files = {
        "orgs/c.md": f"# C\n\n```{{mission-card}}\n:concepts: netwerk, kwetsbare-groepen\n:website: {url}\n\n"
        "Wij zijn C.\n```\n"
    }
    app = build_quietly(make_app, project(tmp_path, rootdir, files), "unsafe-url")
    html = (Path(app.outdir) / "orgs" / "c.html").read_text(encoding="utf-8")
    assert url not in html and url.replace(" ", "") not in html
    data = json.loads((Path(app.outdir) / "missiekaart.json").read_text(encoding="utf-8"))
    assert all("website" not in json.dumps(org) or url not in json.dumps(org) for org in data["organisations"])


@pytest.mark.parametrize("url", ["https://www.voorbeeld.be/over-ons", "mailto:info@voorbeeld.be"])
def test_a_safe_url_is_a_link(make_app, tmp_path, rootdir, url):
    files = {
        "orgs/c.md": f"# C\n\n```{{mission-card}}\n:concepts: netwerk, kwetsbare-groepen\n:website: {url}\n\n"
        "Wij zijn C.\n```\n"
    }
    app = make_app("html", srcdir=project(tmp_path, rootdir, files))
    app.build()
    assert app.warning.getvalue() == ""
    from urllib.parse import unquote

    # Sphinx cloaks e-mail addresses (mailto:info%40...): compare the decoded address.
    assert [unquote(a["href"]) for a in main(app, "orgs/c").select(".mk-card-fields a")] == [url]


def test_markup_in_a_card_title_is_rendered_not_a_vanished_card(make_app, tmp_path, rootdir):
    app = make_app("html", srcdir=project(tmp_path, rootdir, {}))
    app.build()
    cards = main(app, "orgs/b").select(".mk-card")
    assert len(cards) == 2  # the mission card and the value card whose title holds a role
    title = cards[1].select_one(".mk-card-title strong")
    assert title.get_text() == "Naast kwetsbare groepen"
    assert title.select_one("a")["href"].endswith("concepts/kwetsbare-groepen.html")
    assert "```" not in main(app, "orgs/b").get_text()


def test_concepts_match_by_lemma_so_aliases_need_no_inflections(make_app, tmp_path, rootdir):
    files = {
        "orgs/c.md": "# C\n\n```{mission-card}\n:concepts: kwetsbare groep, sociale netwerken\n\nWij zijn C.\n```\n"
    }
    app = make_app("html", srcdir=project(tmp_path, rootdir, files))
    app.build()
    assert app.warning.getvalue() == ""
    links = [a["href"] for a in main(app, "orgs/c").select(".mk-card-concepts a")]
    assert links == ["../concepts/kwetsbare-groepen.html", "../concepts/netwerk.html"]


def test_every_subtype_is_explained_in_the_contributor_guide():
    guide = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for subtype in SUBTYPES:
        assert f"`{subtype}`" in guide, subtype


def test_every_warning_goes_through_the_registry():
    from missiekaart.extension.problems import warn

    with pytest.raises(ValueError, match="unregistered warning subtype"):
        warn("x", None, "no-such-subtype")
    package = Path(__file__).resolve().parent.parent / "ext" / "missiekaart"
    for path in package.rglob("*.py"):
        if path.name != "problems.py":
            assert "subtype=" not in path.read_text(encoding="utf-8"), path


def test_a_value_card_that_says_only_its_title_says_it_once(make_app, tmp_path, rootdir):
    """A one-word value ("Respect", its text "Respect.") shows the word as the card's title, not twice;
    its text still counts (the export, the quotes)."""
    files = {
        "orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n```\n\n"
        "```{value-card} Respect\n:concepts: netwerk\n\nRespect.\n```\n\n"
        "```{value-card} Samen\n:concepts: netwerk\n\nSamen sterk.\n```\n"
    }
    app = make_app("html", srcdir=project(tmp_path, rootdir, files))
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((Path(app.outdir) / "orgs" / "c.html").read_text(encoding="utf-8"), "html.parser")
    respect, samen = soup.select(".mk-value-card")
    assert respect.get_text(" ").split().count("Respect") == 1 and not respect.select(".mk-card-body")
    assert samen.select_one(".mk-card-body").get_text(strip=True) == "Samen sterk."
    data = json.loads((Path(app.outdir) / "missiekaart.json").read_text(encoding="utf-8"))
    cards = next(org for org in data["organisations"] if org["id"] == "orgs/c")["value_cards"]
    assert [card["text"] for card in cards] == ["Respect.", "Samen sterk."]


def test_a_page_is_read_again_when_its_source_text_changes_whatever_its_cards_say(make_app, tmp_path, rootdir):
    """The page depends on its ``mk-source`` (its words are checked against it, missing-source-words)
    also when no card has a text of its own to check: a word added to the source is reported on the
    next incremental build, not only after a clean one."""
    source = "Wij zijn C en wij helpen.\n"
    files = {
        "source_texts/c.txt": source,
        "orgs/c.md": "---\nmk-source: source_texts/c.txt\n---\n# C\n\n```{mission-card}\n"
        ":concepts: netwerk, kwetsbare-groepen\n```\n\nWij zijn C en wij helpen.\n",
    }
    srcdir = project(tmp_path, rootdir, files)
    quiet = {"suppress_warnings": ["missiekaart.empty-body"]}
    app = make_app("html", srcdir=srcdir, confoverrides=quiet)
    app.build()
    assert "missing-source-words" not in app.warning.getvalue()
    text = srcdir / "source_texts" / "c.txt"
    text.write_text(source + "\nEen nieuw woord: buurtwerk.\n", encoding="utf-8")
    later = text.stat().st_mtime_ns + 2_000_000_000  # newer than the saved environment, whatever the clock's steps
    os.utime(text, ns=(later, later))
    app = make_app("html", srcdir=srcdir, confoverrides=quiet)
    app.build()
    warnings = app.warning.getvalue()
    assert re.search(r"orgs/c\.md:\d+: WARNING: .*'buurtwerk'.*\[missiekaart\.missing-source-words\]", warnings)
