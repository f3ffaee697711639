"""Search with Pagefind: a page is found for what it says itself, in any inflection.

- Pagefind (``pagefind[bin]``, the binary from PyPI) indexes the built site at the end of every
  HTML build, in bundles that are indexed again only when their pages change
  (:mod:`missiekaart.build.searchindex`); the search page (``templates/search.html``) merges them and
  shows the results for ``search.html?q=...``, the address the theme's search box leads to.
- Only a page's running text is indexed as text, and excerpts are made from it alone; words that
  find a page without being shown come after it (:mod:`missiekaart.extension.searchtext`). Generated lists
  are never indexed (they also carry ``data-pagefind-ignore``, :mod:`missiekaart.extension.html`).
- Pagefind stems Dutch with Snowball, which does not connect "zelfredzame" to *zelfredzaamheid*.
  Each concept page therefore shows its aliases and matches every form of its names that
  simplemma's Dutch dictionary knows (:class:`SearchTerms`), as words to match.
- Filters (``data-pagefind-filter``): an organisation's province, country and sector, and the concepts of
  its cards, under the labels the cards show them with; on a concept page, the concept. A value
  may hold any character (:func:`missiekaart.extension.searchtext.filter_value`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from missiekaart.build import searchindex
from missiekaart.build.searchindex import INDEX_FOLDER, MANIFEST
from missiekaart.build.sphinx_internals import builder_of
from missiekaart.core.vocabulary import WORD, lemma, name_keys
from missiekaart.extension.domain import get_domain
from missiekaart.extension.html import GENERATED
from missiekaart.extension.nodes import mk_card
from missiekaart.extension.records import CONCEPT_REF, Concept
from missiekaart.extension.render import MISSION_FIELDS
from missiekaart.extension.searchtext import (
    TERMS_ANCHOR,
    filter_value,
    mark_running_text,
    matching_text,
    normal_value,
    terms_element,
)

_ = get_translation("missiekaart")
logger = logging.getLogger(__name__)

FILTERED_FIELDS = ("province", "country", "sector")


def dutch_forms(lemmas: set[str]) -> dict[str, tuple[str, ...]]:
    """Each of *lemmas* -> every word form simplemma's Dutch dictionary maps to it. Reading the
    dictionary takes seconds: it is the copy the lemmatizer has already loaded, and the forms of
    each concept's names are kept in the environment (:func:`remember_search_forms`), so a build
    that changes no concept never reads it."""
    from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

    forms: dict[str, list[str]] = defaultdict(list)
    dictionary = DEFAULT_DICTIONARY_FACTORY.get_dictionary("nl")
    raw = getattr(dictionary, "_dict", None)
    if isinstance(raw, dict):
        # simplemma 2.0 keeps the dictionary as bytes and decodes each entry it is asked for: its
        # 370,000 entries are compared undecoded (eight times faster; a test build reads it once per
        # build), and only the forms found are decoded. Any other shape is read through the mapping.
        wanted = {lemma_form.encode(): lemma_form for lemma_form in lemmas}
        for form_bytes, lemma_bytes in raw.items():
            if (found := wanted.get(lemma_bytes)) is not None:
                forms[found].append(form_bytes.decode())
    else:
        for form, lemma_form in dictionary.items():
            if lemma_form in lemmas:
                forms[lemma_form].append(form)
    return {key: tuple(sorted(value)) for key, value in forms.items()}


def name_words(names: tuple[str, ...]) -> list[str]:
    """The lemmas of *names*' words, and for a "-heid" noun its adjective, in order (the same page
    on every build)."""
    keys = [key for name in names for key in (*name_keys(name), *(lemma(w.group()) for w in WORD.finditer(name)))]
    return list(dict.fromkeys(word for key in keys for word in key.split()))


def search_forms(names: tuple[str, ...], forms: dict[str, tuple[str, ...]]) -> list[str]:
    """The words a reader may type for *names*: each word's forms, and for a "-heid" noun the
    forms of its adjective ("zelfredzaamheid": zelfredzaam, zelfredzame, zelfredzamer, ...);
    *forms* is :func:`dutch_forms` of (at least) their :func:`name_words`."""
    found: dict[str, None] = {}
    for word in name_words(names):
        found.setdefault(word)
        for form in forms.get(word, ()):
            found.setdefault(form)
    return list(found)


def concept_names(concept: Concept) -> tuple[str, str]:
    return concept.title, concept.id.replace("-", " ")


def remember_search_forms(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the search forms of every concept's names, computed for new names only and
    kept with the environment (which is saved after this event), for :class:`SearchTerms`."""
    domain = get_domain(env)
    known: dict[tuple[str, ...], list[str]] = domain.data.get("search forms", {})
    names = sorted({concept_names(concept) for concept in domain.concepts()})
    new = [key for key in names if key not in known]
    # One pass over the dictionary for every new name together.
    forms = dutch_forms({word for key in new for word in name_words(key)}) if new else {}
    domain.data["search forms"] = {key: known[key] if key in known else search_forms(key, forms) for key in names}


