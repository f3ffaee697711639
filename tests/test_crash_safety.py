"""Crash-safe and self-healing builds: whatever stops a build, the next build equals a clean one.

Each case restores a small generated project built clean (6 organisations, a search index of three
bundles, lists so long for their page sizes that they go on on pages of their own, the doctrees
beside the output as ``make html`` keeps them), makes one change a contributor makes, and runs a
build that is stopped at a named point by the test-only extension ``tests/faultpoint/faultpoint.py``:
a signal right after Sphinx saved the environment, while a page is being written (that page cut in
half first), while the pages that continue the lists are written, or while Pagefind writes the
search index;
the output folder deleted while pages are written; a disk that fills up; a read-only output
folder. Then a normal build runs, and its output is compared with a clean build of the changed
project (``tests/staleness.py``: every page, ``missiekaart.json``, ``_bronteksten/`` and the
decoded search index). No process of a stopped build may outlive it.

The full-disk and read-only cases mount a small tmpfs or a read-only bind mount (as root); where
this machine does not allow that they are skipped, saying why.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from corpus import Corpus, add_organisation, edit_concept, remove_organisation, write_corpus
from sphinxrun import BuildResult, build, sphinx_command
from staleness import compare, compare_search

from missiekaart import buildsummary
from missiekaart.build.journal import JOURNAL, Journal
from missiekaart.build.pagefindcheck import bundle_problem
from missiekaart.build.searchindex import INDEX_FOLDER, MANIFEST

FAULTPOINT = Path(__file__).resolve().parent / "faultpoint"
FILLER = ".faultpoint-filler"  # faultpoint.py's
ORGANISATIONS = 6
ERROR = re.compile(r"^(?P<path>/.*?): ERROR: could not write the build's output: (?P<cause>.*)$")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="stopped builds and their processes are checked through /proc"
)


def retitle(corpus: Corpus) -> None:
    concept = corpus.uses().most_common(1)[0][0]
    title = next(entry.title for entry in corpus.concepts if entry.id == concept)
    edit_concept(corpus, concept, title=f"{title} herzien")


def retitle_site(corpus: Corpus) -> None:
    """An HTML option: ``.buildinfo`` changes, every page is written again and none read again."""
    with (corpus.root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nhtml_title = "Missiekaart (herzien)"\n')


CHANGES: dict[str, Callable[[Corpus], object]] = {
    "concept-title": retitle,
    "remove-organisation": remove_organisation,
    "add-organisation": add_organisation,
    "html-option": retitle_site,
}


class Project:
    """The project every case builds, always at one path (so Sphinx sees the same project)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.corpus = write_corpus(base / "project", ORGANISATIONS, seed=1)
        self.root = self.corpus.root
        with (self.root / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(
                "\nmissiekaart_search_bundle_size = 2  # a search index of three bundles\n"
                "missiekaart_overview_page_size = 2  # the lists go on on pages of their own (listwriter.py)\n"
                "missiekaart_concept_page_size = 2\n"
                "missiekaart_index_page_size = 8\n"
                f"import sys as _sys\n_sys.path.insert(0, {str(FAULTPOINT)!r})\n"
                'extensions.append("faultpoint")  # stops a build where MISSIEKAART_FAULT says\n'
            )
        first = self.build()
        assert first.ok and not first.warnings, first.log[-3000:]
        shutil.copytree(self.root, base / "snapshot", copy_function=shutil.copy2, symlinks=True)
        self.references: dict[str, Path] = {}

    @property
    def output(self) -> Path:
        return self.root / "_build" / "html"

    @property
    def doctrees(self) -> Path:
        return self.root / "_build" / "doctrees"

    def build(self, jobs: int = 1) -> BuildResult:
        return build(self.root, self.output, jobs, options=("-d", str(self.doctrees)))

    def fresh(self, *changes: str) -> tuple[Corpus, Path]:
        """The project as its clean build left it (files, output and times), with *changes* made,
        and a clean build of the changed project (made once per list of changes)."""
        shutil.rmtree(self.root)
        shutil.copytree(self.base / "snapshot", self.root, copy_function=shutil.copy2, symlinks=True)
        corpus = copy.deepcopy(self.corpus)
        for change in changes:
            CHANGES[change](corpus)
        key = "+".join(changes)
        if key not in self.references:
            reference = self.references[key] = self.base / f"clean-{key}"
            clean = build(self.root, reference)  # its doctrees in its own folder: _build is untouched
            assert clean.ok and not clean.warnings, clean.log[-3000:]
        return corpus, self.references[key]

    def interrupted(self, fault: str, jobs: int = 1, options: tuple[str, ...] = ()) -> tuple[int, str]:
        """A build stopped at *fault*. It runs in a process group of its own: once it is gone,
        nothing of that group may be left running (a Pagefind, a ``-j`` worker)."""
        command = sphinx_command(self.root, self.output, jobs, ("-d", str(self.doctrees), *options))
        environment = {**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": "en", "MISSIEKAART_FAULT": fault}
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=environment, start_new_session=True
            )
            status = process.wait(timeout=300)
            log.seek(0)
            text = log.read().decode("utf-8", "replace")
        survivors = members_of(process.pid)
        assert not survivors, f"processes outlived the stopped build: {survivors}\n{text[-2000:]}"
        return status, text

    def check_recovery(self, reference: Path) -> BuildResult:
        """The next normal build succeeds without a warning, and its output equals *reference*."""
        recovery = self.build()
        assert recovery.ok and not recovery.warnings, recovery.log[-3000:]
        # Pages, the export, and the source texts in _bronteksten/ (.txt) by content and presence.
        differing, leftover, missing = compare(self.output, reference, (".html", ".json", ".txt", ".js"))
        leftover = [name for name in leftover if name != ".buildinfo.bak"]  # Sphinx keeps it on a new configuration
        search = compare_search(self.output, reference)
        assert not (differing or leftover or missing or search), (differing, leftover, missing, search)
        index = self.output / INDEX_FOLDER
        strays = sorted(path.name for path in index.iterdir() if path.name.startswith("."))
        assert not strays, f"left in {INDEX_FOLDER}/: {strays}"
        assert owes_nothing(self.doctrees / JOURNAL.format("html")), "the build still owes output"
        return recovery


def owes_nothing(journal: Path) -> bool:
    """The journal of a build says it finished and owes nothing (journal.py)."""
    data = json.loads(journal.read_text(encoding="utf-8"))
    return data["finished"] and not data["pages"] and not data["removed"]


def members_of(group: int, wait: float = 10.0) -> list[str]:
    """The live processes of process group *group*, after up to *wait* seconds for the kernel to end
    the children of a killed build (and for orphaned ``-j`` workers to finish)."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if entry.name.isdigit() and fields[0] != "Z" and int(fields[2]) == group:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    found.append(f"{entry.name}: {command}")
            except (OSError, IndexError, ValueError):
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def the_error_line(status: int, log: str, cause: str, under: Path) -> Path:
    """The build failed with exactly one located error line, for *cause* and a path under *under*,
    and no traceback or crash report; returns the path."""
    assert status == 1, log[-3000:]
    problems = [line for line in log.splitlines() if re.search(r"\b(ERROR|WARNING|CRITICAL)\b", line)]
    assert len(problems) == 1, log[-3000:]
    match = ERROR.match(problems[0])
    assert match and match["cause"].startswith(cause), problems[0]
    assert Path(match["path"]).is_relative_to(under), problems[0]
    assert "Traceback" not in log and "sphinx-doc" not in log and "Exception" not in log, log[-3000:]
    return Path(match["path"])


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("crash-safety"))


# Where the build is stopped and how, what the contributor changed, -j: every point of a build once,
# every way of stopping once. A KILL right after the environment is saved, and one while writing at
# -j 1, are the two builds of test_builds_stopped_one_after_another_owe_what_each_owed below.
KILLS = [
    ("cut-env:KILL", "remove-organisation", 1),  # stopped while saving the environment
    ("saving:KILL", "add-organisation", 1),  # stopped while its child process saves the environment
    ("writing:TERM", "remove-organisation", 1),
    ("writing:INT", "html-option", 1),
    ("writing:KILL:8", "remove-organisation", 2),
    ("writing:vanish", "concept-title", 1),
    ("listing:KILL", "concept-title", 1),
    ("listing:TERM:2", "add-organisation", 1),
    ("indexing:KILL", "concept-title", 1),
]
REACHED = {
    "saved": "pickling environment... done",
    "cut-env": "pickling environment... done",
    "saving": "pickling environment... done",
    "listing": "writing output",
}
STATUS = {"KILL": -signal.SIGKILL, "TERM": -signal.SIGTERM, "INT": 2, "vanish": 1}


@pytest.mark.parametrize(("fault", "change", "jobs"), KILLS, ids=[f"{f}-{c}-j{j}" for f, c, j in KILLS])
def test_a_build_stopped_at_any_point_is_completed_by_the_next(project, fault, change, jobs):
    _corpus, reference = project.fresh(change)
    status, log = project.interrupted(fault, jobs)
    point, action = fault.split(":")[:2]
    assert status == STATUS[action] and REACHED.get(point, "writing output") in log, log[-3000:]
    recovery = project.check_recovery(reference)
    print(f"{fault} {change} -j{jobs}: the next build wrote {len(recovery.written)} pages in {recovery.seconds:.2f} s")


def test_builds_stopped_one_after_another_owe_what_each_owed(project):
    _corpus, reference = project.fresh("concept-title", "add-organisation")
    corpus, _reference = project.fresh("concept-title")
    status, log = project.interrupted("saved:KILL")
    assert status == -signal.SIGKILL, log[-3000:]
    add_organisation(corpus)
    status, log = project.interrupted("writing:KILL:2")
    assert status == -signal.SIGKILL, log[-3000:]
    project.check_recovery(reference)


def test_a_build_of_another_builder_leaves_the_html_owed(project):
    """make html, a change, make pdf, make html: the latex build read the change and saved the page
    digests in the environment both share; the html build still writes what the change affects."""
    _corpus, reference = project.fresh("concept-title")
    latex = build(project.root, project.root / "_build" / "latex", options=("-b", "latex", "-d", str(project.doctrees)))
    assert latex.ok, latex.log[-3000:]
    project.check_recovery(reference)


# ---------------------------------------------------------------------------- full disk, read-only


class Mounts:
    """Mounts made by one test, all undone after it; the test is skipped where mounting is not allowed."""

    def __init__(self) -> None:
        self.targets: list[Path] = []

    def mount(self, target: Path, *options: str) -> None:
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("mounting a tmpfs or a read-only folder needs root and mount(8); not here")
        result = subprocess.run(["mount", *options, str(target)], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            pytest.skip(f"this machine does not allow `mount {' '.join(options)}`: {result.stderr.strip()}")
        if target not in self.targets:
            self.targets.append(target)

    def undo(self) -> None:
        while self.targets:
            target = self.targets.pop()
            if subprocess.run(["umount", str(target)], check=False).returncode != 0:
                subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.fixture
def mounts() -> Iterator[Mounts]:
    made = Mounts()
    try:
        yield made
    finally:
        made.undo()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_disk_that_fills_while_pages_are_written(project, mounts, jobs):
    """The page being written is cut; the error is one line (also when a -j worker met it); once
    there is space again, the next build completes the output."""
    _corpus, reference = project.fresh("concept-title")
    kept = project.base / "kept-output"
    shutil.rmtree(kept, ignore_errors=True)
    project.output.rename(kept)
    project.output.mkdir()
    mounts.mount(project.output, "-t", "tmpfs", "-o", "size=16m", "tmpfs")
    shutil.copytree(kept, project.output, copy_function=shutil.copy2, dirs_exist_ok=True)
    warnings = project.output / "warnings.log"  # as make html keeps it: on the same full disk
    status, log = project.interrupted("writing:fill:2", jobs, options=("-w", str(warnings)))
    the_error_line(status, log, "No space left on device (ENOSPC)", project.output)
    (project.output / FILLER).unlink()
    warnings.unlink()
    project.check_recovery(reference)


def test_pagefind_on_a_full_disk_is_an_error_and_its_bundle_is_made_again(project, mounts):
    """Pagefind exits 0 when it cannot write: what it wrote is checked, the bundle deleted and left
    out of bundles.json, and made again by the next build."""
    _corpus, reference = project.fresh("concept-title")
    bundle = project.output / INDEX_FOLDER / "site"
    mounts.mount(bundle, "-t", "tmpfs", "-o", "size=16k", "tmpfs")  # a tenth of what Pagefind writes there
    result = project.build()
    the_error_line(result.returncode, result.log, "No space left on device (ENOSPC)", bundle)
    written = re.search(r"search index written to pagefind/: .*: (.*)$", result.log, re.MULTILINE)
    assert written is None or "site" not in written[1].split(", "), result.log[-3000:]
    made = json.loads((project.output / INDEX_FOLDER / MANIFEST).read_text(encoding="utf-8"))["bundles"]
    assert "site" not in made
    mounts.undo()
    project.check_recovery(reference)


@pytest.mark.parametrize("folder", ["html", "_build"], ids=["output-folder", "output-and-doctrees"])
def test_a_read_only_output_folder_is_one_error_line(project, mounts, folder):
    _corpus, reference = project.fresh("concept-title")
    target = project.output if folder == "html" else project.root / "_build"
    mounts.mount(target, "--bind", str(target))
    mounts.mount(target, "-o", "remount,bind,ro")
    result = project.build()
    the_error_line(result.returncode, result.log, "Read-only file system (EROFS)", target)
    mounts.undo()
    project.check_recovery(reference)


# ---------------------------------------------------------------------------- the parts


def test_an_incomplete_search_bundle_is_found(project, tmp_path):
    site = project.base / "snapshot" / "_build" / "html" / INDEX_FOLDER / "site"
    assert bundle_problem(site, thorough=False) is None

    def damaged(change: Callable[[Path], object]) -> str | None:
        copy_of = tmp_path / f"bundle-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(site, copy_of)
        change(copy_of)
        return bundle_problem(copy_of)

    assert damaged(lambda folder: None) is None
    assert damaged(lambda folder: (folder / "pagefind-entry.json").write_bytes(b""))
    assert damaged(lambda folder: (folder / "pagefind-worker.js").write_bytes(b""))
    assert damaged(lambda folder: next((folder / "filter").iterdir()).unlink())

    def cut(folder: Path) -> None:
        fragment = next((folder / "fragment").iterdir())
        fragment.write_bytes(fragment.read_bytes()[:-9])

    assert damaged(cut)
    assert damaged(lambda folder: next(folder.glob("*.pf_meta")).write_bytes(b"\x1f\x8b"))


def test_the_summary_of_make_html_survives_cut_output(tmp_path):
    (tmp_path / "objects.inv").write_bytes(b"# Sphinx inventory version 2\n# Project: x\n# Version: \n# The rem")
    (tmp_path / "missiekaart.json").write_text('{"schema_version": "2.0", "organ', encoding="utf-8")
    warnings = tmp_path / "warnings.log"
    warnings.write_text(f"{tmp_path}/x.html: ERROR: could not write the build's output: ...\n", encoding="utf-8")
    summary = buildsummary.html_summary(tmp_path, warnings, 1)
    assert summary.startswith("build finished with problems") and "1 warning" in summary


def warnings(app) -> list[str]:
    """The problems the build of *app* logged since last asked, without colours."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    app.warning.seek(0)
    app.warning.truncate()
    return text.strip().splitlines()


def test_the_sphinx_internals_we_rely_on(make_app, rootdir, tmp_path, monkeypatch):
    """What ext/missiekaart/build/sphinx_internals.py relies on, as Sphinx 9.0 does it. If this fails, Sphinx
    changed: read that module's docstring again."""
    from sphinx.errors import SphinxParallelError
    from sphinx.util import inventory, parallel

    from missiekaart.build import outputerrors, sphinx_internals

    srcdir = tmp_path / "root"
    shutil.copytree(rootdir / "test-missiekaart", srcdir)
    owed: list[set[str]] = []
    owe = Journal.owe

    def noting(self: Journal, pages: Iterable[str] = (), removed: Iterable[str] = ()) -> None:
        owed.append(set(pages))
        owe(self, pages, removed)

    monkeypatch.setattr(Journal, "owe", noting)
    events: list[tuple[str, object]] = []
    app = make_app("html", srcdir=srcdir, freshenv=True)
    pickle = Path(app.doctreedir, "environment.pickle")
    app.connect("env-before-read-docs", lambda app, env, docnames: events.append(("read", len(owed))))
    app.connect("env-check-consistency", lambda app, env: events.append(("saved", pickle.is_file())))
    app.connect("doctree-resolved", lambda app, doctree, docname: events.append(("write", docname)))
    app.build()
    assert app.statuscode == 0 and not warnings(app)
    written = {docname for kind, docname in events if kind == "write"}
    # 2. get_outdated_docs() runs before reading, and names every page of a new output folder.
    assert events[0] == ("read", 1) and owed[0] == written
    # Sphinx saves the environment before it writes; 3. write_documents() gets the pages it writes.
    assert events.index(("saved", True)) < min(events.index(("write", docname)) for docname in written)
    assert written in owed
    journal = Path(app.doctreedir, JOURNAL.format("html"))
    assert owes_nothing(journal)

    # 6. handle_page() catches the failed write of a page and warns with the error among its arguments.
    original = Path.write_text

    def full_disk(self: Path, *args: object, **kwargs: object) -> int:
        if self.name == "a.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # a failed write names no file
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    (srcdir / "orgs" / "a.md").write_text((srcdir / "orgs" / "a.md").read_text(encoding="utf-8") + "\nMeer.\n")
    app.build()
    problems = warnings(app)
    # 1. The location is printed as given: the page's path, no source suffix added.
    assert len(problems) == 1 and problems[0].startswith(f"{app.outdir / 'orgs' / 'a.html'}: ERROR: "), problems
    assert app.statuscode == 1 and not owes_nothing(journal)
    monkeypatch.setattr(Path, "write_text", original)

    # 4. An empty .buildinfo (a build stopped while writing it) would crash the next build.
    Path(app.outdir, ".buildinfo").write_text("", encoding="utf-8")
    events.clear()
    app.statuscode = 0
    app.build()
    assert app.statuscode == 0 and not warnings(app), warnings(app)
    assert {docname for kind, docname in events if kind == "write"} == written and owes_nothing(journal)

    # 5. An OSError out of Sphinx.build() is one line, not a crash report.
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(app.outdir / "objects.inv"))

    monkeypatch.setattr(inventory.InventoryFile, "dump", read_only)
    page = srcdir / "orgs" / "a.md"  # a page read again, and objects.inv gone: it is written again
    page.write_text(page.read_text(encoding="utf-8") + "\nNog meer.\n", encoding="utf-8")
    Path(app.outdir, "objects.inv").unlink()
    app.build()  # does not raise
    assert warnings(app) == [
        f"{app.outdir / 'objects.inv'}: ERROR: could not write the build's output: Read-only file system "
        "(EROFS): the file system is read-only; build into a writable folder; the next build completes it"
    ]
    assert app.statuscode == 1 and not owes_nothing(journal)
    monkeypatch.undo()

    # 5. An OSError in a -j worker arrives as text.
    assert "format_exception_only" in Path(parallel.__file__).read_text(encoding="utf-8")
    page = str(app.outdir / "x.html")
    error = PermissionError(errno.EACCES, os.strerror(errno.EACCES), page)
    text = traceback.format_exception_only(type(error), error)[0].strip()
    found = sphinx_internals._parallel_output_error(app, SphinxParallelError(text, ""))
    assert found is not None and found[0] == Path(page) and found[1].errno == errno.EACCES
    # A file the build reads, missing (a source, Pagefind's program), is no output error.
    missing = FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "/usr/bin/no-such-program")
    text = traceback.format_exception_only(type(missing), missing)[0].strip()
    assert sphinx_internals._PARALLEL_OSERROR.match(text)
    assert sphinx_internals._parallel_output_error(app, SphinxParallelError(text, "")) is None
    try:
        try:
            raise missing
        except OSError as inner:
            raise RuntimeError("a handler failed") from inner
    except RuntimeError as outer:
        assert outputerrors.find_output_error(app, outer) is None
