"""The organisation overview's filters in HTML: facet controls, data attributes and a small script.

Without JavaScript the overview is the full list, grouped by province, and the controls stay
hidden. With it, ``missiekaart-facets.js`` shows them, filters the list (the state is in the URL,
so a filtered view can be shared), sorts by name or province and announces the number shown.

A paged overview (:mod:`missiekaart.extension.paging`) shows each province's first organisations only; its
form names its filter data (``data-source``, :func:`missiekaart.views.overviewlist.filter_data`), which
the script loads when a reader filters or sorts, and then lists every organisation that matches.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.writers.html5 import HTML5Translator

from missiekaart.extension.nodes import mk_facets, mk_overview_item

_ = get_translation("missiekaart")

SCRIPT = "missiekaart-facets.js"


def visit_facets_html(self: HTML5Translator, node: mk_facets) -> None:
    total = node["total"]
    parts = [
        '<form class="mk-facets" role="search" hidden '
        f'aria-label="{escape(str(_("Filter the organisations")))}" '
        f'data-count-one="{escape(str(_("%d organisation shown")))}" '
        f'data-count-many="{escape(str(_("%d organisations shown")))}"'
        + (
            f' data-source="{escape(node["source"])}" '
            f'data-failed="{escape(str(_("The list of every organisation could not be loaded.")))}" '
            f'data-count-paged="{escape(str(_("%d organisations, by province")))}"'
            if node.get("source")
            else ""
        )
        + ">"
    ]
    for field, label, parameter, options in node["facets"]:
        control = f"mk-facet-{field}"
        parts.append(
            f'<div class="mk-facet"><label for="{control}">{escape(label)}</label>'
            f'<select id="{control}" data-facet="{field}" data-param="{parameter}">'
            f'<option value="">{escape(str(_("All")))}</option>'
        )
        parts += [f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in options]
        parts.append("</select></div>")
    parts.append(
        f'<div class="mk-facet"><label for="mk-facet-sort">{escape(str(_("Sort by")))}</label>'
        '<select id="mk-facet-sort" data-sort data-param="sorteer">'
        f'<option value="region">{escape(str(_("Province")))}</option>'
        f'<option value="name">{escape(str(_("Name")))}</option></select></div>'
    )
    parts.append(f'<button type="reset">{escape(str(_("Show all")))}</button>')
    parts.append(f'<p class="mk-facets-count" aria-live="polite" data-total="{total}"></p></form>')
    self.body.append("".join(parts))
    raise nodes.SkipNode


def visit_item_html(self: HTML5Translator, node: mk_overview_item) -> None:
    """``<li data-facets="2|0|5|1,4,7">``: per control, in order, the numbers of the item's options."""
    facets = "|".join(",".join(map(str, numbers)) for numbers in node["mk_facets"])
    self.body.append(self.starttag(node, "li", "", **{"data-facets": facets}))  # type: ignore[arg-type]


def depart_item_html(self: HTML5Translator, node: mk_overview_item) -> None:
    self.body.append("</li>\n")


def skip(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    raise nodes.SkipNode
