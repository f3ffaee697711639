"""Bad input for ``missiekaart import``: one clear line naming the file, or a correct page; never a traceback."""

import time

import pytest

from missiekaart.cli import main

BOMB = (
    "---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{letter}: &{letter} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, letter in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "---\nTekst.\n"
)


def run_import(tmp_path, capsys, data: bytes, *options: str, name: str = "bron.txt"):
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "pages"
    status = main(["import", "--no-draft", str(source), "--source-dir", str(tmp_path), "--out-dir", str(out), *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    written = sorted(path.name for path in out.iterdir()) if out.exists() else []
    return status, captured, written, source


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 0, "no text to import"),
        (b" \n\t\n\n   \n", 0, "no text to import"),
        (b"---\nlayout: page\npermalink: /x/\n---\n", 0, "no text to import"),
        (b"---\nlayout: page\n---\n\n{% include kop.html %}\n", 0, "no text to import"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 2, "control character"),
        (b"Titel\n\nbyte \x81 hier\n", 3, "cannot decode byte 0x81"),
        (b"---\ntitle: !!python/object/apply:os.system [ls]\n---\nTekst.\n", 2, "broken YAML front matter"),
        (b"---\ntitle: !eigen x\n---\nTekst.\n", 2, "broken YAML front matter"),
        (BOMB.encode(), 3, "YAML aliases (*name) are not allowed"),
    ],
)
def test_bad_input_is_one_located_error_and_no_page(tmp_path, capsys, data, line, message):
    started = time.perf_counter()
    status, captured, written, source = run_import(tmp_path, capsys, data)
    assert status == 1 and written == []
    location = f"{source}:{line}" if line else f"{source}"
    assert captured.err.startswith(f"{location}: error: ") and message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert time.perf_counter() - started < 2


def test_a_name_with_a_newline_is_refused(tmp_path, capsys):
    status, captured, written, source = run_import(tmp_path, capsys, b"Tekst.\n", "--name", "De\nBrug")
    assert status == 1 and written == []
    assert captured.err == f"{source}: error: --name must be one non-empty line\n"


def test_only_front_matter_with_reader_text_is_a_page(tmp_path, capsys):
    status, _, written, _ = run_import(tmp_path, capsys, b"---\ntitle: De Brug\ndescription: Samen sterk.\n---\n")
    assert status == 0 and written == ["bron.md"]
    page = (tmp_path / "pages" / "bron.md").read_text(encoding="utf-8")
    assert page.endswith("\n# De Brug\n\nSamen sterk.\n")  # the title comes from the front matter


def test_a_large_text_becomes_a_page(tmp_path, capsys):
    paragraph = "Wij werken samen met gezinnen, scholen en buurten in de hele regio. " * 8
    status, _, written, _ = run_import(tmp_path, capsys, ("Titel\n\n" + f"{paragraph}\n\n" * 800).encode())
    assert status == 0 and written == ["bron.md"]
    assert (tmp_path / "pages" / "bron.md").read_text(encoding="utf-8").count(paragraph.strip()) == 800


def test_an_unwritable_page_is_an_error_and_leaves_no_temporary_file(tmp_path, capsys):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "bron.md").mkdir()  # a directory where the page should go
    status, captured, written, _ = run_import(tmp_path, capsys, b"Tekst.\n", "--force")
    assert status == 1 and written == ["bron.md"]
    assert "error: cannot write the page" in captured.err


def test_the_report_lists_every_decision_with_its_line(tmp_path, capsys):
    status, captured, _, source = run_import(
        tmp_path,
        capsys,
        b"Verslag\n\nDe dienst werd erkend door de overheid1 sinds jaren.\n\n1 Via het Agentschap\n"
        b"Pagina 1 van 2\nTweede pagina.\n\nPagina 2 van 2\n",
    )
    assert status == 0
    assert captured.out.splitlines()[1:] == [
        f"  {source}:1: heading (level 2): 'Verslag'",
        f"  {source}:3: footnote [^1] linked to its text on line 5",
        f"  {source}:6: dropped page number: 'Pagina 1 van 2'",
        f"  {source}:9: dropped page number: 'Pagina 2 van 2'",
    ]


def test_the_report_lists_template_code_and_links(tmp_path, capsys):
    status, captured, _, source = run_import(
        tmp_path, capsys, b"---\ntitle: Missie\n---\n{% include kop.html %}\nZie [ons](/over/).\n", name="bron.md"
    )
    assert status == 0
    assert f"  {source}:4: dropped template code: '{{% include kop.html %}}'" in captured.out
    assert f"  {source}:5: link to '/over/' kept as its text only" in captured.out
