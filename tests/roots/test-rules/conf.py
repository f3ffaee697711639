extensions = ["myst_parser", "missiekaart"]
language = "nl"
source_suffix = {".md": "markdown"}
nitpicky = True
missiekaart_organisations = "orgs"
missiekaart_min_concepts = 2
missiekaart_min_organisations = 2
missiekaart_min_value_cards = 0  # its own case turns it on (test_rules.py, missing-value-card)
