"""How results look: HTML for notebooks and plain text for terminals (`display`).

The core's ``__str__`` and ``_repr_html_`` call here when they are used; nothing here is
imported when the core is.
"""
