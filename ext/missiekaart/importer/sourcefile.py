"""Read a source text: decode it, normalise line ends and split off YAML front matter."""

from __future__ import annotations

import bisect
import codecs
import datetime
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "MAX_FRONT_MATTER_DEPTH",
    "MAX_SOURCE_BYTES",
    "SOURCE_SUFFIXES",
    "MissingSource",
    "SourceError",
    "SourceText",
    "below",
    "decode",
    "inside",
    "page_source",
    "read_bytes",
    "read_source",
    "within",
]

#: The largest source text read, in bytes. A mission text is a few kilobytes and a year report's
#: text well under a megabyte; this bounds what a mistaken path (a disk image, ``/dev/zero``) costs.
MAX_SOURCE_BYTES = 4 * 1024 * 1024
#: The formats read, by file suffix; any other suffix is read as plain text.
SOURCE_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".pdf": "pdf", ".docx": "docx"}
#: How deeply front matter may nest mappings and lists. Real exports nest two or three levels;
#: PyYAML builds nested data by recursion, so an unbounded depth is a crash, not a page.
MAX_FRONT_MATTER_DEPTH = 32


class SourceError(Exception):
    """A source text the importer cannot use, with its location and a hint to fix it."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        return f"{location}: error: {self.message}"


@dataclass
class SourceText:
    """A decoded source text: its front matter and its body lines, numbered as in the file.

    A PDF's lines are those of its extracted text (pages start with a form feed), a Word file's are
    its paragraphs (see :mod:`missiekaart.importer.formats`); :meth:`place` says where a line is for a reader.
    """

    path: Path
    encoding: str
    front_matter: dict[str, object]
    lines: list[tuple[int, str]]
    warnings: list[str] = field(default_factory=list)
    front_matter_node: yaml.Node | None = None  # the parsed YAML, with line marks (line 1 is the '---')
    has_front_matter: bool = False
    format: str = "text"  # how the file was read: "text", "markdown", "pdf" or "docx"
    html: str = ""  # a Word file as HTML (mammoth's), for the HTML path
    notes: list[tuple[int, str]] = field(default_factory=list)  # what reading the file decided, by line (0: none)
    page_starts: tuple[int, ...] = ()  # a PDF's first line of each page

    def place(self, line: int) -> str:
        """Where *line* is for a reader: "page 3, line 12" in a PDF (the 12th line with text on the
        page), "paragraph 12" in a Word file; empty for a text file, whose line is its own."""
        if self.format == "docx" and line > 0:
            return f"paragraph {line}"
        if self.format != "pdf" or not self.page_starts or line <= 0:
            return ""
        page = bisect.bisect_right(self.page_starts, line)
        if not page:
            return ""
        start = self.page_starts[page - 1]
        shown = sum(1 for no, text in self.lines[start - 1 : line] if text.strip("\f \t"))
        return f"page {page}, line {max(shown, 1)}"


# C0 controls other than tab, line feed, form feed and carriage return, DEL, the C1 controls, and
# the Unicode noncharacters (U+FDD0..U+FDEF and the last two code points of every plane): none is
# text a reader sees, and none can be printed.
_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef{_NONCHARACTERS}]")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, path: str | Path) -> tuple[str, str, list[str]]:
    """Decode *data* as UTF-8 (BOM optional), else Windows-1252; return text, encoding, warnings.

    Line ends are normalised to ``\\n``. Raises :class:`SourceError` for undecodable or binary data.
    """
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(path, 1, "the file is UTF-16 encoded; save it as UTF-8 and import it again")
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8-sig"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise SourceError(
                path,
                _line_of(data, error.start),
                f"cannot decode byte 0x{data[error.start]:02x}: the file is neither UTF-8 nor "
                "Windows-1252; save it as UTF-8 and import it again",
            ) from None
        encoding = "cp1252"
        warnings.append(
            f"{path}:{_line_of(data, utf8_error.start)}: warning: not valid UTF-8 "
            f"(byte 0x{data[utf8_error.start]:02x}); read as Windows-1252, as older Windows programs "
            "save text. Check a few accents on the page; the file itself stays as it is (never re-save a "
            "source text), and the site serves it as UTF-8"
        )
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise SourceError(
            path,
            line,
            f"control character U+{ord(control.group()):04X} found: this does not look like a "
            "text file; export the text from the organisation's document again",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, warnings


def _plain(value: object) -> object:
    """Turn YAML values into what MyST front matter can hold (no dates, no custom types)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class FrontMatterProblem(yaml.MarkedYAMLError):
    """Front matter that PyYAML would read but Missiekaart refuses, at *problem_mark*."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class AliasError(FrontMatterProblem):
    """An alias (``*name``) in front matter, at *mark*."""

    def __init__(self, mark: yaml.Mark | None) -> None:
        super().__init__("aliases (*name) are not allowed in front matter", mark)


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader, bounded: no aliases (an alias expands into a copy of its anchor, and
    nested aliases, "billion laughs", grow a few hundred bytes into gigabytes), no nesting deeper
    than :data:`MAX_FRONT_MATTER_DEPTH` (PyYAML composes by recursion), and an impossible date
    (``2016-02-30``) is a located problem (``strict_dates``) or kept as the text it is."""

    strict_dates = True

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise AliasError(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        self._depth += 1
        try:
            if self._depth > MAX_FRONT_MATTER_DEPTH:
                raise FrontMatterProblem(
                    f"nested more than {MAX_FRONT_MATTER_DEPTH} levels deep",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            if not self.strict_dates:
                return node.value
            raise FrontMatterProblem(f"{node.value!r} is not a date that exists ({error})", node.start_mark) from None


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp)


class _LenientDates(_FrontMatterLoader):
    strict_dates = False


def load_yaml(text: str, *, strict_dates: bool = True) -> tuple[yaml.Node | None, object]:
    """The YAML document in *text*, as a node and as data. Raises a :class:`yaml.YAMLError` with a
    mark for broken YAML and for what :class:`_FrontMatterLoader` refuses; with *strict_dates*
    false an impossible date stays a string. Shared by the importer and the build's front matter check."""
    loader = (_FrontMatterLoader if strict_dates else _LenientDates)(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _split_front_matter(lines: list[str], path: str | Path) -> tuple[dict[str, object], yaml.Node | None, int]:
    """Return the parsed front matter, its YAML node and the index of the first body line."""
    if lines and lines[0].rstrip() == "+++":
        return _split_toml(lines, path)
    if not lines or lines[0].rstrip() != "---":
        return {}, None, 0
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise SourceError(
            path, 1, "the front matter opened by '---' on line 1 is never closed; add a '---' line after it"
        )
    try:
        # An organisation's export is never edited: an impossible date in it is kept as its text.
        node, data = load_yaml("\n".join(lines[1:end]), strict_dates=False)
    except AliasError as error:
        raise SourceError(
            path,
            error.problem_mark.line + 2 if error.problem_mark else 1,
            "YAML aliases (*name) are not allowed in front "
            "matter: they can expand without bound; write the value out instead",
        ) from None
    except FrontMatterProblem as error:
        raise SourceError(
            path,
            error.problem_mark.line + 2 if error.problem_mark else 1,
            f"the front matter is {error.problem}; the importer cannot read it",
        ) from None
    except yaml.YAMLError as error:
        # Point at the start of the broken construct (an unclosed quote or bracket), else at the problem.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = "; ".join(filter(None, [getattr(error, "context", None), getattr(error, "problem", None)]))
        problem = problem or "invalid YAML"
        raise SourceError(
            path, line, f"broken YAML front matter ({problem}); fix the YAML between the '---' lines"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(path, 2, "the front matter must be YAML 'key: value' pairs, not a single value or a list")
    return _plain(data), node, end + 1  # type: ignore[return-value]


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def _file_problem(status: os.stat_result, limit: int) -> str | None:
    """Why a file with *status* is no source text: not a regular file, or too large; ``None`` if it is one."""
    if not stat.S_ISREG(status.st_mode):
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
        return f"this is {kind}, not a text file; give the path of a saved text file"
    if status.st_size > limit:
        return (
            f"the file is {status.st_size:,} bytes, more than the {limit:,} a source text may have; "
            "is this the organisation's text? Import its mission and vision part"
        )
    return None


def read_bytes(path: str | Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of the regular file *path*, at most *limit* of them; :class:`SourceError` otherwise.

    The file is opened without waiting (a named pipe would block until written to) and checked on
    the open descriptor, so what is checked is what is read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise SourceError(path, 0, f"cannot read the file ({error.strerror})") from None
    try:
        problem = _file_problem(os.fstat(descriptor), limit)
        if problem:
            raise SourceError(path, 0, problem)
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise SourceError(path, 0, f"cannot read the file ({error.strerror})") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:  # it grew while being read
        raise SourceError(path, 0, f"the file is more than the {limit:,} bytes a source text may have")
    return data


def inside(path: str | Path, folder: str | Path, shown: str | None = None, real_folder: str | None = None) -> Path:
    """*path* resolved (symbolic links followed), if that is inside *folder*; :class:`SourceError` if not.

    Every source text the importer reads and the build publishes is in the project's folder of
    source texts (*shown* is its name for messages), so that a path in a page (``../../etc/passwd``,
    ``/proc/self/environ``) or a link in the folder can never publish another file of the machine.
    Whether the file exists is left to the caller. A caller that asks for many paths of one folder
    may give the folder resolved once, as *real_folder*.
    """
    real_folder = real_folder or os.path.realpath(folder)
    resolved = _plainly_inside(str(path), str(folder), real_folder) or os.path.realpath(path)
    if not within(resolved, real_folder):
        link = f" (a link to {resolved})" if Path(path).is_symlink() else ""
        where = shown or str(folder)
        raise SourceError(
            Path(path),
            0,
            f"this file{link} is outside {where}/, the folder of source texts; save the organisation's "
            f"text itself in {where}/ and use that path",
        )
    return Path(resolved)


def _plainly_inside(path: str, folder: str, real_folder: str) -> str | None:
    """*path* resolved, if it is *folder*/name/... written plainly (no empty, ``.`` or ``..`` part)
    and no part below the folder is a symbolic link: then it is *real_folder* with those parts, as
    ``os.path.realpath`` would say, for one ``lstat`` per part below the folder instead of one per
    part from the root (a build asks for each of 10,000 texts). ``None``: resolve it in full."""
    rest = below(path, folder)
    if rest is None:
        return None
    current = real_folder.rstrip(os.sep)
    for part in rest.split(os.sep):  # noqa: PTH206  # Path.parts would drop the "" and "." parts this must see
        if part in ("", ".", ".."):
            return None
        current = f"{current}{os.sep}{part}"
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return None
        except OSError:  # not there, or not a folder: os.path.realpath says what it is
            return None
    return current


def below(path: str, folder: str) -> str | None:
    """The part of *path* after *folder* and a separator (``Path.relative_to`` on strings: no path
    objects made for each of 10,000 source texts), or ``None`` if *path* is not below *folder*."""
    prefix = folder.rstrip(os.sep) + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else None


def within(path: str, folder: str) -> bool:
    """Whether the resolved *path* is resolved *folder* or inside it."""
    return path == folder or below(path, folder) is not None


class MissingSource(SourceError):
    """A page's ``mk-source`` names a file that does not exist."""


def page_source(
    value: object, root: str | Path, folder: str, limit: int = MAX_SOURCE_BYTES, real_folder: str | None = None
) -> Path:
    """The source text a page's ``mk-source`` names, resolved: a path relative to the project *root*,
    inside its *folder* of source texts, to a regular file of at most *limit* bytes. Raises
    :class:`MissingSource` if there is no such file, :class:`SourceError` for any other problem.
    Nothing is read. *real_folder*: the folder resolved, as :func:`inside` takes it."""
    if not isinstance(value, str) or not value.strip() or any(not char.isprintable() for char in value):
        raise SourceError(str(value), 0, "mk-source must be the path of a source text, e.g. source_texts/<slug>.txt")
    # Joined as strings: a build asks this for each of 10,000 organisations.
    resolved = inside(os.path.join(root, value), os.path.join(root, folder), folder, real_folder)  # noqa: PTH118
    try:
        status = resolved.stat()
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise MissingSource(value, 0, "there is no such file") from None
        raise SourceError(value, 0, f"cannot read the file ({error.strerror})") from None
    problem = _file_problem(status, limit)
    if problem:
        raise SourceError(value, 0, problem)
    return resolved


def _split_toml(lines: list[str], path: str | Path) -> tuple[dict[str, object], yaml.Node | None, int]:
    """TOML front matter between ``+++`` lines (Hugo, Zola), as :func:`_split_front_matter` returns YAML's."""
    from missiekaart.importer.tomlmatter import as_yaml_node, key_lines, load_toml

    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() == "+++"), None)
    if end is None:
        raise SourceError(
            path, 1, "the front matter opened by '+++' on line 1 is never closed; add a '+++' line after it"
        )
    body = lines[1:end]
    try:
        data = load_toml("\n".join(body))
    except ValueError as error:  # tomllib.TOMLDecodeError
        where = re.search(r"line (\d+)", str(error))
        line = int(where.group(1)) + 1 if where else 1
        raise SourceError(path, line, f"broken TOML front matter ({error}); the importer cannot read it") from None
    if _depth(data) > MAX_FRONT_MATTER_DEPTH:
        raise SourceError(path, 2, f"the front matter is nested more than {MAX_FRONT_MATTER_DEPTH} levels deep")
    return _plain(data), as_yaml_node(data, key_lines(body)), end + 1  # type: ignore[return-value]


def _depth(value: object) -> int:
    """How deeply *value* nests mappings and lists, counted without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack += [(child, depth + 1) for child in item.values()]
        elif isinstance(item, list):
            stack += [(child, depth + 1) for child in item]
    return deepest


_OTHER_FORMATS = {b"%PDF-": ".pdf", b"PK\x03\x04": ".docx"}


def read_source(path: str | Path) -> SourceText:
    """Read a source file by its suffix (:data:`SOURCE_SUFFIXES`): a text is decoded, a PDF or Word file
    has its text extracted (:mod:`missiekaart.importer.formats`); raise :class:`SourceError` when it cannot be used."""
    path = Path(path)
    data = read_bytes(path)
    kind = SOURCE_SUFFIXES.get(path.suffix.lower(), "text")
    if kind in ("pdf", "docx"):
        from missiekaart.importer.formats import read_binary

        return read_binary(path, data, kind)
    for magic, suffix in _OTHER_FORMATS.items():
        if data.startswith(magic) and (suffix == ".pdf" or b"word/" in data[:4096]):
            raise SourceError(
                path,
                1,
                f"this is a {'PDF' if suffix == '.pdf' else 'Word file'}, not a text: rename it to {path.stem}{suffix}",
            )
    text, encoding, warnings = decode(data, path)
    raw_lines = text.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    front_matter, node, start = _split_front_matter(raw_lines, path)
    lines = [(number + 1, raw_lines[number]) for number in range(start, len(raw_lines))]
    return SourceText(path, encoding, front_matter, lines, warnings, node, start > 0, format=kind)
