"""``make live`` serves the site on 127.0.0.1 and rebuilds a page when it is saved."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT

VENV = Path(sys.prefix)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    return None


def test_make_live_serves_on_loopback_and_rebuilds_on_save(tmp_path):
    for name in ["conf.py", "Makefile", "pyproject.toml", "constraints.txt"]:
        shutil.copy2(ROOT / name, tmp_path / name)
    for watched in ["ext/missiekaart", "source_texts"]:  # make live watches these too
        (tmp_path / watched).mkdir(parents=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Proef\n\nEerste versie.\n", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        ["make", "--no-print-directory", "live", f"VENV={VENV}", f"LIVEPORT={port}"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    try:
        url = f"http://127.0.0.1:{port}/index.html"
        first = wait_for(url, "Eerste versie.", 90)
        assert first is not None, "make live served nothing"
        assert "websocket-reload" in first  # the script that reloads the browser after a rebuild
        (docs / "index.md").write_text(
            "# Proef\n\nTweede versie.\n\n```{toctree}\nbestaat-niet\n```\n", encoding="utf-8"
        )
        assert wait_for(url, "Tweede versie.", 60) is not None, "the saved page was not rebuilt"
        (docs / "over.md").write_text("# Over\n\nDerde.\n", encoding="utf-8")
        assert wait_for(f"http://127.0.0.1:{port}/over.html", "Derde.", 60) is not None
        time.sleep(2)  # the summary line follows the build
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert f"Serving on http://127.0.0.1:{port}" in output
    assert "MdParserConfig" not in output  # quiet: no configuration dump on each rebuild
    # After the last save, which read only over.md, the warning of index.md is still reported and counted.
    builds = output.split("rebuilt: ")
    assert len(builds) >= 4, output[-3000:]  # the first build and three saves
    last_build, last_summary = builds[-2], builds[-1].splitlines()[0]
    assert "index.md:5: WARNING: toctree contains reference to nonexisting document 'bestaat-niet'" in last_build
    assert last_summary.endswith("2 warnings (each shown above)"), last_summary
