"""Build benchmark: the project against a stub baseline, on generated corpora of N organisations.

Run with ``.venv/bin/python tests/benchmark_build.py --orgs 50 200 1000 [--repeat R] [--jobs J]
[--corpus generated|near-duplicates] [--variants project stub]``.
For each N, in one run, a corpus is generated (tests/corpus.py, fixed seed; or, with ``--corpus
near-duplicates``, copies of five of its organisations, hundreds sharing the same concepts:
tests/near_duplicates.py) and built twice over: with the real extension ("project") and with
tests/stub_extension ("stub": the same directive and role names rendered as plain paragraphs, so it
costs what Sphinx, MyST and Furo cost; ``--variants project`` leaves it out, and the ratios with it).
The project gets a clean ``-j 1`` build, then incremental builds of its output: nothing changed, one
organisation edited (a mention linked), one concept's title edited, one organisation added, one more
added whose name comes first in the alphabet (where ties in the related lists went by name, it entered
every list it tied in), one removed. Each is made three times (``--incremental-repeat``), each after a
change of its own of that kind, and the median reported with every time in the notes: on a shared
machine one build's time moves by a third (the same "nothing changed" build of 10,000 organisations
took 2.0 s and 3.3 s ten minutes apart, while the machine's memory manager reclaimed the files' page
cache). Then a clean ``-j J`` build of the tree the changes left, whose
output must equal the incremental builds' (pages, export, the search index decoded: tests/staleness.py),
said in its notes. The stub gets its clean ``-j 1`` build, the baseline (``--stub-incremental``: the
rest too). Every build is a ``sphinx-build --keep-going -n`` subprocess (tests/sphinxrun.py).

Reported per build: wall time (median of R), its ratio to the stub's clean ``-j 1`` at the same N,
documents read, HTML pages written (by mtime; genindex and search left out), peak RSS of the build's
largest process, output size, the largest overview page and the largest other page after the build
(each flagged when over issue 26's bounds, 400 KB and 150 KB: sphinxrun.LIMITS), and warnings or a
"config changed" reason if Sphinx gave one; the pages each incremental build wrote, counted by folder.
Then the growth of each time from one N to the next. The extension's and the stub's bytecode is
compiled first, as a contributor's Python caches it in the first build (where PYTHONDONTWRITEBYTECODE
is set, as on CI machines, every build would compile about 90 modules again, 0.2 s). Ratios are
taken within one run, so they mean something on any machine; seconds are for reference only.
Not a test: pytest does not collect it, and nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import os
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus import (
    Corpus,
    add_organisation,
    edit_concept,
    edit_organisation,
    remove_organisation,
    rename_organisation,
    write_corpus,
)
from near_duplicates import GENERATED, KINDS, NEAR_DUPLICATES, write_near_duplicate_corpus
from sphinxrun import LIMITS, BuildResult, PageFigures, build, largest_pages, output_size, over_limit, page_figures
from staleness import compare, compare_search

import missiekaart
from missiekaart.build.searchindex import INDEX_FOLDER

TESTS = Path(__file__).resolve().parent
STUB = TESTS / "stub_extension"
SEED = 0
VARIANTS = ("project", "stub")
BASELINE = ("stub", "clean -j 1")


@dataclass
class Measure:
    seconds: list[float]
    read: int
    written: int
    peak_rss: int
    output: int
    largest: dict[str, tuple[str, int]]  # "overview" and "other" -> the largest page of that kind
    notes: str
    pages: PageFigures | None = None  # after the project's clean -j 1 build only
    stale: list[str] | None = None  # the parallel clean build against the incremental output: what differs
    pickle: int = 0  # bytes of the saved environment (.doctrees/environment.pickle) after the build
    search: int = 0  # bytes of the Pagefind index (its bundles and manifest) after the build
    written_pages: tuple[str, ...] = ()  # the HTML pages the build wrote

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def absorb(self, other: Measure) -> None:
        """One more run of the same build: every time kept, the highest memory and counts, and the
        pages of the run that wrote the most (so the pages by folder are the run the count is of)."""
        self.seconds += other.seconds
        self.peak_rss = max(self.peak_rss, other.peak_rss)
        self.read = max(self.read, other.read)
        if other.written > self.written:
            self.written, self.written_pages = other.written, other.written_pages


def stub_options(root: Path) -> list[str]:
    """``-D extensions=...``: the project's own extensions, with the stub in place of missiekaart."""
    namespace: dict[str, object] = {"__file__": str(root / "conf.py")}
    exec(compile((root / "conf.py").read_text(encoding="utf-8"), str(root / "conf.py"), "exec"), namespace)
    extensions = [("missiekaart_stub" if name == "missiekaart" else name) for name in namespace.get("extensions", [])]  # type: ignore[union-attr]
    return ["-D", f"extensions={','.join(extensions)}"]


