"""The comparison matrix: concepts (rows) by organisations (columns), one component for every builder.

Each cell that has a place holds one mark (:class:`~missiekaart.extension.nodes.mk_presence`): a full dot
where the organisation carries the concept on a card, an open dot where it only speaks of it in
its text. A key above the table says so in words. How each builder draws it:

- HTML: the mark is a link to the place, with its meaning in words for screen readers and as a
  tooltip ("Eigen regie bij De Cocon: op 2 kaarten, in de tekst"); organisation names are set
  sideways, the concept column stays in view while the table scrolls sideways in its box (the
  styles in ``static/missiekaart.css``); long concept names get soft hyphens, Dutch syllables
  from ``pyphen``, so the column fits 40 % of a phone's width.
- LaTeX: :mod:`missiekaart.extension.latexmatrix` writes the table itself, in groups of columns that fit
  the page, headers turned a quarter, no word hyphenated.
- Other builders: a plain table of dots.

Past ``missiekaart_matrix_limit`` organisations, one count per concept instead of a column per
organisation (in HTML a link to the overview filtered on the concept).
"""

from __future__ import annotations

import functools
from urllib.parse import quote

import pyphen
from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator
from sphinx.writers.text import TextTranslator

from missiekaart.extension.domain import MissiekaartDomain
from missiekaart.extension.nodes import mk_presence
from missiekaart.extension.records import Card, Reference
from missiekaart.extension.render import GENERATED, link, ngettext

_ = get_translation("missiekaart")

#: The mark of each kind of place, as text (HTML, plain text); LaTeX draws its own.
GLYPHS = {"card": "\u25cf", "text": "\u25cb"}  # ● ○
#: Words of at least this many letters get soft hyphens in HTML (shorter ones fit any column).
HYPHENATE_FROM = 11


@functools.cache
def _dictionary(language: str) -> pyphen.Pyphen | None:
    found = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=found, left=3, right=3) if found else None


def soft_hyphens(text: str, language: str) -> str:
    """*text* with soft hyphens (U+00AD) between the syllables of its long words, so a narrow
    column breaks them as the language does; unchanged for a language pyphen does not know."""
    dictionary = _dictionary(language or "en")
    if dictionary is None:
        return text
    return " ".join(
        dictionary.inserted(word, hyphen="\u00ad") if len(word) >= HYPHENATE_FROM else word for word in text.split(" ")
    )


def places_label(places: list[Reference]) -> str:
    """ "op 2 kaarten, in de tekst": where an organisation uses a concept, in words."""
    cards = sum(1 for place in places if place.on_card)
    texts = len(places) - cards
    parts = []
    if cards:
        parts.append(ngettext("on a card", "on %d cards", cards))
    if texts:
        parts.append(ngettext("in the text", "in %d places in the text", texts))
    return ", ".join(parts)


def mark(kind: str, label: str = "") -> mk_presence:
    return mk_presence(GLYPHS[kind], GLYPHS[kind], kind=kind, label=label)


def key() -> nodes.paragraph:
    """What the marks mean, in words: the same sentence above the table in every builder."""
    paragraph = nodes.paragraph(classes=["mk-matrix-key", GENERATED])
    paragraph += mark("card")
    paragraph += nodes.Text(" " + _("the organisation carries the concept on a card") + "; ")
    paragraph += mark("text")
    paragraph += nodes.Text(" " + _("it speaks of it in its text only") + ".")
    return paragraph


def cell(*content: nodes.Node, classes: list[str] | None = None) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *content), classes=classes or [])


def place_cell(builder: Builder, docname: str, concept: str, card: Card, places: list[Reference]) -> nodes.entry:
    """The mark of one organisation and concept, linking to its first card or else its first place
    in the text; empty where the organisation does not use the concept."""
    if not places:
        return cell(classes=["mk-matrix-place"])
    first = next((place for place in places if place.on_card), places[0])
    label = _("%(concept)s at %(organisation)s: %(places)s") % {
        "concept": concept,
        "organisation": card.title,
        "places": places_label(places),
    }
    target = link(builder, docname, first.docname, first.anchor, mark("card" if first.on_card else "text", label))
    return cell(target, classes=["mk-matrix-place"])


