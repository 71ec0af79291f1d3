"""PHP targets: ``php-curl`` (the curl extension) and ``php-guzzle`` (Guzzle 7), over `quoting`."""