def stub_env() -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(STUB), os.environ.get("PYTHONPATH", "")]))}


def notes(result: BuildResult) -> str:
    parts = []
    if result.returncode:
        parts.append(f"exit {result.returncode}")
    if result.warnings:
        parts.append(f"{len(result.warnings)} warnings")
    if result.config_reason and result.config_reason != "new config":
        parts.append(result.config_reason)
    if result.config_changed:
        parts.append(f"config changed: {result.config_changed}")
    return "; ".join(parts)


def most_shared(corpus: Corpus) -> str:
    return corpus.uses().most_common(1)[0][0]


def retitle(corpus: Corpus) -> None:
    concept = most_shared(corpus)
    title = next(entry.title for entry in corpus.concepts if entry.id == concept)
    edit_concept(corpus, concept, title=f"{title} herzien")


def add_first_by_name(corpus: Corpus) -> None:
    """An organisation added whose name comes first in the alphabet: where ties went by name, it
    entered every list in which it scored as much as the last one listed."""
    organisation = add_organisation(corpus)
    rename_organisation(corpus, organisation.slug, f"Aa {organisation.name}")


# The incremental builds, in order, each after the change it names; each builds on the one before.
CHANGES: list[tuple[str, Callable[[Corpus], object]]] = [
    ("nothing changed", lambda corpus: None),
    ("organisation edited", edit_organisation),
    ("concept title edited", retitle),
    ("organisation added", add_organisation),
    ("organisation added, named first", add_first_by_name),
    ("organisation removed", remove_organisation),
]


def measured(result: BuildResult, outdir: Path) -> Measure:
    """The figures of one build, the output's taken right after it."""
    pages = largest_pages(outdir)
    flags = [f"OVER THE BOUND: {page}" for page in over_limit(pages)]
    pickle = outdir / ".doctrees" / "environment.pickle"
    return Measure(
        [result.seconds],
        result.read,
        len(result.written),
        result.peak_rss,
        output_size(outdir),
        pages,
        "; ".join(filter(None, [notes(result), *flags])),
        pickle=pickle.stat().st_size if pickle.is_file() else 0,
        search=sum(path.stat().st_size for path in (outdir / INDEX_FOLDER).rglob("*") if path.is_file()),
        written_pages=result.written,
    )


def run_variant(
    workdir: Path,
    organisations: int,
    variant: str,
    jobs: int,
    kind: str = GENERATED,
    stub_incremental: bool = False,
    skip: frozenset[str] = frozenset(),
    incremental_repeat: int = 1,
) -> dict[str, Measure]:
    """Every build of one variant at one N, on a fresh corpus of *kind*, by name (the stub's clean
    ``-j 1`` build only, unless *stub_incremental*); each incremental build *incremental_repeat*
    times, each after a change of its own."""
    write = write_near_duplicate_corpus if kind == NEAR_DUPLICATES else write_corpus
    corpus = write(workdir / "project", organisations, SEED)
    options = stub_options(corpus.root) if variant == "stub" else []
    env = stub_env() if variant == "stub" else None
    serial, parallel = workdir / "serial", workdir / "parallel"

    def run(outdir: Path, jobs_: int) -> Measure:
        return measured(build(corpus.root, outdir, jobs_, options, env), outdir)

    results = {"clean -j 1": run(serial, 1)}
    if variant == "stub" and not stub_incremental:  # the baseline is the stub's clean -j 1 build
        return results
    if variant == "project":
        results["clean -j 1"].pages = page_figures(serial)
    for name, change in CHANGES:
        if name in skip:
            continue
        for _ in range(incremental_repeat):  # each time a change of its own, of the same kind
            change(corpus)
            m = run(serial, 1)
            if name in results:
                results[name].absorb(m)
            else:
                results[name] = m
    # The parallel build is a clean build of the project as the changes left it (one organisation
    # more than the -j 1 build had): the incremental output must be its output, page for page.
    results[f"clean -j {jobs}"] = run(parallel, jobs)
    results[f"clean -j {jobs}"].stale = stale(serial, parallel)
    return results


def stale(incremental: Path, clean: Path) -> list[str]:
    """What differs between the output of the incremental builds and a clean build of the same tree:
    pages, the export and the search index (decoded), as tests/test_never_stale.py compares them."""
    differing, leftover, missing = compare(incremental, clean)
    search = compare_search(incremental, clean)
    return [
        f"{len(names)} {label}: {', '.join(names[:5])}"
        for label, names in (
            ("differ", differing),
            ("left behind", leftover),
            ("missing", missing),
            ("indexed otherwise", search),
        )
        if names
    ]


