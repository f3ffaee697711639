"""The contributor's tools, without a Sphinx build: lemma matching, draft cards, suggest, concepts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from missiekaart.cli import main
from missiekaart.core.vocabulary import Entry, Vocabulary, lemma_key, read_concept_pages
from missiekaart.importer.draft import DRAFT_CHARS, MISSION_WORDS, draft_cards, draft_scope

VOCABULARY = Vocabulary(
    [
        Entry("zelfredzaamheid", "Zelfredzaamheid"),
        Entry("kwetsbare-groepen", "Kwetsbare groepen"),
        Entry("sociaal-netwerk", "Sociaal netwerk"),
        Entry("participatie", "Participatie", ("participeren",)),
    ]
)


@pytest.mark.parametrize(
    ("inflected", "concept"),
    [
        ("zelfredzame", "zelfredzaamheid"),  # Snowball leaves this alone; the lemma is zelfredzaam
        ("kwetsbare groep", "kwetsbare-groepen"),
        ("sociale netwerken", "sociaal-netwerk"),
        ("participeert", "participatie"),  # through the alias participeren
    ],
)
def test_inflections_find_their_concept_by_lemma(inflected, concept):
    assert VOCABULARY.lookup(inflected) == concept or VOCABULARY.concepts_in(inflected) == [concept]


def test_lemma_keys_treat_an_id_hyphen_as_a_space():
    assert lemma_key("kwetsbare-groepen") == lemma_key("Kwetsbare groepen") == lemma_key("kwetsbare groep")


def test_the_longest_mention_wins_and_other_words_do_not_match():
    found = VOCABULARY.find("Wij werken met kwetsbare groepen en kwetsbare gezinnen aan hun sociale netwerken.")
    assert [(m.text, m.concept) for m in found] == [
        ("kwetsbare groepen", "kwetsbare-groepen"),
        ("sociale netwerken", "sociaal-netwerk"),
    ]


def test_concept_pages_are_read_without_a_build(tmp_path):
    (tmp_path / "a.md").write_text(
        "# A\n\n```{concept} sociaal-netwerk\n:title: Sociaal netwerk\n"
        ":aliases: netwerk, steunnetwerk\n\nDe mensen rond iemand.\n```\n",
        encoding="utf-8",
    )
    (tmp_path / "index.md").write_text("# Begrippen\n\n```{toctree}\n:glob:\n\n*\n```\n", encoding="utf-8")
    assert read_concept_pages(tmp_path) == [Entry("sociaal-netwerk", "Sociaal netwerk", ("netwerk", "steunnetwerk"))]


PAGE = """---
mk-source: source_texts/brug.txt
---

# De Brug

## Onze missie

De Brug versterkt kwetsbare groepen in de wijk, zodat zij zelfredzame burgers worden[^1].

## Onze kernwaarden

- **Participatie**: bewoners participeren in alles wat we doen.
- Respect: we luisteren naar iedereen.
- Een sterk sociaal netwerk voor elke bewoner van de wijk

Een gewone alinea.

