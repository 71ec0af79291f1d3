"""Ruby targets: ``ruby-nethttp`` (``net/http``, the standard library only), over `quoting`."""
