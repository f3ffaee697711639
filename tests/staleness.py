"""Is an incremental build the same as a clean one? The check behind tests/test_never_stale.py.

``check_staleness(root, change)`` builds the project in *root* clean into ``_build/html``, calls
*change* (which edits the project's files), rebuilds incrementally into ``_build/html``, builds the
changed project clean into ``_build/clean``, and compares the two outputs file by file: HTML pages
and the JSON export whose content differs, output files the incremental build left behind (a removed page's HTML),
pages it never wrote, and the search index: it must hold every page once, with the same text
(Pagefind's fragments, named by a hash of what it kept of a page).
"""

from __future__ import annotations

import filecmp
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sphinxrun import BuildResult, build

from missiekaart.build.searchindex import search_index

# Sphinx's pickled environment and doctrees differ by design; Pagefind names some of its files by
# hashes that differ between two runs over the same pages, so the index is compared by its fragments.
IGNORED = (".doctrees", "pagefind")


@dataclass(frozen=True)
class Staleness:
    differing: list[str]  # HTML pages (and the JSON export) whose incremental content differs from the clean build's
    leftover: list[str]  # files in the incremental output that the clean build does not write
    missing: list[str]  # HTML pages of the clean build that the incremental build lacks
    search: list[str]  # pages the search index of the incremental build holds otherwise than the clean one's
    incremental: BuildResult
    clean: BuildResult

    @property
    def stale(self) -> bool:
        return bool(self.differing or self.leftover or self.missing or self.search)

    def describe(self) -> str:
        lines = [f"incremental build: read {self.incremental.read}, wrote {len(self.incremental.written)} pages"]
        if self.incremental.config_changed:
            lines.append(f"the configuration has changed ({self.incremental.config_changed})")
        for label, names in (
            ("differ", self.differing),
            ("left behind", self.leftover),
            ("missing", self.missing),
            ("indexed otherwise for search", self.search),
        ):
            if names:
                lines.append(f"{len(names)} {label}: {', '.join(names)}")
        return "\n".join(lines)


def output_files(outdir: Path) -> set[str]:
    return {
        path.relative_to(outdir).as_posix()
        for path in outdir.rglob("*")
        if path.is_file() and not any(part in IGNORED for part in path.relative_to(outdir).parts)
    }


def compare(
    incremental: Path, clean: Path, pattern: tuple[str, ...] = (".html", ".json", ".js", ".txt", ".inv")
) -> tuple[list[str], list[str], list[str]]:
    """(differing pages, files left behind, missing pages) of *incremental* against *clean*: the
    HTML pages (the extension's pages that continue long lists among them), the JSON export, which
    is made in parts kept from build to build, scripts (a paged overview's filter data), text
    files (the published source texts in ``_bronteksten/``, copied only for the pages read again)
    and ``objects.inv`` (made from what the domain keeps of each page: the same objects, the same bytes)."""
    have, want = output_files(incremental), output_files(clean)
    differing = sorted(
        name
        for name in have & want
        if name.endswith(pattern) and not filecmp.cmp(incremental / name, clean / name, shallow=False)
    )
    leftover = sorted(have - want)
    missing = sorted(name for name in want - have if name.endswith(pattern))
    return differing, leftover, missing


def compare_search(incremental: Path, clean: Path) -> list[str]:
    """The pages whose text in one search index is not in the other, or that one index holds twice.
    Bundles are not compared: an incremental build may keep fewer of them than a clean build makes."""

    def held(outdir: Path) -> Counter[tuple[str, str]]:
        return Counter((url, name) for fragments in search_index(outdir).values() for name, url in fragments.items())

    have, want = held(incremental), held(clean)
    return sorted({url for url, _name in (have - want) + (want - have)})


def build_clean(root: Path, jobs: int = 1) -> Path:
    """The clean build of *root* into ``_build/html`` that :func:`check_staleness` starts from."""
    output = root / "_build" / "html"
    shutil.rmtree(root / "_build", ignore_errors=True)
    first = build(root, output, jobs)
    if not first.ok or first.warnings:
        raise AssertionError(f"the project does not build cleanly before the change:\n{first.log[-3000:]}")
    return output


def check_staleness(root: Path, change: Callable[[], object], jobs: int = 1, built: bool = False) -> Staleness:
    """Build clean, *change* the project, rebuild incrementally, and compare with a clean build.

    ``built=True``: ``_build/html`` already holds a clean build of *root* as it is (made by
    :func:`build_clean` at this same path, or copied from one with its times), so it is not built again."""
    output, reference = root / "_build" / "html", root / "_build" / "clean"
    if not built:
        build_clean(root, jobs)
    shutil.rmtree(reference, ignore_errors=True)
    change()
    incremental = build(root, output, jobs)
    clean = build(root, reference, jobs)
    differing, leftover, missing = compare(output, reference)
    return Staleness(differing, leftover, missing, compare_search(output, reference), incremental, clean)
