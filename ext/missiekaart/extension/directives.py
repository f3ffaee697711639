"""The directives: ``concept``, ``mission-card``, ``value-card`` and the three overviews."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from missiekaart.core.places import Place, resolve
from missiekaart.core.ranking import is_date
from missiekaart.core.sentences import sentence_spans
from missiekaart.extension.checks import normal_url, source_words, url_problem, verbatim_problem
from missiekaart.extension.domain import MissiekaartDomain, get_domain
from missiekaart.extension.nodes import mk_backlinks, mk_card, mk_overview
from missiekaart.extension.pagechecks import organisation_dir
from missiekaart.extension.problems import warn
from missiekaart.extension.rawhtml import html_in_title
from missiekaart.extension.records import Card, Concept
from missiekaart.extension.render import MISSION_FIELDS, card_title, concept_line, field_list
from missiekaart.importer.sourcefile import SourceError

_ = get_translation("missiekaart")
# What an unclosed card swallows: the opening fence of another card, or a heading.
INNER_CARD = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})\{(mission|value)-card\}")
INNER_HEADING = re.compile(r"^ {0,3}#{1,6}\s")
logger = logging.getLogger(__name__)


def comma_list(argument: str | None) -> list[str]:
    return [item.strip() for item in (argument or "").split(",") if item.strip()]


class UnknownOption(str):
    """The value of an option the directive does not know; reported by the directive itself."""


class OptionSpec(dict[str, Callable[[str], Any]]):
    """An ``option_spec`` that lets unknown options through, marked, instead of failing.

    MyST and docutils look converters up with ``option_spec[name]``; an unknown name gets a
    converter that wraps the value in :class:`UnknownOption`, so the directive can report it
    as a ``missiekaart`` warning with a hint, and the card is still rendered.
    """

    def __missing__(self, name: str) -> Callable[[str], Any]:
        return lambda value: UnknownOption(value or "")


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
        return get_domain(self.env)

    def warn(self, message: str, subtype: str, line: int | None = None) -> None:
        location = self.get_location() if line is None else (self.env.docname, line)
        warn(message, location, subtype)

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
                allowed = sorted(self.option_spec or {})
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean ':{close[0]}:'?" if close else "remove it"
                self.warn(
                    f"unknown option ':{name}:' for the {self.name} directive; {hint} "
                    f"(allowed: {', '.join(f':{option}:' for option in allowed)})",
                    "unknown-option",
                    self.option_line(name),
                )

    def body(self) -> list[nodes.Node]:
        """The parsed body; a body that holds a heading or a card, or that runs to the end of the
        page, almost always lost its closing fence: that is reported at the opening fence."""
        if not "\n".join(self.content).strip():
            self.warn(f"the {self.name} directive has an empty body; write the text below the options", "empty-body")
            return []
        depth: int = self.env.temp_data.get("mk_depth") or 0
        self.env.temp_data["mk_depth"] = depth + 1
        try:
            body = self.parse_content_to_nodes()
        finally:
            self.env.temp_data["mk_depth"] = depth
        if depth == 0:
            self.check_closed(body)
        return body

    def check_closed(self, body: list[nodes.Node]) -> None:
        inner = next(
            (
                found
                for node in body
                for found in node.findall(lambda n: isinstance(n, (mk_card, nodes.rubric, nodes.section, nodes.title)))
            ),
            None,
        )
        content_lines = len(self.block_text.splitlines()) - 2
        page_lines = self.env.temp_data.get("mk_line_count", 0)
        if inner is not None:
            card = isinstance(inner, mk_card)
            what = "another card" if card else f"the heading '{inner.astext()}'"
            pattern = INNER_CARD if card else INNER_HEADING
            offset = next(
                (index for index, line in enumerate(self.block_text.splitlines()) if index and pattern.match(line)),
                None,
            )
            where = f" (line {self.lineno + offset})" if offset else ""
            problem = f"contains {what}{where}"
        elif page_lines and self.lineno + content_lines >= page_lines:
            problem = "runs to the end of the page"
        else:
            return
        self.unclosed = True
        self.warn(
            f"the {self.name} that starts here {problem}: its closing fence is probably missing; "
            "close it with a line of three backticks (```) right after its text",
            "unclosed-card",
        )

    unclosed = False


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
        body = self.body()
        container += body
        container += mk_backlinks(kind="concept", concept=concept_id, docname=self.env.docname)
        definition = " ".join(" ".join(node.astext() for node in body).split())
        self.check_definition(definition)
        concept = Concept(concept_id, self.env.docname, anchor, title, aliases, self.lineno, definition)
        self.domain.add_concept(concept)
        return [container]

    def check_definition(self, definition: str) -> None:
        """A definition says what the idea is in a few sentences (``missiekaart_definition_sentences``:
        3 to 6 on this site, CONTRIBUTING.md)."""
        if not definition:
            return  # an empty body is reported as such
        count = len([span for span in sentence_spans(definition) if definition[span[0] : span[1]].strip()])
        low, high = self.config.missiekaart_definition_sentences
        if not low <= count <= high:
            self.warn(
                f"the definition of concept {self.arguments[0]!r} has {count} sentence(s); a definition says "
                f"what the idea is in {low} to {high} sentences: "
                + ("add what it means and how organisations work with it" if count < low else "say it more briefly"),
                "definition-length",
            )


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
        title_nodes = self.title_nodes()
        title = "".join(node.astext() for node in title_nodes)
        anchor = make_id(self.env, self.state.document, self.kind, title)
        concepts = tuple(comma_list(self.options.get("concepts")))
        if not concepts:
            self.warn(
                f"the {self.name} directive needs a ':concepts:' option: the comma-separated "
                "ids of the concepts it shares",
                "missing-option",
            )
        if "draft" in self.options:
            self.warn(
                f"this {self.name} is a draft proposed by 'missiekaart import': check its text, title "
                "and :concepts:, then delete its ':draft:' line to confirm it",
                "draft-card",
                self.option_line("draft"),
            )
        card = mk_card(classes=["mk-card", f"mk-{self.kind}-card"], ids=[anchor], mission=self.kind == "mission")
        card += card_title(self.kind_label(), nodes.strong("", "", *title_nodes))
        fields = self.checked_fields()
        shown = field_list(self.fields, dict(fields))
        if shown is not None:
            card += shown
        body = self.body()
        text = "\n\n".join(node.astext() for node in body)
        if not same_words(text, title):  # a one-word value ("Respect") is said once, as the title
            card += nodes.container("", *body, classes=["mk-card-body"])
        if concepts:
            line = concept_line(concepts, docname)
            for node in line.findall(pending_xref):
                self.set_source_info(node)
                node.line = self.option_line("concepts")  # an unknown concept is reported at its option's line
            card += line
        if not self.unclosed:
            self.check_verbatim(text)
        if self.registers():
            card_data = Card(self.kind, docname, anchor, title, concepts, fields, text, self.lineno, self.added())
            self.domain.add_card(card_data)
        return [card]

    def added(self) -> str:
        """The date the organisation was added to the project (a mission card's), else ``""``."""
        return ""

    def title_nodes(self) -> list[nodes.Node]:
        """The title, with its inline markup (emphasis, a ``{concept}`` role) parsed; a title without
        any character that starts markup is its text (most are, and there is one per card). HTML in
        a title is text (MyST's HTML syntax is off, :mod:`.rawhtml`), and reported."""
        title = self.title()
        if not MARKUP_START.search(title):
            return [nodes.Text(title)]
        if html := html_in_title(title):
            self.warn(
                f"the {self.name}'s title holds HTML ({html[0]!r}), which is shown as text; write "
                "the title as plain words (emphasis with *...* and {concept} roles are allowed)",
                "html-in-title",
            )
        parsed, messages = self.parse_inline(title)
        return [*parsed, *messages]

    def registers(self) -> bool:
        """Whether the card counts for the project (overviews, cross-links, export)."""
        return True

    def checked_fields(self) -> tuple[tuple[str, str], ...]:
        """(option, value) of the fields given; a URL that is not a safe link is reported and left out."""
        fields = []
        place = self.place()
        for option, _label in self.fields:
            value = self.options.get(option, "").strip()
            if option in ("country", "province"):
                value = place.country if option == "country" else place.province
            if value and option == "website":
                problem = url_problem(value)
                if problem:
                    self.warn(
                        f"the :{option}: {value!r} is not shown as a link: {problem}; give the full "
                        "address, e.g. https://www.voorbeeld.be",
                        "unsafe-url",
                        self.option_line(option),
                    )
                    continue
                value = normal_url(value)
            if value:
                fields.append((option, value))
        return tuple(fields)

    def place(self) -> Place:
        """The card's ``:country:`` and ``:province:`` from the project's list (:mod:`missiekaart.core.places`);
        a value not in it is reported at its line with the closest valid one, and left out."""
        country = str(self.options.get("country", "")).strip()
        province = str(self.options.get("province", "")).strip()
        place = resolve(country, province, self.config.missiekaart_places)
        for option, problem in place.problems:
            self.warn(
                f"{problem} Countries and provinces come from a list, so that the overview can filter by them; "
                "write the municipality or district in :region:",
                "unknown-place",
                self.option_line(option),
            )
        return place

    def check_verbatim(self, text: str) -> None:
        """A card on a page imported from a source text quotes that text word for word."""
        source = self.env.temp_data.get("mk_source")  # (mk-source, resolved path), checked at source-read
        if not source or not text:
            return
        name, path = source  # a dependency of the page (pagechecks.on_source_read)
        try:
            words = source_words(path)
        except SourceError as error:
            if not self.env.temp_data.get("mk_source_unreadable"):  # once per page, not per card
                self.env.temp_data["mk_source_unreadable"] = True
                self.warn(
                    f"the cards cannot be checked against the source text {name}: {error.message}",
                    "unreadable-source",
                )
            return
        problem = verbatim_problem(text, words)
        if problem:
            self.warn(
                f"this {self.name}'s text is not in {name} word for word: {problem}; quote the "
                "organisation's own words exactly (the source text is never edited)",
                "card-not-verbatim",
            )


def same_words(text: str, title: str) -> bool:
    """Whether *text* says nothing but *title* (case and punctuation aside)."""
    return bool(title.strip()) and re.findall(r"\w+", text.casefold()) == re.findall(r"\w+", title.casefold())


#: What can start inline Markdown (emphasis, code, roles, links, HTML, entities, escapes, math...).
MARKUP_START = re.compile(r"[`*_\[\]{}<>\\&$~!|:@#^=+%]|https?:|www\.")

#: The name of a mission card above the page title until the title is known (see
#: :func:`name_after_page_title`).
PAGE_TITLE = "\N{OBJECT REPLACEMENT CHARACTER}"


class MissionCard(CardDirective):
    """The organisation's mission: one per organisation page."""

    kind = "mission"
    fields = MISSION_FIELDS
    option_spec: ClassVar = OptionSpec(
        {
            "name": directives.unchanged,
            "region": directives.unchanged,
            "province": directives.unchanged,
            "country": directives.unchanged,
            "sector": directives.unchanged,
            "target-group": directives.unchanged,
            "website": directives.unchanged,
            "concepts": directives.unchanged,
            "added": directives.unchanged,
            "draft": directives.flag,
        }
    )

    def added(self) -> str:
        """``:added:``, the day the organisation came to the project as ``YYYY-MM-DD``: among related
        organisations that score the same, the one added first goes first (ranking.py). A date that is
        not one is reported at its line and left out; none at all counts as the oldest."""
        value = str(self.options.get("added", "")).strip()
        if value and not is_date(value):
            self.warn(
                f"the :added: {value!r} is not a date written YYYY-MM-DD; write the day the organisation "
                "was added to Missiekaart (the importer writes it), e.g. 2025-03-01",
                "added-date",
                self.option_line("added"),
            )
            return ""
        return value

    def title(self) -> str:
        if self.options.get("name"):
            return str(self.options["name"])
        title = next(self.state.document.findall(nodes.title), None)
        return title.astext() if title is not None else PAGE_TITLE

    def title_nodes(self) -> list[nodes.Node]:
        """The ``:name:``, else copies of the page title's nodes: the title was parsed once, as the
        page's heading, and its text is never parsed again (``\\<b>`` in the heading is ``<b>`` in
        its text, which a second parse would make HTML)."""
        title = next(self.state.document.findall(nodes.title), None)
        if self.options.get("name") or title is None:
            return super().title_nodes()
        copies = [child.deepcopy() for child in title.children]
        for copy in copies:  # an anchor stays on the heading; the card's copy carries none
            for element in copy.findall(nodes.Element):
                element["ids"] = []
        return copies

    def kind_label(self) -> str:
        return _("Mission")

    def registers(self) -> bool:
        folder = organisation_dir(self.config)
        if folder and not self.env.docname.startswith(folder):
            self.warn(
                f"a mission-card makes its page an organisation, but this page is not in {folder}; "
                f"move the page to {folder}, or make this card a value-card on an organisation's page",
                "card-outside-organisation",
            )
            return False
        return True

    def make(self) -> list[nodes.Node]:
        existing = self.domain.organisation(self.env.docname)
        if existing is not None:
            self.warn(
                f"a second mission card on this page (the first is on line {existing.lineno}); "
                "an organisation has one mission: make this one a value-card",
                "duplicate-mission-card",
            )
            return []
        if next(self.state.document.findall(nodes.section), None) is None:
            self.warn(
                "the mission-card comes before the page title; move it below the '# ...' title line, "
                "which names the organisation",
                "card-before-title",
            )
        return super().make()


class ValueCard(CardDirective):
    """A value, principle or goal of the organisation; any number per page."""

    kind = "value"
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar = OptionSpec(concepts=directives.unchanged, draft=directives.flag)

    def title(self) -> str:
        return self.arguments[0]

    def kind_label(self) -> str:
        return _("Value")


class OverviewDirective(MissiekaartDirective):
    """``organisation-cards``, ``concept-matrix`` and ``concept-index``: views of the whole project.

    The directive only leaves a placeholder; :class:`~missiekaart.views.transforms.RenderGenerated`
    fills it in at write time from the domain data, so it is never stale.
    """

    has_content = False
    option_spec: ClassVar = OptionSpec()

    def make(self) -> list[nodes.Node]:
        self.domain.add_overview(self.env.docname, self.name, whole="limit" not in self.options)
        node = mk_overview(kind=self.name, docname=self.env.docname, **self.options)
        self.set_source_info(node)
        return [node]


class LimitedOverview(OverviewDirective):
    """``concept-index`` and ``organisation-cards``: ``:limit: N`` shows only the first N."""

    option_spec: ClassVar = OptionSpec(limit=directives.positive_int)


def name_after_page_title(app: object, doctree: nodes.document) -> None:
    """``doctree-read``: a mission card above the page title (reported) still takes the page's name."""
    title = next(doctree.findall(nodes.title), None)
    for card in doctree.findall(mk_card):
        strong = next(card.findall(nodes.strong), None)
        if card.get("mission") and strong is not None and strong.astext() == PAGE_TITLE:
            name = title.astext() if title is not None else str(doctree.settings.env.docname)
            strong.replace_self(nodes.strong(text=name))
            get_domain(doctree.settings.env).rename_organisation(doctree.settings.env.docname, name)
