"""JavaScript targets and JavaScript string literals."""
