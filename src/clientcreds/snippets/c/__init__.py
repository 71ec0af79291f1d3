"""C targets: ``libcurl.py`` (``c-libcurl``), over the C literal quoting of ``quoting.py``."""
