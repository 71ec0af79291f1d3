"""JSON from strangers, bounded: limited nesting, no NaN or Infinity, no endless numbers.

`json.loads` trusts its input: 50,000 nested brackets raise RecursionError, a 5,000-digit
number a bare ValueError (Python's int-string limit), ``NaN``, ``Infinity`` and ``1e400``
become floats that no JSON encoder may write back. `loads` refuses all of these with a
ValueError that says which limit was hit, so each caller wraps one exception type into its
own typed error. Every scan here is linear in the size of the text.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

#: The deepest nesting of arrays and objects accepted (real tokens and key sets use < 5).
MAX_DEPTH = 64
#: The longest number literal accepted, in characters (a NumericDate has 10 digits).
MAX_NUMBER_CHARS = 64

# A JSON string (skipped whole, so brackets inside it do not count) or one bracket. The
# closing quote is optional so that the match never fails: no backtracking, linear time.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text within the limits above.

    Args:
        text: The JSON text; bytes must be UTF-8.
        max_depth: The deepest nesting of arrays and objects accepted.

    Returns:
        The parsed value, whose floats are all finite.

    Raises:
        ValueError: for text that is not UTF-8 or not JSON (`json.JSONDecodeError`), nests
            deeper than `max_depth`, or holds ``NaN``, ``Infinity``, a number out of float
            range or a number literal longer than `MAX_NUMBER_CHARS` characters.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    depth = nesting_depth(text) if text.count("[") + text.count("{") > max_depth else 0
    if depth > max_depth:
        raise ValueError(f"it nests {depth} levels deep, beyond the limit of {max_depth}")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:  # only if max_depth was set above what Python's stack holds
        raise ValueError(f"it nests too deep to parse, beyond the limit of {max_depth}") from None


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in JSON text, brackets in strings not counted.

    Text that is not JSON gets a number too; `json.loads` then says what is wrong with it.
    """
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def exceeds_depth(value: object, max_depth: int = MAX_DEPTH) -> bool:
    """Whether an already-parsed value nests lists and dicts deeper than `max_depth`.

    For values that did not come through `loads` (a key set passed as a dict); iterative,
    so any depth is measured without recursion.
    """
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list | tuple):
            if depth >= max_depth:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _int(literal: str) -> int:
    _check_length(literal)
    return int(literal)


def _float(literal: str) -> float:
    _check_length(literal)
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(f"it holds the number {literal}, beyond the range of a float")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"it holds {name}, which JSON does not allow")


def _check_length(literal: str) -> None:
    if len(literal) > MAX_NUMBER_CHARS:
        limit = MAX_NUMBER_CHARS
        raise ValueError(
            f"it holds a number of {len(literal)} characters, beyond the limit of {limit}"
        )
