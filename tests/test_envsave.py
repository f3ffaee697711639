"""The environment saved by a child process while the build writes (missiekaart/build/envsave.py).
A build stopped while the child saves it is in tests/test_crash_safety.py (``saving:KILL``)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from missiekaart.build import envsave

from conftest import copy_test_root, touch_organisation


def test_a_child_process_saves_the_environment_sphinx_would_have_saved(make_app, tmp_path, rootdir):
    """Right after Sphinx's "pickling environment", a child process of the build is saving it, and
    what it saves is the bytes Sphinx's own ``pickle.dump`` would have written at that moment; the
    next build loads it and finds nothing to read."""
    srcdir = copy_test_root(rootdir, tmp_path)
    for build in ("clean", "incremental"):
        app = make_app("html", srcdir=srcdir, freshenv=build == "clean")
        seen: dict[str, object] = {}

        def at_saved(app, env, seen=seen):
            seen["saver"] = envsave.saver()
            envsave.wait()
            seen["saved"] = Path(app.doctreedir, "environment.pickle").read_bytes()
            seen["sphinx"] = pickle.dumps(env, pickle.HIGHEST_PROTOCOL)  # nothing changed since the fork

        app.connect("env-check-consistency", at_saved, priority=0)
        app.build()
        assert app.statuscode == 0
        assert seen["saver"] not in (None, os.getpid())
        assert seen["saved"] == seen["sphinx"]
        assert envsave.saver() is None  # waited for, once
        touch_organisation(srcdir)
    again = make_app("html", srcdir=srcdir)
    assert sorted(again.env.all_docs) == sorted(app.env.all_docs)
    assert again.env.get_domain("mk").data["cards"].keys() == app.env.get_domain("mk").data["cards"].keys()


def test_a_build_waits_for_the_save_before_it_finishes(make_app, tmp_path, rootdir):
    """``build-finished`` handlers of the journal (which marks the build finished) see the whole file."""
    srcdir = copy_test_root(rootdir, tmp_path)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    states: list[tuple[int | None, int]] = []
    pickled = Path(app.doctreedir, "environment.pickle")
    app.connect("build-finished", lambda app, exc: states.append((envsave.saver(), pickled.stat().st_size)), 991)
    app.build()
    assert states == [(None, pickled.stat().st_size)] and states[0][1] > 0
    assert isinstance(pickle.loads(pickled.read_bytes()), type(app.env))


UNPICKLABLE = """
def setup(app):
    app.connect("env-updated", lambda app, env: setattr(env, "probe", lambda: None))
    return {"parallel_read_safe": True}
"""


def test_a_save_that_fails_in_the_child_fails_the_build_and_leaves_no_environment(make_app, tmp_path, rootdir):
    """What Sphinx's own save would raise is reported, and no half-written environment stays:
    the next build reads every page, as after a build stopped while saving it."""
    srcdir = copy_test_root(rootdir, tmp_path)
    (srcdir / "unpicklable_probe.py").write_text(UNPICKLABLE, encoding="utf-8")
    conf = srcdir / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + "\nimport os, sys\nsys.path.insert(0, os.path.dirname(__file__))\nextensions.append('unpicklable_probe')\n",
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir, freshenv=True)
    with pytest.raises(ExtensionError) as failed:
        app.build()
    assert isinstance(failed.value.orig_exc, envsave.SaveFailed)
    assert "could not be saved" in str(failed.value.orig_exc) and "pickle" in str(failed.value.orig_exc)
    assert not Path(app.doctreedir, "environment.pickle").exists()
    assert envsave.saver() is None


def test_an_environment_of_another_application_is_pickled_in_the_process(tmp_path):
    """Only the environment of a build set up with the extension is saved by a child; any other
    object ``dump`` is given is pickled as ``pickle.dump`` does."""
    target = tmp_path / "plain.pickle"
    with target.open("wb") as stream:
        envsave.dump({"a": [1, 2]}, stream, pickle.HIGHEST_PROTOCOL)
    assert envsave.saver() is None
    assert pickle.loads(target.read_bytes()) == {"a": [1, 2]}
