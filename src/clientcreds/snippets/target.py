"""The shape every snippet target module exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from clientcreds.snippets.plan import Plan


@dataclass(frozen=True)
class Recipe:
    """How to run a snippet, as the site and the explorer tell users and the tests do.

    Attributes:
        filename: The file to save the snippet as (``main.go``, ``Main.java``).
        command: The shell command that runs it from that file's folder.
        files: Any other files the command needs, as (name, content), e.g. ``go.mod``.
        note: One sentence worth knowing (``verified on Mono``), or empty.
    """

    filename: str
    command: str
    files: tuple[tuple[str, str], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Target:
    """A snippet target, one client of one language: its name, how to show it, and how to
    render a `Plan` in it.

    Attributes:
        name: The identifier used by `render()` and the CLI, e.g. ``curl``.
        title: The language, as its tab is labelled, e.g. ``Shell``; targets sharing it are
            grouped under it.
        client: The client within the language, e.g. ``cURL``.
        language: The syntax-highlighting language (Pygments / highlight.js name).
        runtime: What runs the snippet, as tested.
        render: Turns a plan into source text, or raises `RenderError`.
        recipe: How to run the snippet (None until the target says).
    """

    name: str
    title: str
    language: str
    runtime: str
    render: Callable[[Plan], str]
    recipe: Recipe | None = None
    client: str = field(kw_only=True)

    @property
    def label(self) -> str:
        """Language and client in words, e.g. ``Shell (cURL)``."""
        return f"{self.title} ({self.client})"
