"""Hostile input in a build: text never becomes live markup, no file outside the folder of source
texts is read or published, LaTeX gets escaped text only, and ``make pdf`` never stops on a character.

Each case is a regression test of issue 22's findings, on a copy of the ``test-rules`` root.
``test_hostile_property.py`` generates such inputs for every channel.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hostile import OpenedFiles, latex_commands, live_markup, site_files

XSS = "<img src=x onerror=alert(1)>"
SECRET = "geheim-9f2c1e"  # the content of a file outside the project that nothing may publish


@pytest.fixture
def project(tmp_path, rootdir):
    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-rules", srcdir)
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "credentials.txt").write_text(f"Wachtwoord: {SECRET}\n", encoding="utf-8")
    return srcdir


def write(srcdir: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (srcdir / name).parent.mkdir(parents=True, exist_ok=True)
        (srcdir / name).write_text(text, encoding="utf-8")


def built(make_app, srcdir: Path, builder: str = "html"):
    opened = OpenedFiles.get()
    app = make_app(builder, srcdir=srcdir, freshenv=True)
    with opened.watch() as paths:
        app.build()
    warnings = app.warning.getvalue()
    assert "Traceback" not in warnings and "Exception occurred" not in warnings, warnings
    assert OpenedFiles.outside(paths, srcdir, Path(app.outdir)) == []
    return app, warnings


def pages(app) -> dict[str, str]:
    outdir = Path(app.outdir)
    return {str(path.relative_to(outdir)): path.read_text(encoding="utf-8") for path in outdir.rglob("*.html")}


def test_a_page_title_with_html_stays_text_on_the_mission_card(make_app, project):
    """The mission card takes the page title's nodes, never its text parsed a second time."""
    write(
        project,
        {
            "orgs/c.md": "# Respect \\<img src=x onerror=alert(2)\\> &lt;script&gt;\n\n```{mission-card}\n"
            ":concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n```\n"
        },
    )
    app, _ = built(make_app, project)
    html = pages(app)["orgs/c.html"]
    assert live_markup(html, "alert(2)") == []
    card = BeautifulSoup(html, "html.parser").select_one(".mk-mission-card .mk-card-title strong")
    assert card.get_text() == "Respect <img src=x onerror=alert(2)> <script>"
    assert card.find("img") is None and card.find("script") is None


def test_a_name_or_value_card_title_with_html_is_shown_as_text_and_reported(make_app, project):
    write(
        project,
        {
            "orgs/c.md": "# C\n\n```{mission-card}\n:name: <script>alert(3)</script>\n"
            ":concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n```\n\n"
            f"```{{value-card}} Respect {XSS}\n:concepts: netwerk\n\nSamen.\n```\n"
        },
    )
    app, warnings = built(make_app, project)
    assert warnings.count("[missiekaart.html-in-title]") == 2
    for name, html in pages(app).items():
        assert live_markup(html, "alert(") == [], name
    titles = [
        strong.get_text()
        for strong in BeautifulSoup(pages(app)["orgs/c.html"], "html.parser").select(".mk-card-title strong")
    ]
    assert titles == ["<script>alert(3)</script>", f"Respect {XSS}"]


@pytest.mark.parametrize(
    "value",
    [
        "../elders/credentials.txt",
        "{outside}/credentials.txt",
        "source_texts/link.txt",
        "source_texts/../../elders/credentials.txt",
    ],
)
def test_no_file_outside_the_source_texts_is_read_or_published(make_app, project, value):
    """``mk-source`` outside ``source_texts/`` (a relative path, an absolute one, a link in the
    folder) is a located warning; the file is not copied, linked or read, even by a failing build."""
    outside = project.parent / "elders"
    (project / "source_texts" / "link.txt").symlink_to(outside / "credentials.txt")
    value = value.format(outside=outside)
    write(
        project,
        {
            "orgs/c.md": f"---\nmk-source: {value}\n---\n# C\n\n```{{mission-card}}\n"
            ":concepts: netwerk, kwetsbare-groepen\n\nWachtwoord.\n```\n"
        },
    )
    app, warnings = built(make_app, project)
    assert f"orgs/c.md:2: WARNING: the page's 'mk-source: {value}' is not used: this file" in warnings
    assert "is outside source_texts/" in warnings
    for path in site_files(Path(app.outdir)):
        assert SECRET.encode() not in path.read_bytes(), path
    assert sorted(path.name for path in (Path(app.outdir) / "_bronteksten").iterdir()) == ["a.txt", "b.txt"]


def test_a_source_text_named_with_url_characters_is_linked_encoded(make_app, project):
    (project / "source_texts" / "a b#c?d%20.txt").write_bytes((project / "source_texts" / "a.txt").read_bytes())
    page = (project / "orgs" / "a.md").read_text(encoding="utf-8")
    write(project, {"orgs/a.md": page.replace("source_texts/a.txt", "source_texts/a b#c?d%20.txt")})
    app, warnings = built(make_app, project)
    assert warnings == ""
    link = BeautifulSoup(pages(app)["orgs/a.html"], "html.parser").select_one("a.mk-source-file")
    assert link["href"] == "../_bronteksten/a%20b%23c%3Fd%2520.txt"
    assert (Path(app.outdir) / "_bronteksten" / "a b#c?d%20.txt").read_bytes() == (
        project / "source_texts" / "a.txt"
    ).read_bytes()


