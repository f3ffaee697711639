"""One ``sphinx-build -b html`` in a subprocess, and what it did: time, pages read and written, peak RSS.

Shared by tests/benchmark_build.py and tests/staleness.py. A subprocess, not ``sphinx.testing``: an
incremental build must start from the pickled environment alone, as a contributor's does, and its
memory is measured apart from the caller's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

STRICT = ("--keep-going", "-n")  # as `make html`, without -W: a warning is reported, not fatal
# Plain text to parse: Sphinx colours its messages when it thinks a terminal or CI (CI=true) is there.
PLAIN = ("--no-color",)
ALWAYS_WRITTEN = {"genindex.html", "search.html"}  # Sphinx writes these on every build
_UPDATING = re.compile(r"updating environment: (?:\[([^\]]*)\] )?(\d+) added, (\d+) changed, (\d+) removed")
_CONFIG = re.compile(r"The configuration has changed \((.*)\)")
_PROBLEM = re.compile(r"^.*\b(?:WARNING|ERROR|CRITICAL):.*$", re.MULTILINE)


@dataclass(frozen=True)
class BuildResult:
    seconds: float
    returncode: int
    log: str  # stdout and stderr
    warnings: tuple[str, ...]
    read: int  # documents read (added + changed, as Sphinx reports them)
    removed: int
    config_reason: str  # why Sphinx re-read everything ("[config changed (...)]"), "" if it did not
    config_changed: str  # "The configuration has changed (...)" when loading the environment, "" if not
    written: tuple[str, ...]  # HTML pages written (new or re-written), relative paths; genindex and search left out
    peak_rss: int  # bytes, of the largest process of the build (a -j worker counts if it is larger)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def html_mtimes(outdir: Path) -> dict[str, int]:
    """Relative path -> mtime (ns) of every HTML file in *outdir*."""
    if not outdir.is_dir():
        return {}
    return {
        path.relative_to(outdir).as_posix(): path.stat().st_mtime_ns
        for path in outdir.rglob("*.html")
        if ".doctrees" not in path.parts
    }


def written_pages(before: dict[str, int], after: dict[str, int]) -> tuple[str, ...]:
    return tuple(
        sorted(name for name, mtime in after.items() if before.get(name) != mtime and name not in ALWAYS_WRITTEN)
    )


def sphinx_command(root: Path, outdir: Path, jobs: int, options: Sequence[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-c",
        str(root),
        *STRICT,
        *PLAIN,
        "-j",
        str(jobs),
        *options,
        str(root / "docs"),
        str(outdir),
    ]


def build(
    root: Path, outdir: Path, jobs: int = 1, options: Sequence[str] = (), env: dict[str, str] | None = None
) -> BuildResult:
    """Build the project in *root* (``conf.py`` there, sources in ``docs/``) into *outdir*.

    An existing *outdir* makes it an incremental build. Console messages are kept in English
    (``LANGUAGE``), whatever the project's ``language``, so they can be parsed."""
    before = html_mtimes(outdir)
    environment = {**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": "en", **(env or {})}
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(
            sphinx_command(root, outdir, jobs, options),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    updating = _UPDATING.search(text)
    read = int(updating.group(2)) + int(updating.group(3)) if updating else 0
    return BuildResult(
        seconds=seconds,
        returncode=process.returncode,
        log=text,
        warnings=tuple(_PROBLEM.findall(text)),
        read=read,
        removed=int(updating.group(4)) if updating else 0,
        config_reason=(updating.group(1) or "") if updating else "",
        config_changed=changed.group(1) if (changed := _CONFIG.search(text)) else "",
        written=written_pages(before, html_mtimes(outdir)),
        peak_rss=usage.ru_maxrss * 1024,  # Linux reports KiB
    )


def output_size(outdir: Path) -> int:
    """Bytes of the output a reader gets (the pickled doctrees left out)."""
    return sum(path.stat().st_size for path in outdir.rglob("*") if path.is_file() and ".doctrees" not in path.parts)


#: What marks a page that shows an overview of the whole project, or continues one on a page of its
#: own (missiekaart/extension/paging.py): the organisation overview, the concept index, the comparison matrix
#: and map, the grid of mission cards. Issue 26's bounds: such a page stays under 400 KB, every
#: other page under 150 KB, however many organisations there are.
OVERVIEW_MARKERS = (
    'class="mk-overview-list',
    'class="mk-concept-index',
    "mk-concept-matrix",
    "mk-organisation-cards",
    'id="mk-concept-map-list',
)
LIMITS = {"overview": 400 * 1024, "other": 150 * 1024}


def html_pages(outdir: Path) -> list[Path]:
    """The site's HTML pages (Sphinx's always written ones, and copies of sources, left out)."""
    skip = {".doctrees", "_sources", "_bronteksten", "pagefind"}
    return [
        path
        for path in sorted(outdir.rglob("*.html"))
        if path.name not in ALWAYS_WRITTEN and not skip & set(path.relative_to(outdir).parts)
    ]


def page_kind(path: Path) -> str:
    """ "overview" for a page with an overview (or that continues one), else "other"."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return "overview" if any(marker in text for marker in OVERVIEW_MARKERS) else "other"


def largest_pages(outdir: Path) -> dict[str, tuple[str, int]]:
    """The largest overview page and the largest other page: relative path and bytes of each."""
    largest = {"overview": ("", 0), "other": ("", 0)}
    for path in html_pages(outdir):
        size, kind = path.stat().st_size, page_kind(path)
        if size > largest[kind][1]:
            largest[kind] = (path.relative_to(outdir).as_posix(), size)
    return largest


def over_limit(largest: dict[str, tuple[str, int]]) -> list[str]:
    """The pages of :func:`largest_pages` over their kind's limit, described."""
    return [
        f"{name} {size / 1024:.0f} KB > {LIMITS[kind] // 1024} KB"
        for kind, (name, size) in largest.items()
        if size > LIMITS[kind]
    ]


_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)


@dataclass(frozen=True)
class PageFigures:
    """Sizes (bytes) of the kinds of page, and links in an organisation page's article."""

    organisations: list[int]
    concepts: list[int]  # concept pages and the pages that continue their lists
    overviews: dict[str, int]  # every page that shows or continues an overview (OVERVIEW_MARKERS)
    organisation_links: list[int]  # <a> elements in each organisation page's <article>


def page_figures(outdir: Path) -> PageFigures:
    organisations, concepts, overviews, links = [], [], {}, []
    for path in html_pages(outdir):
        name, size = path.relative_to(outdir).as_posix(), path.stat().st_size
        if page_kind(path) == "overview":
            overviews[name] = size
        elif name.startswith("organisations/"):
            organisations.append(size)
            article = _ARTICLE.search(path.read_text(encoding="utf-8"))
            links.append(article.group().count("<a ") if article else 0)
        elif name.startswith("concepts/"):
            concepts.append(size)
    return PageFigures(organisations, concepts, overviews, links)
