"""Footnote definitions of Markdown read in pieces, and definitions no reference uses.

markdown-it-py's footnote plugin resolves a reference only against the definitions of the text
it parses, and its last rule (``footnote_tail``) drops every definition that no reference there
uses. A static-site body is parsed in pieces, cut at template code that carries prose
(:func:`.templates.segments`), so a note defined after a shortcode was lost to a reference before
it, and so was a definition nothing refers to: its words silently gone. Both the importer
(:mod:`.markdown`) and the reader words (:mod:`missiekaart.importer.readerwords`) therefore:

- parse with :func:`keep_definitions`, which records every definition's tokens in the parse's
  environment (:data:`DEFINED`) before ``footnote_tail`` drops any;
- when a body has several Markdown pieces, read every piece's definitions first and parse each
  piece in an environment that knows them all (:func:`environment`), so a reference finds its
  note wherever it is defined;
- keep the text of a note that no reference uses, after the body (:func:`referenced` says which).
"""

from __future__ import annotations

from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

__all__ = ["DEFINED", "environment", "keep_definitions", "referenced"]

#: The environment key of the definitions a parse read: source label -> the definition's block tokens.
DEFINED = "missiekaart_defined"


def _keep(state: StateCore) -> None:
    """Record each footnote definition's tokens (the first definition of a label wins, as markdown-it's)."""
    defined: dict[str, list[Token]] = state.env.setdefault(DEFINED, {})
    label: str | None = None
    tokens: list[Token] = []
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            label, tokens = str(token.meta.get("label", "")), []
        elif token.type == "footnote_reference_close" and label is not None:
            defined.setdefault(label, tokens)
            label = None
        elif label is not None:
            tokens.append(token)


def keep_definitions(parser: MarkdownIt) -> MarkdownIt:
    """*parser* (with the footnote plugin) recording every definition in ``env[DEFINED]``."""
    parser.core.ruler.before("footnote_tail", "missiekaart_keep_definitions", _keep)
    return parser


def environment(labels: Iterable[str]) -> dict[str, object]:
    """A parse environment in which a reference to any of *labels* (defined in another piece) resolves."""
    return {"footnotes": {"refs": {f":{label}": -1 for label in labels}, "list": {}}}


def referenced(env: dict[str, object]) -> set[str]:
    """The labels of the notes the parse with *env* referenced."""
    footnotes = env.get("footnotes")
    found = footnotes.get("list", {}) if isinstance(footnotes, dict) else {}
    return {str(note["label"]) for note in found.values() if note.get("label") is not None}
