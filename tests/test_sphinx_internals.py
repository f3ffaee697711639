"""Sphinx's internals the extension relies on (missiekaart/build/sphinx_internals.py, items 8-10), one
test each, on plain Sphinx projects without the extension: if one fails after a Sphinx upgrade, Sphinx
changed what that module relies on. Items 1-7 (the crash safety's) are tested in test_crash_safety.py.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import sphinx
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
