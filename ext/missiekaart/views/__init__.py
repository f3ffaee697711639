"""Layer 5, what the extension generates: the overviews, concept maps, the comparison matrix, the
organisation page, the pages that continue long lists, search (ARCHITECTURE.md, "Layers and modules")."""
