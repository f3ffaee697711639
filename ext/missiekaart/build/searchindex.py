"""The search index: Pagefind bundles, each indexed again only when what search reads in it changed.

Pagefind indexes a whole site at once and cannot update an index (Pagefind/pagefind#71): at 1,000
organisations that took about 5 s on every build that changed a page. So the site is indexed in
bundles, each a complete Pagefind index, which the search page merges in the browser (Pagefind's
multisite search, ``mergeIndex``; ``static/missiekaart-search.js``):

- ``pagefind/site/``: every page that is not an organisation's (concepts, overviews, guides), and
  Pagefind's script, worker and WebAssembly, which the search page loads from there;
- ``pagefind/organisaties-<k>/``: the organisation pages, spread by a stable hash of their name
  over about one bundle per ``missiekaart_search_bundle_size`` organisations (:func:`bundle_count`:
  the number is kept until the organisations have doubled or halved), so a new organisation moves
  no other page.

A bundle is indexed again when a page came into it or left it, when a page of it was written for
anything but its generated lists or navigation, or when Pagefind, its options or the templates
changed (``pagefind/bundles.json`` keeps what each bundle holds and how it was made). A page that is
re-written only because its related organisations, concordance, overviews or sidebar changed
(:func:`missiekaart.build.freshness.on_env_updated` calls it "quiet") leaves its bundle alone: search
reads only a page's running text and its words to match (``data-pagefind-body``,
:mod:`.searchtext`), never the generated lists or the theme.

``bundles.json`` is the search index's own journal: a bundle about to be indexed is taken out of it
(written whole, before Pagefind starts), and put back only when Pagefind is done and what it wrote
is complete (:mod:`.pagefindcheck`); an incomplete bundle is deleted. So a build stopped while
Pagefind runs, or a Pagefind that exits 0 on a full disk, leaves a bundle that the next build
indexes again. Pagefind dies with the build (:mod:`.processes`).
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import math
import os
import shutil
import subprocess
import zlib
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from missiekaart.build import outputerrors, processes
from missiekaart.build.pagefindcheck import ENTRY, bundle_problem
from missiekaart.core.atomic import remove_leftovers, write_atomically
from missiekaart.extension.domain import get_domain

__all__ = [
    "INDEX_FOLDER",
    "MANIFEST",
    "MERGED_BUNDLE_FILES",
    "SITE_BUNDLE",
    "bundle_count",
    "bundles",
    "finish_search_index",
    "search_index",
    "start_search_index",
]

logger = logging.getLogger(__name__)

INDEX_FOLDER = "pagefind"
#: Free bytes below which an incomplete bundle is put down to a full disk.
FULL_DISK = 1 << 20
MANIFEST = "bundles.json"
SITE_BUNDLE = "site"
ORGANISATION_BUNDLE = "organisaties-{}"
#: Pagefind's options, the same for every bundle: the "¶" after each heading is not content, and
#: the site's language is forced (below), so Pagefind writes no index for an "unknown" one.
OPTIONS = ("--exclude-selectors", "a.headerlink")
#: What Pagefind writes besides the index that this site never loads: the search page uses the
#: JavaScript API (``pagefind.js``, its worker and the WebAssembly for Dutch), not Pagefind's
#: ready-made interfaces. About 480 KB per bundle.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
    "wasm.unknown.pagefind",
)
#: What a merged bundle is never asked for: the search page loads ``pagefind.js`` from the site's
#: bundle, and merged indexes use its worker and WebAssembly (they start with ``load_wasm: false``).
#: About 160 KB per organisation bundle.
MERGED_BUNDLE_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


def bundle_count(organisations: int, size: int, previous: int = 0) -> int:
    """How many bundles the organisation pages are spread over: about *size* pages each. The
    *previous* count is kept while its bundles hold between half and twice *size* pages on average,
    so that adding or removing an organisation re-indexes one bundle, not all of them, until the
    number of organisations has doubled or halved."""
    size = max(1, size)
    if previous > 0 and size / 2 <= organisations / previous <= size * 2:
        return previous
    return max(1, math.ceil(organisations / size))


def bundles(env: BuildEnvironment, count: int) -> dict[str, list[str]]:
    """Bundle name -> the pages it indexes, sorted; the site bundle first, no empty bundle. The
    organisation pages are spread over *count* bundles by a hash of their name (crc32: the same
    bundle in every build and on every machine)."""
    organisations = organisation_pages(env)
    result: dict[str, list[str]] = {SITE_BUNDLE: []}
    result.update((ORGANISATION_BUNDLE.format(number), []) for number in range(1, count + 1))
    for docname in sorted(env.all_docs):
        if docname in organisations:
            result[ORGANISATION_BUNDLE.format(zlib.crc32(docname.encode()) % count + 1)].append(docname)
        else:
            result[SITE_BUNDLE].append(docname)
    return {name: pages for name, pages in result.items() if pages}


def organisation_pages(env: BuildEnvironment) -> set[str]:
    return {card.docname for card in get_domain(env).organisations()} & env.all_docs.keys()


def search_index(outdir: Path) -> dict[str, dict[str, str]]:
    """What the search index in *outdir* holds: bundle -> {fragment file: page address}.

    A fragment is what Pagefind keeps of one page (its text, filters and title), named by a hash
    of it: two indexes of the same pages have the same fragments."""
    result: dict[str, dict[str, str]] = {}
    for fragment in sorted(Path(outdir, INDEX_FOLDER).glob("*/fragment/*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        result.setdefault(fragment.parent.parent.name, {})[fragment.name] = json.loads(data)["url"]
    return result


def _fingerprint(app: Sphinx) -> str:
    """How the bundles are made: when it changes, every bundle is indexed again."""
    templates = getattr(app.builder, "templates", None)
    newest = templates.newest_template_mtime() if templates is not None else 0
    parts = (version("pagefind_bin"), OPTIONS, app.config.language, newest)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _load_manifest(root: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _stale(app: Sphinx, wanted: dict[str, list[str]], made: dict[str, list[str]], root: Path) -> list[str]:
    """The bundles to index again (see the module's docstring)."""
    data = get_domain(app.env).data
    changed = set(data.get("written", ())) - set(data.get("quiet", ()))
    return [
        name
        for name, pages in wanted.items()
        if made.get(name) != pages
        or not changed.isdisjoint(pages)
        or bundle_problem(root / name, thorough=False) is not None
    ]


def _write_manifest(fingerprint: str, root: Path, count: int, made: dict[str, list[str]], order: list[str]) -> None:
    manifest = {
        "fingerprint": fingerprint,
        "organisation bundles": count,
        "primary": SITE_BUNDLE,  # the one with Pagefind's script, worker and WebAssembly
        "bundles": {name: made[name] for name in order if name in made},
    }
    write_atomically(root / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))


