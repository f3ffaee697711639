"""PDF and Word source files: read by suffix, imported from source_texts/, and every unreadable one a located error."""

from __future__ import annotations

import hashlib
import io
import re
import time
import zipfile
import zlib

import pytest
from binary_sources import POLICY_PLAN, write_docx, write_docx_paragraphs, write_pdf
from fpdf import FPDF
from PIL import Image

from missiekaart.cli import main
from missiekaart.importer import extract, formats, import_text, manifest
from missiekaart.importer.sourcefile import SourceError, read_source


def _error(path) -> SourceError:
    with pytest.raises(SourceError) as raised:
        read_source(path)
    assert str(raised.value).startswith(f"{path}:1: error: ")
    return raised.value


def test_a_pdf_is_read_page_by_page_with_its_places(tmp_path):
    source = read_source(write_pdf(tmp_path / "plan.pdf"))
    assert source.format == "pdf" and len(source.page_starts) == 3
    texts = [text for _, text in source.lines]
    assert texts.count("") > 5  # paragraphs end in blank lines
    assert sum(text.startswith("\f") for text in texts) == 2
    assert any(text.startswith("overheid1 en werkt") for text in texts)  # the raised note number stays on its word
    assert any(text.lstrip() == "• begeleiding op maat van elk gezin" for text in texts)
    nested = next(text for text in texts if text.lstrip().startswith("– ouders"))
    bullet = next(text for text in texts if text.lstrip().startswith("• vorming"))
    assert len(nested) - len(nested.lstrip()) > len(bullet) - len(bullet.lstrip()) >= 2
    header = next(no for no, text in source.lines if "Beleidsplan 2024" in text)
    assert source.place(header) == "page 2, line 1"


def test_a_word_file_keeps_its_html_and_reads_paragraph_by_paragraph(tmp_path):
    source = read_source(write_docx(tmp_path / "brug.docx"))
    assert source.format == "docx" and source.html.startswith('<h1 class="title">De Brug vzw</h1><h1>Onze missie</h1>')
    assert [no for no, _ in source.lines] == list(range(1, len(source.lines) + 1))
    assert source.lines[:2] == [(1, "De Brug vzw"), (2, "Onze missie")]
    assert source.place(2) == "paragraph 2"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("kapot.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF", "damaged"),
        ("geen.pdf", b"Dit is gewoon tekst.\n", "is not a PDF"),
        ("kapot.docx", b"PK\x03\x04 geen zip", "not a Word (.docx) file that can be read"),
        ("geen.docx", b"{\\rtf1 Dit is RTF}", "is not a Word file"),
    ],
)
def test_corrupt_files_are_located_errors(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert expected in _error(path).message


def test_an_encrypted_pdf_is_a_located_error_with_a_hint(tmp_path):
    pdf = FPDF()
    pdf.set_encryption(owner_password="eigenaar", user_password="geheim")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Onze missie")
    pdf.output(str(tmp_path / "slot.pdf"))
    assert "protected by a password" in _error(tmp_path / "slot.pdf").message


def test_a_scanned_pdf_and_an_empty_one_say_what_to_do(tmp_path):
    scan = io.BytesIO()
    Image.new("L", (40, 20), 128).save(scan, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(scan, x=10, y=10, w=100)
    pdf.output(str(tmp_path / "scan.pdf"))
    assert (
        "holds no text: it is a scan (only images); ask the organisation for the text, or OCR it"
        in _error(tmp_path / "scan.pdf").message
    )
    empty = FPDF()
    empty.add_page()
    empty.output(str(tmp_path / "leeg.pdf"))
    assert "holds no text: it is empty" in _error(tmp_path / "leeg.pdf").message
    write_docx_paragraphs(tmp_path / "leeg.docx", [])
    assert "holds no text: it is empty" in _error(tmp_path / "leeg.docx").message


def test_a_word_archive_that_unpacks_too_far_is_refused(tmp_path):
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (extract.MAX_DOCX_UNPACKED + 1))
    assert path.stat().st_size < 200_000
    assert "unpacks to" in _error(path).message


def test_a_pdf_that_needs_more_memory_than_allowed_ends_the_child_not_the_importer(tmp_path, monkeypatch):
    # The page's content stream unpacks to 300 MB of spaces; the child may use 200 MiB.
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Tekst")
    path = tmp_path / "bom.pdf"
    path.write_bytes(_with_content(bytes(pdf.output()), zlib.compress(b" " * 300_000_000, 9)))
    assert path.stat().st_size < 1_000_000
    monkeypatch.setattr(formats, "MEMORY_LIMIT", 200 * 2**20)
    assert "MiB of memory" in _error(path).message


def _with_content(raw: bytes, compressed: bytes) -> bytes:
    """*raw* (an uncompressed-xref fpdf2 PDF) with its first page's content stream replaced by *compressed*."""
    match = re.search(rb"<<\s*/Filter /FlateDecode\s*/Length (\d+)\s*>>\s*stream\n", raw)
    assert match, raw[:400]
    end = match.end() + int(match.group(1))
    head = raw[: match.start()] + b"<</Filter /FlateDecode /Length %d>>\nstream\n" % len(compressed)
    return head + compressed + raw[end:]


def test_a_hundred_pages_are_read_and_imported_in_seconds(tmp_path):
    path = write_pdf(tmp_path / "jaarverslag.pdf", repeat=34)  # 102 pages
    started = time.perf_counter()
    source = read_source(path)
    page, _ = import_text(source, "De Brug vzw")
    elapsed = time.perf_counter() - started
    assert len(source.page_starts) == 102
    # (34 identical chapters: their repeated page-top lines are running headers to the page pass)
    assert page.count("Wij bieden") == 34 and "Pagina 102 van 102" not in page
    assert elapsed < 30, elapsed  # about 2 s here


def test_import_and_checksums_keep_the_original_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "source_texts").mkdir()
    write_pdf(tmp_path / "source_texts" / "de-brug.pdf")
    write_docx(tmp_path / "source_texts" / "de-brug-word.docx")
    for name in ("de-brug.pdf", "de-brug-word.docx"):
        assert main(["import", f"source_texts/{name}", "--out-dir", "pages", "--no-draft"]) == 0
        page = (tmp_path / "pages" / name.replace(".pdf", ".md").replace(".docx", ".md")).read_text(encoding="utf-8")
        assert f"mk-source: source_texts/{name}\n" in page
        digest = hashlib.sha256((tmp_path / "source_texts" / name).read_bytes()).hexdigest()
        assert manifest.read(tmp_path / "source_texts" / "SHA256SUMS")[name] == digest
    out = capsys.readouterr().out
    assert (
        "source_texts/de-brug.pdf:24: page 2, line 1: dropped running header: 'Beleidsplan 2024 – De Brug vzw'" in out
    )
    assert "source_texts/de-brug-word.docx:2: paragraph 2: heading (level 3): 'Onze missie'" in out
    assert main(["checksums"]) == 0
    (tmp_path / "source_texts" / "de-brug.pdf").write_bytes(b"%PDF-1.4 anders")
    assert main(["checksums"]) == 1
    assert "source_texts/de-brug.pdf: error: changed since its SHA-256 was recorded" in capsys.readouterr().err


def test_the_cases_are_made_by_the_generator(tmp_path):
    """The committed PDF case is what tests/binary_sources.py makes (its text, not its bytes: fpdf2 dates them)."""
    made = read_source(write_pdf(tmp_path / "pdf-file-policy-plan.pdf", POLICY_PLAN))
    from binary_sources import CASES

    assert made.lines == read_source(CASES / "pdf-file-policy-plan.pdf").lines
