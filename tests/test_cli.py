"""The missiekaart command line: import and check-source."""

import re
import shutil
import subprocess
import sys

from missiekaart.cli import main

from conftest import SOURCE_TEXTS


def test_import_writes_a_page_and_refuses_to_overwrite(tmp_path, capsys):
    source = tmp_path / "de-tuin.txt"
    source.write_text("Missie\n\nWe werken samen.\n", encoding="utf-8")
    out = tmp_path / "pages"
    assert (
        main(
            [
                "import",
                str(source),
                "--source-dir",
                str(tmp_path),
                "--out-dir",
                str(out),
                "--name",
                "De Tuin",
                "--no-draft",
            ]
        )
        == 0
    )
    page = (out / "de-tuin.md").read_text(encoding="utf-8")
    assert "# De Tuin\n\n## Missie\n\nWe werken samen.\n" in page
    assert main(["import", str(source), "--source-dir", str(tmp_path), "--out-dir", str(out)]) == 1
    assert "pass --force to overwrite it" in capsys.readouterr().err
    assert main(["import", str(source), "--source-dir", str(tmp_path), "--out-dir", str(out), "--force"]) == 0
    assert "# De Tuin" in (out / "de-tuin.md").read_text(encoding="utf-8")  # default name from the file name


def test_import_reports_an_undecodable_file_and_writes_no_page(tmp_path, capsys):
    bad = tmp_path / "kapot.txt"
    bad.write_bytes(b"Titel\n\nbyte \x81 hier\n")
    good = tmp_path / "goed.txt"
    good.write_text("Titel\n\nTekst.\n", encoding="utf-8")
    out = tmp_path / "pages"
    assert main(["import", str(bad), str(good), "--source-dir", str(tmp_path), "--out-dir", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3: error: cannot decode byte 0x81" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["goed.md"]


def test_import_reports_broken_front_matter(tmp_path, capsys):
    bad = tmp_path / "fm.txt"
    bad.write_text("---\ntitle: 'open\n---\nTekst\n", encoding="utf-8")
    assert main(["import", str(bad), "--source-dir", str(tmp_path), "--out-dir", str(tmp_path / "pages")]) == 1
    assert f"{bad}:2: error: broken YAML front matter (while scanning a quoted scalar" in capsys.readouterr().err


def test_check_source_lists_missing_and_reordered_words(build_text, capsys):
    built = build_text("Titel\n\nEen twee drie vier.\n\nVijf zes zeven.\n")
    assert main(["check-source", str(built.source.path), str(built.html)]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
    html = built.html.read_text(encoding="utf-8")
    built.html.write_text(html.replace("drie vier", "vier").replace("Vijf zes", "zes Vijf"), encoding="utf-8")
    assert main(["check-source", str(built.source.path), str(built.html)]) == 1
    captured = capsys.readouterr()
    assert f"{built.source.path}:3: missing: 'drie'" in captured.err
    assert re.search(rf"{re.escape(str(built.source.path))}:5: out of order: '(Vijf|zes)'", captured.err)
    assert captured.out.startswith("FAILED: ")


def test_check_source_lists_dropped_debris(build_text, capsys):
    built = build_text("Titel\n\nTekst een.\n\n7\n\fTweede.\n\n8\n")
    assert main(["check-source", str(built.source.path), str(built.html)]) == 0
    out = capsys.readouterr().out
    assert f"{built.source.path}:5: dropped as page number (allowed): '7'" in out
    assert f"{built.source.path}:8: dropped as page number (allowed): '8'" in out


WEB_PAGE = """<!DOCTYPE html>
<html><head><title>Missie - Buurtwerk De Linde</title></head>
<body>
<nav>
<ul><li><a href="/">Home</a></li>
<li><a href="/over">Over ons</a></li>
<li><a href="/missie">Missie</a></li>
<li><a href="/team">Ons team</a></li>
<li><a href="/aanbod">Aanbod</a></li>
<li><a href="/agenda">Agenda</a></li>
<li><a href="/nieuws">Nieuws</a></li>
<li><a href="/contact">Contact</a></li>
<li><a href="/doneren">Doneren</a></li>
<li><a href="/vacatures">Vacatures</a></li>
<li><a href="/vrijwilliger">Word vrijwilliger</a></li>
<li><a href="/privacy">Privacy</a></li></ul>
</nav>
<main>
<h1>Onze missie</h1>
<p>Buurtwerk De Linde brengt bewoners van de Lindewijk samen, zodat niemand er alleen voor staat.</p>
<p>Wij organiseren ontmoeting, huiswerkbegeleiding en een wekelijkse eettafel, samen met vrijwilligers uit de buurt.</p>
</main>
<aside class="sidebar"><h3>Nieuws</h3>
<p>Op zaterdag 15 juni vieren we ons tienjarig bestaan met een groot buurtfeest op het pleintje voor het buurthuis.</p>
</aside>
<footer><p>Buurtwerk De Linde vzw · Lindestraat 4 · 9000 Gent</p></footer>
</body></html>
"""


def lines_of(text: str, source: str, marker: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"{source}:") and marker in line]


def test_import_of_a_web_page_warns_of_prose_outside_its_main_content_not_of_its_menu(tmp_path, capsys):
    """The sidebar's news is a sentence a reader saw: left out, it is itemised and warned about with its
    line; the menu's fifteen words are items of one or two words, itemised without a warning."""
    source = tmp_path / "de-linde.html"
    source.write_text(WEB_PAGE, encoding="utf-8")
    args = ["import", str(source), "--source-dir", str(tmp_path), "--out-dir", str(tmp_path), "--no-draft"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert [line.split(": '")[0] for line in lines_of(captured.out, f"  {source}", "dropped")] == [
        f"  {source}:4: dropped outside the page's main content (navigation)",
        f"  {source}:23: dropped outside the page's main content (sidebar)",
        f"  {source}:26: dropped outside the page's main content (footer)",
    ]
    assert [line.split(": '")[0] for line in lines_of(captured.err, str(source), "warning")] == [
        f"{source}:23: warning: 20 words dropped as outside the page's main content (sidebar)"
    ]


def test_check_source_on_a_web_page_allows_what_lies_outside_its_main_content_and_warns_of_prose(
    build_source, tmp_path, capsys
):
    source = tmp_path / "de-linde.html"
    source.write_text(WEB_PAGE, encoding="utf-8")
    built = build_source(source)
    assert main(["check-source", str(source), str(built.html)]) == 0
    captured = capsys.readouterr()
    assert len(lines_of(captured.out, str(source), "(allowed)")) == 3
    assert [line.split(": '")[0] for line in lines_of(captured.err, str(source), "warning")] == [
        f"{source}:23: warning: 20 words dropped as outside the page's main content (sidebar)"
    ]
    assert captured.out.splitlines()[-1].startswith(f"OK: {source}: 31 of 31 words found in order")
    html = built.html.read_text(encoding="utf-8")
    built.html.write_text(html.replace("eettafel", "maaltijd"), encoding="utf-8")
    assert main(["check-source", str(source), str(built.html)]) == 1  # a word of the main content is missing
    assert f"{source}:21: missing: 'eettafel'" in capsys.readouterr().err


def test_check_source_without_a_built_page_is_a_clear_error(tmp_path, capsys):
    source = sorted(SOURCE_TEXTS.glob("*.txt"))[0]
    assert main(["check-source", str(source), str(tmp_path / "nope.html")]) == 1
    assert "build the site first" in capsys.readouterr().err


def test_console_script_is_installed():
    exe = shutil.which("missiekaart") or str(__import__("pathlib").Path(sys.executable).parent / "missiekaart")
    result = subprocess.run([exe, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "check-source" in result.stdout
