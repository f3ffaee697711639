"""The directives: ``concept``, ``mission-card``, ``value-card`` and the three overviews."""

from __future__ import annotations

import difflib
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from .domain import WARNING_TYPE, Card, Concept, MissiekaartDomain
from .nodes import mk_backlinks, mk_card, mk_overview

_ = get_translation("missiekaart")
logger = logging.getLogger(__name__)


def comma_list(argument: str | None) -> list[str]:
    return [item.strip() for item in (argument or "").split(",") if item.strip()]


class UnknownOption(str):
    """The value of an option the directive does not know; reported by the directive itself."""


class OptionSpec(dict):
    """An ``option_spec`` that lets unknown options through, marked, instead of failing.

    MyST and docutils look converters up with ``option_spec[name]``; an unknown name gets a
    converter that wraps the value in :class:`UnknownOption`, so the directive can report it
    as a ``missiekaart`` warning with a hint, and the card is still rendered.
    """

    def __missing__(self, name: str):
        return lambda value: UnknownOption(value or "")


def concept_link(key: str, docname: str) -> nodes.inline:
    """A link to a concept, shown with the concept's title once resolved."""
    xref = pending_xref("", nodes.inline(text=key), refdomain="mk", reftype="concept",
                        reftarget=key.casefold(), refdoc=docname, refexplicit=False, mk_title=True)
    return nodes.inline("", "", xref, classes=["mk-concept-ref"])


