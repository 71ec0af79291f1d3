"""A small code builder: targets describe lines and blocks, the builder indents them.

No target writes indentation into a string literal: a `Block` holds a header line, a body
indented one level deeper and an optional footer, and `layout` joins it all with the
language's indentation unit.

Example:
    >>> print(layout([block("if (!token) {", ["process.exit(1);"], "}"), "done();"], "  "))
    if (!token) {
      process.exit(1);
    }
    done();
    <BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Union

#: A line (``""`` is a blank line), a `Block`, or a sequence of either (spliced in place).
Code = Union[str, "Block", Sequence["Code"]]  # a runtime alias: `|` fails on Python 3.10


@dataclass(frozen=True)
class Block:
    """A header line, a body one level deeper, and a footer line at the header's level.

    Without a header or footer, a block is its body indented (a method chain's ``.then``).
    """

    header: str | None
    body: Code
    footer: str | None = None


def block(header: str, body: Code, footer: str | None = None) -> Block:
    """A `Block`: `header`, then `body` indented one level, then `footer` if there is one."""
    return Block(header, body, footer)


def indented(body: Code) -> Block:
    """`body` indented one level, with no header or footer line."""
    return Block(None, body)


def lines(code: Code, indent: str, depth: int = 0) -> Iterator[str]:
    """Each line of `code`, indented `depth` levels of `indent`; blank lines stay empty.

    Raises:
        ValueError: if a line holds a line break (a literal that should have been escaped).
    """
    collected: list[str] = []
    _collect(code, indent * depth, indent, collected)
    return iter(collected)


def layout(code: Code, indent: str) -> str:
    """The source text of `code`, each line ending in a line break."""
    collected: list[str] = []
    _collect(code, "", indent, collected)
    return "\n".join(collected) + "\n" if collected else ""


def _collect(code: Code, prefix: str, indent: str, out: list[str]) -> None:
    """Append each line of `code` to `out`, after `prefix` (blank lines stay empty).

    One list is filled by plain recursion, so a deeply nested line costs one call per level
    rather than a generator hop per level.
    """
    if isinstance(code, str):
        if "\n" in code:
            raise ValueError(f"a line of code holds a line break: {code!r}")
        out.append(prefix + code if code else "")
    elif isinstance(code, Block):
        if code.header is not None:
            _collect(code.header, prefix, indent, out)
        _collect(code.body, prefix + indent, indent, out)
        if code.footer is not None:
            _collect(code.footer, prefix, indent, out)
    else:
        for part in code:
            _collect(part, prefix, indent, out)
