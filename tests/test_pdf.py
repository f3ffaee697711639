"""The PDF: ``make pdf`` builds it with latexmk and pdflatex, complete, linked and without LaTeX problems.

The PDF is built once for this module, exactly as a contributor runs it, into a temporary
BUILDDIR. These tests need TeX Live: CI (.ci/run) installs it. Without it they fail, naming the
packages to install; they never skip.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import tomllib
import unicodedata
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import ROOT
from project import CONCEPTS, DOCS, ORGANISATIONS, PROJECT


def makefile_value(name: str) -> str:
    match = re.search(rf"^{name}\s*[?:]?=\s*(.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"Makefile defines no {name}"
    return match.group(1).strip()


TEXLIVE_PACKAGES = makefile_value("TEXLIVE_PACKAGES").split()
INSTALL = f"apt-get install --no-install-recommends {' '.join(TEXLIVE_PACKAGES)} poppler-utils"


def require_tools() -> None:
    missing = [tool for tool in ("latexmk", "pdflatex", "pdftotext") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"the PDF tests need TeX Live and poppler-utils; missing {', '.join(missing)}. "
                    f"Install them with: sudo {INSTALL}", pytrace=False)


@pytest.fixture(scope="module")
def built_pdf(tmp_path_factory):
    """``make pdf`` (of the project under test, tests/project.py) into a temporary BUILDDIR:
    (result, latex output dir, PDF text)."""
    require_tools()
    builddir = tmp_path_factory.mktemp("pdf")
    result = subprocess.run(
        ["make", "--no-print-directory", "pdf", f"BUILDDIR={builddir}"],
        cwd=PROJECT, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )
    latex = builddir / "latex"
    pdf = latex / "missiekaart.pdf"
    assert result.returncode == 0 and pdf.is_file(), (
        f"make pdf failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return result, latex, text


def squash(text: str) -> str:
    """Compare texts regardless of line breaks and hyphenation: drop whitespace and hyphens."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def markdown_text(markdown: str) -> str:
    """The text a reader sees of a MyST Markdown fragment (roles show their text)."""
    markdown = re.sub(r"\{[\w:-]+\}`([^`<]*?)\s*(?:<[^`]*>)?`", r"\1", markdown)
    markdown = re.sub(r"\[\^[^\]]+\]", "", markdown)  # footnote references: marks in the PDF
    parts: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in token.children or []:
            if child.type in {"text", "code_inline"}:
                parts.append(child.content)
            elif child.type in {"softbreak", "hardbreak"}:
                parts.append(" ")
        if token.type == "paragraph_close":
            parts.append(" ")
    return " ".join("".join(parts).split())


