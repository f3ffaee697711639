"""Draft cards for a freshly imported page: ``missiekaart import`` proposes, a contributor confirms.

The mission card quotes the paragraph under a heading that names the mission ("Missie", "Onze
missie"); value cards quote the items (or sub-sections) of a section that names values or
principles ("Kernwaarden", "Onze waarden", "Uitgangspunten"). Each card gets the concepts its
words name, found by lemma in the concept vocabulary, and a ``:draft:`` flag that the build
warns about until the contributor has checked the card and deleted the flag.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from missiekaart.core.vocabulary import Vocabulary
from missiekaart.importer.inline import escape

__all__ = ["DRAFT_CHARS", "MISSION_WORDS", "DraftCard", "draft_cards", "draft_scope"]

# Headings of the sections that state the mission, and the values (also in compounds: "kernwaarden").
MISSION_HEADING = re.compile(r"missie|opdracht", re.IGNORECASE)
VALUE_HEADING = re.compile(r"waarde|principe|uitgangspunt|grondhouding", re.IGNORECASE)
# A lead-in line that opens a list of values: "Onze waarden:", "Wij geloven in:".
VALUE_LEAD_IN = re.compile(r"waarde|principe|uitgangspunt|grondhouding|geloven in|staan voor|belangrijk", re.IGNORECASE)
# Where a value's name ends and its explanation begins: "Respect: ...", "Respect – ...".
TITLE_END = re.compile(r"\s*:\s|\s+[–—-]\s+|\s*[–—]\s*")
MAX_VALUE_CARDS = 12
# Without a mission heading, the first paragraph of 8 to 300 words is proposed: a longer one is no
# summary (and a text of one 1 MB paragraph would be quoted whole on its card).
MISSION_WORDS = (8, 300)
# A footnote reference ([^1], not the escaped text \[^1\]), or else the run a "[^" starts that holds
# none: every "[^" inside such a run ends where the run does, without "]", so it is skipped whole
# (a plain reference pattern scanned the rest of the run again from each "[^": quadratic on "[^[^[^...").
_REFERENCE_OR_RUN = re.compile(r"(\\?)(\[\^[^\]\s\\]+\])|\[\^[^\]\s]*")
MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# Drafts are proposed from the page's first 60,000 characters (a mission text is a few thousand): the
# parse that finds them stays bounded on a page of 40,000 list items, and the CLI says where it stopped.
DRAFT_CHARS = 60_000


@dataclass(frozen=True)
class DraftCard:
    kind: str  # "mission" or "value"
    title: str
    body: str  # Markdown, quoted from the page
    concepts: tuple[str, ...]
    line: int  # the line of the card in the page
    added: str = ""  # a mission card's :added: date (YYYY-MM-DD): its seniority among related organisations

    def render(self) -> str:
        """The card as a directive. The title is plain text, escaped here once, so the directive line
        shows exactly the words a reader saw (``<img ...>`` stays text, never HTML)."""
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", self.body)), default=0))
        head = f"{fence}{{mission-card}}" if self.kind == "mission" else f"{fence}{{value-card}} {escape(self.title)}"
        concepts = f":concepts: {', '.join(self.concepts)}".rstrip()
        added = f":added: {self.added}\n" if self.added else ""
        return f"{head}\n:draft:\n{concepts}\n{added}\n{self.body}\n{fence}\n"


def _quote(lines: list[str], token: Token) -> str:
    """The Markdown of a paragraph token, its lines joined, without list markers or footnote refs."""
    assert token.map is not None
    quoted = [line.strip() for line in lines[token.map[0] : token.map[1]]]
    quoted[0] = MARKER.sub("", quoted[0])
    text = " ".join(line for line in quoted if line)
    return _REFERENCE_OR_RUN.sub(lambda match: "" if match.group(2) and not match.group(1) else match.group(), text)


def _plain(tokens: list[Token]) -> str:
    """What a reader sees of inline *tokens*: their text with escapes and entities decoded, without
    markup (emphasis, links, footnote references)."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline", "html_inline", "myst_role"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _title(inline: Token) -> str:
    """A value card's title, as plain text: the item's bold lead-in (when it is a whole word, not a
    styled initial: ``**V**erbinding``), else the words before a ":", "–" or "—", else its first words."""
    children = inline.children or []
    text = _plain(children)
    if len(children) > 2 and children[0].type == "strong_open":
        close = next((i for i, child in enumerate(children) if child.type == "strong_close"), len(children))
        lead = _plain(children[1:close]).strip(" :")
        after = _plain(children[close + 1 : close + 2])[:1]
        if lead and not after.isalnum():
            return lead
    head = TITLE_END.split(text, maxsplit=1)[0]
    if head != text and 0 < len(head.split()) <= 6:
        return head.strip(" .")
    words = text.split()
    return " ".join(words[:5]).rstrip(",.;:") + (" …" if len(words) > 5 else "")


@functools.cache
def _block_parser() -> MarkdownIt:
    """MyST's own parser, for the page's blocks only: a paragraph's inline content is parsed when a
    card needs it (:func:`draft_cards`), so a page of 40,000 list items parses a dozen, not all."""
    parser = create_md_parser(MdParserConfig(), RendererHTML)
    parser.disable(["inline", "wordcount"])
    return parser