class SearchTerms(SphinxPostTransform):
    """What Pagefind reads of a page (:mod:`missiekaart.extension.searchtext`): its running text, marked;
    and last, its words to match and its filters. A concept page matches its aliases (shown once,
    by the concordance) and every form of its names; an organisation's cards match their titles,
    fields and text, and give the region, sector and concepts as filters."""

    default_priority = 460  # after the generated content is in (RenderGeneratedHTML): the overview's cards
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        docname = self.env.docname
        terms: list[str] = []
        filters: list[str] = []
        for concept in domain.concepts():
            if concept.docname == docname:
                # Filled for every concept at env-updated, before any page is written.
                terms += [*concept.aliases, *domain.data["search forms"][concept_names(concept)]]
                filters.append(filter_value(_("Concept"), concept.title))
        for card in self.document.findall(mk_card):
            if "mk-summary-card" in card["classes"]:
                self.link_facets(card)
            else:
                terms.append(matching_text(card, GENERATED))
                filters += card_filters(card)
        if mark_running_text(self.document, GENERATED) or terms or filters:
            self.document += terms_element(terms, filters)

    def link_facets(self, card: mk_card) -> None:
        """The overview's copy of a card: its province, country and sector link to the search page, filtered by
        them (the same filters as the organisations' pages give; the parameter is the filter's name
        in lower case, ``?provincie=...``, as the overview's own facets name it)."""
        labels = {str(label): option for option, label in MISSION_FIELDS}
        search = builder_of(self.env).get_relative_uri(self.env.docname, "search")  # as Sphinx's post-transforms do
        for field in card.findall(nodes.field):
            label = field[0].astext()
            if labels.get(label) in FILTERED_FIELDS:
                value = field[1].astext()
                link = nodes.reference(
                    "",
                    value,
                    refuri=f"{search}?{urlencode({label.casefold(): normal_value(value)})}",
                    internal=True,
                    classes=["mk-facet"],
                )
                field[1].replace_self(nodes.field_body("", nodes.paragraph("", "", link)))  # type: ignore[attr-defined]


def card_filters(card: mk_card) -> list[str]:
    """An organisation's card: its province, country and sector, and its concepts under their titles."""
    labels = {str(label): option for option, label in MISSION_FIELDS}
    filters = [
        filter_value(field[0].astext(), field[1].astext())
        for field in card.findall(nodes.field)
        if labels.get(field[0].astext()) in FILTERED_FIELDS
    ]
    for line in card.findall(nodes.paragraph):
        if "mk-card-concepts" in line["classes"]:
            filters += [
                filter_value(_("Concept"), reference.astext())
                for reference in line.findall(nodes.Element)
                if CONCEPT_REF in reference["classes"]
            ]
    return filters


def search_page_labels(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object) -> None:
    """The search page's labels (templates/search.html, static/missiekaart-search.js)."""
    if templatename == "search.html":
        script = {
            "one": _("%(count)s result for “%(query)s”"),
            "many": _("%(count)s results for “%(query)s”"),
            "none": _("Nothing found for “%(query)s”."),
        }
        context["mk_search"] = {
            "label": _("Search this site"),
            "needs_javascript": _(
                "Searching needs JavaScript, which is off in this browser. Every page can "
                "be read and reached without it, through the menu."
            ),
            "json": json.dumps({key: str(value) for key, value in script.items()}, ensure_ascii=False),
            "index": f"{INDEX_FOLDER}/{MANIFEST}",
            "terms_anchor": TERMS_ANCHOR,
        }


def without_sphinx_search(app: Sphinx) -> None:
    """``builder-inited``: Pagefind replaces Sphinx's own search, so Sphinx need not index every
    page into a ``searchindex.js`` that nothing would load. The search page stays (below)."""
    if app.builder.name in ("html", "dirhtml"):
        app.builder.search = False  # type: ignore[attr-defined]  # StandaloneHTMLBuilder's switch


def search_page(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the search page, now that Sphinx does not write it by itself."""
    if app.builder.name in ("html", "dirhtml"):
        return [("search", {}, "search.html")]
    return []


def setup(app: Sphinx) -> None:
    app.add_post_transform(SearchTerms)
    app.connect("env-updated", remember_search_forms)
    app.connect("builder-inited", without_sphinx_search)
    app.connect("html-collect-pages", search_page)
    app.connect("html-page-context", search_page_labels)
    searchindex.setup(app)
