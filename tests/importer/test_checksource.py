"""check-source without a Sphinx build: hand-written pages against real source files."""

import sys
import time

from missiekaart.cli import main
from missiekaart.importer.checksource import NOTE_CLOSE, NOTE_OPEN, Words, check_source, compare, read_page
from missiekaart.importer.readerwords import reader_words
from missiekaart.importer.sourcefile import read_source


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def page(tmp_path, body: str):
    return write(tmp_path, "page.html", f"<html><body><nav><h1>Menu</h1></nav><main>{body}</main></body></html>")


def test_read_page_takes_the_main_text_title_and_footnotes_at_their_references():
    title, words = read_page(
        '<nav>Menu</nav><article role="main"><h1>De Brug<a class="headerlink" href="#x">¶</a></h1>'
        '<p>Erkend<a class="footnote-reference brackets" href="#n1"><span class="fn-bracket">[</span>1'
        '<span class="fn-bracket">]</span></a> door <strong>W</strong>aardevol.<br>Slot</p>'
        '<script>var x = 1;</script><aside class="footnote-list"><aside class="footnote" id="n1">'
        '<span class="label">1</span><p>Via het Agentschap</p></aside></aside></article>'
    )
    assert title == "De Brug"
    assert words == [
        "De",
        "Brug",
        "Erkend",
        NOTE_OPEN,
        "Via",
        "het",
        "Agentschap",
        NOTE_CLOSE,
        "door",
        "Waardevol",
        "Slot",
    ]


def test_a_deleted_word_is_missing_and_a_moved_word_out_of_order():
    source = Words(["een", "twee", "drie", "vier", "vijf", "zes", "zeven"], [1, 1, 1, 1, 2, 2, 2])
    problems = compare(source, ["Titel", "een", "twee", "vier", "zes", "vijf", "zeven", "kaart"])
    assert [(p.word.text, p.word.line, p.kind) for p in problems] == [
        ("drie", 1, "missing"),
        ("zes", 2, "out of order"),
    ]


def test_internal_markers_are_never_reported():
    source = Words(["een", NOTE_OPEN, "noot", NOTE_CLOSE, "twee"], [1, 1, 3, 1, 1])
    problems = compare(source, ["een", "twee"])
    assert [(p.word.text, p.kind) for p in problems] == [("noot", "missing")]


def test_debris_is_allowed_and_listed(tmp_path, capsys):
    source = write(tmp_path, "bron.txt", "Titel\n\nTekst een.\n\n7\n\fTweede.\n\n8\n")
    html = page(tmp_path, "<h1>Bron</h1><h2>Titel</h2><p>Tekst een.</p><p>Tweede.</p>")
    assert main(["check-source", str(source), str(html)]) == 0
    out = capsys.readouterr().out
    assert f"{source}:5: dropped as page number (allowed): '7'" in out
    assert out.splitlines()[-1].startswith(f"OK: {source}: 4 of 4 words")


def test_markdown_sources_need_reader_text_only(tmp_path):
    source = write(
        tmp_path,
        "bron.txt",
        "---\nlayout: page\ntitle: Missie\npermalink: /missie/\n---\n"
        "{% include kop.html %}\nWij zijn [De Brug](/over/) in {{ site.stad }}.\n\n<div>Samen</div>\n",
    )
    html = page(tmp_path, "<h1>Missie</h1><p>Wij zijn De Brug in .</p><p>Samen</p>")
    report = check_source(read_source(source), html)
    assert report.problems == []
    assert report.words == 6
    html = page(tmp_path, "<h1>Missie</h1><p>Wij zijn in .</p><p>Samen</p>")
    assert [(p.word.text, p.word.line, p.kind) for p in check_source(read_source(source), html).problems] == [
        ("De", 7, "missing"),
        ("Brug", 7, "missing"),
    ]


def test_a_web_page_with_styled_initials_reads_them_as_one_word_each(tmp_path):
    # A browser shows "<strong>V</strong>erbinding" as one word; a block's tags part words.
    source = write(
        tmp_path,
        "bron.html",
        "<html><body><main><h1>Waarden</h1><ul><li><strong>V</strong>erbinding</li><li><em>E</em>igenheid</li>"
        "</ul><p>Samen</p><p>sterk</p></main></body></html>",
    )
    html = page(
        tmp_path,
        "<h1>Waarden</h1><ul><li><p><strong>V</strong>erbinding</p></li><li><p><em>E</em>igenheid</p></li></ul>"
        "<p>Samen</p><p>sterk</p>",
    )
    report = check_source(read_source(source), html)
    assert report.problems == [] and report.words == 4  # the title, repeated, aside


def test_forty_thousand_words_are_checked_in_a_few_seconds(tmp_path):
    paragraphs = [
        f"Alinea {n}: wij werken samen met gezinnen, scholen en buurten in regio {n % 17}." for n in range(3500)
    ]
    source = write(tmp_path, "bron.txt", "\n\n".join(paragraphs) + "\n")
    cards = "".join(f"<div><p>{text}</p></div>" for text in paragraphs[:30])
    html = page(tmp_path, "<h1>Bron</h1>" + cards + "".join(f"<p>{text}</p>" for text in paragraphs))
    started = time.perf_counter()
    report = check_source(read_source(source), html)
    assert report.words > 40_000 and report.problems == []
    assert time.perf_counter() - started < 5


def test_reading_a_markdown_source_leaves_the_recursion_limit_as_it_was(tmp_path):
    # markdown-it-py recurses per level: the words are read on a thread with a higher limit, the process's
    before = sys.getrecursionlimit()
    source = write(tmp_path, "bron.md", "> > > Diep *genest* citaat.\n")
    assert reader_words(read_source(source)).texts == ["Diep", "genest", "citaat"]
    assert sys.getrecursionlimit() == before
