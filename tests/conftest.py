"""Shared fixtures: build imported pages with the project's own configuration.

Before the tests start, the project they check as "the real site" (tests/project.py) is made: a
copy of this repository in a temporary directory with the organisations of
tests/test_add_organisation.py added by the README's steps, so every real-site test checks the seeds
and organisations of other shapes together. ``MISSIEKAART_ROOT=<project>`` tests that project as it
is instead (``MISSIEKAART_ROOT=. make test``: the repository alone).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock
from sphinx.testing.util import SphinxTestApp

from missiekaart.importer import Document, import_text
from missiekaart.importer.checksource import Report, check_source
from missiekaart.importer.sourcefile import SourceText, read_source

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXTS = ROOT / "source_texts"


def write_project(srcdir: Path, root: Path = ROOT, source_root: Path | None = None) -> None:
    """A Sphinx project in *srcdir* that uses the real conf.py of *root*, and the source texts in
    ``source_texts/`` of *source_root* (default: *root*'s)."""
    srcdir.mkdir(parents=True, exist_ok=True)
    (srcdir / "conf.py").write_text(
        f"exec(compile(open({str(root / 'conf.py')!r}, encoding='utf-8').read(), 'conf.py', 'exec'))\n"
        f"missiekaart_source_root = {str(source_root or root)!r}  # mk-source paths are relative to it\n",
        encoding="utf-8",
    )


def add_source(srcdir: Path, path: Path, name: str | None = None) -> str:
    """Copy the source text *path* into *srcdir*'s ``source_texts/``; return its ``mk-source`` path."""
    target = srcdir / "source_texts" / (name or path.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return f"source_texts/{target.name}"


@dataclass
class Built:
    source: SourceText
    analysis: Document
    markdown: str
    html: Path
    warnings: str

    def check(self) -> Report:
        return check_source(self.source, self.html)


@pytest.fixture
def build_source(tmp_path, make_app):
    """Import a source file, build it as the root document, and return the result."""

    def build(path: Path, name: str = "Testorganisatie") -> Built:
        source = read_source(path)
        srcdir = tmp_path / "project"
        write_project(srcdir, source_root=srcdir)
        markdown, analysis = import_text(source, name, add_source(srcdir, path))
        (srcdir / "index.md").write_text(markdown, encoding="utf-8")
        app = make_app("html", srcdir=srcdir)
        app.build()
        return Built(source, analysis, markdown, app.outdir / "index.html", app.warning.getvalue())

    return build


@pytest.fixture
def build_text(tmp_path, build_source):
    """Like build_source, from a string (or bytes) written to a source file first."""

    def build(text: str | bytes, name: str = "Testorganisatie") -> Built:
        path = tmp_path / "bron.txt"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return build_source(path, name)

    return build


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """sphinx.testing test roots: tests/roots/test-<name>/."""
    return Path(__file__).resolve().parent / "roots"


def copy_test_root(rootdir: Path, tmp_path: Path, name: str = "missiekaart") -> Path:
    """A copy of the test root ``test-<name>`` to build and change."""
    srcdir = tmp_path / name
    shutil.copytree(rootdir / f"test-{name}", srcdir)
    return srcdir


def touch_organisation(srcdir: Path, text: str = "\nNog een zin.\n") -> None:
    """Add *text* to an organisation of the test root ``test-missiekaart``: a page read again."""
    page = srcdir / "orgs" / "a.md"
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def reader_site(rootdir, tmp_path_factory):
    """tests/roots/test-reader, copied and built once per module (with its Pagefind index)."""
    srcdir = tmp_path_factory.mktemp("reader") / "root"
    shutil.copytree(rootdir / "test-reader", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        assert app.statuscode == 0, app.warning.getvalue()
        yield app
    finally:
        app.cleanup()


@dataclass(frozen=True)
class Made:
    """What ``make`` said: its exit status and output."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def made_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Made, Path]:
    """``make html`` exactly as a contributor runs it, in the project under test (tests/project.py),
    into a temporary BUILDDIR; what make said, and the HTML folder. Built once per test run and read
    by every module that checks the site: with pytest-xdist the first worker to ask builds it (under
    a file lock in the run's shared temporary folder), the others wait for it and read it."""
    from project import run_make

    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    builddir, record = shared / "made-site", shared / "made-site.json"
    with FileLock(str(shared / "made-site.lock")):
        if not record.is_file():
            result = run_make("html", f"BUILDDIR={builddir}")
            made = Made(result.returncode, result.stdout, result.stderr)
            record.write_text(json.dumps(made.__dict__), encoding="utf-8")
        made = Made(**json.loads(record.read_text(encoding="utf-8")))
    return made, builddir / "html"


_COPY = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """In the process that starts the run (with pytest-xdist: the controller, before its workers,
    which inherit the environment), make the project under test unless MISSIEKAART_ROOT names one."""
    if hasattr(config, "workerinput") or os.environ.get("MISSIEKAART_ROOT"):
        return
    assert "project" not in sys.modules, "tests/project.py was imported before MISSIEKAART_ROOT was set"
    base = Path(tempfile.mkdtemp(prefix="missiekaart-project-"))
    config.stash[_COPY] = base
    os.environ["MISSIEKAART_ROOT"] = str(base / "project")
    from test_add_organisation import augmented_copy  # imports tests/project.py, which reads the variable

    augmented_copy(base / "project")


def pytest_unconfigure(config: pytest.Config) -> None:
    base = config.stash.get(_COPY, None)
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)
        os.environ.pop("MISSIEKAART_ROOT", None)
