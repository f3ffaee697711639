"""Docutils nodes of the extension.

Cards subclass :class:`~docutils.nodes.container`, so every Sphinx translator without a visitor
of its own falls back to rendering a container (Sphinx dispatches visitors along the MRO).
"""

from __future__ import annotations

from docutils import nodes

#: A reference attribute: written in HTML as a bare ``<a href>``, without Sphinx's ``reference
#: internal`` classes (nothing styles them). Every link the extension makes has it
#: (:meth:`~.domain.MissiekaartDomain.refnode`), about 40 on an organisation page.
PLAIN_LINK = "mk_plain"


class mk_card(nodes.container):
    """A mission or value card: a framed box with a title, fields, body and concepts."""


class mk_backlinks(nodes.General, nodes.Element):
    """Placeholder for generated links, filled in by :class:`~missiekaart.views.transforms.RenderGenerated`.

    Attributes: ``kind`` (``"card"`` or ``"concept"``), ``concepts`` (ids, for cards) or
    ``concept`` (the id, for concept pages), and ``docname`` (the page it stands on).
    """


class mk_overview(nodes.General, nodes.Element):
    """Placeholder for an overview (``kind``: the directive's name), filled in at write time by
    :class:`~missiekaart.views.transforms.RenderGenerated` from the whole project's data."""


class mk_concept_map(nodes.container):
    """A concept map: ``layout`` (a :class:`~missiekaart.views.conceptmap.Layout`), ``title``,
    ``description``, ``docname`` and ``list_id`` (the HTML id of the list with the same data). HTML
    draws SVG, LaTeX draws TikZ; other builders get the list alone."""


class mk_mark(nodes.inline):
    """Words highlighted in a quote: ``<mark>`` in HTML; other builders render an inline."""


def visit_mark_html(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "mark", ""))  # type: ignore[attr-defined]


def depart_mark_html(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    self.body.append("</mark>")  # type: ignore[attr-defined]


class mk_facets(nodes.General, nodes.Element):
    """The filter controls of the organisation overview: ``facets`` is a list of (field, label,
    URL parameter, [(value, label)]) and ``total`` the number of organisations. Only HTML shows
    them (see :mod:`missiekaart.views.facets`); elsewhere the grouped list below is the overview."""


class mk_overview_item(nodes.list_item):
    """An organisation in the overview: ``mk_facets`` (per filter control, the numbers of the
    item's options) becomes a data attribute in HTML; other builders render a list item."""


class mk_presence(nodes.inline):
    """A mark in the comparison matrix (:mod:`missiekaart.views.matrix`): ``kind`` is ``"card"`` (the
    organisation carries the concept on a card) or ``"text"`` (only in its text), ``label`` the
    same in words ("" in the key, whose words follow the mark). Its text is the mark's glyph,
    which builders without a visitor of their own show."""
