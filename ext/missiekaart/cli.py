"""The ``missiekaart`` command: import source texts and check that built pages keep every word."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .checksource import check_source
from .importer import import_text, report_lines
from .sourcefile import SourceError, read_source

__all__ = ["main"]


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _write_atomically(target: Path, text: str) -> None:
    """Write *target* through a temporary file beside it, so no reader ever sees half a page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def cmd_import(args: argparse.Namespace) -> int:
    if args.name and len(args.sources) > 1:
        print("missiekaart import: error: --name applies to one source; import the files one by one",
              file=sys.stderr)
        return 2
    out_dir = Path(args.out_dir)
    status = 0
    for source_path in map(Path, args.sources):
        target = out_dir / f"{source_path.stem}.md"
        try:
            source = read_source(source_path)
            for warning in source.warnings:
                print(warning, file=sys.stderr)
            if target.exists() and not args.force:
                raise SourceError(target, 0, "the page already exists and may hold contributors' edits; "
                                  "pass --force to overwrite it")
            page, doc = import_text(source, args.name, _relative(source_path))
            _write_atomically(target, page)
        except SourceError as error:
            print(error, file=sys.stderr)
            status = 1
            continue
        except OSError as error:
            print(f"{target}: error: cannot write the page ({error.strerror})", file=sys.stderr)
            status = 1
            continue
        print(f"{source_path} -> {target} ({len(doc.blocks)} blocks, {len(doc.footnotes)} footnotes, "
              f"{len(doc.dropped)} pieces dropped)")
        for line, decision in report_lines(doc):
            print(f"  {source_path}:{line}: {decision}")
    return status


def cmd_check_source(args: argparse.Namespace) -> int:
    try:
        report = check_source(read_source(args.source), args.page)
    except SourceError as error:
        print(error, file=sys.stderr)
        return 1
    for dropped in report.dropped:
        print(f"{report.source}:{dropped.line}: dropped as {dropped.reason} (allowed): {dropped.text!r}")
    for problem in report.problems:
        print(f"{report.source}:{problem.word.line}: {problem.kind}: {problem.word.text!r} "
              f"is not in {report.page} where the source has it", file=sys.stderr)
    found = report.words - len(report.problems)
    verdict = "OK" if report.ok else "FAILED"
    print(f"{verdict}: {report.source}: {found} of {report.words} words found in order in {report.page}; "
          f"{len(report.dropped)} source pieces left out as not reader text")
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="missiekaart", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    importer = commands.add_parser("import", help="turn source texts into MyST pages")
    importer.add_argument("sources", nargs="+", metavar="SRC", help="source text files")
    importer.add_argument("--out-dir", default="docs/organisations", help="where pages go (default: %(default)s)")
    importer.add_argument("--name", help="the organisation's name, the page title (default: the front matter's title, else from the file name)")
    importer.add_argument("--force", action="store_true", help="overwrite existing pages")
    importer.set_defaults(func=cmd_import)

    checker = commands.add_parser("check-source", help="check that a built page keeps every source word")
    checker.add_argument("source", metavar="SRC", help="the source text")
    checker.add_argument("page", metavar="PAGE", help="the built HTML page")
    checker.set_defaults(func=cmd_check_source)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
