"""Short build reports for ``make html`` and ``make pdf``, instead of every line the tools print.

``python -m missiekaart.buildsummary html OUTDIR WARNINGS_FILE STATUS``
    After ``sphinx-build -q -w WARNINGS_FILE`` exited with STATUS (and exits with it): Sphinx has
    already shown every warning in full (``file:line: WARNING: ...``) on stderr; this prints one
    line, e.g.
    ``build succeeded: 31 pages, 5 organisations, 20 concepts, 0 warnings (_build/html/index.html)``.
    Pages are the documents in ``objects.inv``; organisations and concepts come from
    ``missiekaart.json``.

``python -m missiekaart.buildsummary live OUTDIR WARNINGS_FILE``
    After each rebuild of ``make live`` (sphinx-autobuild's ``--post-build``): the same line, e.g.
    ``rebuilt: 31 pages, 5 organisations, 20 concepts, 2 warnings (each shown above)``; every
    outstanding warning of the project is counted, not only those of the pages just read
    (:mod:`missiekaart.build.outstanding`). Exits 0: the server goes on.

``python -m missiekaart.buildsummary latex LATEXDIR TRANSCRIPT STATUS``
    After ``latexmk`` has run in LATEXDIR with its output in TRANSCRIPT and exit status STATUS:
    on success one line naming the PDF and its pages; on failure the first LaTeX error with its
    file and line (pdflatex runs with ``-file-line-error``) and the lines TeX shows around it, then
    where the full log is. Exits with STATUS.
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from pathlib import Path

from sphinx.util.inventory import InventoryFile

#: A warning or error as Sphinx writes it to the ``-w`` file: one per entry, continuation lines indented.
_PROBLEM = re.compile(r"(?:^|: )(WARNING|ERROR|CRITICAL):")
#: pdflatex -file-line-error: "./missiekaart.tex:123: Undefined control sequence."
_FILE_LINE_ERROR = re.compile(
    r"^(?P<file>[^\s:][^:]*\.(?:tex|sty|cls|def|fd|cfg|aux|toc|out)):(?P<line>\d+): (?P<message>.*)$"
)
_OUTPUT = re.compile(r"Output written on (?P<pdf>\S+) \((?P<pages>\d+) pages?")


#: What reading an output file can raise when a build stopped while writing it (a full disk, a
#: signal): the summary then leaves that number out instead of failing with a traceback.
_UNREADABLE = (OSError, ValueError, LookupError, TypeError, EOFError, zlib.error)


def count_problems(warnings_file: Path) -> int:
    try:
        text = warnings_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return sum(1 for line in text.splitlines() if not line.startswith((" ", "\t")) and _PROBLEM.search(line))


def count_pages(outdir: Path) -> int | None:
    """The documents of the site: every ``std:doc`` entry of its ``objects.inv`` (None if unreadable)."""
    inventory = outdir / "objects.inv"
    if not inventory.is_file():
        return 0
    try:
        with inventory.open("rb") as stream:
            data = InventoryFile.load(stream, "", lambda base, uri: uri)
        return len(data.get("std:doc", {}))
    except _UNREADABLE:
        return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def html_summary(outdir: Path, warnings_file: Path, status: int = 0) -> str:
    problems = count_problems(warnings_file)
    if status != 0 and problems == 0:  # an error without a warning line: Sphinx stopped
        return f"build failed (exit status {status}; the error is above)"
    pages = count_pages(outdir)
    parts = [] if pages is None else [_count(pages, "page")]
    export = outdir / "missiekaart.json"
    if export.is_file():
        try:
            data = json.loads(export.read_text(encoding="utf-8"))
            parts += [_count(len(data["organisations"]), "organisation"), _count(len(data["concepts"]), "concept")]
        except _UNREADABLE:
            pass
    parts.append(_count(problems, "warning"))
    state = "build succeeded" if problems == 0 else "build finished with problems (each shown above with its file:line)"
    return f"{state}: {', '.join(parts)} ({outdir / 'index.html'})"


def _main_logs(latexdir: Path) -> list[Path]:
    """The LaTeX logs of the documents (not of latexmk's helpers), newest first."""
    logs = [
        path
        for path in latexdir.glob("*.log")
        if path.read_text(encoding="utf-8", errors="replace").startswith("This is ")
    ]
    return sorted(logs, key=lambda path: path.stat().st_mtime, reverse=True)


def first_error(latexdir: Path, transcript: Path) -> str:
    """The first LaTeX error of the failed run: ``file:line: message`` and TeX's context lines."""
    for log in [*_main_logs(latexdir), transcript]:
        if not log.is_file():
            continue
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines):
            match = _FILE_LINE_ERROR.match(line)
            if match or line.startswith("! "):
                context = []
                for index in range(number + 1, min(number + 12, len(lines))):
                    context.append(lines[index])
                    if re.match(r"^l\.\d+ ", lines[index]):  # TeX's "l.123 \foo" line, then its rest
                        context.extend(lines[index + 1 : index + 2])
                        break
                where = f"{(latexdir / match['file']).resolve()}:{match['line']}: " if match else f"{log}: "
                message = match["message"] if match else line[2:]
                body = "\n".join(f"    {text}" for text in context if text.strip())
                return f"{where}{message}\n{body}".rstrip()
    return f"LaTeX failed without an error line; see {transcript}"


def latex_summary(latexdir: Path, transcript: Path, status: int) -> str:
    if status == 0:
        for log in _main_logs(latexdir):
            if match := _OUTPUT.search(" ".join(log.read_text(encoding="utf-8", errors="replace").split())):
                return f"PDF: {latexdir / match['pdf']} ({match['pages']} pages)"
        return f"PDF: built in {latexdir}"
    return (
        f"make pdf: LaTeX failed. The first error:\n{first_error(latexdir, transcript)}\n"
        f"Full output: {transcript}; LaTeX logs: {latexdir}/*.log"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 4 and args[0] == "html":
        print(html_summary(Path(args[1]), Path(args[2]), int(args[3])))
        return int(args[3])
    if len(args) == 3 and args[0] == "live":
        counts = html_summary(Path(args[1]), Path(args[2])).split(": ", 1)[1].rsplit(" (", 1)[0]
        print(f"rebuilt: {counts}" + (" (each shown above)" if count_problems(Path(args[2])) else ""), flush=True)
        return 0
    if len(args) == 4 and args[0] == "latex":
        status = int(args[3])
        print(latex_summary(Path(args[1]), Path(args[2]), status), file=sys.stdout if status == 0 else sys.stderr)
        return status
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
