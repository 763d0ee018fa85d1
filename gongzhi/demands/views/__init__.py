"""The demands pages: residents file, follow, whistle and rate from a phone; handlers work
their inbox on the move; dispatchers run the board at a desk; each demand shows its
timeline (filing.py, lists.py, detail.py, settings.py). Views parse, call one service or
selector, and render (an htmx fragment when htmx asks). Every demand is loaded through ``permissions.get_demand_for`` (via
``selectors.demand_for`` / ``web_selectors``) and every compound through
``places.permissions.get_compound_for``: outside the user's scope both are 404.
"""
