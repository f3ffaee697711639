"""The ``missiekaart`` command: import source texts and check that built pages keep every word."""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

from missiekaart.core.atomic import write_atomically
from missiekaart.core.ranking import is_date
from missiekaart.core.vocabulary import Vocabulary, read_concept_pages
from missiekaart.extension.suggest import suggestions
from missiekaart.importer import Dropped, dropped_prose, import_text, is_prose, manifest, report_lines
from missiekaart.importer.checksource import check_source
from missiekaart.importer.draft import MISSION_WORDS, DraftCard, draft_cards, draft_scope
from missiekaart.importer.sourcefile import SourceError, SourceText, inside, read_source

__all__ = ["main"]

CONCEPTS = "docs/concepts"
SOURCE_TEXTS = "source_texts"


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


#: A source file's name becomes the page's name and its address: letters, digits, "-", "_" and ".".
SAFE_NAME = re.compile(r"[^\W_][\w.-]*", re.ASCII | re.IGNORECASE)


def slug(name: str) -> str:
    """A safe file name for *name*: accents dropped, lower case, other characters as hyphens."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "organisatie"


def check_name(path: Path) -> None:
    """A source's file name must make a safe page name and address (no ``#``, ``?``, ``%``, spaces,
    line breaks, braces or backslashes); :class:`SourceError` says which name to use instead."""
    if not SAFE_NAME.fullmatch(path.stem) or not SAFE_NAME.fullmatch(path.name):
        raise SourceError(
            path,
            0,
            f"the file name {path.name!r} would make the page's address; use letters, digits and hyphens "
            f"only: rename the file (not its text) to {slug(path.stem)}{path.suffix.lower()}",
        )


#: A mission card's ``:added:`` line, as the importer writes it.
ADDED = re.compile(r"^:added:[ \t]*(\d{4}-\d{2}-\d{2})[ \t]*$", re.MULTILINE)


def added_date(value: str) -> str:
    """``--added``: a date written ``YYYY-MM-DD``."""
    if not is_date(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date written YYYY-MM-DD")
    return value


def added_on(target: Path, given: str | None) -> str:
    """The ``:added:`` date of the drafted mission card: *given*, else the date of the page that a
    forced import replaces (an organisation keeps its seniority among related organisations), else today."""
    if given:
        return given
    try:
        found = ADDED.search(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        found = None
    return found.group(1) if found else date.today().isoformat()


def located(source: SourceText, line: int) -> str:
    """``file:line``, and where that is for a reader of a PDF ("page 3, line 12") or a Word file ("paragraph 12")."""
    if not line:
        return str(source.path)
    place = source.place(line)
    return f"{source.path}:{line}" + (f": {place}" if place else "")


def warn_prose(source: SourceText, piece: Dropped) -> None:
    """A located warning for prose the importer dropped: a reader of the page may have seen it."""
    words = " ".join(piece.text.split()[:12])
    print(
        f"{located(source, piece.line)}: warning: {len(piece.text.split())} words dropped as {piece.reason}: "
        f"'{words} ...'; if a reader of the organisation's page saw them, they belong on the page: "
        "tell the Missiekaart maintainers (the importer's rule was wrong), or add them to the page by hand",
        file=sys.stderr,
    )


def cmd_import(args: argparse.Namespace) -> int:
    if args.name and len(args.sources) > 1:
        print("missiekaart import: error: --name applies to one source; import the files one by one", file=sys.stderr)
        return 2
    out_dir = Path(args.out_dir)
    status = 0
    for source_path in map(Path, args.sources):
        target = out_dir / f"{source_path.stem}.md"
        try:
            inside(source_path, args.source_dir)
            check_name(source_path)
            source = read_source(source_path)
            for warning in source.warnings:
                print(warning, file=sys.stderr)
            if target.exists() and not args.force:
                raise SourceError(
                    target, 0, "the page already exists and may hold contributors' edits; pass --force to overwrite it"
                )
            page, doc = import_text(source, args.name, _relative(source_path))
            drafts: list[DraftCard] = []
            added = added_on(target, args.added)
            scoped = len(draft_scope(page))
            scope = None if args.no_draft or scoped == len(page) else scoped  # drafts from part of the page
            if not args.no_draft:
                page, drafts = draft_cards(page, vocabulary(args.concepts_dir), added)
            manifest.check(source_path)  # a recorded text that changed is refused before anything is written
            try:
                write_atomically(target, page)
            except OSError as error:
                raise SourceError(target, 0, f"cannot write the page ({error.strerror})") from None
            try:
                manifest.record(source_path)  # pins the text verbatim, once its page exists
            except OSError as error:
                raise SourceError(
                    manifest.manifest_for(source_path), 0, f"cannot record the text's SHA-256 ({error.strerror})"
                ) from None
        except SourceError as error:
            print(error, file=sys.stderr)
            status = 1
            continue
        print(
            f"{source_path} -> {target} ({len(doc.blocks)} blocks, {len(doc.footnotes)} footnotes, "
            f"{len(doc.dropped)} pieces dropped)"
        )
        for line, decision in report_lines(doc):
            print(f"  {located(source, line)}: {decision}")
        for piece in dropped_prose(doc):
            warn_prose(source, piece)
        for draft in drafts:
            title = "mission card" if draft.kind == "mission" else f"value card {draft.title!r}"
            print(
                f"  {target}:{draft.line}: drafted {title}; concepts: "
                f"{', '.join(draft.concepts) or 'none found, add them'}"
                + (f"; added {draft.added}" if draft.added else "")
            )
        if not args.no_draft and not any(draft.kind == "mission" for draft in drafts):
            least, most = MISSION_WORDS
            print(
                f"  {target}: no mission card drafted: the text has no mission heading and no paragraph of "
                f"{least} to {most} words to propose; write the mission card yourself, quoting the text, "
                f"with ':added: {added}' (CONTRIBUTING.md, step 3)"
            )
        if scope is not None:
            print(
                f"  {target}: drafts were proposed from the page's first {scope:,} characters only (of a longer "
                "page); a mission or values section further down gets its cards by hand (CONTRIBUTING.md, step 3)"
            )
        if drafts:
            print(
                f"  Check each drafted card in {target}, then delete its ':draft:' line "
                "(the build warns while one is left)."
            )
    return status


def vocabulary(folder: str) -> Vocabulary:
    """The concept vocabulary from the concept pages in *folder* (empty if there are none)."""
    path = Path(folder)
    return Vocabulary(read_concept_pages(path) if path.is_dir() else [])


def cmd_suggest(args: argparse.Namespace) -> int:
    words = vocabulary(args.concepts_dir)
    if not words:
        print(f"missiekaart suggest: error: no concept pages in {args.concepts_dir}", file=sys.stderr)
        return 2
    for page in map(Path, args.pages):
        try:
            text = page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            print(f"{page}: error: cannot read the page ({error})", file=sys.stderr)
            return 2
        found = suggestions(text, words)
        for suggestion in found:
            mention = suggestion.mention
            print(
                f"{page}:{suggestion.line}: {mention.text!r} names the concept {mention.concept!r}: "
                f"write {suggestion.role}"
            )
        print(f"{page}: {len(found)} unlinked mention(s) of a concept")
    return 0


def cmd_concepts(args: argparse.Namespace) -> int:
    entries = read_concept_pages(Path(args.concepts_dir)) if Path(args.concepts_dir).is_dir() else []
    print("| id | title | aliases |\n| --- | --- | --- |")
    for entry in sorted(entries, key=lambda entry: entry.id):
        print(f"| `{entry.id}` | {entry.title} | {', '.join(entry.aliases)} |")
    return 0


def cmd_check_source(args: argparse.Namespace) -> int:
    try:
        source = read_source(args.source)
        report = check_source(source, args.page)
    except SourceError as error:
        print(error, file=sys.stderr)
        return 1
    for dropped in report.dropped:
        print(f"{located(source, dropped.line)}: dropped as {dropped.reason} (allowed): {dropped.text!r}")
    for dropped in report.dropped:
        if is_prose(dropped):  # allowed, as the import said, and still prose a reader may have seen
            warn_prose(source, dropped)
    for problem in report.problems:
        print(
            f"{located(source, problem.word.line)}: {problem.kind}: {problem.word.text!r} "
            f"is not in {report.page} where the source has it",
            file=sys.stderr,
        )
    found = report.words - len(report.problems)
    verdict = "OK" if report.ok else "FAILED"
    print(
        f"{verdict}: {report.source}: {found} of {report.words} words found in order in {report.page}; "
        f"{len(report.dropped)} source pieces left out as not reader text"
    )
    return 0 if report.ok else 1


def cmd_checksums(args: argparse.Namespace) -> int:
    status = 0
    for path in map(Path, args.accept):
        try:
            if path.is_file():
                manifest.record(path, accept_change=True)
                print(f"{path}: SHA-256 recorded in {manifest.manifest_for(path)}")
            elif manifest.forget(path):
                print(f"{path}: removed from {manifest.manifest_for(path)}")
            else:
                print(f"{path}: error: no such file, and not in {manifest.manifest_for(path)}", file=sys.stderr)
                status = 1
        except manifest.ManifestError as error:
            print(error, file=sys.stderr)
            status = 1
    directory = Path(args.dir)
    problems = manifest.verify(directory)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"OK: every text in {directory} matches {directory / manifest.MANIFEST}")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="missiekaart", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    importer = commands.add_parser("import", help="turn source texts into MyST pages")
    importer.add_argument("sources", nargs="+", metavar="SRC", help="source text files")
    importer.add_argument("--out-dir", default="docs/organisations", help="where pages go (default: %(default)s)")
    importer.add_argument(
        "--name",
        help="the organisation's name, the page title (default: the front matter's title, else from the file name)",
    )
    importer.add_argument("--force", action="store_true", help="overwrite existing pages")
    importer.add_argument("--no-draft", action="store_true", help="do not propose draft cards")
    importer.add_argument(
        "--added",
        type=added_date,
        metavar="YYYY-MM-DD",
        help="the day the organisation is added, the drafted mission card's :added: (default: the date of "
        "the page --force replaces, else today)",
    )
    importer.add_argument("--concepts-dir", default=CONCEPTS, help="the concept pages (default: %(default)s)")
    importer.add_argument(
        "--source-dir",
        default=SOURCE_TEXTS,
        help="the folder of source texts; a source must be inside it (default: %(default)s)",
    )
    importer.set_defaults(func=cmd_import)

    suggest = commands.add_parser("suggest", help="list unlinked mentions of concepts in pages")
    suggest.add_argument("pages", nargs="+", metavar="PAGE", help="MyST pages")
    suggest.add_argument("--concepts-dir", default=CONCEPTS, help="the concept pages (default: %(default)s)")
    suggest.set_defaults(func=cmd_suggest)

    concepts = commands.add_parser("concepts", help="print the concept vocabulary: ids, titles, aliases")
    concepts.add_argument("--concepts-dir", default=CONCEPTS, help="the concept pages (default: %(default)s)")
    concepts.set_defaults(func=cmd_concepts)

    checker = commands.add_parser("check-source", help="check that a built page keeps every source word")
    checker.add_argument("source", metavar="SRC", help="the source text")
    checker.add_argument("page", metavar="PAGE", help="the built HTML page")
    checker.set_defaults(func=cmd_check_source)

    checksums = commands.add_parser("checksums", help="verify that the source texts are unchanged (SHA256SUMS)")
    checksums.add_argument(
        "--accept",
        nargs="+",
        default=[],
        metavar="FILE",
        help="record a deliberate change (or removal) of these texts first",
    )
    checksums.add_argument("--dir", default=SOURCE_TEXTS, help="the texts and their manifest (default: %(default)s)")
    checksums.set_defaults(func=cmd_checksums)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