def measure(
    sizes: list[int],
    repeat: int,
    jobs: int,
    kind: str = GENERATED,
    variants: tuple[str, ...] = VARIANTS,
    stub_incremental: bool = False,
    skip: frozenset[str] = frozenset(),
    incremental_repeat: int = 1,
) -> dict[tuple[int, str, str], Measure]:
    table: dict[tuple[int, str, str], Measure] = {}
    for organisations in sizes:
        for _ in range(repeat):
            for variant in variants:
                with tempfile.TemporaryDirectory(prefix=f"mk-bench-{organisations}-") as tmp:
                    for name, m in run_variant(
                        Path(tmp), organisations, variant, jobs, kind, stub_incremental, skip, incremental_repeat
                    ).items():
                        key = (organisations, variant, name)
                        if key in table:  # a repeat
                            table[key].absorb(m)
                        else:
                            table[key] = m
                print(f"  done: {organisations} organisations, {variant}", file=sys.stderr, flush=True)
        # A long run shows each size's figures as soon as they are in, on stderr.
        done = {key: m for key, m in table.items() if key[0] == organisations}
        print(report(done, [organisations], repeat), file=sys.stderr, flush=True)
    return table


def report(table: dict[tuple[int, str, str], Measure], sizes: list[int], repeat: int) -> str:
    lines = [
        f"Median of {repeat} run(s), of an incremental build of its runs (every time in the notes); "
        "ratio = time / the stub's clean -j 1 build at the same N.",
        "",
        "| N | variant | build | time (s) | ratio | read | written | peak RSS (MB) | output (MB) "
        "| largest overview page (KB) | largest other page (KB) | notes |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for (organisations, variant, name), m in table.items():
        stub = table.get((organisations, *BASELINE))
        ratio = f"{m.median / stub.median:.2f}x" if stub else "-"
        shown = [
            f"{page} ({size / 1024:.0f})" if page else "-" for page, size in (m.largest["overview"], m.largest["other"])
        ]
        lines.append(
            f"| {organisations} | {variant} | {name} | {m.median:.1f} | {ratio} | {m.read} "
            f"| {m.written} | {m.peak_rss / 2**20:.0f} | {m.output / 2**20:.1f} | {shown[0]} | {shown[1]} "
            f"| {notes_of(m)} |"
        )
    if all((n, *BASELINE) in table for n in sizes):
        lines += ["", *summary(table, sizes)]
    lines += ["", *pages(table, sizes), "", *written_by_folder(table)]
    if len(sizes) > 1:
        lines += [
            "",
            "Growth of each time between sizes: time(N2) / time(N1) (linear = N2 / N1).",
            "",
            "| variant | build | "
            + " | ".join(f"{a} -> {b} (N x{b / a:g})" for a, b in itertools.pairwise(sizes))
            + " |",
            "|---|---|" + "---:|" * (len(sizes) - 1),
        ]
        for variant, name in dict.fromkeys((v, n) for (_, v, n) in table):
            ratios = [
                table[(b, variant, name)].median / table[(a, variant, name)].median
                for a, b in itertools.pairwise(sizes)
            ]
            lines.append(f"| {variant} | {name} | " + " | ".join(f"{r:.2f}" for r in ratios) + " |")
    return "\n".join(lines)


def notes_of(m: Measure) -> str:
    """A build's notes, every time of one measured more than once, and for the parallel clean build
    whether the incremental output equals it."""
    times = f"times {' / '.join(f'{t:.1f}' for t in m.seconds)} s" if len(m.seconds) > 1 else ""
    if m.stale is None:
        return "; ".join(filter(None, [m.notes, times]))
    same = f"STALE against the incremental output: {'; '.join(m.stale)}" if m.stale else "= the incremental output"
    return "; ".join(filter(None, [m.notes, same]))


def summary(table: dict[tuple[int, str, str], Measure], sizes: list[int]) -> list[str]:
    """The project's figures in the terms of issue 13's targets, per N."""
    parallel = next(name for (_, _, name) in table if name.startswith("clean -j ") and name != "clean -j 1")
    lines = [
        "The project in the terms of issue 13's targets (incremental builds as % of its clean -j 1 build):",
        "",
        f"| N | overhead (x stub) | edited | concept edited | added | removed | {parallel} / -j 1 "
        "| output (x stub) | largest overview page (KB, bound 400) | largest other page (KB, bound 150) "
        "| peak RSS (MB) | environment pickle (MB) | search index (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        project = {name: m for (size, variant, name), m in table.items() if size == n and variant == "project"}
        clean, stub = project["clean -j 1"], table[(n, *BASELINE)]

        def share(name: str, project: dict[str, Measure] = project, clean: Measure = clean) -> str:
            return f"{100 * project[name].median / clean.median:.0f} %" if name in project else "-"

        lines.append(
            f"| {n} | {clean.median / stub.median:.2f} | {share('organisation edited')} "
            f"| {share('concept title edited')} | {share('organisation added')} "
            f"| {share('organisation removed')} | {project[parallel].median / clean.median:.2f} "
            f"| {clean.output / stub.output:.2f} | {largest(project, 'overview')} | {largest(project, 'other')} "
            f"| {max(m.peak_rss for m in project.values()) / 2**20:.0f} | {clean.pickle / 2**20:.1f} "
            f"| {clean.search / 2**20:.1f} |"
        )
    return lines


def largest(measures: dict[str, Measure], kind: str) -> str:
    """The largest page of *kind* over all of *measures*' builds, in KB, marked when over its bound."""
    size = max(m.largest[kind][1] for m in measures.values())
    return f"{size / 1024:.0f}" + (" (over!)" if size > LIMITS[kind] else "")


def folder_of(page: str) -> str:
    """Where a written page is: ``organisations/``, ``concepts/`` (a concept's page), ``concepts/*/``
    (the pages that continue its list), ``overzicht/``, or ``(top)``."""
    parts = page.split("/")
    return "(top)" if len(parts) == 1 else f"{parts[0]}/" + ("*/" if len(parts) > 2 else "")


def written_by_folder(table: dict[tuple[int, str, str], Measure]) -> list[str]:
    """Which pages each incremental build of the project wrote, counted by folder: what a change
    costs in pages, and where to look when it is too many."""
    lines = ["Pages each incremental build of the project wrote, by folder:", ""]
    for (n, variant, name), m in table.items():
        if variant != "project" or name.startswith("clean") or not m.written_pages:
            continue
        counts = Counter(folder_of(page) for page in m.written_pages)
        shown = ", ".join(
            f"{folder} {count}" for folder, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        lines.append(f"- {n}, {name}: {len(m.written_pages)} ({shown})")
    return lines


def pages(table: dict[tuple[int, str, str], Measure], sizes: list[int]) -> list[str]:
    """Issue 12's figures, from the project's clean build: page sizes and links per organisation page."""
    lines = [
        "Pages of the project's clean build (KB; links = <a> in an organisation page's article; concept pages"
        " with the pages that continue their lists; overview pages: how many, and the five largest):",
        "",
        "| N | organisation page median / max | concept page median / max | links median / max | overview pages |",
        "|---:|---:|---:|---:|---|",
    ]
    for n in sizes:
        figures = table[(n, "project", "clean -j 1")].pages
        if figures is None:
            continue

        def spread(values: list[int], scale: int = 1024) -> str:
            return f"{statistics.median(values) / scale:.0f} / {max(values) / scale:.0f}" if values else "-"

        biggest = sorted(figures.overviews.items(), key=lambda item: (-item[1], item[0]))[:5]
        overviews = f"{len(figures.overviews)}: " + ", ".join(f"{name} {size / 1024:.0f}" for name, size in biggest)
        lines.append(
            f"| {n} | {spread(figures.organisations)} | {spread(figures.concepts)} "
            f"| {spread(figures.organisation_links, 1)} | {overviews} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[50, 200], help="corpus sizes (default 50 200)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure; the median time is reported")
    parser.add_argument("--jobs", type=int, default=2, help="-j of the parallel clean build (default 2)")
    parser.add_argument(
        "--incremental-repeat",
        type=int,
        default=3,
        help="builds per incremental change, each after a change of its own; the median is reported (default 3)",
    )
    parser.add_argument("--corpus", choices=KINDS, default=GENERATED, help="the kind of corpus (default generated)")
    parser.add_argument(
        "--variants", choices=VARIANTS, nargs="+", default=list(VARIANTS), help="leave the stub out to save time"
    )
    parser.add_argument(
        "--stub-incremental", action="store_true", help="also the stub's -j J and incremental builds (not a baseline)"
    )
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        choices=[name for name, _change in CHANGES],
        metavar="CHANGE",
        help="incremental builds to leave out, by name (a concept's title re-writes every page: minutes at 10,000)",
    )
    args = parser.parse_args()
    if shutil.which("sphinx-build", path=str(Path(sys.executable).parent)) is None:
        parser.error(f"run it with the project's Python ({sys.executable} has no sphinx-build next to it)")
    sizes = sorted(set(args.orgs))
    for package in (Path(missiekaart.__file__).parent, STUB):
        compileall.compile_dir(package, quiet=1)
    print(f"Corpus: {args.corpus}.\n")
    table = measure(
        sizes,
        args.repeat,
        args.jobs,
        args.corpus,
        tuple(args.variants),
        args.stub_incremental,
        frozenset(args.skip),
        max(1, args.incremental_repeat),
    )
    print(report(table, sizes, args.repeat))


if __name__ == "__main__":
    main()
