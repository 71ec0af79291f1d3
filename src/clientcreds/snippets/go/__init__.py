"""Go targets: ``go-native`` (``net/http``, the standard library only), over `quoting`."""