class MissiekaartDirective(SphinxDirective):
    """Base: unknown options are reported (then ignored) before :meth:`make` builds the nodes."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        self.check_options()
        return self.make()

    def make(self) -> list[nodes.Node]:
        raise NotImplementedError

    @property
    def domain(self) -> MissiekaartDomain:
        domain = self.env.domains["mk"]
        assert isinstance(domain, MissiekaartDomain)
        return domain

    def warn(self, message: str, subtype: str) -> None:
        logger.warning(message, location=self.get_location(), type=WARNING_TYPE, subtype=subtype)

    def option_line(self, name: str) -> int:
        """The source line of option *name* (the directive's line if it cannot be found)."""
        for offset, line in enumerate(self.block_text.splitlines()):
            if line.lstrip().startswith(f":{name}:"):
                return self.lineno + offset
        return self.lineno

    def check_options(self) -> None:
        """Warn about unknown options, at the option's own line, naming the allowed ones."""
        for name, value in list(self.options.items()):
            if isinstance(value, UnknownOption):
                del self.options[name]
                allowed = sorted(self.option_spec)
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean ':{close[0]}:'?" if close else "remove it"
                logger.warning(
                    "unknown option ':%s:' for the %s directive; %s (allowed: %s)",
                    name, self.name, hint, ", ".join(f":{option}:" for option in allowed),
                    location=(self.env.docname, self.option_line(name)), type=WARNING_TYPE,
                    subtype="unknown-option",
                )

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
    option_spec: ClassVar = OptionSpec(title=directives.unchanged_required, aliases=directives.unchanged)

    def make(self) -> list[nodes.Node]:
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
    #: (option, label) of the fields the card shows, in display order.
    fields: ClassVar[tuple[tuple[str, object], ...]] = ()

    def title(self) -> str:
        raise NotImplementedError

    def kind_label(self) -> str:
        raise NotImplementedError

    def make(self) -> list[nodes.Node]:
        docname = self.env.docname
        title = self.title()
        anchor = make_id(self.env, self.state.document, self.kind, title)
        concepts = tuple(comma_list(self.options.get("concepts")))
        if not concepts:
            self.warn(f"the {self.name} directive needs a ':concepts:' option: the comma-separated "
                      "ids of the concepts it shares", "missing-option")
        card = mk_card(classes=["mk-card", f"mk-{self.kind}-card"], ids=[anchor], mission=self.kind == "mission")
        card += card_title(self.kind_label(), nodes.strong(text=title))
        fields = tuple((option, value) for option, _label in self.fields
                       if (value := self.options.get(option, "").strip()))
        if self.fields:
            card += field_list(self.fields, dict(fields))
        body = self.body()
        card += nodes.container("", *body, classes=["mk-card-body"])
        if concepts:
            line = concept_line(concepts, docname)
            for node in line.findall(pending_xref):
                self.set_source_info(node)  # an unknown concept is reported at the card's line
            card += line
            card += mk_backlinks(kind="card", concepts=list(concepts), docname=docname)
        text = "\n\n".join(node.astext() for node in body)
        self.domain.add_card(Card(self.kind, docname, anchor, title, concepts, fields, text, self.lineno))
        return [card]


def card_title(kind_label: str, title: nodes.Node) -> nodes.paragraph:
    heading = nodes.paragraph(classes=["mk-card-title"])
    heading += nodes.inline(text=kind_label, classes=["mk-card-kind"])
    heading += nodes.Text(" ")
    heading += title
    return heading


def field_list(fields: tuple[tuple[str, object], ...], values: dict[str, str]) -> nodes.field_list:
    """Every field in the same order on every card; "—" where the organisation gives none."""
    result = nodes.field_list(classes=["mk-card-fields"])
    for option, label in fields:
        value = values.get(option)
        if not value:
            body = nodes.paragraph(text="—")
        elif option == "website":
            body = nodes.paragraph("", "", nodes.reference(value, value, refuri=value))
        else:
            body = nodes.paragraph(text=value)
        result += nodes.field("", nodes.field_name(text=str(label)), nodes.field_body("", body))
    return result


def concept_line(concepts: tuple[str, ...] | list[str], docname: str) -> nodes.paragraph:
    line = nodes.paragraph(classes=["mk-card-concepts"])
    line += nodes.inline(text=_("Concepts") + ": ", classes=["mk-label"])
    for index, key in enumerate(concepts):
        if index:
            line += nodes.Text(", ")
        line += concept_link(key, docname)
    return line


# Labels are lazy translations: they follow the project's `language` when a card is rendered.
MISSION_FIELDS = (("region", _("Region")), ("sector", _("Sector")), ("target-group", _("Target group")),
                  ("website", _("Website")))


class MissionCard(CardDirective):
    """The organisation's mission: one per organisation page."""

    kind = "mission"
    fields = MISSION_FIELDS
    option_spec: ClassVar = OptionSpec({
        "name": directives.unchanged,
        "region": directives.unchanged,
        "sector": directives.unchanged,
        "target-group": directives.unchanged,
        "website": directives.uri,
        "concepts": directives.unchanged,
    })

    def title(self) -> str:
        if self.options.get("name"):
            return self.options["name"]
        title = next(self.state.document.findall(nodes.title), None)
        return title.astext() if title is not None else self.env.docname

    def kind_label(self) -> str:
        return _("Mission")

    def make(self) -> list[nodes.Node]:
        existing = self.domain.organisation(self.env.docname)
        if existing is not None:
            self.warn(f"a second mission card on this page (the first is on line {existing.lineno}); "
                      "an organisation has one mission: make this one a value-card", "duplicate-mission-card")
            return []
        return super().make()


class ValueCard(CardDirective):
    """A value, principle or goal of the organisation; any number per page."""

    kind = "value"
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar = OptionSpec(concepts=directives.unchanged)

    def title(self) -> str:
        return self.arguments[0]

    def kind_label(self) -> str:
        return _("Value")


class OverviewDirective(MissiekaartDirective):
    """``organisation-cards``, ``concept-matrix`` and ``concept-index``: views of the whole project.

    The directive only leaves a placeholder; :class:`~missiekaart.transforms.RenderGenerated`
    fills it in at write time from the domain data, so it is never stale.
    """

    has_content = False
    option_spec: ClassVar = OptionSpec()

    def make(self) -> list[nodes.Node]:
        self.domain.add_overview(self.env.docname, self.name)
        node = mk_overview(kind=self.name, docname=self.env.docname, **self.options)
        self.set_source_info(node)
        return [node]


class ConceptIndex(OverviewDirective):
    """Every concept with how many organisations share it; ``:limit:`` shows only the most shared."""

    option_spec: ClassVar = OptionSpec(limit=directives.positive_int)
