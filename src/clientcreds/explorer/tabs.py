"""The snippet tabs: every target's snippet for one request, highlighted, with a copy button.

Highlighting uses Pygments (installed with JupyterLab) with inline styles, so a tab looks the
same in any page; without Pygments the code is shown plain. Highlighted text is memoised (line
by line where the language allows), so a change re-highlights only what it changed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from clientcreds.core.protocol import ENV_VARS
from clientcreds.exceptions import RenderError
from clientcreds.explorer.form import label
from clientcreds.request.token_request import TokenRequest
from clientcreds.snippets import SecretMode, get_target, render, render_all, targets

_PRE = (
    "margin:0;padding:8px;background:#f7f7f7;color:#1f1f1f;border:1px solid #ddd;"
    "overflow-x:auto;font-family:ui-monospace,monospace;font-size:12px;line-height:1.4"
)
# Copies the first <pre> beside the button (a hidden one too): the Clipboard API where the
# page may use it (https:// or loopback), else a selection and execCommand.
_COPY_JS = (
    "var p=this.parentElement.querySelector('pre'),b=this,t=p.innerText,l=b.textContent;"
    "function ok(){b.textContent='Copied';setTimeout(function(){b.textContent=l},1500)}"
    "if(navigator.clipboard){navigator.clipboard.writeText(t).then(ok)}else{"
    "var r=document.createRange();r.selectNodeContents(p);var s=getSelection();"
    "s.removeAllRanges();s.addRange(r);document.execCommand('copy');ok()}"
)
_NO_REQUEST = "Fix the fields marked in red to see this snippet."


@dataclass(frozen=True)
class SnippetTab:
    """One target's tab.

    Attributes:
        target: The target's name, e.g. ``curl``.
        title: The tab's label, e.g. ``cURL``.
        code: The snippet, or None when it could not be rendered.
        error: Why there is no snippet (one sentence), or None.
        html: What the tab shows: the highlighted snippet and a copy button, or the error.
    """

    target: str
    title: str
    code: str | None
    error: str | None
    html: str


def render_tabs(request: TokenRequest | None, secret_mode: SecretMode) -> list[SnippetTab]:
    """Render `request` in every target, in `targets()` order.

    Args:
        request: The request, or None while the form has errors (each tab then says so).
        secret_mode: ``placeholder`` or ``env`` (see `clientcreds.render`).

    Returns:
        One `SnippetTab` per target; a target that cannot carry the request gets its
        `RenderError` sentence instead of code.
    """
    if request is not None:
        try:
            codes = render_all(request, secret_mode)
        except RenderError:
            pass  # one target cannot carry it: render one by one, to say which
        else:
            return [_code_tab(name, code) for name, code in codes.items()]
    return [_tab(name, request, secret_mode) for name in targets()]


def _code_tab(name: str, code: str) -> SnippetTab:
    target = get_target(name)
    return SnippetTab(name, target.title, code, None, snippet_html(code, target.language))


def _tab(name: str, request: TokenRequest | None, secret_mode: SecretMode) -> SnippetTab:
    target = get_target(name)
    if request is None:
        return SnippetTab(name, target.title, None, _NO_REQUEST, _message_html(_NO_REQUEST))
    try:
        code = render(request, name, secret=secret_mode)
    except RenderError as exc:
        why = _why_not(request, name, secret_mode, exc)
        return SnippetTab(name, target.title, None, why, _message_html(why))
    return _code_tab(name, code)


def _why_not(request: TokenRequest, name: str, secret_mode: SecretMode, exc: RenderError) -> str:
    """Why a tab has no snippet, in the explorer's terms (its choices, not `render`'s)."""
    if secret_mode == "placeholder":
        return str(exc)
    try:
        render(request, name, secret="placeholder")
    except RenderError as other:
        return str(other)
    return (
        f"The {get_target(name).title} tab cannot read the {label('client_secret')} from "
        f"{ENV_VARS['client_secret']}: choose placeholder under {label('secret_mode')}"
    )


def copy_button(text: str = "Copy") -> str:
    """A button that copies the text of the first ``<pre>`` beside it (a hidden one too)."""
    return (
        f'<button class="cc-copy" title="Copy to clipboard" onclick="{html.escape(_COPY_JS)}" '
        f'style="float:right;margin:2px">{html.escape(text)}</button>'
    )


def snippet_html(code: str, language: str) -> str:
    """A highlighted snippet in a ``<pre>``, with a copy button above it."""
    return (
        f'<div class="cc-snippet">{copy_button()}'
        f'<pre class="cc-code language-{html.escape(language)}" style="{_PRE}">'
        f"{highlight(code, language)}</pre></div>"
    )


def highlight(code: str, language: str) -> str:
    """`code` as HTML with inline colours for `language` (escaped plain text without Pygments).

    Snippets in languages whose string literals escape line breaks (Python, JavaScript, JSON)
    are highlighted line by line and each line is memoised, so a field change re-highlights
    only the lines it changed; others are highlighted whole.

    Args:
        code: The source text.
        language: A Pygments lexer name, e.g. ``shell`` or ``python``.
    """
    if language in _LINE_BY_LINE:
        return "\n".join(_highlighted(line, language) for line in code.split("\n"))
    return _highlighted(code, language)


# The targets quote values with escapes (never a raw line break inside a literal), so every
# line of their snippets lexes the same alone as in the whole text.
_LINE_BY_LINE = frozenset({"python", "javascript", "json"})


@lru_cache(maxsize=4096)
def _highlighted(code: str, language: str) -> str:
    lexer, formatter = _pygments(language)
    if lexer is None:
        return html.escape(code)
    from pygments import highlight as pygments_highlight

    text: str = pygments_highlight(code, lexer, formatter)
    return text.rstrip("\n")


@cache
def _pygments(language: str) -> tuple[Any, Any]:
    try:
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:
        return None, None
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return None, None
    return lexer, HtmlFormatter(nowrap=True, noclasses=True)


def _message_html(message: str) -> str:
    return f'<div class="cc-snippet-error" style="color:#b00">{html.escape(message)}</div>'
