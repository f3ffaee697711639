"""Render generated backlinks ("Ook bij", "Gedeeld door", related concepts) at write time.

This runs as a post-transform before the reference resolver (priority 10), so the links it
makes are ordinary ``pending_xref`` nodes: each builder resolves them, and where a builder has
no URI for a target the resolver falls back to plain text.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import MissiekaartDomain, Reference, normalise
from .nodes import mk_backlinks

_ = get_translation("missiekaart")


def place_link(reference: Reference, text: str, docname: str) -> pending_xref:
    return pending_xref("", nodes.inline(text=text), refdomain="mk", reftype="place",
                        reftarget=f"{reference.docname}#{reference.anchor}", refdoc=docname, refexplicit=True)


class RenderBacklinks(SphinxPostTransform):
    default_priority = 5

    def run(self) -> None:
        placeholders = list(self.document.findall(mk_backlinks))
        if not placeholders:
            return
        domain = self.env.domains["mk"]
        assert isinstance(domain, MissiekaartDomain)
        uses = domain.uses()
        index = domain.concept_index()
        for node in placeholders:
            if node["kind"] == "card":
                node.replace_self(self.card_backlinks(domain, uses, index, node))
            else:
                node.replace_self(self.concept_sections(domain, uses, node))

    def card_backlinks(self, domain, uses, index, node) -> list[nodes.Node]:
        """"Ook bij": other organisations sharing this card's concepts, linking to each place."""
        docname = node["docname"]
        shared: dict[str, list[tuple[str, Reference]]] = {}
        for key in node["concepts"]:
            concept = index.get(normalise(key))
            if concept is None:
                continue
            for other, places in uses.get(concept.id, {}).items():
                if other != docname:
                    shared.setdefault(other, []).append((concept.title, places[0]))
        paragraph = nodes.paragraph(classes=["mk-backlinks"])
        paragraph += nodes.inline(text=_("Also at") + ": ", classes=["mk-label"])
        if not shared:
            paragraph += nodes.emphasis(text=_("no other organisation yet"))
            return [paragraph]
        organisations = sorted(shared, key=lambda other: domain.organisation(other).title.casefold())
        for number, other in enumerate(organisations):
            if number:
                paragraph += nodes.Text("; ")
            card = domain.organisation(other)
            paragraph += pending_xref("", nodes.inline(text=card.title), refdomain="mk", reftype="organisation",
                                      reftarget=other, refdoc=docname, refexplicit=True)
            paragraph += nodes.Text(" (")
            for position, (title, reference) in enumerate(shared[other]):
                if position:
                    paragraph += nodes.Text(", ")
                paragraph += place_link(reference, title, docname)
            paragraph += nodes.Text(")")
        return [paragraph]

    def concept_sections(self, domain, uses, node) -> list[nodes.Node]:
        """Under a definition: who shares the concept (with every place) and related concepts."""
        docname, concept_id = node["docname"], node["concept"]
        shared = uses.get(concept_id, {})
        result: list[nodes.Node] = [nodes.rubric(text=_("Shared by"), classes=["mk-backlinks-title"])]
        if shared:
            items = nodes.bullet_list(classes=["mk-backlinks"])
            for other in sorted(shared, key=lambda other: domain.organisation(other).title.casefold()):
                card = domain.organisation(other)
                paragraph = nodes.paragraph()
                paragraph += pending_xref("", nodes.inline(text=card.title), refdomain="mk",
                                          reftype="organisation", reftarget=other, refdoc=docname, refexplicit=True)
                paragraph += nodes.Text(": ")
                for position, reference in enumerate(shared[other]):
                    if position:
                        paragraph += nodes.Text(", ")
                    label = _("card") if reference.on_card else _("text")
                    paragraph += place_link(reference, label, docname)
                items += nodes.list_item("", paragraph)
            result.append(items)
        else:
            result.append(nodes.paragraph(text=_("No organisation shares this concept yet."),
                                          classes=["mk-backlinks"]))
        related = domain.related(concept_id)
        if related:
            index = {concept.id: concept for concept in domain.all_concepts()}
            result.append(nodes.rubric(text=_("Related concepts"), classes=["mk-related-title"]))
            paragraph = nodes.paragraph(classes=["mk-related"])
            for position, (other, count) in enumerate(related):
                if position:
                    paragraph += nodes.Text(", ")
                paragraph += pending_xref("", nodes.inline(text=index[other].title), refdomain="mk",
                                          reftype="concept", reftarget=other, refdoc=docname, refexplicit=True)
                paragraph += nodes.Text(f" ({count})")
            result.append(paragraph)
        return result