def test_an_upper_case_scheme_is_a_link_with_the_scheme_in_lower_case(make_app, project):
    write(
        project,
        {
            "orgs/c.md": "# C\n\n```{mission-card}\n:website: HTTPS://www.Voorbeeld.be/Over\n"
            ":concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n```\n"
        },
    )
    app, warnings = built(make_app, project)
    assert warnings == ""
    link = BeautifulSoup(pages(app)["orgs/c.html"], "html.parser").select_one(".mk-card-fields a")
    assert link["href"] == "https://www.Voorbeeld.be/Over"


HOSTILE_NAME = "x}]{}\\input{^^2fetc^^2fhostname}\\hyperref[\\detokenize{y"
UNPRINTABLE = "Samen sterk 💪 met Ħ, Привет, 中文, a\u200bb, \u202eabc, \x85 en e\u0301"


def tex_of(app) -> str:
    return next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")


def test_latex_gets_escaped_labels_and_a_fallback_for_every_character(make_app, project):
    """A concept page named to break out of ``\\hyperref[\\detokenize{...}]`` (the concept map's TikZ),
    and characters pdflatex cannot set in a card, a concept title and the running text: the
    ``.tex`` holds no file command the clean project lacks, and pdflatex makes the PDF."""
    clean, _ = built(make_app, project, "latex")
    baseline = latex_commands(tex_of(clean))
    write(
        project,
        {
            f"concepts/{HOSTILE_NAME}.md": f"# Groep {UNPRINTABLE}\n\n```{{concept}} groep\n:title: Groep 💪\n\n"
            "Een groep.\n```\n",
            "orgs/c.md": f"# C {UNPRINTABLE}\n\n```{{mission-card}}\n:region: Gent 🏠\n"
            f":concepts: netwerk, kwetsbare-groepen, groep\n\nWij zijn C.\n```\n\n{UNPRINTABLE}\n\n"
            "```{value-card} Samen 💪\n:concepts: groep\n\nSamen.\n```\n",
            "orgs/a.md": (project / "orgs" / "a.md")
            .read_text(encoding="utf-8")
            .replace(":concepts: netwerk", ":concepts: groep, netwerk"),
            "index.md": (project / "index.md").read_text(encoding="utf-8") + "\n```{concept-map}\n```\n",
        },
    )
    app, warnings = built(make_app, project, "latex")
    assert "[missiekaart.unsafe-file-name]" in warnings
    tex = tex_of(app)
    assert latex_commands(tex) == baseline
    assert r"\missiekaartglyph{1F4AA}" in tex and "\u202e" not in tex and "\x85" not in tex
    if shutil.which("pdflatex") is None:
        pytest.fail("this test needs TeX Live (pdflatex): see README.md")
    name = next(Path(app.outdir).glob("*.tex")).stem
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=app.outdir,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    log = (Path(app.outdir) / f"{name}.log").read_text(encoding="latin-1")
    assert result.returncode == 0, log[-3000:]
    assert "/etc/hostname" not in log  # TeX logs every file it opens
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(Path(app.outdir) / f"{name}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "U+1F4AA" in text and "Samen sterk" in text


def test_a_markdown_source_text_inside_the_sphinx_folder_is_not_built_as_a_page(make_app, project):
    """A static-site export keeps its raw HTML; the extension leaves its folder out of the build."""
    write(project, {"source_texts/export.md": "---\ntitle: X\n---\n<script>alert('qz')</script>\n"})
    app, warnings = built(make_app, project)
    assert not (Path(app.outdir) / "source_texts").exists()
    assert "source_texts/export" not in warnings


def test_html_in_a_contributors_markdown_is_text_everywhere_and_reported_where_it_is(make_app, project):
    """MyST passed HTML in a page through: a heading's <script> reached the page, its mission card
    and the theme's "next page" link as markup. It is text now, in every place it is shown, and
    each page says where its first HTML is (``html-in-page``); a comment is written with '%'."""
    write(
        project,
        {
            "orgs/c.md": (
                "# C <script>alert(qz)</script>\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\n"
                "Wij zijn C.\n```\n\nEen zin met <img src=x onerror=alert(qz)> erin.\n\n"
                '<iframe src="https://qz.example"></iframe>\n\n% een opmerking, geen HTML\n'
            ),
            "orgs/d.md": (
                "# D\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\nWij zijn D, <b>vet</b>.\n```\n"
            ),
        },
    )
    app, warnings = built(make_app, project)
    for name, html in pages(app).items():
        assert live_markup(html, "qz") == [], name
        assert "<iframe" not in html and "<b>vet</b>" not in html, name
    soup = BeautifulSoup(pages(app)["orgs/c.html"], "html.parser")
    assert "C <script>alert(qz)</script>" in soup.select_one("h1").get_text()
    assert "<img src=x onerror=alert(qz)>" in soup.get_text()
    assert "een opmerking" not in soup.get_text()  # a MyST comment stays a comment
    found = [line for line in warnings.splitlines() if "[missiekaart.html-in-page]" in line]
    assert len(found) == 2, warnings
    assert "orgs/c.md:1:" in found[0] and "'<script>'" in found[0] and "(and 3 more on this page)" in found[0]
    assert "orgs/d.md:6:" in found[1] and "'<b>'" in found[1]  # in a card's body, at its own line
