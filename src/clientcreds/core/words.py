"""Words for times, durations and tokens, for people: ``in 3 h 5 min``, ``2026-12-01 08:37:02
UTC (in 23 h 59 min)``, a token's first characters and its length. The core uses these in its
messages; the renderings in `clientcreds.views` use them in tables."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# Control characters (C0 but tab, DEL, C1), bidi controls, line and paragraph separators,
# lone surrogates: what a terminal obeys, reorders or cannot print instead of showing it.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def duration_text(delta: timedelta) -> str:
    """A duration for people: ``1 d 2 h``, ``59 min 58 s``, ``3 s`` (sign ignored)."""
    seconds = int(abs(delta.total_seconds()))
    units = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))
    parts = []
    for name, size in units:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {name}")
    return " ".join(parts[:2]) or "0 s"


def relative_text(when: datetime, now: datetime) -> str:
    """``in 3 h 5 min`` or ``3 h 5 min ago`` or ``now``."""
    delta = when - now
    if abs(delta.total_seconds()) < 1:
        return "now"
    text = duration_text(delta)
    return f"in {text}" if delta.total_seconds() > 0 else f"{text} ago"


def instant_text(when: datetime, now: datetime) -> str:
    """``2026-12-01 08:37:02 UTC (in 23 h 59 min)``."""
    # isoformat is several times faster than strftime, and verify() formats every time claim.
    return f"{when.isoformat(' ', 'seconds')[:19]} UTC ({relative_text(when, now)})"


def short_token(token: str) -> str:
    """A token for display: its first 16 characters and its length, never the whole."""
    return f"{token[:16]}… ({len(token)} chars)" if len(token) > 16 else "…"


def printable(text: str) -> str:
    """Untrusted text made safe for a terminal: control characters shown as escapes.

    ``\\x1b]0;title\\x07`` reads as that text instead of retitling the window; newlines
    read as ``\\n`` so a value cannot fake another line. Other Unicode is kept.

    Example:
        >>> printable("a\\x1b[2Jb\\u202ec")
        'a\\\\x1b[2Jb\\\\u202ec'
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\n\r":
        return repr(char)[1:-1]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
