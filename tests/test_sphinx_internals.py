"""Sphinx's internals the extension relies on (missiekaart/build/sphinx_internals.py, items 8-13), one
test each, on plain Sphinx projects without the extension: if one fails after a Sphinx upgrade, Sphinx
changed what that module relies on. Items 1-7 (the crash safety's) are tested in test_crash_safety.py.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
import sphinx
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.environment import CONFIG_OK

from missiekaart.build.sphinx_internals import restore_toctree_parents, show_parents_of_only, toctree_parents

CHECKED = (9, 0)  # the Sphinx the module was checked against; the pin keeps to it (pyproject.toml)


def project(folder: Path, extension: str = "") -> Path:
    """A two-page project: an index whose toctree lists a child; *extension*, if given, is its
    ``internals_probe`` extension's code."""
    folder.mkdir(parents=True, exist_ok=True)
    sys.modules.pop("internals_probe", None)  # each project's own probe, not the last one imported
    (folder / "conf.py").write_text(
        "import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n"
        + ('extensions = ["internals_probe"]\n' if extension else "extensions = []\n")
        + 'html_theme = "basic"\n',
        encoding="utf-8",
    )
    if extension:
        (folder / "internals_probe.py").write_text(textwrap.dedent(extension), encoding="utf-8")
    (folder / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   child\n", encoding="utf-8")
    (folder / "child.rst").write_text("Child\n=====\n\nText.\n", encoding="utf-8")
    return folder


def written_pages(app) -> list[str]:
    pages: list[str] = []
    app.connect("html-page-context", lambda app, pagename, *args: pages.append(pagename))
    return pages


def test_the_pin_is_the_sphinx_the_internals_were_checked_against():
    assert sphinx.version_info[:2] == CHECKED


def test_8_sphinx_writes_the_toctree_parents_of_a_page_it_writes_from_files_to_rebuild(make_app, tmp_path):
    srcdir = project(tmp_path / "toctree")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert {name: set(parents) for name, parents in toctree_parents(app.env).items()} == {"child": {"index"}}

    (srcdir / "child.rst").write_text("Child\n=====\n\nOther text.\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    pages = written_pages(app)
    app.build()
    assert sorted(set(pages) - {"genindex", "search"}) == ["child", "index"]  # the parent is written with its page

    (srcdir / "child.rst").write_text("Child\n=====\n\nA third text.\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    pages = written_pages(app)
    app.connect("write-started", lambda app, builder: show_parents_of_only(builder.env, set()))
    app.connect("build-finished", lambda app, exception: restore_toctree_parents(app.env))
    app.build()
    assert sorted(set(pages) - {"genindex", "search"}) == ["child"]  # no parents shown: the parent is not written
    assert {name: set(parents) for name, parents in toctree_parents(app.env).items()} == {"child": {"index"}}


LATE_OPTION = """
def setup(app):
    app.connect("builder-inited", lambda app: app.add_config_value("late_option", "x", "html"))
    {forget}
    return {{"parallel_read_safe": True}}
"""
FORGET = """from missiekaart.build.sphinx_internals import forget_late_options, remember_early_options
    app.connect("config-inited", lambda app, config: remember_early_options(config))
    app.connect("env-updated", lambda app, env: forget_late_options(env.config))"""


def test_9_an_option_registered_after_the_comparison_changes_the_configuration_unless_forgotten(make_app, tmp_path):
    """Without forget_late_options the option in the saved configuration is missing from the new one when
    Sphinx compares them (it is registered when the builder is made), and Sphinx says the configuration
    changed on every build; with it, an unchanged build says nothing."""
    for forget, unchanged in (("", False), (FORGET, True)):
        srcdir = project(tmp_path / f"late-{unchanged}", LATE_OPTION.format(forget=forget))
        make_app("html", srcdir=srcdir, freshenv=True).build()
        again = make_app("html", srcdir=srcdir)
        said = again._status.getvalue()  # Sphinx logs the options that differ from the saved configuration
        changed = "The configuration has changed (1 option: 'late_option')" in said
        assert changed != unchanged, (forget, said)
        assert not unchanged or "The configuration has changed" not in said, said
        assert again.env.config_status == CONFIG_OK  # an "html" option: no page is read again for it


PROBE = """
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from missiekaart.build.sphinx_internals import builder_format, builder_of

SEEN = []
BUILDERS = []


class AtRead(SphinxTransform):
    default_priority = 500

    def apply(self):
        SEEN.append(("read", builder_format(self.env)))


class AtWrite(SphinxPostTransform):
    default_priority = 500

    def run(self, **kwargs):
        SEEN.append(("post", builder_of(self.env) is BUILDERS[-1], builder_format(self.env)))


def setup(app):
    app.connect("builder-inited", lambda app: BUILDERS.append(app.builder))
    app.add_transform(AtRead)
    app.add_post_transform(AtWrite)
    return {"parallel_read_safe": True}
"""


def test_10_the_builder_and_its_format_are_found_from_the_environment(make_app, tmp_path):
    for name in ("html", "latex"):
        srcdir = project(tmp_path / name, PROBE)
        app = make_app(name, srcdir=srcdir, freshenv=True)
        import internals_probe

        internals_probe.SEEN.clear()
        app.build()
        assert ("read", name) in internals_probe.SEEN
        assert ("post", True, name) in internals_probe.SEEN


WORKERS = """
import os
from pathlib import Path
from missiekaart.build import sphinx_internals

MAIN = os.getpid()
ANNOUNCED = []
MERGED = []  # the pages of each chunk a parallel read merged

def resolved(app, doctree, docname):  # one file per page, written by the process that resolved it
    folder = Path(app.outdir, "resolved-by")
    folder.mkdir(exist_ok=True)
    (folder / docname).write_text(str(os.getpid()), encoding="utf-8")

def in_workers(app):
    app.builder.search = False  # Sphinx's search index is fed in the main process (the project has Pagefind)
    if os.environ.get("RESOLVE_IN_WORKERS"):
        sphinx_internals.resolve_in_workers(app.builder, lambda: None)
        sphinx_internals.read_in_fewer_chunks(app.builder)

def setup(app):
    if os.environ.get("RESOLVE_IN_WORKERS"):
        app.add_event(sphinx_internals.PAGE_WRITTEN)
        app.connect("doctree-resolved", sphinx_internals.announce_written)
        app.connect(sphinx_internals.PAGE_WRITTEN, lambda app, docname: ANNOUNCED.append((os.getpid(), docname)))
    app.connect("builder-inited", in_workers)
    app.connect("doctree-resolved", resolved)
    app.connect("env-merge-info", lambda app, env, docnames, other: MERGED.append(sorted(docnames)))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


def pages_with_an_image(folder: Path, count: int) -> Path:
    """The two-page project and *count* pages more, the last of them showing an image."""
    srcdir = project(folder, WORKERS)
    names = [f"page-{number:02d}" for number in range(count)]
    (srcdir / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   child\n   " + "\n   ".join(names) + "\n")
    for name in names:
        (srcdir / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\nText of {name}.\n", encoding="utf-8")
    (srcdir / "logo.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    with (srcdir / f"{names[-1]}.rst").open("a", encoding="utf-8") as page:
        page.write("\n.. image:: logo.png\n")
    return srcdir


def test_11_12_resolve_in_workers_moves_resolving_to_the_workers_and_reading_takes_fewer_chunks(
    make_app, tmp_path, monkeypatch
):
    """Sphinx's own -j write resolves every page in the main process; with resolve_in_workers
    each worker resolves the pages it writes, the main process announces each page once
    (PAGE_WRITTEN) and copies the images the workers' pages use; the pages are the -j 1 pages.
    Sphinx's parallel read merges its many chunks; read_in_fewer_chunks, two per process."""
    outputs = {}
    for way in ("sphinx", "workers", "serial"):
        if way != "sphinx":
            monkeypatch.setenv("RESOLVE_IN_WORKERS", "1")
        srcdir = pages_with_an_image(tmp_path / way, 40)
        app = make_app("html", srcdir=srcdir, freshenv=True, parallel=1 if way == "serial" else 2)
        import internals_probe

        internals_probe.ANNOUNCED.clear()
        internals_probe.MERGED.clear()
        app.build()
        # (A second application in one process warns that Sphinx's own nodes are registered already.)
        problems = [line for line in app.warning.getvalue().splitlines() if "already registered" not in line]
        assert not problems, problems
        outdir = Path(app.outdir)
        by = {path.name: int(path.read_text()) for path in (outdir / "resolved-by").iterdir()}
        assert len(by) == 42
        main = internals_probe.MAIN
        merged = internals_probe.MERGED
        if way == "sphinx":
            assert set(by.values()) == {main}  # what item 11 says Sphinx does
            # Item 12: Sphinx reads 42 pages at -j 2 in chunks of int(sqrt(42 / 2 * 10)) = 14.
            assert [len(chunk) for chunk in merged] == [14, 14, 14]
        if way == "workers":
            assert [name for name, pid in by.items() if pid == main] == ["child"]  # the first page, as Sphinx does
            assert sorted(docname for _pid, docname in internals_probe.ANNOUNCED) == sorted(by)
            assert {pid for pid, _docname in internals_probe.ANNOUNCED} == {main}
            # Item 12: two chunks per process, every page read once.
            assert sorted(len(chunk) for chunk in merged) == [10, 10, 11, 11]
            assert sorted(name for chunk in merged for name in chunk) == sorted(by)
        assert (outdir / "_images" / "logo.png").is_file(), way
        outputs[way] = {path.name: path.read_bytes() for path in outdir.glob("*.html")}
    assert outputs["workers"] == outputs["serial"] == outputs["sphinx"]


SHELVE = """
from missiekaart.build.sphinx_internals import shelve_tocs


def setup(app):
    app.connect("builder-inited", lambda app: shelve_tocs(app.env))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


def shelved_project(folder: Path, extension: str) -> Path:
    """An index with a numbered toctree (Sphinx numbers the headings of env.tocs in place) listing
    two pages, and a hidden one listing eight: each page with headings."""
    project(folder, extension)
    visible, hidden = ["a", "b"], [f"h{number}" for number in range(8)]
    (folder / "index.rst").write_text(
        "Index\n=====\n\n.. toctree::\n   :numbered:\n\n"
        + "".join(f"   {name}\n" for name in visible)
        + "\n.. toctree::\n   :hidden:\n\n"
        + "".join(f"   {name}\n" for name in hidden),
        encoding="utf-8",
    )
    for name in visible + hidden:
        text = f"Page {name}\n=======\n\nOne\n---\n\nText.\n\nTwo\n---\n"
        (folder / f"{name}.rst").write_text(text, encoding="utf-8")
    return folder


def test_13_tocs_are_read_by_key_only_so_a_shelf_keeps_the_pages_headings_a_build_does_not_use(make_app, tmp_path):
    """With env.tocs a Shelf, an incremental build unpickles the headings of the pages it writes and
    of those their visible toctrees show, no others, and writes what a build without it writes
    (section numbers too); a -j 2 read (workers send their environment back) merges the same."""
    from missiekaart.core.shelf import Shelf

    outputs = {}
    for way, extension in (("plain", ""), ("shelved", SHELVE)):
        srcdir = shelved_project(tmp_path / way, extension)
        make_app("html", srcdir=srcdir, freshenv=True).build()
        (srcdir / "h3.rst").write_text("Page h3\n=======\n\nOne\n---\n\nOther text.\n", encoding="utf-8")
        app = make_app("html", srcdir=srcdir)
        if extension:
            assert isinstance(app.env.tocs, Shelf) and app.env.tocs.in_use() == set()  # loaded, nothing unpickled
        app.build()
        outputs[way] = {path.name: path.read_text(encoding="utf-8") for path in Path(app.outdir).glob("*.html")}
        if extension:
            # h3 was read again; the index is written as its toctree parent and shows a and b.
            assert app.env.tocs.in_use() == {"h3", "index", "a", "b"}
            tocs = {name: app.env.tocs[name].pformat() for name in app.env.tocs}
            assert "1.1. </span>One" in outputs[way]["a.html"]  # numbered from the shelved headings
    assert outputs["shelved"] == outputs["plain"]
    srcdir = shelved_project(tmp_path / "parallel", SHELVE)
    (srcdir / "h3.rst").write_text("Page h3\n=======\n\nOne\n---\n\nOther text.\n", encoding="utf-8")
    parallel = make_app("html", srcdir=srcdir, freshenv=True, parallel=2)
    parallel.build()
    assert isinstance(parallel.env.tocs, Shelf)
    assert {name: parallel.env.tocs[name].pformat() for name in parallel.env.tocs} == tocs


KEEP_INVENTORY = """
from pathlib import Path

from missiekaart.build.sphinx_internals import write_inventory_with


def setup(app):
    def write(path, dump):
        if not Path(app.srcdir, "unchanged").exists():
            dump()

    app.connect("builder-inited", lambda app: write_inventory_with(app.builder, write))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


def test_14_the_inventory_is_written_by_the_builder_s_dump_inventory_so_a_build_can_keep_it(make_app, tmp_path):
    """``objects.inv`` comes from the builder instance's ``dump_inventory`` at the end of every HTML
    build: wrapped, a build that says nothing changed leaves the file as it is; otherwise it is
    what Sphinx writes without the wrapper. A builder without an inventory is left alone."""
    plain = make_app("html", srcdir=project(tmp_path / "plain"), freshenv=True)
    plain.build()
    expected = (Path(plain.outdir) / "objects.inv").read_bytes()

    srcdir = project(tmp_path / "kept", KEEP_INVENTORY)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    inventory = Path(app.outdir) / "objects.inv"
    assert inventory.read_bytes() == expected
    inventory.write_bytes(b"the last build's")
    (srcdir / "unchanged").touch()
    make_app("html", srcdir=srcdir).build()
    assert inventory.read_bytes() == b"the last build's"  # not written: the wrapper was asked
    (srcdir / "unchanged").unlink()
    make_app("html", srcdir=srcdir).build()
    assert inventory.read_bytes() == expected
    text = make_app("text", srcdir=srcdir, freshenv=True)
    text.build()
    assert text.statuscode == 0 and not (Path(text.outdir) / "objects.inv").exists()


INVENTORY_PAGES = {
    "index.md": "# Home\n\n```{toctree}\na\nb\n```\n",
    "a.md": "(label-a)=\n# Page A\n\nText.\n",
    "b.md": "# Page *B*\n\nText.\n",
}


@pytest.mark.parametrize(
    ("page", "text"),
    [
        ("a.md", "(label-a)=\n# Page A renamed\n\nText.\n"),  # a title, and so its label's section name
        ("b.md", "# Page *C*\n\nText.\n"),  # a title alone
        ("b.md", "# Page **B**\n\nText.\n"),  # the same words, other markup: clean_astext sees none of it
        ("a.md", "(label-c)=\n# Page A\n\nText.\n"),  # a label of the standard domain
        ("a.md", "(label-a)=\n# Page A\n\nOther text.\n"),  # nothing the inventory shows
        ("c.md", "# Page C\n"),  # a page more
    ],
)
def test_14_the_inventory_inputs_are_the_same_exactly_when_the_inventory_is(make_app, tmp_path, page, text):
    """:func:`inventory_inputs` of a build is the same text as the last build's exactly when Sphinx
    writes the same ``objects.inv``: a new title, label or page changes both, other text neither."""
    from missiekaart.build.sphinx_internals import inventory_inputs

    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["myst_parser"]\nproject = "p"\n', encoding="utf-8")
    for name, content in INVENTORY_PAGES.items():
        (srcdir / name).write_text(content, encoding="utf-8")
    first = make_app("html", srcdir=srcdir, freshenv=True)
    first.build()
    before, inventory = inventory_inputs(first.builder), (Path(first.outdir) / "objects.inv").read_bytes()
    (srcdir / page).write_text(text, encoding="utf-8")
    second = make_app("html", srcdir=srcdir)
    second.build()
    after = inventory_inputs(second.builder)
    assert (after == before) == ((Path(second.outdir) / "objects.inv").read_bytes() == inventory)


def _title_node(parts: list[tuple[str, str]]) -> nodes.title:
    """A title of text, emphasis, raw markup and images, as *parts* (kind, text) say."""
    title = nodes.title()
    for kind, text in parts:
        if kind == "text":
            title += nodes.Text(text)
        elif kind == "emphasis":
            title += nodes.emphasis(text, text)
        elif kind == "raw":
            title += nodes.raw(text, text, format="html")
        else:
            title += nodes.image(alt=text, uri="x.png")
    return title


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(["text", "emphasis", "raw", "image"]), st.text(max_size=8)), max_size=5))
def test_14_a_title_s_text_in_the_inventory_inputs_is_the_one_the_inventory_shows(parts):
    """The inputs skip the copy ``clean_astext`` makes of a title of text alone; for any title they
    hold what ``clean_astext`` gives (raw markup left out, images by their alt text)."""
    from sphinx.util.nodes import clean_astext

    from missiekaart.build.sphinx_internals import _title_text

    title = _title_node(parts)
    assert _title_text(title) == clean_astext(title)


