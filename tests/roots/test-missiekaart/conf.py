extensions = ["myst_parser", "missiekaart"]
language = "nl"
source_suffix = {".md": "markdown"}
nitpicky = True