def concept_matrix(domain: MissiekaartDomain, builder: Builder, docname: str) -> list[nodes.Node]:
    organisations = domain.organisations()
    wide = len(organisations) > builder.config.missiekaart_matrix_limit
    columns = [] if wide else organisations
    language = builder.config.language or "en"
    html = builder.format == "html"
    table = nodes.table(classes=["mk-concept-matrix", GENERATED, "mk-matrix-counts" if wide else "mk-matrix-marks"])
    group = nodes.tgroup(cols=len(columns) + 2)
    table += group
    # Widths in characters for the text builder; HTML and LaTeX size the columns themselves.
    group += nodes.colspec(colwidth=24)
    group += [nodes.colspec(colwidth=14) for _card in columns]
    group += nodes.colspec(colwidth=24 if wide else 8)
    head = nodes.row()
    head += cell(nodes.Text(_("Concept")), classes=["mk-matrix-concept"])
    head += [
        cell(
            link(builder, docname, card.docname, card.anchor, nodes.Text(card.title)),
            classes=["mk-matrix-organisation"],
        )
        for card in columns
    ]
    head += cell(nodes.Text(_("Organisations") if wide else _("Count")), classes=["mk-matrix-count"])
    group += nodes.thead("", head)
    body = nodes.tbody()
    overview = domain.overview_page("organisation-overview")
    concepts = {concept.id: concept for concept in domain.concepts()}
    for concept_id, title, shared in shared_concepts(domain):
        concept = concepts[concept_id]
        row = nodes.row()
        name = soft_hyphens(title, language) if html else title
        row += cell(
            link(builder, docname, concept.docname, concept.anchor, nodes.Text(name)), classes=["mk-matrix-concept"]
        )
        row += [
            place_cell(
                builder, docname, title, card, domain.places(concept_id, card.docname) if card.docname in shared else []
            )
            for card in columns
        ]
        count: nodes.Node = nodes.Text(str(len(shared)))
        if wide and overview is not None and html:  # the overview, filtered on the concept
            uri = f"{builder.get_relative_uri(docname, overview)}?begrip={quote(concept_id)}"
            count = nodes.reference("", "", count, internal=True, refuri=uri)
        row += cell(count, classes=["mk-matrix-count"])
        body += row
    group += body
    # Furo wraps every table in a box that scrolls sideways by itself.
    return [table] if wide else [key(), table]


def shared_concepts(domain: MissiekaartDomain) -> list[tuple[str, str, frozenset[str]]]:
    """(id, title, the docnames of the organisations that use it) per concept, most shared first, then by title."""
    sharers = domain.sharers()
    rows = [(concept.id, concept.title, sharers.get(concept.id, frozenset())) for concept in domain.concepts()]
    return sorted(rows, key=lambda row: (-len(row[2]), row[1].casefold()))


# ---------------------------------------------------------------- the mark in each builder


def visit_presence_html(self: HTML5Translator, node: nodes.Element) -> None:
    """The dot for the eye, its meaning for a screen reader (and as a tooltip); the key's dots,
    which have no label of their own, are only seen."""
    label = node.get("label", "")
    kind = node["kind"]
    tag = self.starttag(node, "span", "", CLASS=f"mk-presence mk-presence-{kind}")
    self.body.append(tag[:-1] + f' title="{self.attval(label)}">' if label else tag)
    self.body.append(f'<span aria-hidden="true">{self.encode(node.astext())}</span>')
    if label:
        self.body.append(f'<span class="mk-visually-hidden">{self.encode(label)}</span>')
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_presence_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append(rf"\missiekaartmark{{{node['kind']}}}")
    raise nodes.SkipNode


def visit_presence_text(self: TextTranslator, node: nodes.Element) -> None:
    self.add_text(node.astext())
    raise nodes.SkipNode