DUMP_PROBE = """
import pickle

from missiekaart.build.sphinx_internals import dump_environment_with

calls = []


def recording(obj, file, protocol=None, **options):
    if not file.name.endswith(".doctree"):  # each page's doctree goes through it too
        calls.append((obj, file.name, file.mode, file.closed, protocol, options))
    pickle.dump(obj, file, protocol, **options)


def setup(app):
    dump_environment_with(recording)
    app.connect("env-check-consistency", lambda app, env: calls.append(("closed", calls[-1][1])))
    return {"parallel_read_safe": True}
"""


def test_15_sphinx_saves_the_environment_with_the_dump_of_its_builders_module(make_app, tmp_path, monkeypatch):
    """``Builder.build()`` saves the environment with one ``pickle.dump(env, f, HIGHEST_PROTOCOL)``
    through ``sphinx.builders.pickle``, into ``environment.pickle`` opened ``wb``, closed before
    ``env-check-consistency``; a build that read nothing saves nothing. Every other call is a
    page's doctree."""
    import pickle

    import sphinx.builders

    monkeypatch.setattr(sphinx.builders, "pickle", sphinx.builders.pickle)  # put back after the test
    srcdir = project(tmp_path / "dump", DUMP_PROBE)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    probe = sys.modules["internals_probe"]
    app.build()
    saved = Path(app.doctreedir, "environment.pickle")
    assert probe.calls == [(app.env, str(saved), "wb", False, pickle.HIGHEST_PROTOCOL, {}), ("closed", str(saved))]
    assert sorted(pickle.loads(saved.read_bytes()).all_docs) == ["child", "index"]
    probe.calls.clear()
    again = make_app("html", srcdir=srcdir)
    again.build()
    assert probe.calls == []