@dataclass
class _Bundle:
    name: str
    staging: Path  # hard links to its pages: Pagefind indexes a folder
    process: subprocess.Popen[str] | None = None


@dataclass
class Indexing:
    """The bundles of one build being indexed. Pagefind starts as soon as the build is done
    (:func:`start_search_index`) and is waited for last (:func:`finish_search_index`), so it runs
    while the other ``build-finished`` handlers (the export, the source texts) do their work; at
    most as many Pagefind processes at once as there are processors."""

    app: Sphinx
    root: Path
    wanted: dict[str, list[str]]
    made: dict[str, list[str]]
    count: int
    fingerprint: str
    todo: list[_Bundle] = field(default_factory=list)
    running: list[_Bundle] = field(default_factory=list)

    def stage(self, name: str) -> _Bundle:
        outdir, staging = Path(self.app.outdir), self.root / f".{name}-pages"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(self.root / name, ignore_errors=True)
        for docname in self.wanted[name]:
            page = Path(self.app.builder.get_outfilename(docname))  # type: ignore[attr-defined]  # html, dirhtml
            if not page.is_file():
                continue
            link = staging / page.relative_to(outdir)
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(page, link)  # so every address Pagefind gives is the page's own
            except OSError:  # a file system without hard links
                shutil.copyfile(page, link)
        return _Bundle(name, staging)

    def launch(self) -> None:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        while self.todo and len(self.running) < (os.cpu_count() or 1):
            bundle = self.todo.pop(0)
            command = [
                str(get_executable()),
                "--site",
                str(bundle.staging),
                "--output-path",
                str(self.root / bundle.name),
            ]
            command += [*OPTIONS, *(["--force-language", self.app.config.language] if self.app.config.language else [])]
            bundle.process = processes.start(command)
            self.running.append(bundle)

    def finish(self) -> None:
        indexed = []
        while self.running:
            bundle = self.running.pop(0)
            assert bundle.process is not None
            stdout, stderr = processes.wait(bundle.process)
            self.launch()
            shutil.rmtree(bundle.staging, ignore_errors=True)
            if bundle.process.returncode != 0 or "Error" in stdout:
                problem = f"{stdout[-800:]}{stderr[-800:]}"
            else:
                problem = bundle_problem(self.root / bundle.name) or ""
            if problem:
                self.reject(bundle.name, problem)
                continue  # not listed: the search page leaves it out, the next build indexes it again
            for pattern in UNUSED_BUNDLE_FILES + (MERGED_BUNDLE_FILES if bundle.name != SITE_BUNDLE else ()):
                for unused in (self.root / bundle.name).glob(pattern):
                    unused.unlink()
            self.made[bundle.name] = self.wanted[bundle.name]
            indexed.append(bundle.name)
        _write_manifest(self.fingerprint, self.root, self.count, self.made, list(self.wanted))
        if indexed:
            logger.info(
                "missiekaart: search index written to %s/: %d of %d bundles indexed (%d pages): %s",
                INDEX_FOLDER,
                len(indexed),
                len(self.wanted),
                sum(len(self.wanted[name]) for name in indexed),
                ", ".join(indexed),
            )

    def reject(self, name: str, problem: str) -> None:
        """Pagefind failed, or wrote part of a bundle (it exits 0 on a full disk): delete what it
        wrote. A full disk is an output error; anything else a warning."""
        folder = self.root / name
        full = shutil.disk_usage(folder if folder.is_dir() else self.root).free < FULL_DISK
        shutil.rmtree(folder, ignore_errors=True)
        if full:
            error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / ENTRY))
            outputerrors.report(self.app, f"{folder}/", error)
            return
        logger.warning(
            "Pagefind could not index the pages of %s/%s, so search will not find them: %s",
            INDEX_FOLDER,
            name,
            problem,
        )

    def abandon(self) -> None:
        """The build failed or was interrupted while Pagefind ran: stop it and delete what it wrote
        (the bundles are already out of ``bundles.json``)."""
        for bundle in [*self.running, *self.todo]:
            if bundle.process is not None:
                processes.stop(bundle.process)
            shutil.rmtree(bundle.staging, ignore_errors=True)
            shutil.rmtree(self.root / bundle.name, ignore_errors=True)
        self.running, self.todo = [], []


