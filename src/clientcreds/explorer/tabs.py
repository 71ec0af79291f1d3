"""The snippet tabs: every target's snippet for one request (the token request or the call to
an API), highlighted, with a copy button and how to run it.

Highlighting uses Pygments (installed with JupyterLab) with inline styles, so a tab looks the
same in any page; without Pygments the code is shown plain. Highlighted text is memoised (line
by line where the language allows), so a change re-highlights only what it changed.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from clientcreds.core.protocol import ENV_VARS, TOKEN_ENV_VAR
from clientcreds.exceptions import RenderError
from clientcreds.explorer.form import label
from clientcreds.request.api_request import ApiRequest
from clientcreds.request.token_request import TokenRequest
from clientcreds.snippets import SecretMode, get_target, render, render_all, targets
from clientcreds.snippets.target import Recipe

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
        html: What the tab shows: the highlighted snippet with a copy button and how to run
            it, or the error.
    """

    target: str
    title: str
    code: str | None
    error: str | None
    html: str


Request = TokenRequest | ApiRequest


def render_tabs(request: Request | None, secret_mode: SecretMode) -> list[SnippetTab]:
    """Render `request` in every target, in `targets()` order, each with its run recipe.

    Args:
        request: The token request or the API call, or None while the form has errors (each
            tab then says so).
        secret_mode: ``placeholder`` or ``env`` (see `clientcreds.render`); for an API call
            the token is then ``YOUR_ACCESS_TOKEN`` or read from ``ACCESS_TOKEN``.

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
    shown = snippet_html(code, target.language) + recipe_html(target.recipe)
    return SnippetTab(name, target.label, code, None, shown)


def _tab(name: str, request: Request | None, secret_mode: SecretMode) -> SnippetTab:
    target = get_target(name)
    if request is None:
        return SnippetTab(name, target.label, None, _NO_REQUEST, _message_html(_NO_REQUEST))
    try:
        code = render(request, name, secret=secret_mode)
    except RenderError as exc:
        why = _why_not(request, name, secret_mode, exc)
        return SnippetTab(name, target.label, None, why, _message_html(why))
    return _code_tab(name, code)


def _why_not(request: Request, name: str, secret_mode: SecretMode, exc: RenderError) -> str:
    """Why a tab has no snippet, in the explorer's terms (its choices, not `render`'s)."""
    if secret_mode == "placeholder":
        return str(exc)
    try:
        render(request, name, secret="placeholder")
    except RenderError as other:
        return str(other)
    if isinstance(request, ApiRequest):
        what, variable = "access token", TOKEN_ENV_VAR
    else:
        what, variable = label("client_secret"), ENV_VARS["client_secret"]
    return (
        f"The {get_target(name).label} tab cannot read the {what} from {variable}: "
        f"choose placeholder under {label('secret_mode')}"
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


def recipe_html(recipe: Recipe | None) -> str:
    """How to run a snippet, under it: the file name, any other file (shown, with a copy
    button), the command and the note; nothing for a target without a recipe."""
    if recipe is None:
        return ""
    sentence = "<b>Run it:</b> " + recipe_sentence(recipe, _code, html.escape)
    files = "".join(
        f"<div>{_code(name)}:</div>{snippet_html(text.rstrip(), 'text')}"
        for name, text in recipe.files
    )
    return f'<div class="cc-recipe" style="margin:6px 0;font-size:12px">{sentence}{files}</div>'


def recipe_sentence(recipe: Recipe, code: Callable[[str], str], text: Callable[[str], str]) -> str:
    """How to run a snippet, in one sentence (the explorer's and the site's).

    Args:
        recipe: The target's recipe.
        code: Marks up a file name or the command as code, in the page's markup.
        text: Escapes the note as plain text, in the page's markup.

    Example:
        >>> from clientcreds.snippets.target import Recipe
        >>> recipe_sentence(Recipe("main.go", "go run .", (("go.mod", "..."),)), repr, str)
        "save it as 'main.go', with 'go.mod' in the same folder, then run 'go run .'."
    """
    names = ", ".join(code(name) for name, _ in recipe.files)
    where = f", with {names} in the same folder" if names else ""
    note = f" {text(recipe.note)}" if recipe.note else ""
    return f"save it as {code(recipe.filename)}{where}, then run {code(recipe.command)}.{note}"


def _code(text: str) -> str:
    return f"<code>{html.escape(text)}</code>"


def highlight(code: str, language: str) -> str:
    """`code` as HTML with inline colours for `language` (escaped plain text without Pygments).

    Snippets in languages whose string literals escape line breaks (Python, JavaScript, JSON, Go,
    C) are highlighted line by line and each line is memoised, so a field change re-highlights
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
_LINE_BY_LINE = frozenset({"python", "javascript", "json", "go", "c"})


@lru_cache(maxsize=4096)
def _highlighted(code: str, language: str) -> str:
    lexer, formatter = _pygments(language)
    if lexer is None:
        return html.escape(code)
    from pygments import highlight as pygments_highlight

    # Pygments drops the line breaks at either end and ends its output with one of its own:
    # highlight the text between them, and keep them as they are.
    body = code.strip("\n")
    start = len(code) - len(code.lstrip("\n"))
    text: str = pygments_highlight(body, lexer, formatter).rstrip("\n") if body else ""
    return code[:start] + text + code[start + len(body) :]


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