def test_16_the_environment_keeps_sphinx_s_paths_and_they_come_back_the_same_from_their_parts(make_app, tmp_path):
    """Sphinx's environment holds ``_StrPath`` in ``dependencies`` and ``Path`` in ``project``;
    pickled by their parts, they load equal (to paths and to text), with the same hash, type and parts."""
    import pickle

    from sphinx.util._pathlib import _StrPath

    from missiekaart.build.sphinx_internals import pickle_paths_by_parts

    srcdir = project(tmp_path / "paths")
    (srcdir / "child.rst").write_text("Child\n=====\n\n.. include:: part.txt\n", encoding="utf-8")
    (srcdir / "part.txt").write_text("Included.\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    dependencies = [path for paths in app.env.dependencies.values() for path in paths]
    project_paths = list(app.env.project._docname_to_path.values())
    assert dependencies and project_paths
    assert all(type(path) is _StrPath for path in dependencies)
    assert all(type(path) is type(Path()) for path in project_paths)
    assert pickle_paths_by_parts()
    data = pickle.dumps([*dependencies, *project_paths], pickle.HIGHEST_PROTOCOL)
    assert b"_path_from_parts" in data  # pickled by our reduction
    for before, after in zip([*dependencies, *project_paths], pickle.loads(data), strict=True):
        assert type(after) is type(before) and after == before and str(after) == str(before)
        assert hash(after) == hash(before) and after.parts == before.parts


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.text(st.characters(blacklist_characters="\0", codec="utf-8"), max_size=6), min_size=1, max_size=5))
def test_16_any_path_comes_back_from_its_parts_as_it_was(segments):
    """Absolute, relative, with ``.``, ``..``, empty and repeated separators, any characters."""
    import pickle

    from sphinx.util._pathlib import _StrPath

    from missiekaart.build.sphinx_internals import pickle_paths_by_parts

    assert pickle_paths_by_parts()
    for text in ("/".join(segments), "/" + "/".join(segments), "//".join(segments)):
        for path in (_StrPath(text), Path(text)):
            data = pickle.dumps(path, pickle.HIGHEST_PROTOCOL)
            assert b"_path_from_parts" in data  # pickled by our reduction
            loaded = pickle.loads(data)
            assert type(loaded) is type(path) and loaded == path and str(loaded) == str(path)
            assert hash(loaded) == hash(path) and loaded.parts == path.parts and loaded.anchor == path.anchor
            assert loaded / "x" == path / "x" and loaded.parent == path.parent
