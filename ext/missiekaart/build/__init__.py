"""Layer 4, keeping builds fresh, fast and whole: page digests, what an incremental build writes,
memory, the journal of an unfinished build, the export and the search index, output errors, and
Sphinx's internals in one module (ARCHITECTURE.md, "Layers and modules")."""
