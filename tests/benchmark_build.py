"""Build-speed benchmark: clean, parallel and incremental builds as ratios of a clean serial build.

Run with ``.venv/bin/python tests/benchmark_build.py [--copies N] [--repeat R]``. Every figure is
measured in the same run as its baseline, so the ratios hold on any machine; absolute seconds are
printed for reference only. ``--copies N`` builds a project with each organisation page copied N
times (as distinct organisations), to see how the generated cross-links scale.
Not a test: pytest does not collect it, and nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from project import concept_ids, link_a_plain_word

ROOT = Path(__file__).resolve().parent.parent
SPHINX_BUILD = Path(sys.executable).parent / "sphinx-build"


def make_project(workdir: Path, copies: int) -> Path:
    srcdir = workdir / "docs"
    shutil.copytree(ROOT / "docs", srcdir)
    shutil.copy(ROOT / "conf.py", workdir / "conf.py")
    for page in sorted((srcdir / "organisations").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("# "))
        for number in range(2, copies + 1):
            copy = text.replace(title, f"{title} {number}", 1)
            (page.parent / f"{page.stem}-{number}.md").write_text(copy, encoding="utf-8")
    return srcdir


def build(srcdir: Path, outdir: Path, *options: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(SPHINX_BUILD), "-q", "-b", "html", "-c", str(srcdir.parent), *options, str(srcdir), str(outdir)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def measure(copies: int, repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {
        name: [] for name in ("clean -j 1", "clean -j 2", "rebuild, nothing changed", "rebuild, one page edited")
    }
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            srcdir = make_project(Path(tmp), copies)
            times["clean -j 1"].append(build(srcdir, Path(tmp) / "serial", "-E"))
            times["clean -j 2"].append(build(srcdir, Path(tmp) / "parallel", "-E", "-j", "2"))
            times["rebuild, nothing changed"].append(build(srcdir, Path(tmp) / "serial"))
            # A contributor links a word of one organisation's text to a concept.
            page = sorted((srcdir / "organisations").glob("*.md"))[0]
            edited, _word = link_a_plain_word(page.read_text(encoding="utf-8"), concept_ids(srcdir / "concepts")[0])
            page.write_text(edited, encoding="utf-8")
            times["rebuild, one page edited"].append(build(srcdir, Path(tmp) / "serial"))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of each organisation page (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is reported")
    args = parser.parse_args()
    times = measure(args.copies, args.repeat)
    baseline = statistics.median(times["clean -j 1"])
    organisations = len(list((ROOT / "docs" / "organisations").glob("*.md")))
    print(f"{organisations * args.copies} organisations, median of {args.repeat} runs; baseline = clean -j 1 build")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<26} {median / baseline:5.2f} x baseline   ({median:.2f} s)")


if __name__ == "__main__":
    main()
