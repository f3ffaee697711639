"""Plain-text output (the ``text`` builder): a card is an indented block between two rules."""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.text import TextTranslator

RULE = "-" * 72


def visit_card_text(self: TextTranslator, node: nodes.Element) -> None:
    self.new_state(2)


def depart_card_text(self: TextTranslator, node: nodes.Element) -> None:
    # Items of a state carry an indent relative to the state's own: -2 puts the rules flush left.
    self.states[-1].insert(0, (-2, [RULE]))
    self.states[-1].append((-2, [RULE, ""]))
    self.end_state(end=None)
