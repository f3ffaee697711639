"""Missiekaart: a Sphinx extension and tools for mission statements of social organisations."""

from __future__ import annotations

__version__ = "0.1.0"
