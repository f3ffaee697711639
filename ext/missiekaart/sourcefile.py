"""Read a source text: decode it, normalise line ends and split off YAML front matter."""

from __future__ import annotations

import codecs
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = ["SourceError", "SourceText", "decode", "read_source"]


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
    """A decoded source text: its front matter and its body lines, numbered as in the file."""

    path: Path
    encoding: str
    front_matter: dict[str, object]
    lines: list[tuple[int, str]]
    warnings: list[str] = field(default_factory=list)
    front_matter_node: yaml.Node | None = None  # the parsed YAML, with line marks (line 1 is the '---')
    has_front_matter: bool = False


# C0 controls other than tab, line feed, form feed and carriage return, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


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
            f"(byte 0x{data[utf8_error.start]:02x}); read as Windows-1252. Check the accents "
            "on the page, or save the file as UTF-8 to silence this warning"
        )
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise SourceError(
            path,
            line,
            f"control character U+{ord(control.group()):04X} found: this does not look like a "
            "text file; export the text again or remove the character",
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


class AliasError(yaml.YAMLError):
    """An alias (``*name``) in front matter, at *problem_mark*."""

    problem = "aliases (*name) are not allowed in front matter"

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__()
        self.problem_mark = mark


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: an alias expands into a copy of its anchor, and nested aliases
    ("billion laughs") grow a few hundred bytes into gigabytes, so front matter may not use them."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise AliasError(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def load_yaml(text: str) -> tuple[yaml.Node | None, object]:
    """The YAML document in *text*, as a node and as data; :class:`AliasError` for an alias, which
    could expand without bound. Shared by the importer and the build's front matter check."""
    loader = _FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _split_front_matter(lines: list[str], path: str | Path) -> tuple[dict[str, object], yaml.Node | None, int]:
    """Return the parsed front matter, its YAML node and the index of the first body line."""
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
        node, data = load_yaml("\n".join(lines[1:end]))
    except AliasError as error:
        raise SourceError(
            path,
            error.problem_mark.line + 2,
            "YAML aliases (*name) are not allowed in front "
            "matter: they can expand without bound; write the value out instead",
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


def read_source(path: str | Path) -> SourceText:
    """Read and decode a source text file; raise :class:`SourceError` when it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(path, 0, f"cannot read the file ({error.strerror})") from None
    text, encoding, warnings = decode(data, path)
    raw_lines = text.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    front_matter, node, start = _split_front_matter(raw_lines, path)
    lines = [(number + 1, raw_lines[number]) for number in range(start, len(raw_lines))]
    return SourceText(path, encoding, front_matter, lines, warnings, node, start > 0)
