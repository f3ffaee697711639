"""Every build reports every outstanding warning of the project, not only those of what it read.

An incremental build reads, checks and writes only what changed; the warnings it does not give
again are given again from the last build (missiekaart.build.outstanding), so a strict build fails while
one is left, and ``make live`` shows them all after each save.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinxrun import PLAIN

BROKEN = "# C\n\n```{mission-card}\n:concepts: netwrk\n\nWij zijn C.\n```\n"
FIXED = "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n\nWij zijn C.\n```\n"


def build(srcdir: Path, jobs: int = 1) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "--keep-going", *PLAIN, "-j", str(jobs), "-b", "html",
         str(srcdir), str(srcdir / "_build")],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    lines = [line.removeprefix(f"{srcdir}/") for line in result.stderr.splitlines() if ": WARNING: " in line]
    return result.returncode, sorted(lines)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_incremental_build_reports_what_it_did_not_read_check_or_write(tmp_path, rootdir, jobs):
    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-rules", srcdir)
    (srcdir / "orgs" / "c.md").write_text(BROKEN, encoding="utf-8")
    (srcdir / "orgs" / "d.md").write_text(BROKEN.replace("# C", "# D"), encoding="utf-8")
    status, first = build(srcdir, jobs)
    assert status == 1 and len(first) == 4, first  # too few concepts and an unknown concept, twice
    assert build(srcdir, jobs) == (1, first)  # nothing changed: the same warnings, the same failure
    (srcdir / "orgs" / "c.md").write_text(FIXED, encoding="utf-8")
    status, left = build(srcdir, jobs)
    assert status == 1 and left == [warning for warning in first if warning.startswith("orgs/d.md:")]
    assert len(left) == 2
    (srcdir / "orgs" / "d.md").write_text(FIXED.replace("# C", "# D"), encoding="utf-8")
    assert build(srcdir, jobs) == (0, [])
    assert build(srcdir, jobs) == (0, [])
