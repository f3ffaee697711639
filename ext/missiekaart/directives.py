"""The ``concept``, ``mission-card`` and ``value-card`` directives."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from .domain import WARNING_TYPE, Card, Concept, MissiekaartDomain
from .nodes import mk_backlinks, mk_card

_ = get_translation("missiekaart")
logger = logging.getLogger(__name__)


def comma_list(argument: str | None) -> list[str]:
    return [item.strip() for item in (argument or "").split(",") if item.strip()]


def concept_link(key: str, docname: str) -> nodes.inline:
    """A link to a concept, shown with the concept's title once resolved."""
    xref = pending_xref("", nodes.inline(text=key), refdomain="mk", reftype="concept",
                        reftarget=key.casefold(), refdoc=docname, refexplicit=False, mk_title=True)
    return nodes.inline("", "", xref, classes=["mk-concept-ref"])


class MissiekaartDirective(SphinxDirective):
    has_content = True

    @property
    def domain(self) -> MissiekaartDomain:
        domain = self.env.domains["mk"]
        assert isinstance(domain, MissiekaartDomain)
        return domain

    def warn(self, message: str, subtype: str) -> None:
        logger.warning(message, location=self.get_location(), type=WARNING_TYPE, subtype=subtype)

    def body(self) -> list[nodes.Node]:
        if not "\n".join(self.content).strip():
            self.warn(f"the {self.name} directive has an empty body; write the text below the options",
                      "empty-body")
            return []
        return self.parse_content_to_nodes()


class ConceptDirective(MissiekaartDirective):
    """Define a concept once: ``concept id`` with ``:title:``, ``:aliases:`` and the definition."""

    required_arguments = 1
    final_argument_whitespace = False
    option_spec: ClassVar = {"title": directives.unchanged_required, "aliases": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        concept_id = self.arguments[0].strip().casefold()
        title = self.options.get("title") or self.arguments[0]
        aliases = tuple(alias.casefold() for alias in comma_list(self.options.get("aliases")))
        anchor = make_id(self.env, self.state.document, "concept", concept_id)
        container = nodes.container(classes=["mk-concept"], ids=[anchor])
        container += self.body()
        container += mk_backlinks(kind="concept", concept=concept_id, docname=self.env.docname)
        self.domain.add_concept(Concept(concept_id, self.env.docname, anchor, title, aliases, self.lineno))
        return [container]


class CardDirective(MissiekaartDirective):
    """Shared by mission and value cards: same structure, same look."""

    kind: ClassVar[str]
    fields: ClassVar[tuple[tuple[str, str], ...]] = ()

    def title(self) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        docname = self.env.docname
        title = self.title()
        anchor = make_id(self.env, self.state.document, self.kind, title)
        concepts = tuple(comma_list(self.options.get("concepts")))
        if not concepts:
            self.warn(f"the {self.name} directive needs a ':concepts:' option: the comma-separated "
                      "ids of the concepts it shares", "missing-option")
        card = mk_card(classes=["mk-card", f"mk-{self.kind}-card"], ids=[anchor], mission=self.kind == "mission")
        heading = nodes.paragraph(classes=["mk-card-title"])
        heading += nodes.inline(text=self.kind_label(), classes=["mk-card-kind"])
        heading += nodes.Text(" ")
        heading += nodes.strong(text=title)
        card += heading
        values = self.field_values()
        if self.fields:
            field_list = nodes.field_list(classes=["mk-card-fields"])
            for (_option, label), value in zip(self.fields, values, strict=True):
                field_list += nodes.field("", nodes.field_name(text=label), nodes.field_body("", value))
            card += field_list
        card += nodes.container("", *self.body(), classes=["mk-card-body"])
        if concepts:
            line = nodes.paragraph(classes=["mk-card-concepts"])
            line += nodes.inline(text=_("Concepts") + ": ", classes=["mk-label"])
            for index, key in enumerate(concepts):
                if index:
                    line += nodes.Text(", ")
                link = concept_link(key, docname)
                for node in (link, *link.children):
                    self.set_source_info(node)  # an unknown concept is reported at the card's line
                line += link
            card += line
            card += mk_backlinks(kind="card", concepts=list(concepts), docname=docname)
        fields = tuple((option, value.astext()) for (option, _label), value in zip(self.fields, values, strict=True)
                       if value.astext() != "—")
        self.domain.add_card(Card(self.kind, docname, anchor, title, concepts, fields, self.lineno))
        return [card]

    def kind_label(self) -> str:
        raise NotImplementedError

    def field_values(self) -> list[nodes.Element]:
        return []


class MissionCard(CardDirective):
    """The organisation's mission: one per organisation page."""

    kind = "mission"
    option_spec: ClassVar = {
        "name": directives.unchanged,
        "region": directives.unchanged,
        "sector": directives.unchanged,
        "target-group": directives.unchanged,
        "website": directives.uri,
        "concepts": directives.unchanged,
    }

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:  # type: ignore[override]
        return (("region", _("Region")), ("sector", _("Sector")), ("target-group", _("Target group")),
                ("website", _("Website")))

    def title(self) -> str:
        if self.options.get("name"):
            return self.options["name"]
        title = next(self.state.document.findall(nodes.title), None)
        return title.astext() if title is not None else self.env.docname

    def kind_label(self) -> str:
        return _("Mission")

    def field_values(self) -> list[nodes.Element]:
        values: list[nodes.Element] = []
        for option, _label in self.fields:
            value = self.options.get(option, "").strip()
            if not value:
                values.append(nodes.paragraph(text="—"))
            elif option == "website":
                values.append(nodes.paragraph("", "", nodes.reference(value, value, refuri=value)))
            else:
                values.append(nodes.paragraph(text=value))
        return values

    def run(self) -> list[nodes.Node]:
        existing = self.domain.organisation(self.env.docname)
        if existing is not None:
            self.warn(f"a second mission card on this page (the first is on line {existing.lineno}); "
                      "an organisation has one mission: make this one a value-card", "duplicate-mission-card")
            return []
        return super().run()


class ValueCard(CardDirective):
    """A value, principle or goal of the organisation; any number per page."""

    kind = "value"
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar = {"concepts": directives.unchanged}

    def title(self) -> str:
        return self.arguments[0]

    def kind_label(self) -> str:
        return _("Value")
