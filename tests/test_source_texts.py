"""The organisations' original texts are kept byte for byte, pinned by source_texts/SHA256SUMS."""

import hashlib
import shutil
import subprocess

import pytest

from missiekaart.cli import main
from missiekaart.importer import manifest

from project import SOURCE_TEXTS


@pytest.mark.invariant
def test_every_source_text_is_in_the_manifest_and_unchanged():
    texts = sorted(path for path in SOURCE_TEXTS.iterdir() if path.name != manifest.MANIFEST)  # any format
    assert texts, f"no source texts in {SOURCE_TEXTS}"
    assert manifest.verify(SOURCE_TEXTS) == []
    recorded = manifest.read(SOURCE_TEXTS / "SHA256SUMS")
    assert sorted(recorded) == [path.name for path in texts]
    for path in texts:
        assert recorded[path.name] == hashlib.sha256(path.read_bytes()).hexdigest(), path.name


@pytest.fixture
def texts(tmp_path, monkeypatch):
    """A copy of the source texts and their manifest, with the copy's parent as working directory."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SOURCE_TEXTS, tmp_path / "source_texts")
    return tmp_path / "source_texts"


def test_a_changed_text_fails_naming_the_file_and_how_to_accept_it(texts, capsys):
    changed = sorted(texts.glob("*.txt"))[0]
    changed.write_bytes(changed.read_bytes().replace(b" ", b"  ", 1))
    command = f".venv/bin/missiekaart checksums --accept source_texts/{changed.name}"
    problems = manifest.verify(texts)
    assert problems == [
        f"source_texts/{changed.name}: error: changed since its SHA-256 was recorded in "
        "source_texts/SHA256SUMS; source texts are kept verbatim: restore the original, or accept "
        f"the change deliberately with: {command}"
    ]
    assert main(["checksums"]) == 1
    assert problems[0] in capsys.readouterr().err
    # Importing the changed text again does not accept the change by the way.
    assert main(["import", str(changed), "--out-dir", "pages"]) == 1
    assert command in capsys.readouterr().err
    assert not (texts.parent / "pages").exists()
    # The command in the message accepts it.
    assert main(command.split()[1:]) == 0
    assert "OK: every text in source_texts matches" in capsys.readouterr().out
    assert manifest.verify(texts) == []


def test_a_text_missing_from_the_manifest_or_a_listed_text_gone_is_reported(texts, capsys):
    (texts / "nieuw.txt").write_text("Een nieuwe tekst.\n", encoding="utf-8")
    gone = sorted(texts.glob("*.txt"))[0]
    gone.unlink()
    problems = manifest.verify(texts)
    assert problems == [
        "source_texts/nieuw.txt: error: not in source_texts/SHA256SUMS; `missiekaart import` records the texts it "
        "imports; record this one with: .venv/bin/missiekaart checksums --accept source_texts/nieuw.txt",
        f"source_texts/SHA256SUMS: error: lists {gone.name}, which does not exist; if it was removed deliberately, "
        f"run: .venv/bin/missiekaart checksums --accept source_texts/{gone.name}",
    ]
    assert main(["checksums", "--accept", "source_texts/nieuw.txt", f"source_texts/{gone.name}"]) == 0
    out = capsys.readouterr().out
    assert f"source_texts/{gone.name}: removed from source_texts/SHA256SUMS" in out
    assert manifest.verify(texts) == []
    assert "nieuw.txt" in manifest.read(texts / "SHA256SUMS") and gone.name not in manifest.read(texts / "SHA256SUMS")


def test_a_missing_or_broken_manifest_is_reported(texts):
    sums = texts / "SHA256SUMS"
    lines = sums.read_text(encoding="utf-8").splitlines()
    sums.write_text("\n".join([lines[0], "niet een regel", *lines[1:]]) + "\n", encoding="utf-8")
    assert manifest.verify(texts) == [
        "source_texts/SHA256SUMS:2: error: not a sha256sum line ('<64 hex digits>  <file name>'); fix or delete "
        "the line, then run 'missiekaart checksums --accept' for its file"
    ]
    sums.unlink()
    problems = manifest.verify(texts)
    # One pattern for each format the texts come in: source_texts/*.txt, and *.pdf where there are PDFs.
    patterns = " ".join(f"source_texts/*{suffix}" for suffix in sorted({path.suffix for path in texts.iterdir()}))
    assert patterns.endswith("source_texts/*.txt")
    assert problems == [
        "source_texts/SHA256SUMS: error: missing; record every source text with: "
        f".venv/bin/missiekaart checksums --accept {patterns}"
    ]


def test_import_records_the_text_in_sha256sum_format(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "source_texts").mkdir()
    for name, text in [("de-tuin.txt", "Missie\n\nWe werken samen.\n"), ("alfa.txt", "Alfa\n\nTekst.\n")]:
        (tmp_path / "source_texts" / name).write_text(text, encoding="utf-8")
        assert main(["import", f"source_texts/{name}", "--out-dir", "pages"]) == 0
    sums = (tmp_path / "source_texts" / "SHA256SUMS").read_text(encoding="utf-8")
    digests = {
        name: hashlib.sha256((tmp_path / "source_texts" / name).read_bytes()).hexdigest()
        for name in ("alfa.txt", "de-tuin.txt")
    }
    assert sums == f"{digests['alfa.txt']}  alfa.txt\n{digests['de-tuin.txt']}  de-tuin.txt\n"
    # Importing an unchanged text again (--force) keeps the manifest as it is.
    assert main(["import", "source_texts/de-tuin.txt", "--out-dir", "pages", "--force"]) == 0
    assert (tmp_path / "source_texts" / "SHA256SUMS").read_text(encoding="utf-8") == sums
    # coreutils reads the same file.
    result = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"],
        cwd=tmp_path / "source_texts",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
