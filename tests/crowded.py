"""A project made for the maps: concepts and organisations with long names that differ in one word
or a number (label boxes of the same size, which layouts tend to stack), names with <, & and },
and organisations sharing many concepts at random (seeded). The browser tests and the PDF tests
build it; it keeps no content rule but the maps' own."""

from __future__ import annotations

import random
from pathlib import Path

CROWDED_CONCEPTS = 48
CROWDED_ORGANISATIONS = 12
CROWDED_STEMS = [
    "Samenwerking met partners in de wijk",
    "Samenwerking met partners in de regio",
    "Participatie van kwetsbare groepen",
    "Participatie van kwetsbare gezinnen",
    "Integraal werken",
    "Kennisdeling",
]
CROWDED_HOSTILE = ["Zorg & <welzijn>", "Kennis {} delen", "Ééndracht maakt macht"]


def write_crowded_project(root: Path) -> None:
    rnd = random.Random(24)
    (root / "concepts").mkdir(parents=True)
    (root / "orgs").mkdir()
    titles = [*CROWDED_HOSTILE]
    while len(titles) < CROWDED_CONCEPTS:
        number = len(titles) - len(CROWDED_HOSTILE)
        titles.append(f"{CROWDED_STEMS[number % len(CROWDED_STEMS)]} {number // len(CROWDED_STEMS) + 1}")
    for number, title in enumerate(titles):
        (root / "concepts" / f"c{number}.md").write_text(
            f"# Begrip {number}\n\n```{{concept}} c{number}\n:title: {title}\n\nEen begrip.\n```\n", encoding="utf-8"
        )
    names = [f"Stichting Welzijn en Samenwerking Regio Noord-Oost {n}" for n in range(CROWDED_ORGANISATIONS - 2)]
    names += ["TWERK", "Wijk-werkorganisatie Leie en Schelde & <Partners>"]
    for number, name in enumerate(names):
        concepts = ", ".join(f"c{c}" for c in sorted(rnd.sample(range(CROWDED_CONCEPTS), rnd.randint(8, 30))))
        (root / "orgs" / f"o{number}.md").write_text(
            f"# {name}\n\n```{{mission-card}}\n:concepts: {concepts}\n\nWij werken samen.\n```\n", encoding="utf-8"
        )
    (root / "index.md").write_text(
        "# Kaarten\n\n```{toctree}\n:glob:\n\norgs/*\nconcepts/*\n```\n\n```{concept-map}\n```\n", encoding="utf-8"
    )
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "missiekaart"]\nlanguage = "nl"\nhtml_theme = "furo"\n'
        'source_suffix = {".md": "markdown"}\nmissiekaart_organisations = "orgs"\n'
        "missiekaart_min_concepts = 0\nmissiekaart_min_organisations = 0\nmissiekaart_min_value_cards = 0\n"
        "missiekaart_definition_sentences = (1, 99)\n",
        encoding="utf-8",
    )
