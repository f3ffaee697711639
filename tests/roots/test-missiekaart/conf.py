extensions = ["myst_parser", "missiekaart"]
language = "nl"
source_suffix = {".md": "markdown"}
nitpicky = True
missiekaart_organisations = "orgs"
missiekaart_min_concepts = 0  # the content rules have their own test root (test-rules)
