"""The mechanisms that made a pass super-linear (issue 22), each on an input of the class that showed it.

Every test states what the importer makes of the input; none measures time. The inputs are large
enough that the old mechanism took seconds to minutes on them, so a regression shows as a slow test.
"""

from __future__ import annotations

from pathlib import Path

from missiekaart.importer import import_text, pages
from missiekaart.importer.model import Document
from missiekaart.sourcefile import SourceText


def source(text: str, name: str = "bron.txt") -> SourceText:
    lines = [(number, line) for number, line in enumerate(text.split("\n"), 1)]
    return SourceText(Path(name), "utf-8", {}, lines)


def imported(text: str, name: str = "bron.txt") -> tuple[str, Document]:
    return import_text(source(text, name), "Testorganisatie")


def body(page: str) -> str:
    """The page after its metadata and title."""
    return page.split("# Testorganisatie\n\n", 1)[1]


# pages.py: _debris_reason


def test_a_long_footer_of_number_marks_and_a_name_is_a_running_footer():
    """One regular expression with a run of marks on either side of an optional word tried every split."""
    footer = "12.34 / 56-78 " * 1700 + "Stichting Voorbeeld"
    numbers = "12.34 / 56-78 " * 1700
    _, doc = imported(f"Eerste pagina.\n\n{footer}\n{numbers}\n\fTweede pagina.\n\n{footer}\n{numbers}\n")
    assert [(item.line, item.reason) for item in doc.dropped] == [
        (3, "running footer"),
        (4, "page number"),
        (7, "running footer"),
        (8, "page number"),
    ]
    assert pages._debris_reason("# - pagina #" + " #" * 5000, top=True) == "page number"
    assert pages._debris_reason("# - pagina #" + " #" * 5000 + "x", top=False) == "running footer"


# footnotes.py: _parse_area, _last_area


def test_paragraphs_numbered_like_footnotes_are_read_once_each():
    """Each candidate note area copied and searched all the text before it for its marker."""
    paragraphs = "\n\n".join("1 Een genummerde paragraaf met wat tekst erin." for _ in range(3000))
    page, doc = imported(f"Inleiding zonder noten.\n\f{paragraphs}\n")
    assert doc.footnotes == ()
    assert body(page).count("1 Een genummerde paragraaf") == 3000
    # With a marker, the lowest area that starts with note 1 is the note: the last paragraph.
    page, doc = imported(f"Inleiding over de overheid1 en meer.\n\f{paragraphs}\n")
    assert [(note.label, note.marker.line, [line.no for line in note.lines]) for note in doc.footnotes] == [
        ("1", 1, [6000])
    ]
    assert body(page).count("1 Een genummerde paragraaf") == 2999
    assert page.endswith("[^1]: Een genummerde paragraaf met wat tekst erin.\n")


def letters(number: int) -> str:
    """A word made of *number*'s digits as letters: pages that differ in more than their numbers."""
    return "".join(chr(ord("a") + int(digit)) for digit in str(number))


def test_many_footnotes_on_many_pages_are_each_linked():
    pages_text = [
        f"Een zin over {letters(number)} en de overheid{number} en verder.\n\n{number} Via {letters(number)}."
        for number in range(1, 901)
    ]
    page, doc = imported("\n\f".join(pages_text) + "\n")
    assert [note.label for note in doc.footnotes] == [str(number) for number in range(1, 901)]
    assert body(page).count("overheid[^") == 900
