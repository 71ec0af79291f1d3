"""The shape every snippet target module exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clientcreds.snippets.plan import Plan


@dataclass(frozen=True)
class Target:
    """A snippet language: its name, how to show it, and how to render a `Plan` in it.

    Attributes:
        name: The identifier used by `render()` and the CLI, e.g. ``curl``.
        title: A human label for tabs, e.g. ``cURL``.
        language: The syntax-highlighting language (Pygments / highlight.js name).
        runtime: What runs the snippet, as tested.
        render: Turns a plan into source text, or raises `RenderError`.
    """

    name: str
    title: str
    language: str
    runtime: str
    render: Callable[[Plan], str]
