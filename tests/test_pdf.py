"""The PDF: ``make pdf`` builds it with latexmk and pdflatex, complete, linked and without LaTeX problems.

The PDF is built once for this module, exactly as a contributor runs it, into a temporary
BUILDDIR. These tests need TeX Live: CI (.ci/run) installs it. Without it they fail, naming the
packages to install; they never skip.
"""

from __future__ import annotations

import collections
import fnmatch
import itertools
import os
import re
import shutil
import statistics
import subprocess
import tomllib
import unicodedata
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import ROOT
from project import CONCEPTS, DOCS, ORGANISATIONS, PROJECT, run_make


def makefile_value(name: str) -> str:
    match = re.search(rf"^{name}\s*[?:]?=\s*(.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"Makefile defines no {name}"
    return match.group(1).strip()


TEXLIVE_PACKAGES = makefile_value("TEXLIVE_PACKAGES").split()
INSTALL = f"apt-get install --no-install-recommends graphviz {' '.join(TEXLIVE_PACKAGES)} poppler-utils"


def require_tools() -> None:
    missing = [tool for tool in ("dot", "latexmk", "pdflatex", "pdftotext") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"the PDF tests need Graphviz, TeX Live and poppler-utils; missing {', '.join(missing)}. "
            f"Install them with: sudo {INSTALL}",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def built_pdf(tmp_path_factory):
    """``make pdf`` (of the project under test, tests/project.py) into a temporary BUILDDIR:
    (result, latex output dir, PDF text)."""
    require_tools()
    builddir = tmp_path_factory.mktemp("pdf")
    result = run_make("pdf", f"BUILDDIR={builddir}")
    latex = builddir / "latex"
    pdf = latex / "missiekaart.pdf"
    assert result.returncode == 0 and pdf.is_file(), (
        f"make pdf failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
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
        end = next(
            n
            for n in range(number + 1, len(lines))
            if lines[n].strip().startswith(fence[0] * len(fence)) and not lines[n].strip().strip(fence[0])
        )
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
    assert "sphinx-build -M latex " in result.stdout and "-W --keep-going -n" in result.stdout
    assert "WARNING" not in result.stderr
    assert "latexmk" in result.stdout and "pdflatex" in (latex / "latexmk.out").read_text(encoding="utf-8")
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
    assert (
        body.index(r"\sphinxmaketitle") < body.index(r"\sphinxtableofcontents") < body.index(r"\chapter*{Missiekaart}")
    )
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
            f"{title}: the chapter does not open with the mission card"
        )
    assert "Inhoudsopgave" in text and "Deel I" in text


def test_cards_are_framed_boxes_not_tables(built_pdf):
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    missions = re.findall(r"\\begin\{missiekaartmission\}", tex)
    values = re.findall(r"\\begin\{missiekaartvalue\}", tex)
    assert len(missions) >= len(organisations()) and values
    for card in re.findall(
        r"\\begin\{missiekaart(?:mission|value)\}.*?\\end\{missiekaart(?:mission|value)\}", tex, re.S
    ):
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
    definitions = [
        match.group(1)
        for page in sorted(DOCS.rglob("*.md"))
        for match in re.finditer(r"^\[\^[^\]]+\]:\s*(.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert len(re.findall(r"\\begin\{footnote(?:text)?\}\[\d+\]", tex)) == len(definitions)
    for definition in definitions:
        assert squash(markdown_text(definition)) in squash(text), f"footnote {definition!r} is not in the PDF"


def test_source_characters_survive(built_pdf):
    """The organisations' accented letters and curly quotes reach the PDF as themselves, and lists keep
    their bullets."""
    _, _, text = built_pdf
    bodies = [page.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for page in ORGANISATIONS.glob("*.md")]
    characters = {
        character
        for body in bodies
        for character in markdown_text(body)
        if not character.isascii() and unicodedata.category(character) in {"Lu", "Ll", "Pi", "Pf"}
    }
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
    overfull = [
        (float(match.group(2)), match.group(1))
        for match in re.finditer(r"(?m)^(Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\).*)$", log)
    ]
    assert [line for size, line in overfull if size > 10] == []


def test_make_pdf_without_texlive_says_what_to_install(tmp_path):
    """No TeX on the PATH: one clear message naming the packages, and no LaTeX run."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").symlink_to(shutil.which("make"))
    result = subprocess.run(
        ["make", "--no-print-directory", "pdf", f"BUILDDIR={tmp_path / 'build'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": str(bin_dir)},
    )
    assert result.returncode != 0
    assert "make pdf needs TeX Live" in result.stderr
    assert f"apt-get install --no-install-recommends {' '.join(TEXLIVE_PACKAGES)}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "build").exists()


def test_texlive_packages_are_the_same_in_readme_ci_and_makefile():
    assert TEXLIVE_PACKAGES == [
        "latexmk",
        "texlive-latex-recommended",
        "texlive-fonts-recommended",
        "texlive-latex-extra",
        "tex-gyre",
        "texlive-lang-european",
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert INSTALL in readme
    assert all(package in ci.split() for package in ["graphviz", *TEXLIVE_PACKAGES, "poppler-utils"])
    assert "--no-install-recommends" in ci and "make pdf" in ci
    assert "`make pdf`" in readme


def test_style_file_is_package_data():
    """The extension ships missiekaart.sty: pyproject's package-data must include it."""
    package = ROOT / "ext" / "missiekaart"
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["missiekaart"]
    shipped = [path for path in (package / "latex").iterdir() if path.is_file()]
    assert any(path.name == "missiekaart.sty" for path in shipped)
    for path in shipped:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), f"{relative} is not package data"


SMALL_PROJECT = {
    "conf.py": 'extensions = ["myst_parser", "missiekaart"]\nlanguage = "nl"\nnitpicky = True\n'
    'missiekaart_organisations = "orgs"\nmissiekaart_min_concepts = 0\n'
    "missiekaart_min_value_cards = 0\nmissiekaart_definition_sentences = (1, 99)\n"
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
    assert {"netwerk:concept-netwerk", "orgs/a:mission-Org-A", "orgs/b:mk-ref-netwerk-0"} <= targets
    assert sorted(targets - labels) == []
    body = tex.split(r"\begin{document}", 1)[1]
    assert [line for line in body.splitlines() if line.startswith((r"\part", r"\chapter"))] == [
        r"\chapter*{Klein}\addcontentsline{toc}{chapter}{Klein}\markboth{Klein}{}",
        r"\part{Organisaties}",
        r"\chapter{Org A}",
        r"\chapter{Org B}",
        r"\part{Begrippen}",
        r"\chapter{Netwerk}",
    ]


def test_comparison_chapter_has_the_matrix_as_longtable_and_the_map_as_vector_figure(built_pdf):
    _, latex, text = built_pdf
    pdf = latex / "missiekaart.pdf"
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    comparison = tex.split(r"\chapter{Vergelijking}", 1)[1].split(r"\chapter{", 1)[0]
    assert r"\begin{missiekaartmatrix}" in comparison  # a longtable of missiekaart.sty (tests/test_matrix_pdf.py)
    picture = comparison[comparison.index(r"\begin{tikzpicture}") : comparison.index(r"\end{tikzpicture}")]
    concepts = concept_titles()
    assert picture.count(r"\draw") >= 2 * len(concepts)  # every concept is shared by two or more
    for title in concepts:
        assert squash(title) in squash(text)
    # Vector only: the PDF embeds no raster image at all.
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    assert images.stdout.splitlines()[2:] == []


# The PDF as a printed book: each rule is read from the PDF itself (pdftotext -layout per page,
# pdfinfo, pypdf), over whatever organisations and concepts the project has.


def conf_values(**environ: str) -> dict:
    """The names conf.py of the project under test defines, run with *environ* added."""
    saved = dict(os.environ)
    os.environ.update(environ)
    try:
        namespace: dict = {"__file__": str(PROJECT / "conf.py")}
        exec(compile((PROJECT / "conf.py").read_text(encoding="utf-8"), "conf.py", "exec"), namespace)
        return namespace
    finally:
        os.environ.clear()
        os.environ.update(saved)


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, laid out as printed (pdftotext -layout)."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def content_lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def folio(page: str) -> str:
    """The printed page number (the last word of the footer), "" on a page without one."""
    lines = content_lines(page)
    last = lines[-1].split()[-1] if lines else ""
    return last if re.fullmatch(r"\d+|[ivxlc]+", last) else ""


def main_pages(pdf: Path) -> list[tuple[str, str]]:
    """(printed number, text) of the pages numbered in arabic numerals: the book after its contents."""
    return [(folio(page), page) for page in pdf_pages(pdf) if folio(page).isdigit()]


def table_of_contents(pdf: Path) -> dict[str, int]:
    """Title -> page of every entry in the table of contents (the pages numbered i, ii, ...)."""
    entries = {}
    for page in pdf_pages(pdf):
        if not re.fullmatch(r"[ivxlc]+", folio(page)):
            continue
        for line in content_lines(page)[:-1]:
            match = re.fullmatch(r"(?:(?:[IVX]+|\d+)\s{2,})?(?P<title>.*?\S)[\s.]*\s(?P<page>\d+)", line)
            if match:
                entries[" ".join(match["title"].rstrip(" .").split())] = int(match["page"])
    return entries


def normalized(text: str) -> str:
    return " ".join(text.split())


def test_pdf_has_no_release_string_unless_one_is_configured(built_pdf):
    _, latex, text = built_pdf
    assert conf_values()["release"] == "" and "Release" not in text
    assert conf_values(MISSIEKAART_RELEASE="2026-1")["release"] == "2026-1"
    title_page = pdf_pages(latex / "missiekaart.pdf")[0]
    assert conf_values()["project"] in title_page and not re.search(r"\d+\.\d+", title_page)


def test_pdf_metadata_title_author_and_language(built_pdf):
    """Checked on the built PDF's document information and catalog (/Lang)."""
    from pypdf import PdfReader

    _, latex, _ = built_pdf
    conf = conf_values()
    reader = PdfReader(latex / "missiekaart.pdf")
    assert reader.metadata.title == conf["project"]
    assert reader.metadata.author == conf["author"]
    assert reader.trailer["/Root"]["/Lang"] == conf["language"] == "nl"
    pdfinfo = ["pdfinfo", str(latex / "missiekaart.pdf")]
    info = subprocess.run(pdfinfo, capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Title:\s+{re.escape(conf['project'])}$", info, re.MULTILINE)


def test_table_of_contents_has_two_levels(built_pdf):
    """Chapters (each organisation) and their sections (each concept is a section of the concept
    chapter), and no deeper level."""
    _, latex, _ = built_pdf
    contents = table_of_contents(latex / "missiekaart.pdf")
    for title in [*organisations().values(), *concept_titles()]:
        assert normalized(title) in contents, f"{title!r} is not in the table of contents"
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8").split(r"\begin{document}")[0]
    assert re.findall(r"\\setcounter\{tocdepth\}\{(\d+)\}", tex)[-1] == "1"


def test_every_internal_reference_prints_its_page(built_pdf):
    """Each internal link of the .tex carries a page reference to the same target, and the PDF
    shows a "blz. N" for each, N a page of the book. (The labels of the concept map, a TikZ
    figure drawn by conceptmap.py, are links without pages: not text references; nor are the
    copies of the matrix's concept cells that LaTeX only measures.)"""
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    tex = re.sub(r"\\begin\{tikzpicture\}.*?\\end\{tikzpicture\}", "", tex, flags=re.DOTALL)
    # The matrix's concept cells are measured (set and thrown away) before they are printed.
    tex = re.sub(r"^\\missiekaartmatrixmeasure\{.*$", "", tex, flags=re.MULTILINE)
    links = collections.Counter(re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", tex))
    pages = collections.Counter(re.findall(r"\\autopageref\*\{\\detokenize\{([^}]*)\}\}", tex))
    assert links and links - pages == collections.Counter()  # (a summary card's title prints a page, no link)
    book = main_pages(latex / "missiekaart.pdf")
    numbers = [int(number) for _, page in book for number in re.findall(r"\bblz\.\s+(\d+)\b", page)]
    assert len(numbers) >= sum(links.values())
    last = max(int(number) for number, _ in book)
    assert all(1 <= number <= last for number in numbers)
    # Running text: "words (blz. 12)"; lists of links: "Leren blz. 36".
    assert re.search(r"\(blz\.\s\d+\)", "".join(page for _, page in book))


def test_page_references_name_the_right_page(built_pdf):
    """On the cards, a concept in the concept line ("Begrippen: Leren blz. 36") prints the page of
    the concept's section; in an organisation's "Verwante organisaties" list, each organisation
    prints the page its chapter opens on (its mission card), as the table of contents has them."""
    _, latex, _ = built_pdf
    pdf = latex / "missiekaart.pdf"
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    label = r"\\DUrole\{mk-label\}\{([^}:]+): \}[^\[]*\\hyperref\[\\detokenize\{"
    concept_label = re.search(label + "concepts/", tex)[1]  # the label of the cards' concept lines
    contents = table_of_contents(pdf)
    found: dict[str, set[int]] = collections.defaultdict(set)
    names = list(map(normalized, organisations().values()))
    for _, page in main_pages(pdf):
        for paragraph in map(normalized, re.split(r"\n\s*\n", page)):
            if f"{concept_label}:" in paragraph:
                segment = paragraph.split(f"{concept_label}:", 1)[1]
                for title in map(normalized, concept_titles()):
                    found[title] |= {int(n) for n in re.findall(rf"(?<![\w-]){re.escape(title)} blz\. (\d+)", segment)}
            for title in names:  # an organisation in a related list: "Naam blz. 12 — deelt ..."
                found[title] |= {int(n) for n in re.findall(rf"(?<![\w-]){re.escape(title)} blz\. (\d+) — ", paragraph)}
    for title in map(normalized, [*concept_titles(), *organisations().values()]):
        assert found[title], f"no page reference to {title!r}"
        assert found[title] == {contents[title]}, f"{title!r} is on page {contents[title]}, not {sorted(found[title])}"


def test_cards_are_never_split_across_pages(built_pdf):
    """A card's title row and its concept line ("Begrippen: ...") are on one page; no page starts
    with the end of a card from the page before. (A card taller than a page is tested below.)"""
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    kinds = {kind.upper() for kind in re.findall(r"\\begin\{missiekaart(?:mission|value)\}\{([^}]*)\}", tex)}
    labels = set(re.findall(r"\\DUrole\{mk-label\}\{([^}:]+): \}", tex))
    assert kinds and labels
    title_row = re.compile(rf"^({'|'.join(map(re.escape, sorted(kinds)))})\s{{2,}}\S")
    cards = 0
    for number, page in main_pages(latex / "missiekaart.pdf"):
        lines = content_lines(page)
        first_card = next((index for index, line in enumerate(lines) if title_row.match(line)), len(lines))
        head = [line for line in lines[:first_card] if any(line.startswith(f"{label}:") for label in labels)]
        assert head == [], f"page {number} starts with the end of a card split at the page before: {head}"
        open_card = None
        for line in lines:
            if title_row.match(line):
                assert open_card is None, f"page {number}: the card {open_card!r} has no concept line"
                open_card, cards = line, cards + 1
            elif open_card and any(line.startswith(f"{label}:") for label in labels):
                open_card = None
        assert open_card is None, f"the card {open_card!r} on page {number} goes on on the next page"
    assert cards >= len(organisations())


def test_headings_stay_with_what_follows(built_pdf):
    """No page ends with a heading: the line above the footer is never a section title."""
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    headings = set()
    for title in re.findall(r"^\\(?:sub)*section\*?\{(.+)\}$", tex, re.MULTILINE):
        title = title.replace(r"\sphinxhyphen{}", "-").replace(r"\&", "&")
        headings.add(normalized(title.split("\\")[0]))
    headings.discard("")
    assert headings
    for number, (last, size, body) in enumerate(last_lines(latex / "missiekaart.pdf"), 1):
        # A heading's words, in heading type: a map's label may have a concept's name, in small type.
        stranded = [heading for heading in headings if re.fullmatch(re.escape(heading) + r"\d*", last)]
        assert not stranded or size < 1.1 * body, f"page {number} ends with the heading {last!r}"


def last_lines(pdf: Path) -> list[tuple[str, float, float]]:
    """Each page's last line above its folio: its words, the size of their type, and the size of
    most of the page's type (by word)."""
    found = []
    for words in pdf_words(pdf):
        # Lines: words that share most of their height (the footer's words differ in type and box).
        lines: list[tuple[float, list[tuple[float, str, float]]]] = []
        for left, top, _right, bottom, word, size in sorted(words, key=lambda w: w[1]):
            if lines and top < lines[-1][0] - 0.3 * (bottom - top):
                lines[-1] = (max(lines[-1][0], bottom), [*lines[-1][1], (left, word, size)])
            else:
                lines.append((bottom, [(left, word, size)]))
        if len(lines) < 2:
            found.append(("", 0.0, 0.0))
            continue
        last = sorted(lines[-2][1])  # the line above the folio's
        body = statistics.median_low(round(size, 1) for *_box, size in words)
        found.append((normalized(" ".join(word for _left, word, _size in last)), max(s for *_w, s in last), body))
    return found


def test_tables_fit_the_text_width_with_unhyphenated_headers(built_pdf):
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    log = (latex / "missiekaart.log").read_text(encoding="utf-8", errors="replace")
    lines = tex.splitlines()
    tables = [
        (
            start + 1,
            next(
                end + 1
                for end in range(start, len(lines))
                if re.match(r"\\end\{(longtable|tabular|tabulary|missiekaartmatrix)\}", lines[end])
            ),
        )
        for start, line in enumerate(lines)
        if re.match(r"\\begin\{(longtable|tabular|tabulary|missiekaartmatrix)\}", line)
    ]
    assert tables
    for match in re.finditer(r"Overfull \\hbox .*? (?:at lines? (\d+)(?:--(\d+))?)", log):
        first, last = int(match[1]), int(match[2] or match[1])
        assert not any(start <= first and last <= end for start, end in tables), match[0]
    # Every word of every header cell is printed whole (a name may break after its own hyphen).
    headers = re.findall(r"\\sphinxstyletheadfamily (.*?)\\sphinxbeforeendvarwidth", tex, re.DOTALL)
    words = set()
    for header in headers:
        header = header.replace(r"\sphinxhyphen{}", "-")
        header = re.sub(r"\\hyperref\[[^\]]*\]|\\autopageref\*\{\\detokenize\{[^}]*\}\}|\\sphinx\w+\{?", " ", header)
        words |= {word for word in re.split(r"[\s{}\-]+", header) if len(word) > 1 and word.isalpha()}
    # The comparison matrix's headers are turned boxes, one line each, which TeX never breaks.
    assert words or r"\missiekaartmatrixhead{" in tex
    text = " ".join(page for _, page in main_pages(latex / "missiekaart.pdf"))
    for word in sorted(words):
        assert re.search(rf"(?<![\w]){re.escape(word)}(?!\w)", text), f"the table header word {word!r} is hyphenated"
    assert not re.search(r"\b\w+-\s*\n\s*\w+", "\n".join(headers))


def test_pdf_has_no_contributor_material(built_pdf):
    """The book is for readers: none of the directives, warnings, options or tools of the
    contributor guide, and no pointer to it."""
    from missiekaart.extension.problems import SUBTYPES

    _, _, text = built_pdf
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    directives = set(re.findall(r"```\{([\w-]+)\}", contributing)) - {"toctree"}
    options = set(re.findall(r"^\| `(:[\w-]+:)`", contributing, re.MULTILINE))
    assert directives and options
    forbidden = [*directives, *options, *SUBTYPES, "CONTRIBUTING", "conf.py", "make html", "make test", "WARNING"]
    flat = normalized(text)
    assert [word for word in forbidden if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", flat)] == []


#: Words that only mean something on a screen. The book's own sentences never use them; they may
#: stand in the PDF only inside an organisation's own words, which it prints as they are.
WEB_ONLY = re.compile(
    r"(?i)(?<![\w-])(?:site|klik\w*|aanklik\w*|filter\w*|gefilterde?|url|adres van de pagina|javascript|"
    r"zoekvak\w*|browser\w*|scherm\w*|schuif\w*|scroll\w*|link|linkt|linken|menu|wijs\w* (?:\w+ )?aan)(?![\w-])"
)


def test_the_book_speaks_print(built_pdf):
    """No sentence about screens, clicking, filters, addresses or JavaScript: each web-only word in
    the PDF's text stands in words of an organisation's page (with the two words before or after
    it), that is in its own text, quoted in its chapter or on a concept's page."""
    _, _, text = built_pdf
    own = squash(" ".join(markdown_text(page.read_text(encoding="utf-8")) for page in ORGANISATIONS.glob("*.md")))
    flat = normalized(text)
    printed = []
    for match in WEB_ONLY.finditer(flat):
        before, after = flat[: match.start()].split()[-2:], flat[match.end() :].split()[:2]
        if squash(" ".join([*before, match[0]])) not in own and squash(" ".join([match[0], *after])) not in own:
            printed.append(" ".join([*before, f"[{match[0]}]", *after]))
    assert printed == []


#: The parts of an organisation's chapter, by the bold words that name them in the reader's guide.
PARTS = {"missiekaart": "mission card", "waardekaarten": "value cards", "oorspronkelijke tekst": "text"}


def chapter_order(chapter: str) -> list[str]:
    """The parts of an organisation's chapter (its LaTeX) in the order they are printed."""
    cards = [
        (m.start(), m.end())
        for m in re.finditer(r"\\begin\{missiekaart(\w+)\}.*?\\end\{missiekaart\1\}", chapter, re.S)
    ]
    text = next(
        m.start()
        for m in re.finditer(r"\\sphinxAtStartPar|\\(?:sub)*section", chapter)
        if not any(start <= m.start() < end for start, end in cards)
    )
    positions = {
        "mission card": chapter.index(r"\begin{missiekaartmission}"),
        "value cards": chapter.index(r"\begin{missiekaartvalue}"),
        "text": text,
    }
    return sorted(positions, key=positions.__getitem__)


def test_the_reader_guide_tells_the_order_of_a_chapter_as_printed(built_pdf):
    """ "Above" and "below" are true in the book: the guide names the parts of an organisation's
    chapter (its bold words) in the order every chapter prints them."""
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    body = tex.split(r"\begin{document}", 1)[1]
    bold = [term.lower() for term in re.findall(r"\\sphinxstylestrong\{([^}]*)\}", body)]
    guide = [PARTS[term] for term in dict.fromkeys(bold) if term in PARTS]
    assert sorted(guide) == sorted(PARTS.values()), "the reader's guide no longer names the parts"
    organisation_part = body.split(r"\part{", 2)[1]
    chapters = re.split(r"^\\chapter\{", organisation_part, flags=re.MULTILINE)[2:]  # after the overview
    assert len(chapters) == len(organisations())
    for chapter in chapters:
        assert chapter_order(chapter) == guide, chapter.split("}", 1)[0]


LONG_CARD_PROJECT = {
    "conf.py": 'project = "Lang"\nextensions = ["myst_parser", "missiekaart"]\nlanguage = "nl"\nnitpicky = True\n'
    'missiekaart_organisations = "orgs"\nmissiekaart_min_concepts = 0\nmissiekaart_min_organisations = 1\n'
    "missiekaart_min_value_cards = 0\nmissiekaart_definition_sentences = (1, 99)\n"
    'source_suffix = {".md": "markdown"}\nlatex_show_pagerefs = True\n',
    "index.md": "# Lang\n\nInleiding.\n\n```{toctree}\n:caption: Organisaties\n:glob:\n\norgs/*\n```\n\n"
    "```{toctree}\n:caption: Begrippen\n\nverbinding\n```\n",
    "verbinding.md": "# Verbinding\n\n```{concept} verbinding\n:title: Verbinding\n\nDe mensen rond iemand.\n```\n",
    "orgs/a.md": "# Org A\n\n```{mission-card}\n:concepts: verbinding\n\nWe bouwen een verbinding.\n```\n\n"
    "```{value-card} Een lang verhaal\n:concepts: verbinding\n\n"
    + "\n\n".join(
        f"Alinea {number}: samen bouwen we dag na dag aan een sterke verbinding rond elk gezin, "
        "met geduld en met zorg voor iedereen die meedoet."
        for number in range(1, 61)
    )
    + "\n```\n\n"
    + "".join(
        f"```{{value-card}} Kort {number}\n:concepts: verbinding\n\nKort en goed.\n```\n\n" for number in range(1, 13)
    ),
}


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def make_pdf_of(project: Path) -> subprocess.CompletedProcess:
    require_tools()
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "pdf",
            f"SOURCEDIR={project}",
            f"CONFDIR={project}",
            f"BUILDDIR={project / '_build'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_a_card_taller_than_a_page_breaks_with_continuation_marks(tmp_path):
    write_files(tmp_path, LONG_CARD_PROJECT)
    result = make_pdf_of(tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    pages = [content_lines(page) for page in pdf_pages(tmp_path / "_build" / "latex" / "lang.pdf")]
    # The card's own paragraphs open their lines ("Alinea 7: ..."); a quote of them elsewhere does not.
    long_pages = [
        number for number, lines in enumerate(pages) if any(re.match(r"\s*Alinea \d+:", line) for line in lines)
    ]
    assert len(long_pages) >= 2
    first, *others = long_pages
    assert "Vervolgt op volgende pagina" in pages[first][-2]  # the last line above the footer
    for number in others:
        continued = next(line for line in pages[number] if "Een lang verhaal" in line)
        assert "vervolgd van vorige pagina" in continued
    # The short cards after it are whole: each title row and its concept line on one page.
    for lines in pages:
        titles = [index for index, line in enumerate(lines) if re.match(r"WAARDE\s+Kort \d+$", line)]
        for index in titles:
            assert any(line.startswith("Begrippen:") for line in lines[index : index + 4])


def test_make_pdf_says_only_where_the_pdf_is(built_pdf):
    """LaTeX's thousands of lines go to a file; the terminal shows the commands and one line."""
    result, latex, _ = built_pdf
    pdf = latex / "missiekaart.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = re.search(r"Pages:\s+(\d+)", info)[1]
    assert f"PDF: {pdf} ({pages} pages)" in result.stdout.splitlines()
    assert len(result.stdout.splitlines()) <= 4 and result.stderr == ""
    assert "Latexmk:" in (latex / "latexmk.out").read_text(encoding="utf-8")


def test_make_pdf_shows_the_first_latex_error_with_file_and_line(tmp_path):
    write_files(
        tmp_path,
        {
            "conf.py": 'project = "Kapot"\nextensions = ["myst_parser"]\nsource_suffix = {".md": "markdown"}\n',
            "index.md": "# Kapot\n\nTekst.\n\n```{raw} latex\n\\geenbestaandcommando\n```\n\nMeer tekst.\n",
        },
    )
    result = make_pdf_of(tmp_path)
    assert result.returncode != 0
    tex = tmp_path / "_build" / "latex" / "kapot.tex"
    line = tex.read_text(encoding="utf-8").splitlines().index(r"\geenbestaandcommando") + 1
    assert f"{tex}:{line}: Undefined control sequence." in result.stderr
    assert re.search(rf"l\.{line} \\geenbestaandcommando", result.stderr)
    output = result.stdout + result.stderr
    assert len(output.splitlines()) < 15 and "Latexmk:" not in output and "(/usr/share/texlive" not in output


# The maps in the PDF: TikZ pictures placed from conceptmap.py's layout. Their labels are checked in
# the PDF itself, with every other word: pdftotext -bbox gives each word's box.

WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


LINE = re.compile(r"<line [^>]*>(.*?)</line>", re.DOTALL)


def pdf_words(pdf: Path) -> list[list[tuple[float, float, float, float, str, float]]]:
    """Each page's words, each with its box in points from the page's top left and the size of its
    type (pdftotext -bbox-layout): the box's height, or its width in a line set sideways (a turned
    header of the comparison matrix), whose words stand one above the other."""
    import html

    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = []
        for line in LINE.findall(page):
            boxes = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in WORD.findall(line)]
            sideways = len(boxes) > 1 and all(
                abs(one[0] - other[0]) < 0.5 and (one[1] >= other[3] or other[1] >= one[3])
                for one, other in itertools.pairwise(boxes)
            )
            words += [(*box, box[2] - box[0] if sideways else box[3] - box[1]) for box in boxes]
        pages.append(words)
    return pages


def word_problems(pdf: Path) -> list[str]:
    """Two words overlap when they share more than half a point across and a quarter of the lower
    one's height: lines of running text touch (by 0.6 pt), labels that collide share most of their
    height. A word is too small under 5.6 pt high (across a line set sideways): a font under 6 pt."""
    problems = []
    for number, words in enumerate(pdf_words(pdf), 1):
        words.sort()
        for i, (left, top, right, bottom, word, size) in enumerate(words):
            if size < 5.6:
                problems.append(f"page {number}: {word!r} is {size:.1f} pt high")
            for other_left, other_top, other_right, other_bottom, other, _size in words[i + 1 :]:
                if other_left > right - 0.5:
                    break
                across = min(right, other_right) - max(left, other_left)
                down = min(bottom, other_bottom) - max(top, other_top)
                if across > 0.5 and down > 0.25 * min(bottom - top, other_bottom - other_top):
                    problems.append(f"page {number}: {word!r} and {other!r} overlap")
    return problems


def test_no_two_words_overlap_and_none_is_set_under_6_pt_maps_included(built_pdf):
    _, latex, _ = built_pdf
    tex = (latex / "missiekaart.tex").read_text(encoding="utf-8")
    assert tex.count(r"\missiekaartmap{") >= 2  # the comparison's map and the organisations' own
    assert word_problems(latex / "missiekaart.pdf") == []
