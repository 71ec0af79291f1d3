"""Test data transcribed from outside sources, so the tests need nothing beside the repository."""
