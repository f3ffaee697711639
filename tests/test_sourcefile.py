"""Reading source texts: encodings, line ends and YAML front matter."""

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missiekaart.importer.sourcefile import SourceError, inside, read_source


def write(tmp_path, data: bytes):
    path = tmp_path / "bron.txt"
    path.write_bytes(data)
    return path


def test_utf8_with_bom_and_crlf(tmp_path):
    source = read_source(write(tmp_path, b"\xef\xbb\xbfTitel\r\n\r\nCli\xc3\xabnt\rtwee\r\n"))
    assert source.encoding == "utf-8-sig"
    assert source.lines == [(1, "Titel"), (2, ""), (3, "Cliënt"), (4, "twee")]
    assert source.warnings == []


def test_windows_1252_falls_back_with_a_warning_naming_the_file(tmp_path):
    path = write(tmp_path, "Titel\n\nCliënt “zegt” €\n".encode("cp1252"))
    source = read_source(path)
    assert source.encoding == "cp1252"
    assert source.lines[2] == (3, "Cliënt “zegt” €")
    assert len(source.warnings) == 1
    assert source.warnings[0].startswith(f"{path}:3: warning: not valid UTF-8 (byte 0xeb); read as Windows-1252")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"ok\nnot \x81 cp1252\n", 2, "cannot decode byte 0x81"),
        (b"tekst\n\x00\x01binary\n", 2, "control character U+0000"),
        ("Titel".encode("utf-16"), 1, "UTF-16"),
    ],
)
def test_undecodable_files_give_a_located_error(tmp_path, data, line, message):
    path = write(tmp_path, data)
    with pytest.raises(SourceError) as error:
        read_source(path)
    assert error.value.line == line
    assert str(error.value).startswith(f"{path}:{line}: error: ")
    assert message in str(error.value)


def test_front_matter_is_parsed_with_yaml(tmp_path):
    source = read_source(write(tmp_path, b"---\ntitle: 'Missie'\ndate: 2016-05-11\ntags: [a, b]\n---\nTekst\n"))
    assert source.front_matter == {"title": "Missie", "date": "2016-05-11", "tags": ["a", "b"]}
    assert source.lines == [(6, "Tekst")]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"---\ntitle: 'open\nurl: x\n---\nTekst\n", 2, "broken YAML front matter"),
        (b"---\ntitle: [a, b\n---\n", 2, "broken YAML front matter"),
        (b"---\n- a\n- b\n---\n", 2, "key: value"),
        (b"---\ntitle: x\n\nTekst\n", 1, "never closed"),
        (b"---\na: &x [*x]\n---\nTekst.\n", 2, "aliases (*name) are not allowed"),
        (b"---\na: &a [x, x]\nb: [*a, *a]\n---\nTekst.\n", 3, "aliases (*name) are not allowed"),
    ],
)
def test_broken_front_matter_gives_a_located_error(tmp_path, data, line, message):
    with pytest.raises(SourceError) as error:
        read_source(write(tmp_path, data))
    assert error.value.line == line
    assert message in error.value.message


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(SourceError, match="cannot read the file"):
        read_source(tmp_path / "bestaat-niet.txt")


# ---------------------------------------------------------------------------- where a path leads

PARTS = st.sampled_from(["tekst.txt", "map", "diep", "link-in", "link-uit", "link-map", "weg.txt", ".", "..", ""])


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A folder of source texts with a sub-folder, a file and links to a file inside, to a file
    outside and to a folder outside it; the outside folder beside it."""
    base = tmp_path_factory.mktemp("bomen")
    folder, outside = base / "source_texts", base / "elders"
    (folder / "map" / "diep").mkdir(parents=True)
    outside.mkdir()
    for place in (folder, folder / "map", folder / "map" / "diep", outside):
        (place / "tekst.txt").write_text("tekst", encoding="utf-8")
    (folder / "link-in").symlink_to(folder / "map" / "tekst.txt")
    (folder / "map" / "link-uit").symlink_to(outside / "tekst.txt")
    (folder / "link-map").symlink_to(outside, target_is_directory=True)
    return base


def resolved_in_full(path: str, folder: str) -> Path | None:
    """What :func:`inside` answered before it took the short way: the path resolved from the root."""
    resolved, real = os.path.realpath(path), os.path.realpath(folder)
    return Path(resolved) if resolved == real or resolved.startswith(real + os.sep) else None


@settings(max_examples=400, derandomize=True, deadline=None)
@given(parts=st.lists(PARTS, min_size=1, max_size=5), given_folder=st.booleans())
def test_a_path_resolves_as_realpath_resolves_it_whatever_its_links_and_dots(tree, parts, given_folder):
    """The short way (:func:`sourcefile._plainly_inside`, one ``lstat`` per part below the folder)
    gives what resolving the whole path gives, for plain paths, links inside and out, ``.``,
    ``..`` and empty parts: a file outside is refused either way."""
    folder = os.path.join(tree, "source_texts")  # noqa: PTH118  # inside() takes joined strings
    path = os.path.join(folder, *parts)  # noqa: PTH118
    expected = resolved_in_full(path, folder)
    real_folder = os.path.realpath(folder) if given_folder else None
    if expected is None:
        with pytest.raises(SourceError):
            inside(path, folder, "source_texts", real_folder)
    else:
        assert inside(path, folder, "source_texts", real_folder) == expected
