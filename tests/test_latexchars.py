"""The one escape for LaTeX (missiekaart.extension.latexchars): every character pdflatex cannot set has a
fallback, and the list of those it can is what TeX Live really sets with the project's preamble."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp
from test_pdf import make_pdf_of, pdf_pages, write_files

from missiekaart.extension.latexchars import DATA, escape, replace_unsettable, settable

from conftest import write_project


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("Samen sterk 💪", r"Samen sterk \missiekaartglyph{1F4AA}"),
        ("a\u200bb\u202ec\x85d\ufe0f", "abcd"),  # invisible: left out
        ("e\u0301", "é"),  # composed first
        ("é ë ï “x” – €", r"é ë ï “x” \textendash{} \texteuro{}"),
        (r"\input{/etc/x} 100% #1 $5 {x}", r"\textbackslash{}input\{/etc/x\} 100\% \#1 \$5 \{x\}"),
        ("Привет", "".join(rf"\missiekaartglyph{{{ord(c):04X}}}" for c in "Привет")),
    ],
)
def test_escape_sets_what_it_can_and_frames_what_it_cannot(text, latex):
    assert escape(text) == latex


@settings(max_examples=300, derandomize=True)
@given(st.text())
def test_escape_leaves_no_character_pdflatex_cannot_set(text):
    """Outside the fallback macro, every character of the escape is ASCII or one pdflatex sets."""
    out = re.sub(r"\\missiekaartglyph\{[0-9A-F]+\}", "", escape(text))
    assert all(ord(char) < 0x80 or ord(char) in settable() for char in out)
    assert not any(char in out for char in "\x00\x0b\x7f")


def test_other_engines_get_the_plain_escape():
    assert escape("Samen 💪 {x}", "xelatex") == r"Samen 💪 \{x\}"


def candidates() -> list[int]:
    """Every character above ASCII the encodings pdflatex loads declare (and a few more)."""
    points: set[int] = set(range(0xA0, 0x250)) | set(range(0x2000, 0x2070))
    for name in ("t1enc.dfu", "ts1enc.dfu", "ot1enc.dfu", "omsenc.dfu", "utf8enc.dfu"):
        path = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=False).stdout.strip()
        if path:
            text = Path(path).read_text(encoding="latin-1")
            points |= {int(code, 16) for code in re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-F]+)\}", text)}
    return sorted(points)


def test_the_list_of_settable_characters_is_what_pdflatex_sets(tmp_path):
    """Compile each candidate after the project's own preamble; those without an error are the list.
    ``MISSIEKAART_UPDATE_LATEX_CHARS=1`` rewrites the list after a TeX Live or preamble change."""
    if shutil.which("pdflatex") is None or shutil.which("kpsewhich") is None:
        pytest.fail("this test needs TeX Live (pdflatex, kpsewhich); see README.md", pytrace=False)
    srcdir = tmp_path / "project"
    write_project(srcdir)
    (srcdir / "index.md").write_text("# Tekens\n\nTekst.\n", encoding="utf-8")
    app = SphinxTestApp("latex", srcdir=srcdir, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = Path(app.outdir)
    tex = next(outdir.glob("*.tex")).read_text(encoding="utf-8")
    preamble = tex[: tex.index(r"\begin{document}")]
    points = candidates()
    lines = [preamble, r"\begin{document}"]
    first = len("\n".join(lines).split("\n")) + 1
    lines += [f"X{chr(point)}X\\par" for point in points] + [r"\end{document}"]
    (outdir / "tekens.tex").write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "tekens.tex"],
        cwd=outdir,
        capture_output=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    log = (outdir / "tekens.log").read_text(encoding="latin-1")
    failed = {points[int(line) - first] for line in re.findall(r"^l\.(\d+) ", log, re.MULTILINE)}
    works = [point for point in points if point not in failed]
    assert len(works) > 300 and "Emergency stop" not in log
    if os.environ.get("MISSIEKAART_UPDATE_LATEX_CHARS"):
        header = [line for line in DATA.read_text(encoding="ascii").splitlines() if line.startswith("#")]
        ranges: list[list[int]] = []
        for point in works:
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
        body = [f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in ranges]
        DATA.write_text("\n".join(header + body) + "\n", encoding="ascii")
        settable.cache_clear()
    assert sorted(settable() & set(points)) == works


def test_latex_already_written_gets_the_fallback_and_nothing_else():
    """Pygments' highlighted code: its macros and braces stay, the characters pdflatex cannot set go."""
    assert replace_unsettable(r"\PYG{n}{print}(\PYG{l+s+s2}{\PYGZdq{}🙂 é\PYGZdq{}})") == (
        r"\PYG{n}{print}(\PYG{l+s+s2}{\PYGZdq{}\missiekaartglyph{1F642} é\PYGZdq{}})"
    )
    assert replace_unsettable("🙂", "lualatex") == "🙂"


