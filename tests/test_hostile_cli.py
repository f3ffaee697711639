"""Hostile input to the command line, without a Sphinx build: paths, file names, special files,
sizes, front matter, and text that must reach the page as text (issue 22)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hostile import live_markup
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from missiekaart.cli import main
from missiekaart.importer import manifest
from missiekaart.importer.sourcefile import MAX_SOURCE_BYTES, SourceError, read_bytes

TEXT = "Over ons\n\nWij werken samen met kwetsbare gezinnen in de buurt.\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project: source_texts/ and docs/organisations/, the working directory."""
    (tmp_path / "source_texts").mkdir()
    (tmp_path / "docs" / "organisations").mkdir(parents=True)
    (tmp_path / "elders").mkdir()
    (tmp_path / "elders" / "credentials.txt").write_text("Geheim wachtwoord.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["import", "--no-draft", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.out, captured.err


def pages(project: Path) -> list[str]:
    return sorted(path.name for path in (project / "docs" / "organisations").iterdir())


@pytest.mark.parametrize("path", ["elders/credentials.txt", "source_texts/../elders/credentials.txt", "{abs}"])
def test_a_text_outside_the_source_texts_is_refused_and_nothing_is_written(project, capsys, path):
    path = path.format(abs=project / "elders" / "credentials.txt")
    status, _, err = run(capsys, path)
    assert status == 1
    assert f"{path}: error: this file is outside source_texts/, the folder of source texts" in err
    assert pages(project) == []
    assert not (project / "elders" / manifest.MANIFEST).exists()
    assert not (project / "source_texts" / manifest.MANIFEST).exists()


def test_a_link_in_the_source_texts_to_a_file_elsewhere_is_refused(project, capsys):
    (project / "source_texts" / "link.txt").symlink_to(project / "elders" / "credentials.txt")
    status, _, err = run(capsys, "source_texts/link.txt")
    assert status == 1
    assert f"(a link to {project / 'elders' / 'credentials.txt'}) is outside source_texts/" in err
    assert pages(project) == []
    problems = manifest.verify(project / "source_texts")
    assert any("link.txt: error: this file (a link to" in problem for problem in problems)


def test_special_files_are_refused_at_once(project, capsys):
    fifo = project / "source_texts" / "pijp.txt"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    status, _, err = run(capsys, "source_texts/pijp.txt")
    assert status == 1 and "this is a named pipe, not a text file" in err
    with pytest.raises(SourceError, match="this is a device, not a text file"):
        read_bytes("/dev/zero")
    (project / "source_texts" / "map.txt").mkdir()
    status, _, err = run(capsys, "source_texts/map.txt")
    assert status == 1 and "this is a folder, not a text file" in err


def test_a_text_over_the_size_limit_is_refused_without_being_read(project, capsys):
    huge = project / "source_texts" / "groot.txt"
    with huge.open("wb") as stream:
        stream.truncate(MAX_SOURCE_BYTES + 1)  # sparse: nothing to read
    status, _, err = run(capsys, "source_texts/groot.txt")
    assert status == 1
    assert f"the file is {MAX_SOURCE_BYTES + 1:,} bytes, more than the {MAX_SOURCE_BYTES:,}" in err


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("x%20y#frag?q.txt", "x-20y-frag-q.txt"),
        ("de brug.txt", "de-brug.txt"),
        ("regel\neen.txt", "regel-een.txt"),
        ("x}]{}\\input{^^2fetc}.txt", "x-input-2fetc.txt"),
        ("-n.txt", "n.txt"),
    ],
)
def test_a_file_name_that_would_break_the_page_address_is_refused_with_a_slug(project, capsys, name, suggestion):
    (project / "source_texts" / name).write_text(TEXT, encoding="utf-8")
    status, _, err = run(capsys, f"source_texts/{name}")
    assert status == 1
    assert f"use letters, digits and hyphens only: rename the file (not its text) to {suggestion}" in err
    assert pages(project) == []


