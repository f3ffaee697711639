"""Layer 3, the Sphinx extension: the ``mk`` domain, its directives, role and nodes, the checks of
CONTRIBUTING.md, and the translators of each builder (ARCHITECTURE.md, "Layers and modules")."""