def _sections(tokens: list[Token], children: Callable[[int], list[Token]]) -> list[tuple[int, str, list[int]]]:
    """(level, heading text, indexes of the tokens under it) for each heading below the title."""
    sections: list[tuple[int, str, list[int]]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            sections.append((int(token.tag[1]), _plain(children(index + 1)), []))
        elif sections:
            sections[-1][2].append(index)
    return sections


def _led_in_items(tokens: list[Token], paragraphs: set[int], children: Callable[[int], list[Token]]) -> list[int]:
    """The list items (their paragraphs) after a lead-in that names values: "Onze waarden:" + a list."""
    items: list[int] = []
    for index in sorted(paragraphs):
        following = tokens[index + 3] if index + 3 < len(tokens) else None
        if following is None or following.type not in ("bullet_list_open", "ordered_list_open"):
            continue
        lead = _plain(children(index + 1))
        if not (lead.endswith(":") and VALUE_LEAD_IN.search(lead)):
            continue
        depth = 0
        for inner in range(index + 3, len(tokens)):
            depth += tokens[inner].nesting if tokens[inner].type.endswith(("list_open", "list_close")) else 0
            if inner in paragraphs and tokens[inner - 1].type == "list_item_open":
                items.append(inner)
            if depth == 0:
                break
    return items


def draft_scope(page: str) -> str:
    """The part of *page* that drafts are proposed from: all of it, or its first :data:`DRAFT_CHARS`
    characters up to the last blank line (else line end) in them, so no block is cut in two."""
    if len(page) <= DRAFT_CHARS:
        return page
    end = page.rfind("\n\n", 0, DRAFT_CHARS - 1)
    if end > 0:
        return page[: end + 2]
    end = page.rfind("\n", 0, DRAFT_CHARS)
    return page[: end + 1] if end > 0 else page[:DRAFT_CHARS]


def draft_cards(page: str, vocabulary: Vocabulary, added: str = "") -> tuple[str, list[DraftCard]]:
    """The page with draft cards inserted below its ``#`` title, and the cards; the mission card says
    the organisation was *added* on that day (``YYYY-MM-DD``), if given. Cards are proposed from
    :func:`draft_scope` of the page only."""
    parser, env = _block_parser(), dict[str, Any]()
    tokens = parser.parse(draft_scope(page), env)

    def children(index: int) -> list[Token]:
        """The inline tokens of ``tokens[index]``, parsed on first use (with the page's footnotes)."""
        inline = tokens[index]
        if inline.children is None:
            inline.children = []
        if not inline.children and inline.content:
            parser.inline.parse(inline.content, parser, env, inline.children)
        return inline.children

    lines = page.split("\n")
    paragraphs = {i for i, t in enumerate(tokens) if t.type == "paragraph_open"}
    title = next((t for t in tokens if t.type == "heading_open" and t.tag == "h1"), None)
    if title is None or title.map is None or not paragraphs:
        return page, []

    def card(kind: str, index: int, name: str = "") -> DraftCard:
        inline = tokens[index + 1]
        body = _quote(lines, tokens[index])
        concepts = tuple(vocabulary.concepts_in(f"{name} {_plain(children(index + 1))}"))
        title = name or (_title(inline) if kind == "value" else "")
        return DraftCard(kind, title, body, concepts, 0)

    sections = _sections(tokens, children)
    mission = next(
        (
            card("mission", i)
            for _level, heading, under in sections
            if MISSION_HEADING.search(heading)
            for i in under
            if i in paragraphs
        ),
        None,
    )
    if mission is None:  # no mission section: the first paragraph of some length, to be checked
        lengths = {i: len(tokens[i + 1].content.split()) for i in sorted(paragraphs)}
        least, most = MISSION_WORDS
        first = next((i for i, words in lengths.items() if least <= words <= most), min(paragraphs))
        mission = card("mission", first) if lengths[first] <= most else None
    if mission is not None:
        mission = replace(mission, added=added)
    values: list[DraftCard] = [card("value", i) for i in _led_in_items(tokens, paragraphs, children)][:MAX_VALUE_CARDS]
    for position, (level, heading, under) in enumerate(sections):
        if len(values) >= MAX_VALUE_CARDS:  # the cards after these are not proposed
            break
        if not VALUE_HEADING.search(heading):
            continue
        items = [i for i in under if i in paragraphs and tokens[i].level > 0 and tokens[i - 1].type == "list_item_open"]
        if items:
            values += [card("value", i) for i in items[: MAX_VALUE_CARDS - len(values)]]
        else:  # one card per sub-section: its heading and first paragraph
            for sub in range(position + 1, len(sections)):  # (a slice would copy the rest each time)
                sub_level, sub_heading, sub_under = sections[sub]
                if sub_level <= level or len(values) >= MAX_VALUE_CARDS:
                    break
                start = next((i for i in sub_under if i in paragraphs), None)
                if start is not None:
                    values.append(card("value", start, sub_heading))
    values = [value for value in values if value.title]  # a value card needs a title to be written
    cards = [*([mission] if mission else []), *values[:MAX_VALUE_CARDS]]
    insert, block, placed = title.map[1], [""], []
    for draft in cards:  # each card's line is where it stands in the new page
        placed.append(replace(draft, line=insert + len(block) + 1))
        block += draft.render().split("\n")
    return "\n".join([*lines[:insert], *block, *lines[insert:]]), placed