[^1]: Een voetnoot.
"""


def test_draft_cards_quote_the_mission_and_the_values_with_suggested_concepts():
    page, cards = draft_cards(PAGE, VOCABULARY)
    assert [(card.kind, card.title) for card in cards] == [
        ("mission", ""),
        ("value", "Participatie"),
        ("value", "Respect"),
        ("value", "Een sterk sociaal netwerk voor …"),
    ]
    mission = cards[0]
    assert mission.concepts == ("kwetsbare-groepen", "zelfredzaamheid")
    assert mission.body == "De Brug versterkt kwetsbare groepen in de wijk, zodat zij zelfredzame burgers worden."
    assert cards[1].concepts == ("participatie",) and cards[3].concepts == ("sociaal-netwerk",)
    lines = page.split("\n")
    # Below the title, in order, each flagged as a draft; the original text is untouched below them.
    assert lines[5:9] == ["", "```{mission-card}", ":draft:", ":concepts: kwetsbare-groepen, zelfredzaamheid"]
    assert all(lines[card.line - 1].startswith("```{") for card in cards)
    assert page.count(":draft:") == 4
    assert page.endswith(PAGE.split("# De Brug\n", 1)[1])


def test_without_a_mission_heading_the_first_substantial_paragraph_is_drafted():
    _page, cards = draft_cards(
        "# X\n\nKort.\n\nDit is een langere alinea over wat de organisatie wil doen.\n", VOCABULARY
    )
    assert [card.body for card in cards] == ["Dit is een langere alinea over wat de organisatie wil doen."]


def test_the_proposed_mission_is_a_paragraph_of_a_summarys_length_or_none():
    """Without a mission heading, a paragraph longer than MISSION_WORDS is passed over, and a text
    with no paragraph of that length gets no mission card (the import report says so)."""
    least, most = MISSION_WORDS
    long = " ".join(["woord"] * (most + 1)) + "."
    fitting = " ".join(["alinea"] * least) + "."
    _page, cards = draft_cards(f"# X\n\n{long}\n\n{fitting}\n", VOCABULARY)
    assert [card.body for card in cards] == [fitting]
    assert draft_cards(f"# X\n\n{long}\n", VOCABULARY)[1] == []
    under_heading = f"# X\n\n## Onze missie\n\n{long}\n"  # a heading says it is the mission: quoted all the same
    assert [card.body for card in draft_cards(under_heading, VOCABULARY)[1]] == [long]


def test_import_says_when_it_drafts_no_mission_card(tmp_path, concepts_dir, capsys):
    source = tmp_path / "lang.txt"
    source.write_text("Lang\n\n" + " ".join(["woord"] * (MISSION_WORDS[1] + 1)) + ".\n", encoding="utf-8")
    arguments = ["import", str(source), "--out-dir", str(tmp_path / "out"), "--concepts-dir", str(concepts_dir)]
    assert main([*arguments, "--source-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "no mission card drafted" in out and "write the mission card yourself" in out
    assert "{mission-card}" not in (tmp_path / "out" / "lang.md").read_text(encoding="utf-8")


def test_drafts_read_a_bounded_start_of_the_page_cut_at_a_blank_line():
    """A mission section inside the first DRAFT_CHARS characters is drafted however long the page is;
    a values section past them is not (the CLI says so), and the scope never cuts a paragraph."""
    filler = "\n".join(f"- Een dienst nummer {i} van de organisatie" for i in range(DRAFT_CHARS // 20))
    page = f"# X\n\n## Onze missie\n\nDe Brug versterkt kwetsbare groepen in de wijk.\n\n{filler}\n\n"
    page += "## Onze kernwaarden\n\n- Respect: we luisteren naar iedereen.\n"
    scope = draft_scope(page)
    assert len(scope) <= DRAFT_CHARS < len(page) and scope.endswith("\n\n") and page.startswith(scope)
    _page, cards = draft_cards(page, VOCABULARY)
    assert [card.kind for card in cards] == ["mission"]
    short = f"# X\n\n{'Een zin van tien woorden over wat de organisatie doet. ' * 5}\n"
    assert draft_scope(short) == short


def test_import_says_when_its_drafts_read_part_of_the_page(tmp_path, concepts_dir, capsys):
    source = tmp_path / "lang.txt"
    items = "\n".join(f"• Een dienst nummer {i} van de organisatie" for i in range(DRAFT_CHARS // 20))
    source.write_text(f"Lang\n\nOnze missie\n\nWij maken de wijk sterker samen met bewoners.\n\n{items}\n")
    arguments = ["import", str(source), "--out-dir", str(tmp_path / "out"), "--concepts-dir", str(concepts_dir)]
    assert main([*arguments, "--source-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "drafts were proposed from the page's first" in out and "gets its cards by hand" in out
    assert main([*arguments, "--source-dir", str(tmp_path), "--force", "--no-draft"]) == 0
    assert "drafts were proposed" not in capsys.readouterr().out


def test_a_page_without_a_title_gets_no_draft():
    assert draft_cards("Alleen tekst.\n", VOCABULARY) == ("Alleen tekst.\n", [])


@pytest.fixture
def concepts_dir(tmp_path) -> Path:
    folder = tmp_path / "concepts"
    folder.mkdir()
    (folder / "zelfredzaamheid.md").write_text(
        "# Zelfredzaamheid\n\n```{concept} zelfredzaamheid\n:title: Zelfredzaamheid\n\nZelf.\n```\n", encoding="utf-8"
    )
    (folder / "netwerk.md").write_text(
        "# Netwerk\n\n```{concept} sociaal-netwerk\n:title: Sociaal netwerk\n\nRond.\n```\n", encoding="utf-8"
    )
    return folder


def test_suggest_finds_an_inflected_unlinked_mention_and_not_a_linked_one(tmp_path, concepts_dir, capsys):
    page = tmp_path / "org.md"
    page.write_text(
        "# Org\n\nWij helpen mensen om {concept}`zelfredzaam <zelfredzaamheid>` te worden.\n\n"
        "Zo worden zij\nzelfredzame burgers met een sociaal netwerk.\n\n"
        "```{value-card} Zelfredzaamheid\n:concepts: zelfredzaamheid\n\nZelfredzame mensen.\n```\n",
        encoding="utf-8",
    )
    assert main(["suggest", str(page), "--concepts-dir", str(concepts_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{page}:6: 'zelfredzame' names the concept 'zelfredzaamheid': "
        "write {concept}`zelfredzame <zelfredzaamheid>`",
        f"{page}:6: 'sociaal netwerk' names the concept 'sociaal-netwerk': write {{concept}}`sociaal netwerk`",
        f"{page}: 2 unlinked mention(s) of a concept",
    ]


def test_suggest_without_concept_pages_is_an_error(tmp_path, capsys):
    assert main(["suggest", str(tmp_path / "x.md"), "--concepts-dir", str(tmp_path / "none")]) == 2
    assert "no concept pages" in capsys.readouterr().err


def test_concepts_prints_the_generated_vocabulary(concepts_dir, capsys):
    assert main(["concepts", "--concepts-dir", str(concepts_dir)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "| id | title | aliases |",
        "| --- | --- | --- |",
        "| `sociaal-netwerk` | Sociaal netwerk |  |",
        "| `zelfredzaamheid` | Zelfredzaamheid |  |",
    ]


def test_import_writes_draft_cards_and_reports_them(tmp_path, concepts_dir, capsys):
    source = tmp_path / "brug.txt"
    source.write_text(
        "De Brug\n\nOnze missie\n\nWij maken bewoners zelfredzame buren in een warm sociaal netwerk.\n",
        encoding="utf-8",
    )
    out_dir = tmp_path / "out"
    assert (
        main(
            [
                "import",
                str(source),
                "--name",
                "De Brug",
                "--out-dir",
                str(out_dir),
                "--concepts-dir",
                str(concepts_dir),
                "--source-dir",
                str(tmp_path),
                "--added",
                "2025-03-01",
            ]
        )
        == 0
    )
    page = (out_dir / "brug.md").read_text(encoding="utf-8")
    assert (
        "```{mission-card}\n:draft:\n:concepts: zelfredzaamheid, sociaal-netwerk\n:added: 2025-03-01\n\n"
        "Wij maken bewoners zelfredzame buren in een warm sociaal netwerk.\n```" in page
    )
    assert (
        "drafted mission card; concepts: zelfredzaamheid, sociaal-netwerk; added 2025-03-01" in capsys.readouterr().out
    )
    assert (
        main(
            [
                "import",
                str(source),
                "--name",
                "De Brug",
                "--out-dir",
                str(out_dir / "plain"),
                "--concepts-dir",
                str(concepts_dir),
                "--source-dir",
                str(tmp_path),
                "--no-draft",
            ]
        )
        == 0
    )
    assert ":draft:" not in (out_dir / "plain" / "brug.md").read_text(encoding="utf-8")


def test_the_drafted_mission_card_says_when_the_organisation_was_added(tmp_path, concepts_dir, capsys):
    """``:added:`` orders related organisations that score the same (ranking.py): today by default,
    and a forced import of a page that has one keeps it, so the organisation keeps its place."""
    source = tmp_path / "brug.txt"
    source.write_text("De Brug\n\nOnze missie\n\nWij maken bewoners zelfredzame buren.\n", encoding="utf-8")
    page = tmp_path / "out" / "brug.md"
    command = ["import", str(source), "--out-dir", str(page.parent), "--concepts-dir", str(concepts_dir)]
    command += ["--source-dir", str(tmp_path)]
    assert main(command) == 0
    assert f"\n:added: {date.today().isoformat()}\n" in page.read_text(encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8").replace(date.today().isoformat(), "2024-11-05"), encoding="utf-8")
    assert main([*command, "--force"]) == 0
    assert page.read_text(encoding="utf-8").count("\n:added: 2024-11-05\n") == 1
    assert main([*command, "--force", "--added", "2025-01-02"]) == 0
    assert "\n:added: 2025-01-02\n" in page.read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        main([*command, "--force", "--added", "1-2-2025"])
    assert "not a date written YYYY-MM-DD" in capsys.readouterr().err


LEAD_IN_PAGE = """---
mk-source: source_texts/x.txt
---

# De Brug

Wij zijn een organisatie die mensen helpt om samen te leven in de buurt.

Onze waarden:

- **V**erbinding: samen & versterken
- Respect – voor ieders eigenheid
- **Eigen kracht**: wij vertrekken van wat je kan
- Zorg en aandacht voor elkaar in alle omstandigheden van het leven
"""


def test_a_values_lead_in_drafts_value_cards_with_plain_titles_and_concepts():
    words = Vocabulary(
        [Entry("respect", "Respect"), Entry("krachtgericht-werken", "Krachtgericht werken", ("eigen kracht",))]
    )
    page, cards = draft_cards(LEAD_IN_PAGE, words)
    values = [(card.title, card.concepts) for card in cards if card.kind == "value"]
    assert values == [
        ("Verbinding", ()),  # a styled initial is no lead-in: the words before the colon
        ("Respect", ("respect",)),  # split at the dash
        ("Eigen kracht", ("krachtgericht-werken",)),  # by alias
        ("Zorg en aandacht voor elkaar …", ()),
    ]
    assert "```{value-card} Verbinding\n" in page and "**V**" not in page.split("```{value-card} Verbinding")[1][:20]
