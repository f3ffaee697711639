"""The project whose real site the invariant tests check, and what it holds, found in its files.

That is the project in ``MISSIEKAART_ROOT``. tests/conftest.py sets it, before any test module is
imported, to a copy of this repository with the organisations of tests/test_add_organisation.py
added; set it yourself to test another project as it is (``MISSIEKAART_ROOT=.``: this repository).
Nothing here lists today's organisations or concepts; everything is discovered from
``docs/organisations/``, ``docs/concepts/`` and ``source_texts/``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parent.parent
PROJECT = Path(os.environ.get("MISSIEKAART_ROOT") or REPOSITORY).resolve()
DOCS = PROJECT / "docs"
ORGANISATIONS = DOCS / "organisations"
CONCEPTS = DOCS / "concepts"
SOURCE_TEXTS = PROJECT / "source_texts"

# The rule the contributor guide states: an organisation carries at least this many concepts.
MIN_CONCEPTS_PER_ORGANISATION = 5


def organisation_pages() -> list[Path]:
    return sorted(ORGANISATIONS.glob("*.md"))


def concept_pages(concepts: Path = CONCEPTS) -> list[Path]:
    return sorted(page for page in concepts.glob("*.md") if page.stem != "index")


def concept_ids(concepts: Path = CONCEPTS) -> list[str]:
    """The ids of every ``{concept}`` directive on the concept pages (in *concepts*), sorted."""
    fence = re.compile(r"^(?:`{3,}|:{3,})\{concept\}\s+(\S+)", re.MULTILINE)
    return sorted(
        match.group(1) for page in concept_pages(concepts) for match in fence.finditer(page.read_text(encoding="utf-8"))
    )


def front_matter(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{page} has no front matter"
    return yaml.safe_load(text.split("---\n", 2)[1])


# A line of running text that holds no Markdown or MyST markup, and one plain word in it.
_PLAIN_LINE = re.compile(r"^[^\s#\-\d`{}\\*_\[\]<>|:!~=+](?:[^`{}\\*_\[\]<>|]*)$")
_PLAIN_WORD = re.compile(r"(?<=\s)([^\W\d_]{6,})(?=\s)")


def link_a_plain_word(markdown: str, concept_id: str) -> tuple[str, str]:
    """Link the first plain word of the page's running text (below its cards) to *concept_id*.

    Returns the new page and the linked word. This is what a contributor does by hand with
    ``{concept}`word <id>```; any organisation page has such a word.
    """
    lines = markdown.split("\n")
    fences = [number for number, line in enumerate(lines) if line.startswith("```")]
    start = fences[-1] + 1 if fences else 0  # below the last card
    for number in range(start, len(lines)):
        if _PLAIN_LINE.match(lines[number]) and (match := _PLAIN_WORD.search(f" {lines[number]} ")):
            word, line = match.group(1), lines[number]
            start, end = match.start(1) - 1, match.end(1) - 1  # the match is in " " + line + " "
            lines[number] = f"{line[:start]}{{concept}}`{word} <{concept_id}>`{line[end:]}"
            return "\n".join(lines), word
    raise AssertionError("the page has no plain word in its running text to link")


def run_make(
    target: str, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``make <target> <args>`` as a contributor runs it, in the project under test (or *cwd*): its
    output captured, its exit status returned, never raised."""
    return subprocess.run(
        ["make", "--no-print-directory", target, *args],
        cwd=cwd or PROJECT,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env=env,
    )
