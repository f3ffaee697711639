"""A sixth organisation goes in by the README's steps, and the real-site tests stay green unedited.

The project is copied to a temporary directory; a new organisation's text (written here, in no
way one of the project's own) is saved in its ``source_texts/``, imported with ``missiekaart
import``, given a mission card and value cards that quote its own words, and built with ``make
html``; ``missiekaart check-source`` checks it. Then the invariant tests (``-m invariant`` in
tests/test_site.py and tests/test_source_texts.py) run on the copy, in a subprocess with
``MISSIEKAART_ROOT`` set to it, exactly as they run on the repository.

The copy uses this test run's virtual environment (``VENV=`` for make); it must not make make
reinstall it, which is checked first.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from project import PROJECT, REPOSITORY, concept_ids, link_a_plain_word

VENV = Path(sys.prefix)
COPIED = ["docs", "source_texts", "conf.py", "Makefile", "pyproject.toml", "constraints.txt", "README.md"]

SLUG = "buurtnetwerk-de-brug"
NAME = "Buurtnetwerk De Brug"
MISSION = (
    "Buurtnetwerk De Brug verbindt bewoners van de wijk met elkaar en met de diensten die hen "
    "kunnen helpen. We geloven dat iedereen iets te bieden heeft, en dat een buurt sterker wordt "
    "wanneer mensen elkaar kennen en op elkaar kunnen rekenen."
)
VALUES = {
    "Nabijheid": "Nabijheid: we werken vanuit een klein kantoor midden in de wijk, met een open deur voor "
    "wie even wil binnenlopen.",
    "Gelijkwaardigheid": "Gelijkwaardigheid: bewoners, vrijwilligers en beroepskrachten beslissen samen over "
    "wat er in de buurt gebeurt.",
    "Volhouden": "Volhouden: we laten niemand los na één gesprek, maar blijven in contact tot de vraag "
    "echt beantwoord is.",
}
# The text as an organisation would send it: a title, short headings, paragraphs wrapped by hand.
SOURCE = f"""{NAME}

Onze missie

{textwrap.fill(MISSION, 90)}

Waar we voor staan

{VALUES["Nabijheid"]}

{VALUES["Gelijkwaardigheid"]}

{VALUES["Volhouden"]}

Elk jaar zoeken we samen met scholen, huisartsen en verenigingen naar nieuwe manieren om
eenzaamheid in de wijk te doorbreken.
"""


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "MAKEFLAGS": "", "VENV": str(VENV), **env},
    )


def card(kind: str, title: str, options: dict[str, str], body: str) -> str:
    lines = [f"```{{{kind}}} {title}".rstrip(), *(f":{name}: {value}" for name, value in options.items())]
    return "\n".join(lines) + f"\n\n{body}\n```\n\n"


def test_a_new_organisation_added_by_the_readme_keeps_the_site_tests_green(tmp_path):
    copy = tmp_path / "project"
    for name in COPIED:  # copy2 keeps the times, so make sees the venv as up to date
        (shutil.copytree if (PROJECT / name).is_dir() else shutil.copy2)(PROJECT / name, copy / name)
    assert run(["make", "--question", f"{VENV}/.installed"], copy).returncode == 0, (
        f"make would reinstall {VENV} for the copy; run make venv first"
    )
    assert not (copy / "source_texts" / f"{SLUG}.txt").exists()

    # 1. Save the text, unchanged, as source_texts/<slug>.txt.
    (copy / "source_texts" / f"{SLUG}.txt").write_text(SOURCE, encoding="utf-8")
    # 2. Import it.
    imported = run([f"{VENV}/bin/missiekaart", "import", f"source_texts/{SLUG}.txt", "--name", NAME], copy)
    assert imported.returncode == 0, imported.stderr
    page = copy / "docs" / "organisations" / f"{SLUG}.md"
    digest = hashlib.sha256(SOURCE.encode("utf-8")).hexdigest()
    assert f"{digest}  {SLUG}.txt\n" in (copy / "source_texts" / "SHA256SUMS").read_text(encoding="utf-8")
    # 3. The importer drafted a mission card quoting the mission; the contributor confirms it (deletes
    #    ':draft:'), completes its concepts from the vocabulary, adds value cards that quote the text
    #    and links one mention in the running text to a concept.
    ids = concept_ids(copy / "docs" / "concepts")
    assert len(ids) >= 5
    markdown = page.read_text(encoding="utf-8")
    assert "```{mission-card}\n:draft:\n" in markdown and f"\n\n{MISSION}\n```" in markdown, markdown[:2000]
    assert "drafted mission card" in imported.stdout
    drafted = re.search(r"```\{mission-card\}\n:draft:\n:concepts:(.*)\n", markdown)
    assert drafted is not None
    concepts = list(dict.fromkeys([*filter(None, drafted.group(1).strip().split(", ")), *ids]))[:5]
    fields = "\n".join(
        [
            ":region: Oost-Vlaanderen",
            ":sector: Buurtwerk",
            ":target-group: Bewoners van de wijk",
            f":concepts: {', '.join(concepts)}",
        ]
    )
    markdown = markdown.replace(drafted.group(), f"```{{mission-card}}\n{fields}\n", 1)
    assert ":draft:" not in markdown  # every drafted card confirmed
    cards = "".join(
        card("value-card", title, {"concepts": ids[number % 5]}, body)
        for number, (title, body) in enumerate(VALUES.items())
    )
    title = f"# {NAME}\n\n"
    assert title in markdown
    markdown, _word = link_a_plain_word(markdown.replace(title, title + cards, 1), ids[0])
    page.write_text(markdown, encoding="utf-8")
    # 4. Build, and check that no word was lost.
    built = run(["make", "--no-print-directory", "html"], copy)
    assert built.returncode == 0 and "WARNING" not in built.stderr, built.stdout[-2000:] + built.stderr[-3000:]
    checked = run(
        [
            f"{VENV}/bin/missiekaart",
            "check-source",
            f"source_texts/{SLUG}.txt",
            f"_build/html/organisations/{SLUG}.html",
        ],
        copy,
    )
    assert checked.returncode == 0 and checked.stdout.splitlines()[-1].startswith("OK: "), (
        checked.stdout + checked.stderr
    )
    assert f"organisations/{SLUG}" in (copy / "_build" / "html" / "missiekaart.json").read_text(encoding="utf-8")

    # make test: the invariant tests, unedited, on the copy.
    tests = REPOSITORY / "tests"
    result = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "invariant",
            "-v",
            "-p",
            "no:cacheprovider",
            str(tests / "test_site.py"),
            str(tests / "test_source_texts.py"),
        ],
        REPOSITORY,
        MISSIEKAART_ROOT=str(copy),
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", summary) and not re.search(r"failed|skipped|error|xfail", summary), summary
    # The new organisation's own page was among the pages checked.
    assert re.search(
        rf"test_organisation_page_keeps_every_word_and_is_titled_with_its_name\[{SLUG}\] PASSED", result.stdout
    ), result.stdout[-3000:]