def directive_blocks(page: Path, name: str) -> list[tuple[str, dict[str, str], str]]:
    """``(argument, options, body)`` of each ```` ```{name} ```` (or ``:::{name}``) block on a page."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks = []
    for number, line in enumerate(lines):
        match = re.match(rf"^(`{{3,}}|:{{3,}})\{{{re.escape(name)}\}}\s*(.*)$", line)
        if not match:
            continue
        fence, argument = match.groups()
        end = next(n for n in range(number + 1, len(lines))
                   if lines[n].strip().startswith(fence[0] * len(fence)) and not lines[n].strip().strip(fence[0]))
        content = lines[number + 1 : end]
        options = {}
        while content and (option := re.match(r"^:([\w-]+):\s*(.*)$", content[0])):
            options[option.group(1)] = option.group(2).strip()
            content = content[1:]
        blocks.append((argument.strip(), options, "\n".join(content).strip()))
    return blocks


def organisations() -> dict[str, str]:
    names = {}
    for page in sorted(ORGANISATIONS.glob("*.md")):
        title = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
        assert title, f"{page.relative_to(PROJECT)} has no title"
        names[page.stem] = markdown_text(title.group(1))
    return names


def concept_titles() -> list[str]:
    titles = []
    for page in sorted(CONCEPTS.glob("*.md")):
        for argument, options, _body in directive_blocks(page, "concept"):
            titles.append(options.get("title") or argument)
    return titles


def test_make_pdf_builds_the_pdf_strictly_with_latexmk_and_pdflatex(built_pdf):
    result, latex, _ = built_pdf
    assert "sphinx-build -M latexpdf" in result.stdout and "-W --keep-going -n" in result.stdout
    assert "WARNING" not in result.stderr
    assert "latexmk" in result.stdout
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    assert r"{sphinxmanual}" in tex and "dutch" in tex.split(r"\begin{document}")[0]
    assert r"\usepackage{missiekaart}" in tex and (latex / "missiekaart.sty").is_file()
    assert "pdfTeX" in (latex / "missiekaart.log").read_text(encoding="utf-8", errors="replace").splitlines()[0]


def test_pdf_has_every_organisation_and_concept(built_pdf):
    _, _, text = built_pdf
    assert organisations() and concept_titles()
    for name in [*organisations().values(), *concept_titles()]:
        assert squash(name) in squash(text), f"{name!r} is not in the PDF"


@pytest.mark.parametrize("slug", sorted(organisations()))
def test_pdf_has_each_organisations_mission_statement(built_pdf, slug):
    _, _, text = built_pdf
    cards = directive_blocks(ORGANISATIONS / f"{slug}.md", "mission-card")
    assert cards, f"docs/organisations/{slug}.md has no mission-card yet"
    statement = markdown_text(cards[0][2])
    assert statement
    assert squash(statement) in squash(text), f"the mission statement of {slug} is not in the PDF: {statement!r}"


def test_pdf_structure_title_contents_landing_parts_and_chapters(built_pdf):
    _, latex, text = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    body = tex.split(r"\begin{document}", 1)[1]
    assert body.index(r"\sphinxmaketitle") < body.index(r"\sphinxtableofcontents") < body.index(r"\chapter*{Missiekaart}")
    assert r"\renewcommand{\contentsname}{Inhoudsopgave}" in tex
    # The landing text comes before the first part; each toctree caption is a part, in order.
    assert body.index("Missiekaart verzamelt de missie") < body.index(r"\part{")
    parts = re.findall(r"^\\part\{(.+)\}$", body, re.MULTILINE)
    assert parts == ["Organisaties", "Begrippen en vergelijking", "Over"]
    # The Organisaties part opens with the overview of every organisation (a chapter with the
    # organisation overview's list), then one chapter per organisation, each opening with its card.
    organisation_part = body.split(r"\part{Organisaties}", 1)[1].split(r"\part{", 1)[0]
    overview, *chapters = re.split(r"^\\chapter\{", organisation_part, flags=re.MULTILINE)[1:]
    names = organisations()
    listed = overview.replace(r"\sphinxhyphen{}", "-").replace(r"\&", "&")
    assert all(name in listed for name in names.values())
    assert len(chapters) == len(names)
    for chapter in chapters:
        title, content = chapter.split("}\n", 1)
        assert title.replace(r"\sphinxhyphen{}", "-").replace(r"\&", "&") in names.values()
        assert re.match(r"\s*(\\label\{.*\}\s*)*\\begin\{missiekaartmission\}", content), (
            f"{title}: the chapter does not open with the mission card")
    assert "Inhoudsopgave" in text and "Deel I" in text


def test_cards_are_framed_boxes_not_tables(built_pdf):
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    missions = re.findall(r"\\begin\{missiekaartmission\}", tex)
    values = re.findall(r"\\begin\{missiekaartvalue\}", tex)
    assert len(missions) >= len(organisations()) and values
    for card in re.findall(r"\\begin\{missiekaart(?:mission|value)\}.*?\\end\{missiekaart(?:mission|value)\}", tex, re.S):
        assert "tabulary" not in card and "longtable" not in card and r"\begin{tabular" not in card
    sty = (latex / "missiekaart.sty").read_text(encoding="utf-8")
    assert "sphinxheavybox" in sty


def test_every_hyperref_has_a_label(built_pdf):
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    targets = set(re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", tex))
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]*)\}\}", tex))
    assert targets, "no cross-references in the PDF"
    assert sorted(targets - labels) == []
    # Concept references and "Ook bij" links on cards are links, not plain text.
    assert any(target.startswith("concepts/") for target in targets)
    assert any(":mk-ref-" in target for target in targets)  # a place in an organisation's text
    assert any(re.search(r":(mission|value)-", target) for target in targets)  # a card


def test_footnotes_stay_footnotes(built_pdf):
    """Every footnote of the pages is a LaTeX footnote, its text at the page bottom. (That a
    footnote becomes one at all is checked on a small project below, whatever the pages hold.)"""
    _, latex, text = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    definitions = [match.group(1) for page in sorted(DOCS.rglob("*.md")) for match in
                   re.finditer(r"^\[\^[^\]]+\]:\s*(.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)]
    assert len(re.findall(r"\\begin\{footnote(?:text)?\}\[\d+\]", tex)) == len(definitions)
    for definition in definitions:
        assert squash(markdown_text(definition)) in squash(text), f"footnote {definition!r} is not in the PDF"


def test_source_characters_survive(built_pdf):
    """The organisations' accented letters and curly quotes reach the PDF as themselves, and lists keep
    their bullets."""
    _, _, text = built_pdf
    bodies = [page.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for page in ORGANISATIONS.glob("*.md")]
    characters = {character for body in bodies for character in markdown_text(body)
                  if not character.isascii() and unicodedata.category(character) in {"Lu", "Ll", "Pi", "Pf"}}
    for character in sorted(characters):
        assert character in text, f"{character!r} is missing from the PDF text"
    if any(re.search(r"^\s*[-*+] ", body, re.MULTILINE) for body in bodies):
        assert "•" in text, "the bullets of the lists are missing from the PDF text"


def test_latex_log_has_no_undefined_references_missing_characters_or_wide_overfull_boxes(built_pdf):
    _, latex, _ = built_pdf
    log = (latex / "missiekaart.log").read_text(encoding="utf-8", errors="replace")
    assert re.findall(r".*undefined.*", log) == [], "undefined references in the LaTeX log"
    assert re.findall(r".*multiply defined.*", log) == []
    assert re.findall(r"Missing character.*", log) == []
    overfull = [(float(match.group(2)), match.group(1)) for match in re.finditer(
        r"(?m)^(Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\).*)$", log)]
    assert [line for size, line in overfull if size > 10] == []


def test_make_pdf_without_texlive_says_what_to_install(tmp_path):
    """No TeX on the PATH: one clear message naming the packages, and no LaTeX run."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").symlink_to(shutil.which("make"))
    result = subprocess.run(
        ["make", "--no-print-directory", "pdf", f"BUILDDIR={tmp_path / 'build'}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "PATH": str(bin_dir)},
    )
    assert result.returncode != 0
    assert "make pdf needs TeX Live" in result.stderr
    assert f"apt-get install --no-install-recommends {' '.join(TEXLIVE_PACKAGES)}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "build").exists()


def test_texlive_packages_are_the_same_in_readme_ci_and_makefile():
    assert TEXLIVE_PACKAGES == ["latexmk", "texlive-latex-recommended", "texlive-fonts-recommended",
                                "texlive-latex-extra", "tex-gyre", "texlive-lang-european"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert INSTALL in readme
    assert all(package in ci.split() for package in [*TEXLIVE_PACKAGES, "poppler-utils"])
    assert "--no-install-recommends" in ci and "make pdf" in ci
    assert "`make pdf`" in readme


def test_style_file_is_package_data():
    """The extension ships missiekaart.sty: pyproject's package-data must include it."""
    package = ROOT / "ext" / "missiekaart"
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["missiekaart"]
    shipped = [path for path in (package / "latex").iterdir() if path.is_file()]
    assert any(path.name == "missiekaart.sty" for path in shipped)
    for path in shipped:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), f"{relative} is not package data"


SMALL_PROJECT = {
    "conf.py": 'extensions = ["myst_parser", "missiekaart"]\nlanguage = "nl"\nnitpicky = True\n'
               'missiekaart_organisations = "orgs"\nmissiekaart_min_concepts = 0\n'
               'source_suffix = {".md": "markdown"}\n',
    "index.md": "# Klein\n\nInleiding.\n\n```{toctree}\n:caption: Organisaties\n:glob:\n\norgs/*\n```\n\n"
                "```{toctree}\n:caption: Begrippen\n\nnetwerk\n```\n",
    "netwerk.md": "# Netwerk\n\n```{concept} netwerk\n:title: Sociaal netwerk\n\nDe mensen rond iemand.\n```\n",
    "orgs/a.md": "# Org A\n\n```{mission-card}\n:region: Oost-Vlaanderen\n:concepts: netwerk\n\n"
                 "We bouwen een “netwerk”.\n```\n\n```{value-card} Samen & sterk\n:concepts: netwerk\n\nSamen.\n```\n",
    "orgs/b.md": "# Org B\n\n```{mission-card}\n:concepts: netwerk\n\nIedereen doet mee.\n```\n\n"
                 "We werken aan een {concept}`sterk netwerk <netwerk>`.[^1]\n\n[^1]: Een voetnoot.\n",
}


def test_latex_writer_boxes_cards_labels_link_targets_and_makes_parts(tmp_path, make_app):
    """Without TeX: the .tex of a small project boxes cards and labels every link target."""
    for name, text in SMALL_PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    app = make_app("latex", srcdir=tmp_path)
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    tex = next(outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert (outdir / "missiekaart.sty").is_file() and r"\usepackage{missiekaart}" in tex
    assert r"\begin{missiekaartmission}{Missie}{Org A}" in tex
    assert r"\begin{missiekaartvalue}{Waarde}{Samen \& sterk}" in tex
    assert r"\missiekaartfieldname{Regio:} Oost" in tex
    assert "We bouwen een “netwerk”." in tex
    assert re.search(r"\\begin\{footnote\}\[1\].*Een voetnoot\.", tex, re.DOTALL)
    targets = set(re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", tex))
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]*)\}\}", tex))
    assert {"netwerk:concept-netwerk", "orgs/a:mission-Org-A", "orgs/b:mk-ref-0"} <= targets
    assert sorted(targets - labels) == []
    body = tex.split(r"\begin{document}", 1)[1]
    assert [line for line in body.splitlines() if line.startswith((r"\part", r"\chapter"))] == [
        r"\chapter*{Klein}\addcontentsline{toc}{chapter}{Klein}\markboth{Klein}{}",
        r"\part{Organisaties}", r"\chapter{Org A}", r"\chapter{Org B}",
        r"\part{Begrippen}", r"\chapter{Netwerk}",
    ]


def test_comparison_chapter_has_the_matrix_as_longtable_and_the_map_as_vector_figure(built_pdf):
    _, latex, text = built_pdf
    pdf = latex / "missiekaart.pdf"
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    comparison = tex.split(r"\chapter{Vergelijking}", 1)[1].split(r"\chapter{", 1)[0]
    assert r"\begin{longtable}" in comparison
    picture = comparison[comparison.index(r"\begin{tikzpicture}"):comparison.index(r"\end{tikzpicture}")]
    concepts = concept_titles()
    assert picture.count(r"\draw") >= 2 * len(concepts)  # every concept is shared by two or more
    for title in concepts:
        assert squash(title) in squash(text)
    # Vector only: the PDF embeds no raster image at all.
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    assert images.stdout.splitlines()[2:] == []