def test_the_manifest_escapes_names_as_sha256sum_does(project):
    """A name with a line break or a backslash (recorded by ``checksums --accept``) keeps the
    manifest readable, by us and by ``sha256sum -c``."""
    texts = project / "source_texts"
    for name in ("regel\neen.txt", "back\\slash.txt", "gewoon.txt", "ver\u2028deeld.txt"):
        (texts / name).write_text(TEXT, encoding="utf-8")
        manifest.record(texts / name)
    assert sorted(manifest.read(texts / manifest.MANIFEST)) == sorted(
        ["regel\neen.txt", "back\\slash.txt", "gewoon.txt", "ver\u2028deeld.txt"]
    )
    assert manifest.verify(texts) == []
    if shutil.which("sha256sum"):
        result = subprocess.run(["sha256sum", "-c", manifest.MANIFEST], cwd=texts, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_page_is_written_with_the_usual_mode_and_the_text_recorded_after_it(project, capsys):
    (project / "source_texts" / "de-brug.txt").write_text(TEXT, encoding="utf-8")
    previous = os.umask(0o022)
    try:
        assert run(capsys, "source_texts/de-brug.txt")[0] == 0
    finally:
        os.umask(previous)
    assert (project / "docs" / "organisations" / "de-brug.md").stat().st_mode & 0o777 == 0o644
    assert "de-brug.txt" in manifest.read(project / "source_texts" / manifest.MANIFEST)


def test_a_failed_page_write_records_nothing(project, capsys):
    (project / "source_texts" / "de-brug.txt").write_text(TEXT, encoding="utf-8")
    (project / "docs" / "organisations" / "de-brug.md").mkdir()  # a folder where the page should go
    status, _, err = run(capsys, "source_texts/de-brug.txt", "--force")
    assert status == 1 and "de-brug.md: error: cannot write the page" in err
    assert not (project / "source_texts" / manifest.MANIFEST).exists()


def test_front_matter_nested_without_bound_is_a_located_error(project, capsys):
    deep = "---\ntitle: Diep\nx: " + "[" * 400 + "]" * 400 + "\n---\n" + TEXT
    (project / "source_texts" / "diep.md").write_text(deep, encoding="utf-8")
    status, _, err = run(capsys, "source_texts/diep.md")
    assert status == 1
    assert "source_texts/diep.md:3: error: the front matter is nested more than 32 levels deep" in err


def test_an_impossible_date_in_an_export_is_kept_as_its_text(project, capsys):
    (project / "source_texts" / "datum.md").write_text(
        "---\ntitle: Datum\ndatePublished: 2016-02-30\n---\n" + TEXT, encoding="utf-8"
    )
    status, _, err = run(capsys, "source_texts/datum.md")
    assert status == 0, err
    page = (project / "docs" / "organisations" / "datum.md").read_text(encoding="utf-8")
    assert "mk-source-datePublished: '2016-02-30'" in page


def test_check_source_on_a_text_that_became_binary_is_an_error(project, capsys):
    source = project / "source_texts" / "kapot.txt"
    source.write_bytes(b"Tekst\n\x00\x00\n")
    assert main(["check-source", str(source), str(project / "page.html")]) == 1
    err = capsys.readouterr().err
    assert "kapot.txt:2: error: control character U+0000 found" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("bron.txt", "<img src=x onerror=alert(2)>"),
        ("bron.txt", "<script>alert(2)</script>"),
        ("bron.md", None),
    ],
)
def test_names_titles_and_drafts_reach_the_page_as_text(project, capsys, source, name):
    """``--name``, a front-matter title, a value list under a values heading and a bold lead-in
    with entities: the drafted page, read by MyST's own parser, holds no HTML."""
    body = (
        "---\ntitle: '<img src=x onerror=alert(4)>'\n---\n# Onze waarden\n\n"
        "- **&lt;img src=x onerror=alert(5)&gt;**: wij zijn eerlijk.\n- Respect <img src=x onerror=alert(6)>\n"
        if source.endswith(".md")
        else "De Brug\n\nOnze missie\n\nWij werken samen met kwetsbare gezinnen.\n\nKernwaarden\n\n"
        "- Respect <img src=x onerror=alert(1)>\n- Samen & sterk &amp; eerlijk\n"
    )
    (project / "source_texts" / source).write_text(body, encoding="utf-8")
    options = ["--name", name] if name else []
    status = main(["import", f"source_texts/{source}", "--concepts-dir", str(project / "geen"), *options])
    assert status == 0, capsys.readouterr().err
    page = (project / "docs" / "organisations" / f"{Path(source).stem}.md").read_text(encoding="utf-8")
    assert "{value-card}" in page
    parser = create_md_parser(MdParserConfig(), RendererHTML)
    html = parser.render(page)  # the page around the cards, with the title the mission card shows
    assert live_markup(html, "alert(") == []
    assert "<img" not in html and "<script" not in html
    titles = [line.split("}", 1)[1] for line in page.splitlines() if line.startswith("```{value-card}")]
    assert titles, page
    for title in titles:  # what the value-card directive parses as its title
        tokens = parser.parseInline(title)[0].children or []
        assert [token.type for token in tokens if "html" in token.type] == [], title


def test_prose_dropped_as_debris_is_a_located_warning(project, capsys):
    """Dropping a run of ordinary words is never silent: it is itemised, and warned about as prose."""
    (project / "source_texts" / "pagina.html").write_text(
        "<html><body><footer><p>Wij zijn een organisatie die al dertig jaar werkt voor mensen in armoede "
        "in de stad.</p></footer><main><p>Onze missie.</p></main></body></html>",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "source_texts/pagina.html")
    assert status == 0
    assert "source_texts/pagina.html:1: dropped site chrome <footer>: 'Wij zijn een organisatie" in out
    assert "source_texts/pagina.html:1: warning: 16 words dropped as site chrome <footer>: 'Wij zijn" in err


def test_a_page_whose_every_word_is_left_out_is_an_error_that_says_what_was_left_out(project, capsys):
    (project / "source_texts" / "pagina.html").write_text(
        "<html><body>\n<nav><a href='/'>Home</a></nav>\n<form><label>Schrijf je in voor de nieuwsbrief</label>"
        "<input name='mail'><button>Verstuur</button></form>\n</body></html>",
        encoding="utf-8",
    )
    status, _out, err = run(capsys, "source_texts/pagina.html")
    assert status == 1 and pages(project) == []
    assert err.startswith(
        "source_texts/pagina.html:2: error: no text to import: everything a reader could see was left out "
        "(2 pieces), the first as site chrome <nav>: 'Home'"
    )