_indexing: dict[str, Indexing] = {}  # output folder -> the indexing under way


def start_search_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, first: find the bundles whose pages changed and start indexing them;
    remove the bundles that are gone."""
    if exception is not None or app.builder.name not in ("html", "dirhtml") or outputerrors.failed(app):
        return  # after an output error the pages are owed (journal.py): so is their index
    with outputerrors.writing(app, Path(app.outdir, INDEX_FOLDER)):
        _start(app)


def _start(app: Sphinx) -> None:
    root = Path(app.outdir, INDEX_FOLDER)
    remove_leftovers(root / MANIFEST)
    manifest = _load_manifest(root)
    fingerprint = _fingerprint(app)
    if manifest.get("fingerprint") != fingerprint:  # none yet, or made otherwise: start anew
        shutil.rmtree(root, ignore_errors=True)
        manifest = {}
    made = manifest.get("bundles")
    made = made if isinstance(made, dict) else {}
    previous = manifest.get("organisation bundles")
    count = bundle_count(
        len(organisation_pages(app.env)),
        app.config.missiekaart_search_bundle_size,
        previous if isinstance(previous, int) else 0,
    )
    wanted = bundles(app.env, count)
    for path in root.iterdir() if root.is_dir() else ():
        if path.is_dir() and path.name not in wanted:
            shutil.rmtree(path)  # a bundle no longer made, or a staging folder left by an interrupted build
    stale = _stale(app, wanted, made, root)
    if not stale:
        logger.info("missiekaart: no searched page changed; the search index in %s/ is up to date", INDEX_FOLDER)
        return
    root.mkdir(parents=True, exist_ok=True)
    kept = {name: pages for name, pages in made.items() if name in wanted and name not in stale}
    _write_manifest(fingerprint, root, count, kept, list(wanted))  # out of the list until indexed whole
    indexing = _indexing[str(app.outdir)] = Indexing(app, root, wanted, kept, count, fingerprint)
    try:
        indexing.todo = [indexing.stage(name) for name in stale]
        indexing.launch()
    except BaseException:
        _indexing.pop(str(app.outdir), None)
        indexing.abandon()
        raise


def finish_search_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, last: wait for Pagefind, check what it wrote, then list the complete
    bundles in ``bundles.json``."""
    indexing = _indexing.pop(str(app.outdir), None)
    if indexing is None:
        return
    if exception is not None:
        indexing.abandon()
        return
    try:
        with outputerrors.writing(app, indexing.root / MANIFEST):
            indexing.finish()
    finally:
        indexing.abandon()  # what an error left running or staged


def setup(app: Sphinx) -> None:
    # Bundles of this many organisation pages at most, on average: an edited organisation re-indexes one.
    app.add_config_value("missiekaart_search_bundle_size", 125, "html", int)
    # The pages are written by then; the source texts are copied while Pagefind runs.
    app.connect("build-finished", start_search_index, priority=100)
    app.connect("build-finished", finish_search_index, priority=950)
