"""Reading source texts: encodings, line ends and YAML front matter."""

import pytest

from missiekaart.importer.sourcefile import SourceError, read_source


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
