"""Layer 1, shared ground: pure Python that the importer and the extension both use.

Nothing here imports Sphinx or docutils, or any other layer (ARCHITECTURE.md, "Layers and modules").
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DATA"]

# The package's data files (static/, templates/, latex/, locale/, missiekaart.schema.json) are at its
# top, beside the layers' folders.
PACKAGE_DATA = Path(__file__).resolve().parent.parent
