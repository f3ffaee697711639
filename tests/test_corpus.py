"""The synthetic corpus (tests/corpus.py) keeps its own rules, so the benchmark and scale tests can trust it.

Everything but the last test works on the generated files alone, without a Sphinx build.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
import yaml
from corpus import (
    MIN_CONCEPTS,
    ORGANISATIONS,
    SOURCE_TEXTS,
    Corpus,
    add_organisation,
    body_markdown,
    edit_concept,
    edit_organisation,
    move_organisation,
    remove_organisation,
    word_count,
    write_corpus,
)
from near_duplicates import KINDS, NEAR_DUPLICATES, concept_sets, write_near_duplicate_corpus
from sphinxrun import build

from missiekaart.core.vocabulary import read_concept_pages
from missiekaart.extension.checks import source_words, verbatim_problem
from missiekaart.importer import import_text
from missiekaart.importer.sourcefile import read_source

REPOSITORY = Path(__file__).resolve().parent.parent
CARD = re.compile(r"^```\{(mission-card|value-card)\}([^\n]*)\n((?::[\w-]+:[^\n]*\n)*)\n([\s\S]*?)\n```$", re.MULTILINE)
ROLE = re.compile(r"\{concept\}`([^`<]*?)(?:\s*<([^`>]+)>)?`")


def cards(page: str) -> list[tuple[str, str, dict[str, str], str]]:
    """(kind, title, options, body) of each card on a page."""
    return [
        (kind, title.strip(), dict(re.findall(r"^:([\w-]+):\s*(.*)$", options, re.MULTILINE)), body)
        for kind, title, options, body in CARD.findall(page)
    ]


def used_concepts(page: str) -> set[str]:
    """The concept ids a page uses: on its cards, and in its roles (by explicit id, or words that are the id)."""
    ids = {
        concept.strip()
        for _kind, _title, options, _body in cards(page)
        for concept in options.get("concepts", "").split(",")
        if concept.strip()
    }
    ids |= {target or words.casefold().replace(" ", "-") for words, target in ROLE.findall(page)}
    return ids


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "project", 40, seed=7)


def pages(corpus: Corpus) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((corpus.root / ORGANISATIONS).glob("*.md"))}


def test_the_same_seed_gives_the_same_files_and_another_seed_other_ones(tmp_path):
    first, again, other = (write_corpus(tmp_path / name, 6, seed=seed) for name, seed in (("a", 3), ("b", 3), ("c", 4)))
    files = [
        {p.relative_to(c.root).as_posix(): p.read_bytes() for p in c.root.rglob("*") if p.is_file()}
        for c in (first, again, other)
    ]
    assert files[0] == files[1]
    assert files[0] != files[2]


def test_a_corpus_has_one_page_and_one_source_text_per_organisation(corpus):
    found = pages(corpus)
    assert len(found) == len(corpus.organisations) == 40
    manifest = (corpus.root / SOURCE_TEXTS / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("  ")[1] for line in manifest) == sorted(f"{slug}.txt" for slug in found)
    for slug, page in found.items():
        meta = yaml.safe_load(page.split("---\n", 2)[1])
        assert meta == {"mk-source": f"source_texts/{slug}.txt"}
        assert (corpus.root / meta["mk-source"]).is_file()
        kinds = Counter(kind for kind, *_ in cards(page))
        assert kinds["mission-card"] == 1 and 2 <= kinds["value-card"] <= 8, (slug, kinds)


def test_the_project_is_copied_without_the_repositorys_organisations(corpus):
    assert (corpus.root / "conf.py").read_bytes() == (REPOSITORY / "conf.py").read_bytes()
    real = {path.stem for path in (REPOSITORY / ORGANISATIONS).glob("*.md")}
    assert not real & set(pages(corpus))
    real_names = {
        line[2:]
        for path in (REPOSITORY / ORGANISATIONS).glob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# ")
    }
    assert not real_names & {o.name for o in corpus.organisations.values()}
    assert len({o.name for o in corpus.organisations.values()}) == 40


def test_every_card_quotes_its_source_text_word_for_word(corpus):
    for slug, page in pages(corpus).items():
        words = source_words(corpus.source(slug))
        for kind, title, options, body in cards(page):
            assert {"concepts"} <= set(options), (slug, title)
            if kind == "mission-card":
                assert {"region", "sector", "target-group"} <= set(options)
            assert verbatim_problem(body, words) is None, (slug, title, body)


def test_the_page_is_what_the_importer_writes_for_the_source_text(corpus):
    for organisation in list(corpus.organisations.values())[:5]:
        imported, _analysis = import_text(
            read_source(corpus.source(organisation.slug)), organisation.name, f"source_texts/{organisation.slug}.txt"
        )
        head, _, body = imported.partition(f"# {organisation.name}\n\n")
        page = corpus.page(organisation.slug).read_text(encoding="utf-8")
        assert page.startswith(head + f"# {organisation.name}\n\n")
        running_text = body_markdown(organisation.blocks)
        assert page.endswith("```\n\n" + running_text)  # the cards, then the text
        assert ROLE.sub(r"\1", running_text) == body  # the same text, but for the contributor's roles


def test_concepts_follow_the_content_rules_and_a_skewed_distribution(corpus, tmp_path):
    known = {entry.id for entry in read_concept_pages(corpus.root / "docs" / "concepts")}
    uses: Counter[str] = Counter()
    for slug, page in pages(corpus).items():
        ids = used_concepts(page)
        assert ids <= known, (slug, ids - known)
        assert len(ids) >= MIN_CONCEPTS, slug
        assert "{concept}`" in page.split("```\n\n")[-1], f"{slug} has no role in its running text"
        uses.update(ids)
    assert set(uses) == known and min(uses.values()) >= 2
    # Zipf-like at a size where the minimum shares do not flatten it: a few concepts are everywhere.
    large = write_corpus(tmp_path / "large", 200, seed=7)
    counts = sorted(large.uses().values(), reverse=True)
    assert counts[0] >= 4 * counts[-1], counts
    assert sum(counts[: len(counts) // 4]) >= 0.4 * sum(counts), counts


def test_texts_are_as_long_as_real_mission_texts(corpus):
    lengths = [word_count(corpus.source(slug).read_text(encoding="utf-8")) for slug in corpus.organisations]
    assert min(lengths) >= 300 and max(lengths) <= 3000, lengths
    assert 500 <= statistics.median(lengths) <= 1500, lengths
    for slug in corpus.organisations:
        body = corpus.page(slug).read_text(encoding="utf-8").split("```\n\n")[-1]
        assert body.count("\n### ") >= 2 and re.search(r"^- ", body, re.MULTILINE), slug


def test_changes_keep_the_rules(tmp_path):
    corpus = write_corpus(tmp_path / "project", 6, seed=2)
    added = add_organisation(corpus)
    assert corpus.page(added.slug).is_file() and len(corpus.organisations) == 7
    removed = remove_organisation(corpus)
    assert not corpus.page(removed).exists() and not corpus.source(removed).exists()
    uses = Counter(concept for page in pages(corpus).values() for concept in used_concepts(page))
    assert min(uses.values()) >= 2 and len(uses) == len(corpus.concepts)

    slug = sorted(corpus.organisations)[0]
    before = corpus.page(slug).read_text(encoding="utf-8")
    edit_organisation(corpus, slug)
    after = corpus.page(slug).read_text(encoding="utf-8")
    assert after.count("{concept}`") == before.count("{concept}`") + 1
    assert used_concepts(after) == used_concepts(before)

    move_organisation(corpus, slug, f"{slug}-nieuw")
    assert corpus.page(f"{slug}-nieuw").read_text(encoding="utf-8") == after and not corpus.page(slug).exists()

    concept = corpus.concepts[0].id
    edit_concept(corpus, concept, title="Een nieuwe titel", aliases=["nieuw synoniem"], definition="Nieuwe uitleg.")
    entry = next(e for e in read_concept_pages(corpus.root / "docs" / "concepts") if e.id == concept)
    assert (entry.title, entry.aliases) == ("Een nieuwe titel", ("nieuw synoniem",))


def test_a_small_corpus_builds_without_warnings(tmp_path):
    corpus = write_corpus(tmp_path / "project", 10, seed=5)
    result = build(corpus.root, tmp_path / "html")
    assert result.ok and not result.warnings, "\n".join(result.warnings) or result.log[-3000:]
    assert len(result.written) >= 10 + len(corpus.concepts)


def test_organisations_say_when_they_were_added_one_a_day_in_number_order(corpus):
    dates = {slug: cards(page)[0][2]["added"] for slug, page in pages(corpus).items()}
    by_number = [dates[o.slug] for o in sorted(corpus.organisations.values(), key=lambda o: o.number)]
    assert by_number == sorted(set(by_number)) and by_number[0] == "2000-01-01"


@pytest.mark.parametrize("kind", KINDS)
def test_concept_sets_are_what_the_corpus_tags_without_writing_it(kind, tmp_path):
    write = write_near_duplicate_corpus if kind == NEAR_DUPLICATES else write_corpus
    written = write(tmp_path / "project", 40, seed=3)
    found = {
        o.number: used_concepts(written.page(o.slug).read_text(encoding="utf-8"))
        for o in written.organisations.values()
    }
    assert list(concept_sets(kind, 40, seed=3).values()) == [found[number] for number in range(40)]


def test_near_duplicates_share_their_concepts_by_the_hundred_and_keep_the_rules(tmp_path):
    corpus = write_near_duplicate_corpus(tmp_path / "project", 100, seed=7)
    found = pages(corpus)
    assert len(found) == len({o.name for o in corpus.organisations.values()}) == 100
    for slug, page in found.items():  # the text is the template's under another name, quoted word for word
        words = source_words(corpus.source(slug))
        assert all(verbatim_problem(body, words) is None for *_, body in cards(page)), slug
        assert corpus.organisations[slug].name in page.split("```{mission-card}")[1]
    sets = Counter(frozenset(used_concepts(page)) for page in found.values())
    assert sum(count for count in sets.values() if count >= 5) >= 30  # most share their set with 4 or more
    uses = Counter(concept for page in found.values() for concept in used_concepts(page))
    assert set(uses) == {entry.id for entry in corpus.concepts} and min(uses.values()) >= 3
    newcomer = add_organisation(corpus)
    assert newcomer.number == 100 and newcomer.added > max(
        o.added for o in corpus.organisations.values() if o is not newcomer
    )
    template = next(o for o in corpus.organisations.values() if o.number == 0)
    assert newcomer.blocks[-1] == template.blocks[-1] and newcomer.name != template.name


def test_a_small_near_duplicate_corpus_builds_without_warnings(tmp_path):
    corpus = write_near_duplicate_corpus(tmp_path / "project", 40, seed=5)
    result = build(corpus.root, tmp_path / "html")
    assert result.ok and not result.warnings, "\n".join(result.warnings) or result.log[-3000:]