LONG_LINE = "een heel lange regel die zeker moet afbreken omdat ze veel te lang is voor de breedte van de bladzijde"
EMOJI_PROJECT = {
    "conf.py": 'project = "Emoji"\nextensions = ["myst_parser", "missiekaart"]\nlanguage = "nl"\nnitpicky = True\n'
    'missiekaart_organisations = "orgs"\nmissiekaart_min_concepts = 0\nmissiekaart_min_organisations = 1\n'
    "missiekaart_min_value_cards = 0\nmissiekaart_definition_sentences = (1, 99)\n"
    'source_suffix = {".md": "markdown"}\nlatex_show_pagerefs = True\n',
    "index.md": "# Emoji\n\nInleiding.\n\n```{toctree}\n:caption: Organisaties\n:glob:\n\norgs/*\n```\n\n"
    "```{toctree}\n:caption: Begrippen\n\nnetwerk\nvergelijking\n```\n",
    "netwerk.md": "# Netwerk\n\n```{concept} netwerk\n:title: Sociaal netwerk 🤝\n\nDe mensen rond iemand.\n```\n",
    "vergelijking.md": "# Vergelijking\n\n```{concept-matrix}\n```\n\n```{concept-map}\n```\n",
    "orgs/a.md": "# Org 🌱 A\n\n```{mission-card}\n:region: Oost-Vlaanderen 🇧🇪\n:concepts: netwerk\n\n"
    "We bouwen een netwerk 🌍 met 中文 en кириллица.\n```\n\n"
    "```{value-card} Samen 💪 sterk\n:concepts: netwerk\n\nSamen.\n```\n\n"
    "Tekst met een {concept}`netwerk <netwerk>` en `code 🙂 inline`.\n\n"
    f"```\nblok 🙂 {LONG_LINE}\n```\n\n```python\nprint('🙂')  # {LONG_LINE}\n```\n",
}


def test_characters_pdflatex_cannot_set_print_through_the_fallback_everywhere(tmp_path):
    """An emoji or a rare script in an organisation's name, a card's title and field, its text, a
    concept's name, inline code and code blocks (plain and highlighted): ``make pdf`` goes on, and
    the PDF shows each as its code point. Long code lines wrap without the red visible-space and
    hooked-arrow marks."""
    write_files(tmp_path, EMOJI_PROJECT)
    result = make_pdf_of(tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    text = "\n".join(pdf_pages(tmp_path / "_build" / "latex" / "emoji.pdf"))
    flat = " ".join(text.split())
    for shown in (
        "Org U+1F331 A",  # the organisation's name (title, running head, table of contents, matrix)
        "Samen U+1F4AA sterk",  # a card's title
        "Oost-Vlaanderen U+1F1E7 U+1F1EA",  # a card's field
        "netwerk U+1F30D met U+4E2D U+6587 en U+043A",  # running text, Chinese, Cyrillic
        "Sociaal netwerk U+1F91D",  # a concept's name
        "code U+1F642 inline",
        "blok U+1F642 een heel lange",
        "print(' U+1F642 ')",
    ):
        assert shown in flat, shown
    assert not set("\u2423\u21aa\u02d3") & set(text), "code lines wrap with visible marks"
    assert text.count("een heel lange regel") == 2 and "breedte van de bladzijde" in flat  # wrapped, whole
