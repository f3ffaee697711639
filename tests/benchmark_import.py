"""Import benchmark: every class of hostile input at the same size, against plain prose.

Run with ``.venv/bin/python tests/benchmark_import.py [--mb 1] [--classes prose bullets ...] [--timeout 120]
[--repeat 3]``.

For each class a source text of about the given size is generated (deterministically) and run
through what ``missiekaart import`` does with it: the importer (:func:`missiekaart.importer.import_text`),
the draft cards (:func:`missiekaart.importer.draft.draft_cards`, with an empty vocabulary) and
``check-source`` (:func:`missiekaart.importer.checksource.check_source`). ``check-source`` reads a built HTML
page; building one takes Sphinx, so the benchmark renders the imported page with MyST's own
markdown-it parser and HTML renderer instead, as a stand-in (its footnotes are marked up unlike
Sphinx's, so a page with footnotes may report words out of order; only the time counts here).

It prints a Markdown table: class, its format, size, seconds (import, drafts, check, total), seconds
per MB, the ratio of the total to plain prose's, and the ratio to the prose of its own format (a
Markdown class against ``prose-markdown``: markdown-it reads Markdown prose about four times slower
than the plain-text passes read plain prose, a cost of the format, not of the input's shape). Each
stage's time is the best of ``--repeat`` runs (default 3). Each class runs in a child process that is
stopped after ``--timeout`` seconds (shown as ``> T``). Not a test: pytest does not collect it, and
nothing here asserts a time; ``tests/importer/test_benchmark_import.py`` runs its functions at a
small size.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from missiekaart.core.vocabulary import Vocabulary
from missiekaart.importer import import_text, is_markdown
from missiekaart.importer.checksource import check_source
from missiekaart.importer.draft import draft_cards
from missiekaart.importer.sourcefile import read_source

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


# The prose each format's classes are compared with (a class's format is its file's: Markdown or text).
FORMAT_PROSE = {"markdown": "prose-markdown", "text": "prose"}


@dataclass
class Result:
    name: str
    format: str  # "markdown" or "text": how the importer reads the class's file
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
        "markdown" if is_markdown(source) else "text",
        len(text.encode()),
        len(page),
        imported - start,
        drafted - imported,
        checked - checked_from,
    )


def best_of(results: list[Result]) -> Result:
    """One result with each stage's shortest time over *results* (runs of one class)."""
    return replace(
        results[0],
        import_seconds=min(result.import_seconds for result in results),
        draft_seconds=min(result.draft_seconds for result in results),
        check_seconds=min(result.check_seconds for result in results),
    )


def _child(name: str, size: int, repeat: int, queue: multiprocessing.Queue[Result]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_class("prose-markdown", 2_000, Path(folder))  # warm up: imports, parsers, caches
        queue.put(best_of([run_class(name, size, Path(folder)) for _ in range(repeat)]))


def run_with_timeout(name: str, size: int, timeout: float, repeat: int = 1) -> Result | None:
    """The best of *repeat* runs of :func:`run_class` in a child process; ``None`` if they did not
    finish within *timeout* seconds."""
    queue: multiprocessing.Queue[Result] = multiprocessing.Queue()
    process = multiprocessing.Process(target=_child, args=(name, size, repeat, queue))
    process.start()
    try:
        return queue.get(timeout=timeout)
    except Exception:  # queue.Empty: too slow (or the child failed, and said so on stderr)
        return None
    finally:
        process.kill()
        process.join()


def table(results: list[tuple[str, Result | None]], size: int, timeout: float) -> str:
    """The results as a Markdown table, with each class's ratios to plain prose and to its format's prose."""
    found = {name: result for name, result in results if result is not None}

    def ratio(result: Result, baseline: str) -> str:
        base = found.get(baseline)
        return f"{result.seconds / base.seconds:.2f}" if base and base.seconds else ""

    lines = [
        "| class | format | size | import s | drafts s | check s | total s | s per MB | ratio to prose "
        "| ratio to its format's prose |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, result in results:
        if result is None:
            lines.append(f"| {name} | | {size / MB:.2f} MB | | | | > {timeout:g} | | | |")
            continue
        lines.append(
            f"| {name} | {result.format} | {result.size / MB:.2f} MB | {result.import_seconds:.2f} | "
            f"{result.draft_seconds:.2f} | {result.check_seconds:.2f} | {result.seconds:.2f} | "
            f"{result.seconds / (result.size / MB):.2f} | {ratio(result, 'prose')} | "
            f"{ratio(result, FORMAT_PROSE[result.format])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--mb", type=float, default=1.0, help="size of each generated source in MB (default 1)")
    parser.add_argument("--classes", nargs="+", choices=list(CLASSES), default=list(CLASSES))
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a class may take (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each class; the best counts (default 3)")
    args = parser.parse_args(argv)
    size = int(args.mb * MB)
    baselines = [name for name in FORMAT_PROSE.values() if name not in args.classes]
    names = [*baselines, *args.classes]
    results: list[tuple[str, Result | None]] = []
    for name in names:
        result = run_with_timeout(name, size, args.timeout, args.repeat)
        results.append((name, result))
        shown = f"{result.seconds:.2f} s" if result else f"> {args.timeout:g} s"
        print(f"{name}: {shown}", file=sys.stderr, flush=True)
    print(table(results, size, args.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
