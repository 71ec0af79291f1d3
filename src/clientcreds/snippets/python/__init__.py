"""Python targets and Python string literals."""
