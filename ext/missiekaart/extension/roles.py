"""The ``{concept}`` role: a link to a concept in running text, with an anchor of its own."""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.roles import XRefRole

from missiekaart.extension.records import CONCEPT_REF, Reference

__all__ = ["ConceptRole"]


class ConceptRole(XRefRole):
    """``{concept}`netwerk``` and ``{concept}`een sterk netwerk <netwerk>```.

    Each reference gets an anchor of its own (``mk-ref-<name>-<n>``), so a concept page can link
    to the exact place.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.name = "mk:concept"
        result, messages = super().run()
        target = result[0]["reftarget"] if result and isinstance(result[0], pending_xref) else self.target
        # Numbered per concept name, not per page: linking one more word re-numbers only the later
        # places of that name, so the other concept pages (and deep links to them) stay as they were.
        key = nodes.make_id(f"mk-ref-{target}")
        anchor = f"{key}-{self.env.new_serialno(key)}"
        # The anchor and class go on the reference itself, its words straight inside: two nodes (and
        # one <a>) per reference instead of four; :meth:`MissiekaartDomain.resolve_xref` keeps them.
        xref = result[0]
        if isinstance(xref, pending_xref):
            xref["ids"].append(anchor)
            xref["classes"].append(CONCEPT_REF)
            words = xref.astext()
            xref.clear()
            xref += nodes.Text(words)
        from missiekaart.extension.domain import get_domain  # the domain imports this role

        get_domain(self.env).add_reference(Reference(target, self.env.docname, anchor, self.lineno, False))
        return result, messages
