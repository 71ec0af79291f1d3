"""Tests of the MkDocs site: built once per session, checked as files and in a real browser."""
