"""An incremental build gives the same site as a clean build of the same tree, page for page.

Each case takes a small generated project built clean, makes one change a contributor makes, rebuilds
incrementally, builds the changed project clean elsewhere and compares the two outputs file by file
(tests/staleness.py): every HTML page must be identical, navigation included, and the output of a
removed page must be gone. An unchanged rebuild reads and writes nothing and finds no configuration
change. The first clean build is made once and copied (with its file times, to the same path, so
Sphinx sees the same project) for each ``-j 1`` case. The project's page sizes are so small that its
lists go on on pages of their own, which the extension writes (missiekaart/views/listwriter.py): they must
be the clean build's too.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus import (
    Corpus,
    add_organisation,
    edit_concept,
    edit_organisation,
    remove_organisation,
    rename_organisation,
    write_corpus,
)
from sphinxrun import build
from staleness import build_clean, check_staleness

ORGANISATIONS = 6  # enough for related lists, shared concepts and navigation to change
BUNDLE_SIZE = 2  # organisation pages per bundle of the search index: three bundles, and the site's
# Page sizes small enough that the generated project's lists go on on pages of their own
# (missiekaart/extension/paging.py): the overview's provinces (all but one organisation is on one of them,
# a province of two on two pages), the concepts shared by more than two organisations, and the
# concept index of its 20 concepts.
PAGE_SIZES = {"overview": 1, "concept": 2, "index": 6}


def most_shared(corpus: Corpus) -> str:
    return corpus.uses().most_common(1)[0][0]


def title(corpus: Corpus, concept_id: str) -> str:
    return next(entry.title for entry in corpus.concepts if entry.id == concept_id)


def aliases(corpus: Corpus, concept_id: str) -> list[str]:
    return next(list(entry.aliases) for entry in corpus.concepts if entry.id == concept_id)


def last(corpus: Corpus) -> str:
    return sorted(corpus.organisations)[-1]


CHANGES: dict[str, Callable[[Corpus], object]] = {
    "nothing": lambda corpus: None,
    "add-organisation": add_organisation,
    "remove-organisation": remove_organisation,
    # The first organisation is the one the overview's page shows itself: rename one on a page of its province.
    "rename-organisation": lambda corpus: rename_organisation(
        corpus, last(corpus), f"{corpus.organisations[last(corpus)].name} Nieuw"
    ),
    "edit-organisation": edit_organisation,
    "concept-title": lambda corpus: edit_concept(
        corpus, most_shared(corpus), title=f"{title(corpus, most_shared(corpus))} herzien"
    ),
    # Aliases and definition in one change: both only touch the concept's page and what quotes it.
    "concept-aliases-and-definition": lambda corpus: edit_concept(
        corpus,
        most_shared(corpus),
        aliases=[*aliases(corpus, most_shared(corpus)), "nieuw synoniem"],
        definition="Een nieuwe uitleg van dit begrip, in onze eigen woorden. Ze zegt wat het idee is. Geen namen.",
    ),
}
# An unchanged rebuild is tested below (it writes none of the list pages either) and on the real site
# (tests/test_site.py); -j 2 once, for the change that touches the most pages.
CASES = [*((name, 1) for name in CHANGES if name != "nothing"), ("add-organisation", 2)]


def built_once(base: Path, settings: dict[str, int]) -> tuple[Corpus, Path]:
    """A corpus with these settings built clean once at the path every case builds at, and a copy of it all."""
    corpus = write_corpus(base / "project", ORGANISATIONS, seed=1)
    with (corpus.root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("".join(f"\nmissiekaart_{name} = {value}\n" for name, value in settings.items()))
    build_clean(corpus.root)
    shutil.copytree(corpus.root, base / "snapshot", copy_function=shutil.copy2)
    return corpus, base / "snapshot"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Corpus, Path]:
    """The corpus with a search index of several bundles and its lists on pages of their own."""
    sizes = {f"{name}_page_size": size for name, size in PAGE_SIZES.items()}
    return built_once(tmp_path_factory.mktemp("never-stale"), {"search_bundle_size": BUNDLE_SIZE, **sizes})


def fresh(built: tuple[Corpus, Path]) -> Corpus:
    """The built corpus as it was after its clean build, files, output and times alike."""
    corpus, snapshot = built
    shutil.rmtree(corpus.root)
    shutil.copytree(snapshot, corpus.root, copy_function=shutil.copy2)
    return copy.deepcopy(corpus)


@pytest.mark.parametrize(("change", "jobs"), CASES, ids=[f"{name}-j{jobs}" for name, jobs in CASES])
def test_an_incremental_build_equals_a_clean_build(built, change, jobs):
    corpus = fresh(built)
    report = check_staleness(corpus.root, lambda: CHANGES[change](corpus), jobs=jobs, built=jobs == 1)
    problems = [*report.incremental.warnings, *report.clean.warnings]
    assert not report.stale and not problems, report.describe() + "\n" + "\n".join(problems)
    if change == "nothing":
        unchanged = report.incremental
        assert unchanged.read == 0 and not unchanged.written, unchanged.log[-2000:]
        assert not unchanged.config_reason and not unchanged.config_changed, unchanged.log[-2000:]


def test_the_project_has_list_pages_of_each_kind(built):
    """What the cases above compare includes the pages that continue the overview, the concept pages
    and the concept index (written by the extension, not by Sphinx)."""
    corpus = fresh(built)
    output = corpus.root / "_build" / "html"
    generated = sorted(path.relative_to(output).as_posix() for path in output.glob("*/**/*.html"))
    assert any(page.startswith("overzicht/") for page in generated), generated
    assert any(page.startswith("concepts/index/") for page in generated), generated
    assert any(page.startswith("concepts/") and not page.startswith("concepts/index/") for page in generated)


def test_what_is_made_from_the_whole_site_is_renewed_when_a_page_changes_and_only_then(built):
    """The search index, the JSON export and Sphinx's ``objects.inv`` cost seconds at 1,000 and
    10,000 organisations: an unchanged rebuild keeps them, a rebuild that writes a page makes them
    anew, and of the search index only the bundle of the edited page: the concept page and the
    lists re-written with it changed in nothing that search reads. ``objects.inv`` lists titles,
    concepts and organisations: a linked word changes none of them, and it is kept; a new name is
    written in it. (Its bytes against a clean build's: test_an_incremental_build_equals_a_clean_build.)"""
    from missiekaart.build.searchindex import INDEX_FOLDER, search_index

    corpus = fresh(built)
    output = corpus.root / "_build" / "html"
    index = output / INDEX_FOLDER
    bundles = sorted(path.name for path in index.iterdir() if path.is_dir())
    assert 3 <= len(bundles) <= 1 + -(-ORGANISATIONS // BUNDLE_SIZE), bundles  # empty ones are not made
    entries = {name: index / name / "pagefind-entry.json" for name in bundles}
    made = [index / "bundles.json", output / "missiekaart.json", output / "objects.inv", *entries.values()]
    times = {path: path.stat().st_mtime_ns for path in made}
    unchanged = build(corpus.root, output)
    assert unchanged.read == 0 and not unchanged.written, unchanged.log[-2000:]
    assert "the search index in pagefind/ is up to date" in unchanged.log
    assert {path: path.stat().st_mtime_ns for path in made} == times
    slug = edit_organisation(corpus)
    edited = build(corpus.root, output)
    assert edited.read == 1 and edited.written, edited.log[-2000:]
    # One more linked word re-numbers only the places of that concept: one concept page is re-written.
    concepts = [page for page in edited.written if page.startswith("concepts/") and page != "concepts/index.html"]
    assert len(concepts) == 1, edited.written
    assert "search index written to pagefind/" in edited.log
    assert (output / "missiekaart.json").stat().st_mtime_ns != times[output / "missiekaart.json"]
    assert (output / "objects.inv").stat().st_mtime_ns == times[output / "objects.inv"]
    renewed = {name for name, entry in entries.items() if entry.stat().st_mtime_ns != times[entry]}
    holding = {name for name, pages in search_index(output).items() if f"/organisations/{slug}.html" in pages.values()}
    assert len(holding) == 1 and renewed == holding, edited.log[-2000:]
    renamed = sorted(corpus.organisations)[-1]
    rename_organisation(corpus, renamed, f"Hernoemd {corpus.organisations[renamed].name}")
    inventory = (output / "objects.inv").read_bytes()
    retitled = build(corpus.root, output)
    assert retitled.read == 1, retitled.log[-2000:]
    assert (output / "objects.inv").read_bytes() != inventory  # the new name is in it
