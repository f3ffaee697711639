"""Import benchmark: every class of hostile input at the same size, against plain prose.

Run with ``.venv/bin/python tests/benchmark_import.py [--mb 1] [--classes prose bullets ...] [--timeout 120]``.

For each class a source text of about the given size is generated (deterministically) and run
through what ``missiekaart import`` does with it: the importer (:func:`missiekaart.importer.import_text`),
the draft cards (:func:`missiekaart.draft.draft_cards`, with an empty vocabulary) and
``check-source`` (:func:`missiekaart.checksource.check_source`). ``check-source`` reads a built HTML
page; building one takes Sphinx, so the benchmark renders the imported page with MyST's own
markdown-it parser and HTML renderer instead, as a stand-in (its footnotes are marked up unlike
Sphinx's, so a page with footnotes may report words out of order; only the time counts here).

It prints a Markdown table: class, size, seconds (import, drafts, check, total), seconds per MB and
the ratio of the total to plain prose's. Each class runs in a child process that is stopped after
``--timeout`` seconds (shown as ``> T``). Not a test: pytest does not collect it, and nothing here
asserts a time; ``tests/importer/test_benchmark_import.py`` runs its functions at a small size.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from missiekaart.checksource import check_source
from missiekaart.draft import draft_cards
from missiekaart.importer import import_text
from missiekaart.sourcefile import read_source
from missiekaart.vocabulary import Vocabulary

MB = 1_000_000
_TEXT = (
    "wij begeleiden mensen met een beperking naar werk wonen en een zinvolle dagbesteding samen met hun "
    "netwerk vanuit respect voor ieders eigenheid draagkracht en talent de organisatie werkt in de regio "
    "aan inclusie participatie en zelfredzaamheid kwetsbare gezinnen krijgen zorg op maat"
)
_WORDS = _TEXT.split()


def _sentence(rng: random.Random, words: int = 12) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _fill(size: int, piece: Callable[[int], str], head: str = "") -> str:
    """*head*, then pieces (numbered from 0) until the text has about *size* bytes."""
    parts = [head]
    total = len(head.encode())
    index = 0
    while total < size:
        part = piece(index)
        parts.append(part)
        total += len(part.encode())
        index += 1
    return "".join(parts)


def _wrapped(text: str, width: int = 72) -> str:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def prose(size: int) -> tuple[str, str]:
    """Plain paragraphs of wrapped sentences: the baseline."""
    rng = random.Random(1)
    return "prose.txt", _fill(size, lambda i: _wrapped(" ".join(_sentence(rng) for _ in range(5))) + "\n\n")


def prose_markdown(size: int) -> tuple[str, str]:
    """A static-site export: front matter, sections, paragraphs with emphasis and links."""
    rng = random.Random(2)

    def piece(i: int) -> str:
        head = f"## Sectie {i}\n\n" if i % 5 == 0 else ""
        words = _sentence(rng).split()
        words[2] = f"*{words[2]}*"
        words[5] = f"[{words[5]}](https://example.org/{i})"
        return head + _wrapped(" ".join(words) + " " + _sentence(rng)) + "\n\n"

    return "prose.md", _fill(size, piece, "---\ntitle: Voorbeeld\ndescription: Een organisatie\n---\n\n")


def bullets(size: int) -> tuple[str, str]:
    """One long list of short bullet items."""
    rng = random.Random(3)
    return "bullets.txt", _fill(size, lambda i: f"• {_sentence(rng, 3)}\n", "Wij bieden:\n\n")


def nested_lists(size: int) -> tuple[str, str]:
    """Lists nested by indent and by marker, going down to 15 levels and back up."""
    rng = random.Random(4)
    glyphs = "•-*▪o–"

    def piece(i: int) -> str:
        depth = abs(i % 30 - 15)
        return "  " * depth + f"{glyphs[depth % len(glyphs)]} {_sentence(rng, 4)}\n"

    return "nested.txt", _fill(size, piece, "Onze diensten\n\n")


def emphasis_runs(size: int) -> tuple[str, str]:
    """One paragraph of ``*w **w`` runs: stars that open and never close."""
    return "emphasis.txt", _fill(size, lambda i: f"*w **w{' ' if i % 10 else chr(10)}", "Tekst ")


def long_lines(size: int) -> tuple[str, str]:
    """Lines of 100 KB each: sentences without a line break."""
    rng = random.Random(5)
    return "long-lines.txt", _fill(size, lambda i: _fill(100_000, lambda j: _sentence(rng) + " ") + "\n\n")


def space_runs(size: int) -> tuple[str, str]:
    """Headings and text with runs of spaces of 20 KB inside them."""
    spaces = " " * 20_000

    def piece(i: int) -> str:
        return (f"# a{spaces}b\n\n", f"Tekst{spaces}met ruimte.\n\n", f"- item{spaces}\n\n")[i % 3]

    return "spaces.txt", _fill(size, piece, "Titel\n\n")


def numbered_paragraphs(size: int) -> tuple[str, str]:
    """A page, a form feed, then paragraphs numbered ``1.`` and ``1`` (a footnote's look) between blank lines."""
    return "numbered.txt", _fill(
        size, lambda i: f"1{'.' if i % 2 else ''} Een genummerde paragraaf met wat tekst erin.\n\n", "Inleiding\n\f"
    )


def repeated_footers(size: int) -> tuple[str, str]:
    """Pages (form feeds) that each end in the same footer of 24 KB: numbers and dashes, then a name."""
    rng = random.Random(6)
    footer = "12.34 / 56-78 " * 1700 + "Stichting Voorbeeld"  # about 24 KB

    def piece(i: int) -> str:
        return f"{_wrapped(_sentence(rng))}\n\n{footer}\n\f"

    return "footers.txt", _fill(size, piece, "Jaarverslag\n\n")


def unclosed_templates(size: int) -> tuple[str, str]:
    """A Markdown body of ``{{ `` that never close."""
    return "templates.md", _fill(size, lambda i: "{{ " if i % 20 else "{{ woord\n", "---\ntitle: x\n---\n")


CLASSES: dict[str, Callable[[int], tuple[str, str]]] = {
    "prose": prose,
    "prose-markdown": prose_markdown,
    "bullets": bullets,
    "nested-lists": nested_lists,
    "emphasis-runs": emphasis_runs,
    "long-lines": long_lines,
    "space-runs": space_runs,
    "numbered-paragraphs": numbered_paragraphs,
    "repeated-footers": repeated_footers,
    "unclosed-templates": unclosed_templates,
}


@dataclass
class Result:
    name: str
    size: int  # bytes of the source
    page: int  # characters of the imported page
    import_seconds: float
    draft_seconds: float
    check_seconds: float

    @property
    def seconds(self) -> float:
        return self.import_seconds + self.draft_seconds + self.check_seconds


def html_stand_in(page: str) -> str:
    """The imported page as HTML by MyST's markdown-it parser, in a ``<main>``: a built page's stand-in."""
    body = create_md_parser(MdParserConfig(), RendererHTML).render(page)
    return f"<html><body><main>{body}</main></body></html>"


def run_class(name: str, size: int, folder: Path) -> Result:
    """Generate class *name* at *size* bytes in *folder*, import it, draft its cards and check it."""
    filename, text = CLASSES[name](size)
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    source = read_source(path)
    start = time.perf_counter()
    page, _doc = import_text(source, "Voorbeeld")
    imported = time.perf_counter()
    draft_cards(page, Vocabulary([]))
    drafted = time.perf_counter()
    html = folder / f"{name}.html"
    html.write_text(html_stand_in(page), encoding="utf-8")
    checked_from = time.perf_counter()
    check_source(source, html)
    checked = time.perf_counter()
    return Result(
        name,
        len(text.encode()),
        len(page),
        imported - start,
        drafted - imported,
        checked - checked_from,
    )


def _child(name: str, size: int, queue: multiprocessing.Queue[Result]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_class("prose-markdown", 2_000, Path(folder))  # warm up: imports, parsers, caches
        queue.put(run_class(name, size, Path(folder)))


def run_with_timeout(name: str, size: int, timeout: float) -> Result | None:
    """:func:`run_class` in a child process; ``None`` if it did not finish within *timeout* seconds."""
    queue: multiprocessing.Queue[Result] = multiprocessing.Queue()
    process = multiprocessing.Process(target=_child, args=(name, size, queue))
    process.start()
    try:
        return queue.get(timeout=timeout)
    except Exception:  # queue.Empty: too slow (or the child failed, and said so on stderr)
        return None
    finally:
        process.kill()
        process.join()


def table(results: list[tuple[str, Result | None]], size: int, timeout: float) -> str:
    baseline = next((result for name, result in results if name == "prose" and result), None)
    lines = [
        "| class | size | import s | drafts s | check s | total s | s per MB | ratio to prose |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, result in results:
        if result is None:
            lines.append(f"| {name} | {size / MB:.2f} MB | | | | > {timeout:g} | | |")
            continue
        ratio = f"{result.seconds / baseline.seconds:.2f}" if baseline and baseline.seconds else ""
        lines.append(
            f"| {name} | {result.size / MB:.2f} MB | {result.import_seconds:.2f} | {result.draft_seconds:.2f} | "
            f"{result.check_seconds:.2f} | {result.seconds:.2f} | {result.seconds / (result.size / MB):.2f} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--mb", type=float, default=1.0, help="size of each generated source in MB (default 1)")
    parser.add_argument("--classes", nargs="+", choices=list(CLASSES), default=list(CLASSES))
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a class may take (default 300)")
    args = parser.parse_args(argv)
    size = int(args.mb * MB)
    names = args.classes if "prose" in args.classes else ["prose", *args.classes]
    results: list[tuple[str, Result | None]] = []
    for name in names:
        result = run_with_timeout(name, size, args.timeout)
        results.append((name, result))
        shown = f"{result.seconds:.2f} s" if result else f"> {args.timeout:g} s"
        print(f"{name}: {shown}", file=sys.stderr, flush=True)
    print(table(results, size, args.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
