"""Rust targets: ``rust-reqwest`` (reqwest's blocking client), over `quoting`."""
