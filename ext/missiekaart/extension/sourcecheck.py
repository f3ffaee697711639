"""Every word of the source text is on its organisation's page: ``check-source``, in the build.

``missiekaart check-source`` compares a source with the built HTML page; a contributor met its
rule only in ``make test``. Here the same comparison runs when an organisation page is read
(``doctree-read``), on the page's doctree: the source's reader words (:func:`.checksource.source_words`,
less what the importer itemised as dropped) must all be on the page, in order; extra words on the
page (cards, the name) are allowed. A page that lacks some gets one warning, at its ``mk-source``
line, naming the first missing words and their source lines.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from missiekaart.extension.domain import get_domain
from missiekaart.extension.problems import warn

__all__ = ["doctree_words", "on_doctree_read"]

SHOWN = 5  # missing words named in the warning
_SKIPPED = (nodes.comment, nodes.raw, nodes.system_message, nodes.substitution_definition, nodes.target)


def doctree_words(doctree: nodes.document) -> list[str]:
    """The page's words in order, each footnote's at its reference (as check-source reads a built
    page). The text of a paragraph or title is joined before it is cut into words: ``**V**erbinding``
    is one word, as a reader sees it."""
    # The importer is imported when a page is read, not when Sphinx loads the extension: a build
    # that reads no page (the most common one) does not pay its 0.13 s.
    from missiekaart.importer.model import NOTE_CLOSE, NOTE_OPEN
    from missiekaart.importer.readerwords import words_of

    notes = {node_id: node for node in doctree.findall(nodes.footnote) for node_id in node["ids"]}

    def text_of(element: nodes.Node) -> str:
        parts: list[str] = []
        stack: list[nodes.Node] = [element]
        while stack:
            node = stack.pop()
            if isinstance(node, nodes.Text):
                parts.append(node.astext())
            elif isinstance(node, nodes.footnote_reference):
                note = notes.get(node.get("refid", ""))
                inside = [] if note is None else [c for c in note.children if not isinstance(c, nodes.label)]
                parts += [f" {NOTE_OPEN} ", *(text_of(child) + " " for child in inside), f" {NOTE_CLOSE} "]
            elif isinstance(node, nodes.Element) and not isinstance(node, (*_SKIPPED, nodes.footnote)):
                block = not isinstance(node, nodes.Inline)
                if block:  # words do not run across the edges of a paragraph, a title, an item
                    parts.append(" ")
                    stack.append(nodes.Text(" "))
                stack += reversed(node.children)
        return "".join(parts)

    return words_of(text_of(doctree))


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Warn when an organisation page lacks words of its source text (see the module's docstring)."""
    env = app.env
    source = env.temp_data.get("mk_source")
    if not source or get_domain(env).organisation(env.docname) is None:
        return
    from missiekaart.importer import analyse
    from missiekaart.importer.checksource import compare, source_words
    from missiekaart.importer.sourcefile import SourceError, read_source

    name, path = source
    try:
        text = read_source(path)
    except SourceError:
        return  # reported where the cards are checked against it (unreadable-source)
    title = next(doctree.findall(nodes.title), None)
    expected = source_words(analyse(text, title.astext() if title is not None else None))
    problems = compare(expected, doctree_words(doctree))
    if not problems:
        return
    named = ", ".join(
        f"{problem.word.text!r} (line {problem.word.line}, {problem.kind})" for problem in problems[:SHOWN]
    )
    more = f" and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    warn(
        f"{len(problems)} word(s) of the source text {name} are not on this page in order: {named}{more}; "
        "the page must keep every word of its source: import the text again, or restore what was deleted "
        f"(missiekaart check-source {name} <the built page> lists them all)",
        (env.docname, env.temp_data.get("mk_source_line", 1)),
        "missing-source-words",
    )


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", on_doctree_read)
