"""MkDocs hook: everything the site shows about the library is generated from the library.

A page asks for generated content with a marker such as ``<!-- clientcreds:snippets -->`` or
``<!-- clientcreds:snippets auth_method=client_secret_basic -->``; `on_page_markdown` replaces
it with Markdown built at build time, so the site cannot drift from the code. `on_files` adds
the npm ``mermaid`` bundle to the site (no CDN), the in-browser engine (Pyodide from npm and our
own wheel, built here) and, once they exist, the notebooks.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import html
import importlib.metadata
import inspect
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

import clientcreds
from clientcreds import (
    CATALOGUE,
    PARAMETERS,
    ApiRequest,
    RenderError,
    RequestFieldError,
    TokenRequest,
    get_target,
    render,
    targets,
)
from clientcreds.cli import build_parser
from clientcreds.core.protocol import PLACEHOLDERS
from clientcreds.explorer.tabs import recipe_sentence
from clientcreds.snippets import SECRET_MODES, SecretMode, languages
from clientcreds.snippets.browser import API_EXAMPLE_URL, FIELDS, FormField, basic_header_text
from clientcreds.snippets.target import Recipe
from clientcreds.tenant import FIDELITY, FidelityRow

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
#: Mermaid's ES module build: its core, and a chunk per diagram type loaded when a page has one
#: (a sequence diagram fetches under 1 MB of it; the one-file build is 3.5 MB, all parsed).
MERMAID_DIST = DOCS / "node_modules" / "mermaid" / "dist"
MERMAID = MERMAID_DIST / "mermaid.esm.min.mjs"
MERMAID_CHUNKS = MERMAID_DIST / "chunks" / "mermaid.esm.min"
MERMAID_URI = "assets/javascripts/mermaid/mermaid.esm.min.mjs"
NOTEBOOKS = ROOT / "notebooks"
log = logging.getLogger("mkdocs.hooks.clientcreds")
PACKAGE = ROOT / "src" / "clientcreds"
#: The in-browser engine: Pyodide's own files, served by the site (no CDN), and our wheel.
PYODIDE = DOCS / "node_modules" / "pyodide"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "pyodide-lock.json",
    "python_stdlib.zip",
)
#: Saves the engine started, at build time (see `engine_snapshot`); the glue it imports.
SNAPSHOT_SCRIPT = DOCS / "javascripts" / "snapshot.mjs"
GLUE = DOCS / "javascripts" / "engine.py"
SNAPSHOT = "engine.snapshot.gz"
#: Where the snapshot is kept between builds.
ENGINE_CACHE = DOCS / "node_modules" / ".cache" / "clientcreds-engine"
ENGINE_URI = "assets/engine/"
#: The page scripts of the engine (in docs/javascripts/, copied as they are).
ENGINE_SCRIPTS = {"values": "javascripts/personalise.js", "decoder": "javascripts/decoder.js"}


MARKER = re.compile(r"<!--\s*clientcreds:(?P<name>[a-z-]+)(?P<args>(?:\s+[a-z_]+=\S+)*)\s*-->")

#: The order the API reference tells the story in (one section per layer); others follow, sorted.
MODULE_ORDER = (
    "request",
    "core",
    "snippets",
    "client",
    "response",
    "tokens",
    "tenant",
    "exceptions",
)

Options = dict[str, str]


# --- markers ----------------------------------------------------------------------------


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace every ``clientcreds:`` marker on the page with its generated Markdown."""

    def expand(match: re.Match[str]) -> str:
        name = match["name"]
        generator = GENERATORS.get(name)
        if generator is None:
            raise PluginError(
                f"{page.file.src_uri}: unknown marker clientcreds:{name}; "
                f"known markers: {', '.join(sorted(GENERATORS))}"
            )
        return generator(parse_options(match["args"]))

    return MARKER.sub(expand, markdown)


def parse_options(text: str) -> Options:
    """``key=value`` pairs separated by whitespace."""
    return dict(pair.split("=", 1) for pair in text.split())


def placeholder_request(options: Options) -> TokenRequest:
    """The seed page's request, with the marker's fields (e.g. ``body=json``) changed."""
    return TokenRequest(**{**PLACEHOLDERS, **options})  # type: ignore[arg-type]


# --- snippets ---------------------------------------------------------------------------


def snippets_markdown(options: Options) -> str:
    """Content tabs, one per language, each holding a tab per client (target) with its recipe;
    tabs are linked by label across the site, so a reader picks their language once.

    The wrapper's ``data-cc-request`` names the request's fields (``kind=api`` for the call to
    an API), so tests can rebuild the same request and compare every block with `render()`.
    """
    request = marker_request(options)
    attrs = " ".join(f"{key}={value}" for key, value in options.items())
    tabs = [language_tab(request, title, names) for title, names in languages().items()]
    order = " ".join(name for names in languages().values() for name in names)
    return (
        f'<div class="cc-snippets" data-cc-request="{html.escape(attrs)}" '
        f'data-cc-targets="{order}" markdown>\n\n' + "\n\n".join(tabs) + "\n\n</div>\n"
    )


def marker_request(options: Options) -> TokenRequest | ApiRequest:
    """The request a snippets marker shows: the seed's token request with the marker's
    fields changed or, with ``kind=api``, the call to an API (``url=``, ``method=``)."""
    fields = dict(options)
    kind = fields.pop("kind", "token")
    if kind == "api":
        return ApiRequest(fields.pop("url", API_EXAMPLE_URL), **fields)  # type: ignore[arg-type]
    if kind != "token":
        raise PluginError(f"clientcreds:snippets kind={kind}: use kind=token or kind=api")
    return placeholder_request(fields)


def language_tab(request: TokenRequest | ApiRequest, title: str, names: tuple[str, ...]) -> str:
    """One language's tab: a tab per client inside it."""
    clients = "\n\n".join(snippet_tab(request, name) for name in names)
    return f'=== "{title}"\n\n' + indent(clients)


#: Languages whose lines cannot be broken (raw HTTP's body is one line): their blocks wrap
#: long lines on screen instead of scrolling (what is copied is unchanged).
WRAPPED_LANGUAGES = frozenset({"http"})


def snippet_tab(request: TokenRequest | ApiRequest, name: str) -> str:
    target = get_target(name)
    code = render(request, name).rstrip("\n")
    wrap = "cc-wrap" if target.language in WRAPPED_LANGUAGES else ""
    body = fenced(code, target.language, wrap) + recipe_markdown(target.recipe)
    return f'=== "{target.client}"\n\n' + indent(body)


def recipe_markdown(recipe: Recipe | None) -> str:
    """How to run a snippet, under its block: file name, other files, command, note.

    Paragraphs with the ``cc-recipe`` class, not a ``<div markdown>``: raw HTML inside a tab
    of the snippets' own ``<div markdown>`` would split the tab set in two.
    """
    if recipe is None:
        return ""
    sentence = recipe_sentence(recipe, code_span, escape)
    parts = [f"**Run it:** {sentence}\n{{: .cc-recipe }}"]
    parts += [
        f"{code_span(name)}:\n{{: .cc-recipe }}\n\n{fenced(text.rstrip(), 'text')}"
        for name, text in recipe.files
    ]
    return "\n" + "\n\n".join(parts) + "\n"


def code_span(text: str) -> str:
    """Inline code that no run of backticks inside `text` can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


#: Python-Markdown turns every tab into spaces before anything else, so a snippet's tabs (Go's
#: indentation) cross it as this character, which no snippet shows raw (it is a separator,
#: which targets escape), and `on_page_content` turns it back into a tab.
TAB_STAND_IN = "\u2003"


def fenced(code: str, language: str, css_class: str = "") -> str:
    """A code fence that no run of backticks inside `code` can close, its tabs kept; with
    `css_class`, the block's ``<div class="highlight">`` gets that class too."""
    if TAB_STAND_IN in code:
        raise PluginError(f"a {language} block shows U+2003 raw: escape it in the target")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    info = f"{{ .{language} .{css_class} }}" if css_class else language
    return f"{fence}{info}\n{code.replace(chr(9), TAB_STAND_IN)}\n{fence}\n"


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give the code blocks back the tabs `fenced` carried through Markdown; on a notebook's
    page, say how to run it and what its masked values stand for."""
    if page.file.src_uri.startswith("notebooks/"):
        html = NOTEBOOK_NOTE + html
    return html.replace(TAB_STAND_IN, "\t")


#: Above every notebook on the site: the outputs are a recorded run, sanitised for the tests
#: (notebooks/sanitize.cfg), and ``make run`` runs them for real.
NOTEBOOK_NOTE = (
    '<div class="admonition tip cc-notebook-note"><p class="admonition-title">'
    "Run it yourself</p><p>This is the notebook as it was last run. To run it interactively, "
    "clone the repository and run <code>make run</code>: it opens JupyterLab on this machine "
    "(the explorer first), with the embedded tenant, so no Auth0 account is needed.</p>"
    "<p>Values that change on every run are masked in the outputs shown here: "
    "<code>PORT</code> is the embedded tenant's loopback port, <code>EPOCH</code> a Unix time, "
    "<code>YYYY-MM-DD hh:mm:ss</code> and <code>HTTP-DATE</code> a date, <code>WHEN</code> a "
    "time from now (<em>in 23 h</em>), <code>N</code> a count, <code>eyJ…</code> and "
    "<code>B64…</code> tokens and key material, <code>UUID</code> and <code>org_ID</code> "
    "generated ids.</p></div>\n"
)


def indent(text: str) -> str:
    return "".join(f"    {line}" if line.strip() else line for line in text.splitlines(True))


def targets_markdown(options: Options) -> str:
    """A section per language, with a row per client: its target name, the runtime (and
    version) its snippets are executed with in the tests, and how to run a snippet."""
    headers = ["Client", "Target", "Proven with", "How to run a snippet"]
    sections = []
    for title, names in languages().items():
        rows = [
            [
                escape(get_target(name).client),
                f"`{name}`",
                escape(get_target(name).runtime),
                recipe_cell(get_target(name).recipe),
            ]
            for name in names
        ]
        sections.append(f"### {escape(title)}\n\n" + table(headers, rows))
    return "\n".join(sections)


def recipe_cell(recipe: Recipe | None) -> str:
    if recipe is None:
        return ""
    files = "".join(f" + {code_span(name)}" for name, _ in recipe.files)
    note = f"<br>{escape(recipe.note)}" if recipe.note else ""
    command = code_span(recipe.command).replace("|", "\\|")  # no column break in a cell
    return f"{code_span(recipe.filename)}{files}<br>{command}{note}"


# --- your values -----------------------------------------------------------------------


def values_markdown(options: Options) -> str:
    """The "Your values" form: every snippet set on the page follows it, rendered in the
    browser by the package itself (`clientcreds.snippets.browser`, run by Pyodide).

    It is hidden until the page's script shows it, so without JavaScript the page is what
    the build made. ``kind=api`` adds the API call's fields. There is no secret field.
    """
    kinds = {"token", "both", *(["api"] if options.get("kind") == "api" else [])}
    fields = "\n".join(field_html(spec) for spec in FIELDS if spec.applies_to in kinds)
    return (
        '<form class="cc-values" data-cc-values data-cc-state="idle" hidden>\n'
        '<div class="cc-values__head"><strong>Your values</strong> '
        '<span class="cc-values__status" data-cc-status role="status" aria-live="polite">'
        "</span></div>\n"
        f'<div class="cc-values__fields">\n{fields}\n</div>\n'
        '<p class="cc-field__error" data-cc-error=""></p>\n'
        '<p class="cc-values__note">There is no secret field: a secret never belongs in a web '
        "page. Your values stay in this browser (its local storage) and are never sent "
        "anywhere: the snippets are rendered on this page by clientcreds itself, running in "
        "Python in your browser. "
        '<button type="button" class="md-button cc-values__forget" data-cc-forget>'
        "Forget my values</button></p>\n"
        "</form>\n"
    )


def field_html(spec: FormField) -> str:
    """One input of the form, its label, and where the library's message about it goes."""
    ident = f"cc-field-{spec.name}"
    error = f"{ident}-error"
    common = f'id="{ident}" name="{spec.name}" aria-describedby="{error}"'
    if spec.kind == "choice":
        options = "".join(
            f'<option value="{html.escape(value)}">{html.escape(text)}</option>'
            for value, text in spec.choices
        )
        control = f"<select {common}>{options}</select>"
    else:
        control = (
            f'<input {common} type="text" placeholder="{html.escape(spec.placeholder)}" '
            'autocomplete="off" autocapitalize="off" spellcheck="false">'
        )
    return (
        f'<div class="cc-field cc-field--{spec.name}"><label for="{ident}">'
        f"{html.escape(spec.label)} <code>{spec.name}</code></label>{control}"
        f'<p class="cc-field__error" id="{error}" data-cc-error="{spec.name}"></p></div>'
    )


def basic_header_markdown(options: Options) -> str:
    """How the Basic header is built from the Client ID, readable (the form changes it)."""
    text = basic_header_text(PLACEHOLDERS["client_id"])
    block = fenced(text, "text", "cc-wrap")
    return f'<div class="cc-basic" data-cc-basic markdown>\n\n{block}\n</div>\n'


# --- the token decoder -----------------------------------------------------------------

#: The decoder page's examples: an unsigned token shaped like Auth0's client-credentials
#: tokens (expired, so its warnings show), a token response and an error answer.
EXAMPLE_CLAIMS = {
    "iss": "https://YOUR_DOMAIN/",
    "sub": "YOUR_CLIENT_ID@clients",
    "aud": "API_IDENTIFIER",
    "iat": 1767225600,
    "exp": 1767312000,
    "scope": "read:things",
    "gty": "client-credentials",
    "azp": "YOUR_CLIENT_ID",
}
EXAMPLE_ERROR = (
    "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n"
    '{"error": "access_denied", "error_description": "Unauthorized"}'
)


def example_token() -> str:
    """An unsigned (``alg: none``) JWT: no key made it, and nothing can verify it."""

    def segment(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(EXAMPLE_CLAIMS)}."


def decoder_markdown(options: Options) -> str:
    """The token decoder: a paste box and what clientcreds reads in it, in the browser.

    Hidden until the page's script shows it (it needs the engine, hence JavaScript).
    """
    response = json.dumps(
        {"access_token": example_token(), "token_type": "Bearer", "expires_in": 86400}, indent=2
    )
    examples = (("A token", example_token()), ("A token response", response))
    buttons = "".join(
        f'<button type="button" class="md-button" data-cc-example="{html.escape(text)}">'
        f"{html.escape(name)}</button> "
        for name, text in (*examples, ("An error answer", EXAMPLE_ERROR))
    )
    return (
        '<div class="cc-decoder" data-cc-decoder data-cc-state="idle" hidden>\n'
        '<p class="cc-decoder__status" data-cc-status role="status" aria-live="polite"></p>\n'
        '<label for="cc-paste">Paste an access token, a whole token response, or an error '
        "answer (its status line too, if you have it):</label>\n"
        '<textarea id="cc-paste" data-cc-paste rows="6" spellcheck="false" autocomplete="off" '
        'placeholder="eyJ…  or  {&quot;access_token&quot;: …}  or  HTTP/1.1 403 …"></textarea>\n'
        f'<p class="cc-decoder__examples">Or try an example: {buttons.strip()}</p>\n'
        '<div class="cc-decoder__output" data-cc-output aria-live="polite"></div>\n'
        "</div>\n"
        '<noscript><p class="cc-decoder__problem">The decoder runs clientcreds in your browser, '
        "which needs JavaScript. Without it, use <code>clientcreds decode -</code>.</p>"
        "</noscript>\n"
    )


# --- refusals ---------------------------------------------------------------------------

#: Values a target may be unable to carry: NUL, a line break, a byte-order mark, an astral
#: character, a direction mark, and quoting hazards of the languages we render.
PROBE_VALUES = (
    "a\x00b",
    "a\r\nb",
    "\ufeffa",
    "a\U0001f511b",
    "a\u202eb",
    "q'\"\\$x #{y} {{z}} ??=%+&",
    "x" * 70_000,  # longer than a Java string constant may be
)
PROBE_FIELDS = ("client_id", "client_secret", "audience")


def refusals_markdown(options: Options) -> str:
    """What each target refuses at render time, and why: the `RenderError` messages it raises
    for probe requests (every kind, secret mode, auth method and body, hostile values)."""
    found = {name: refusals_of(name) for name in targets()}
    common = set.intersection(*(set(messages) for messages in found.values()))
    parts = ["Every target refuses:\n", bullets([m for m in found[targets()[0]] if m in common])]
    for name, messages in found.items():
        own = [m for m in messages if m not in common]
        parts.append(
            f"`{name}` also refuses:\n\n" + bullets(own)
            if own
            else f"`{name}` refuses nothing else.\n"
        )
    return "\n".join(parts)


def bullets(items: list[str]) -> str:
    return "".join(f"- {escape(item)}\n" for item in items)


@functools.cache
def refusals_of(name: str) -> list[str]:
    """The distinct `RenderError` messages target `name` gives for the probe requests (one
    of those differing only in a size, e.g. a long value's length in each field)."""
    messages: dict[str, str] = {}
    for request, mode in probe_requests():
        try:
            render(request, name, secret=mode)
        except RenderError as exc:
            messages.setdefault(re.sub(r"\d{1,3}(?:,\d{3})+|\d{4,}", "N", str(exc)), str(exc))
    return list(messages.values())


@functools.cache
def probe_requests() -> list[tuple[TokenRequest | ApiRequest, SecretMode]]:
    """Requests of each kind that a target might refuse, each with a secret mode."""
    from cryptography.hazmat.primitives.asymmetric import ec

    shapes: list[dict[str, Any]] = [
        {"auth_method": auth, "body": body}
        for auth in ("client_secret_post", "client_secret_basic")
        for body in ("form", "json")
    ]
    shapes += [
        {**shape, field: value}
        for shape in shapes[:]
        for field in PROBE_FIELDS
        for value in PROBE_VALUES
    ]
    shapes.append(
        {
            "auth_method": "private_key_jwt",
            "client_secret": None,
            "private_key": ec.generate_private_key(ec.SECP256R1()),
        }
    )
    token_requests = [request for request in map(valid_request, shapes) if request]
    probes: list[tuple[TokenRequest | ApiRequest, SecretMode]] = [
        (request, mode) for request in token_requests for mode in SECRET_MODES
    ]
    # An API call reveals only a token it was given: without one, reveal is a usage error.
    token = PROBE_VALUES[-1].replace(" ", "")
    probes += [(ApiRequest(API_EXAMPLE_URL), "placeholder"), (ApiRequest(API_EXAMPLE_URL), "env")]
    probes += [(ApiRequest(API_EXAMPLE_URL, "POST", access_token=token), "reveal")]
    return probes


def valid_request(fields: dict[str, Any]) -> TokenRequest | None:
    """The seed's request with `fields` changed, or None when the request refuses them."""
    try:
        return TokenRequest(**{**PLACEHOLDERS, **fields})
    except RequestFieldError:
        return None


# --- tables -----------------------------------------------------------------------------


def escape(text: str) -> str:
    """Plain text for a Markdown table cell or heading: no HTML, emphasis, links, column
    breaks or closing ``#`` (``### C#`` would read as a heading ``C``)."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", text).replace("\n", " ")


def table(header: list[str], rows: list[list[str]], kind: str = "") -> str:
    """A Markdown table; with `kind`, wrapped for the ``cc-table--KIND`` column widths."""
    lines = [header, [":--"] * len(header), *rows]
    text = "\n".join("| " + " | ".join(cells) + " |" for cells in lines) + "\n"
    if not kind:
        return text
    return f'<div class="cc-table cc-table--{kind}" markdown>\n\n{text}\n</div>\n'


def label(text: str, kind: str) -> str:
    return f'<span class="cc-label cc-label--{kind}">{text}</span>'


def parameters_markdown(options: Options) -> str:
    """The request parameters, as the seed page lists them, from `clientcreds.PARAMETERS`."""
    rows = [
        [
            f"`{p.name}` <br>"
            + (label("Required", "required") if p.required else label("Optional", "optional")),
            p.description,  # written as Markdown for this table
        ]
        for p in PARAMETERS
    ]
    return table(["Parameter", "Description"], rows)


def errors_markdown(options: Options) -> str:
    """The error catalogue: what each known error means and what to do."""
    rows = [
        [
            f"**{escape(e.title)}**<br>`{e.status or 'any status'}` `{e.error}`"
            + (f"<br>“{escape(e.example)}”" if e.example else ""),
            f"{escape(e.cause)}<br>**Fix:** {escape(e.fix)}",
            ("yes" if e.retry else "no"),
            evidence(e.source, e.confirmed),
        ]
        for e in CATALOGUE
    ]
    return table(["Error", "Cause and fix", "Retry", "Source"], rows, "errors")


def evidence(source: str, confirmed: bool, note: str = "") -> str:
    parts = [escape(source)] if source else []
    if not confirmed:
        parts.append(label("Unconfirmed", "unconfirmed"))
    if note:
        parts.append(f"<small>{escape(note)}</small>")
    return "<br>".join(parts)


def fidelity_markdown(options: Options) -> str:
    """The embedded tenant's fidelity table, each case with its answer and evidence."""
    rows = [
        [
            escape(row.case),
            answer(row),
            evidence(row.source if row.confirmed else "", row.confirmed, row.note),
        ]
        for row in FIDELITY
    ]
    confirmed = sum(row.confirmed for row in FIDELITY)
    summary = (
        f"{len(FIDELITY)} cases: {confirmed} follow a published source, "
        f"{len(FIDELITY) - confirmed} are our own choice (unconfirmed).\n\n"
    )
    return summary + table(["Case", "The tenant answers", "Evidence"], rows, "fidelity")


def answer(row: FidelityRow) -> str:
    """A fidelity row's response: status, error and description, from its catalogue entry."""
    text = f"`{row.status}`" + (f" `{row.error}`" if row.error else "")
    text += f"<br>{escape(row.description)}"
    refusal = row.refusal
    if refusal is None:
        return text
    if refusal.error_uri is not None:
        text += "<br>" + escape(f"error_uri {refusal.error_uri}")
    title = escape(refusal.entry.title)
    return text + f"<br><small>In the catalogue: [{title}](guides/troubleshooting.md)</small>"


# --- CLI reference ----------------------------------------------------------------------


def cli_markdown(options: Options) -> str:
    """The ``clientcreds`` command, from the same parser the command uses."""
    parser = build_parser()
    commands = list(subcommands(parser))
    parts = [
        escape(parser.description or ""),
        fenced(usage(parser), "text"),
        fenced(parser.epilog or "", "text"),
        table(
            ["Command", "What it does"],
            [[f"[`{name}`](#clientcreds-{name})", escape(help_)] for name, help_, _ in commands],
        ),
    ]
    for name, _, sub in commands:
        parts.append(command_markdown(name, sub))
    return "\n".join(parts)


def subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str, Any]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, helps.get(name, ""), sub


def usage(parser: argparse.ArgumentParser) -> str:
    # A fixed width keeps the page the same whatever terminal the build runs in.
    parser.formatter_class = functools.partial(argparse.HelpFormatter, width=88)
    return parser.format_usage().removeprefix("usage: ").rstrip()


def command_markdown(name: str, parser: argparse.ArgumentParser) -> str:
    parts = [
        f"## `clientcreds {name}` {{#clientcreds-{name}}}\n",
        escape(parser.description or ""),
        fenced(usage(parser), "text"),
    ]
    for group in parser._action_groups:
        rows = [[f"`{invocation(a)}`", escape(action_help(a))] for a in group._group_actions]
        if rows:
            parts.append(f"**{escape((group.title or '').capitalize())}**\n")
            parts.append(table(["Argument", "Description"], rows))
    return "\n".join(parts)


def invocation(action: argparse.Action) -> str:
    if not action.option_strings:
        return str(action.metavar or action.dest)
    if action.nargs == 0:
        return ", ".join(action.option_strings)
    metavar = action.metavar or action.dest.upper()
    return ", ".join(f"{option} {metavar}" for option in action.option_strings)


def action_help(action: argparse.Action) -> str:
    text = action.help or ""
    if "%" in text:
        text = text % {**vars(action), "prog": "clientcreds"}
    if action.choices and action.metavar:
        text += f" (one of: {', '.join(map(str, action.choices))})"
    return text


# --- API reference ----------------------------------------------------------------------


def api_markdown(options: Options) -> str:
    """A ``:::`` block for every name in ``clientcreds.__all__``, grouped by module."""
    groups: dict[str, list[str]] = {}
    for name in clientcreds.__all__:
        groups.setdefault(defining_module(name), []).append(name)
    parts = []
    for module in sorted(groups, key=module_rank):
        parts.append(f"## `{module}`\n")
        summary = module_summary(module)
        if summary:
            parts.append(summary + "\n")
        parts.extend(f"::: clientcreds.{name}\n" for name in groups[module])
    parts.append(explorer_markdown())
    return "\n".join(parts)


def explorer_markdown() -> str:
    """The explorer's own public names: a package apart, since it needs the notebook extra."""
    import clientcreds.explorer as explorer  # imports no ipywidgets until an Explorer is made

    summary = module_summary("clientcreds.explorer")
    blocks = "".join(f"::: clientcreds.explorer.{name}\n\n" for name in explorer.__all__)
    return f"## `clientcreds.explorer`\n\n{summary}\n\n{blocks}"


def defining_module(name: str) -> str:
    """The module that defines a public name (for data, the deepest module holding it)."""
    obj = getattr(clientcreds, name)
    module = getattr(obj, "__module__", None) if callable(obj) else None
    if module is None:
        holders = [
            m.__name__
            for m in list(sys.modules.values())
            if m is not None and m.__name__.startswith("clientcreds.") and vars(m).get(name) is obj
        ]
        module = max(holders, key=lambda m: m.count("."), default="clientcreds")
    return ".".join(module.split(".")[:2])


def module_rank(module: str) -> tuple[int, str]:
    short = module.removeprefix("clientcreds.")
    rank = MODULE_ORDER.index(short) if short in MODULE_ORDER else len(MODULE_ORDER)
    return rank, module


def module_summary(module: str) -> str:
    """The first paragraph of the module's docstring."""
    doc = inspect.getdoc(sys.modules[module]) or ""
    return doc.split("\n\n", 1)[0].replace("\n", " ")


# --- third-party software ---------------------------------------------------------------

#: The Python distributions whose own files the site serves (the theme's scripts and styles,
#: the API reference's stylesheet), with those files.
SERVED_DISTRIBUTIONS = {
    "mkdocs-material": "assets/javascripts/ (the theme and its search), assets/stylesheets/",
    "mkdocstrings-python": "assets/_mkdocstrings.css",
}


def served_npm_files() -> dict[str, list[str]]:
    """What the site serves of each npm package in ``docs/package.json``."""
    pyodide = [ENGINE_URI + name for name in PYODIDE_FILES]
    mermaid = [MERMAID_URI, mermaid_chunk_uri("*.mjs")]
    return {"mermaid": mermaid, "pyodide": [*pyodide, ENGINE_URI + SNAPSHOT]}


def mermaid_chunk_uri(name: str) -> str:
    """Where the site serves one of mermaid's chunks: beside its core, as it imports them."""
    return MERMAID_URI.rsplit("/", 1)[0] + f"/chunks/mermaid.esm.min/{name}"


def third_party_markdown(options: Options) -> str:
    """Every piece of someone else's software the site serves, with its version, licence and
    source, read from the packages themselves."""
    declared = json.loads((DOCS / "package.json").read_text())["dependencies"]
    rows = [npm_row(name, files, declared) for name, files in served_npm_files().items()]
    python = json.loads((PYODIDE / "pyodide-lock.json").read_text())["info"]["python"]
    rows.append(
        [
            "Python's standard library (CPython, inside Pyodide)",
            escape(python),
            licence_link("PSF-2.0"),
            source_link("https://github.com/python/cpython"),
            f"`{ENGINE_URI}python_stdlib.zip`, and compiled into Pyodide's files",
        ]
    )
    rows += [distribution_row(name, files) for name, files in SERVED_DISTRIBUTIONS.items()]
    return table(["Software", "Version", "Licence", "Source", "Its files in this site"], rows)


def npm_row(name: str, files: list[str], declared: dict[str, str]) -> list[str]:
    if name not in declared:
        raise PluginError(f"{name} is served but not a dependency in docs/package.json")
    package = json.loads((DOCS / "node_modules" / name / "package.json").read_text())
    repository = package["repository"]
    url = repository["url"] if isinstance(repository, dict) else repository
    url = url.removeprefix("git+").removesuffix(".git")
    shown = ", ".join(f"`{uri}`" for uri in files)
    return [
        escape(name),
        escape(package["version"]),
        licence_link(package["license"]),
        source_link(url),
        shown,
    ]


def distribution_row(name: str, files: str) -> list[str]:
    meta = importlib.metadata.metadata(name)
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    url = urls.get("Source") or urls["Repository"]
    licence = meta["License-Expression"] if "License-Expression" in meta else meta["License"]
    return [
        escape(name),
        escape(meta["Version"]),
        licence_link(licence),
        source_link(url),
        escape(files),
    ]


def licence_link(spdx: str) -> str:
    return f"[{escape(spdx)}](https://spdx.org/licenses/{spdx}.html)"


def source_link(url: str) -> str:
    return f"[{escape(url.removeprefix('https://'))}]({url})"


GENERATORS: dict[str, Callable[[Options], str]] = {
    "snippets": snippets_markdown,
    "your-values": values_markdown,
    "basic-header": basic_header_markdown,
    "decoder": decoder_markdown,
    "targets": targets_markdown,
    "refusals": refusals_markdown,
    "parameters": parameters_markdown,
    "errors": errors_markdown,
    "fidelity": fidelity_markdown,
    "cli": cli_markdown,
    "api": api_markdown,
    "third-party": third_party_markdown,
}


# --- files ------------------------------------------------------------------------------


@event_priority(50)  # before mkdocs-jupyter, which turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Serve mermaid and the engine from the site itself, and add the repository's notebooks."""
    for needed, package in ((MERMAID, "mermaid"), (PYODIDE / PYODIDE_FILES[0], "pyodide")):
        if not needed.is_file():
            raise PluginError(
                f"{needed.relative_to(ROOT)} is missing ({package}): run `npm ci` in docs/ "
                "(or `make docs`)"
            )
    files.append(File.generated(config, MERMAID_URI, abs_src_path=str(MERMAID)))
    for chunk in sorted(MERMAID_CHUNKS.glob("*.mjs")):
        uri = mermaid_chunk_uri(chunk.name)
        files.append(File.generated(config, uri, abs_src_path=str(chunk)))
    for name in PYODIDE_FILES:
        files.append(File.generated(config, ENGINE_URI + name, abs_src_path=str(PYODIDE / name)))
    files.append(File.generated(config, ENGINE_URI + wheel_name(), content=wheel_bytes()))
    files.append(File.generated(config, ENGINE_URI + SNAPSHOT, content=engine_snapshot()))
    for uri in notebook_uris():
        # A real File rooted at the repository: mkdocs-jupyter cannot wrap a generated one.
        files.append(File(uri, str(ROOT), config.site_dir, config.use_directory_urls))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add the scripts a page needs: mermaid where there is a diagram, the engine where there
    is a "Your values" form or the token decoder.

    Mermaid is a module script, which runs before ``DOMContentLoaded``, when Material renders
    diagrams, and sets the global Material looks for, so it never falls back to its CDN; other
    pages skip it. The engine's scripts load nothing heavy until a page script starts it (see
    ``docs/javascripts/engine.js``).
    """
    scripts = []
    uses = [kind for kind in ENGINE_SCRIPTS if f"data-cc-{kind}" in output]
    if uses:  # first: the engine may start while mermaid still loads
        scripts.append(engine_script(page))
        scripts += [f'<script src="{asset_url(ENGINE_SCRIPTS[k], page)}"></script>' for k in uses]
    if 'class="mermaid"' in output:
        load = f'import mermaid from "{get_relative_url(MERMAID_URI, page.url)}";'
        scripts.append(f'<script type="module">{load} window.mermaid = mermaid;</script>')
    if not scripts:
        return output
    head, sep, tail = output.rpartition("</body>")
    return head + "".join(f"{script}\n" for script in scripts) + sep + tail


def engine_script(page: Page) -> str:
    """The engine's loader, told where Pyodide, its snapshot, our wheel and the worker are."""
    engine = get_relative_url(ENGINE_URI, page.url).rstrip("/") + "/"
    attrs = {
        "data-cc-engine": engine,
        "data-cc-wheel": f"{engine}{wheel_name()}?v={engine_version()}",
        "data-cc-snapshot": f"{engine}{SNAPSHOT}?v={engine_version()}",
        "data-cc-size": f"{engine_size() / 1e6:.0f} MB",
        "data-cc-worker": asset_url("javascripts/engine-worker.js", page),
    }
    shown = " ".join(f'{name}="{html.escape(value)}"' for name, value in attrs.items())
    return f'<script src="{asset_url("javascripts/engine.js", page)}" {shown}></script>'


@functools.cache
def engine_size() -> int:
    """The bytes a page fetches to start the engine: Pyodide, our wheel and the snapshot."""
    pyodide = sum((PYODIDE / name).stat().st_size for name in PYODIDE_FILES)
    return pyodide + len(wheel_bytes()) + len(engine_snapshot())


def asset_url(uri: str, page: Page) -> str:
    """A script's URL from `page`, with the engine's version so no stale copy is used."""
    return f"{get_relative_url(uri, page.url)}?v={engine_version()}"


# --- the engine's wheel -----------------------------------------------------------------


def wheel_name() -> str:
    return f"clientcreds-{clientcreds.__version__}-py3-none-any.whl"


@functools.cache
def wheel_bytes() -> bytes:
    """Our own wheel, built from ``src/clientcreds`` with the standard library's `zipfile`.

    The package is pure Python, so a wheel is its sources and a minimal ``.dist-info``
    (METADATA, WHEEL, RECORD); no build backend and no network are needed. Entries are sorted
    and dated 1980-01-01, so the same sources give the same bytes. The browser imports only
    the snippet path and the decoding, which need nothing beyond the standard library, so the
    wheel declares no dependency (the real one from PyPI does).
    """
    dist = f"clientcreds-{clientcreds.__version__}.dist-info"
    entries = [
        (f"clientcreds/{path.relative_to(PACKAGE).as_posix()}", path.read_bytes())
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".typed") and "__pycache__" not in path.parts
    ]
    metadata = (
        "Metadata-Version: 2.1\nName: clientcreds\n"
        f"Version: {clientcreds.__version__}\nRequires-Python: >=3.10\n"
    )
    entries.append((f"{dist}/METADATA", metadata.encode()))
    wheel = "Wheel-Version: 1.0\nGenerator: docs/hooks.py\nRoot-Is-Purelib: true\n"
    entries.append((f"{dist}/WHEEL", (wheel + "Tag: py3-none-any\n").encode()))
    record = "".join(f"{name},sha256={digest(data)},{len(data)}\n" for name, data in entries)
    entries.append((f"{dist}/RECORD", (record + f"{dist}/RECORD,,\n").encode()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as wheel_zip:
        for name, data in entries:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            wheel_zip.writestr(info, data)
    return out.getvalue()


@functools.cache
def engine_snapshot() -> bytes:
    """The engine already started: Pyodide's memory after our wheel and the glue are imported.

    Starting Python and importing clientcreds took most of a reader's wait (seconds on a slow
    machine). ``docs/javascripts/snapshot.mjs`` does both once here, with Pyodide's own Node
    build, and saves the memory (gzip-compressed); the worker starts from it. Node is there
    already: ``npm ci`` installs Pyodide. The result is kept in
    ``docs/node_modules/.cache/clientcreds-engine/`` by what made it, so only a change to the
    wheel, the glue, the script or Pyodide makes it again.
    """
    wheel = wheel_bytes()
    made_from = hashlib.sha256(wheel)
    for part in (SNAPSHOT_SCRIPT, GLUE, PYODIDE / "package.json"):
        made_from.update(part.read_bytes())
    cached = ENGINE_CACHE / f"engine-{made_from.hexdigest()[:16]}.snapshot.gz"
    if not cached.is_file():
        make_snapshot(wheel, cached)
        for old in ENGINE_CACHE.glob("*"):
            if old != cached and old.is_file():
                old.unlink(missing_ok=True)
    return cached.read_bytes()


def make_snapshot(wheel: bytes, out: Path) -> None:
    """Run snapshot.mjs with Node; the result lands whole (renamed) or not at all."""
    node = shutil.which("node")
    if node is None:
        raise PluginError("node is not installed: the site's engine is built with it (`make docs`)")
    ENGINE_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ENGINE_CACHE) as tmp:
        source = Path(tmp, wheel_name())
        source.write_bytes(wheel)
        command = [node, str(SNAPSHOT_SCRIPT), str(PYODIDE), str(source), str(GLUE), f"{tmp}/out"]
        # An empty environment: nothing of the build machine's (AUTH0_* among it) gets near it.
        done = subprocess.run(
            command, env={}, capture_output=True, text=True, timeout=600, check=False
        )
        if done.returncode != 0:
            raise PluginError(f"the engine's snapshot failed (snapshot.mjs):\n{done.stderr}")
        os.replace(f"{tmp}/out", out)


def digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@functools.cache
def engine_version() -> str:
    """A short hash of the engine and its scripts: it changes when any of them does."""
    sha = hashlib.sha256(engine_snapshot())
    for path in sorted((DOCS / "javascripts").glob("*.*")):
        if path.suffix in (".js", ".py"):
            sha.update(path.read_bytes())
    return sha.hexdigest()[:12]


def notebook_uris() -> list[str]:
    return [f"notebooks/{path.name}" for path in sorted(NOTEBOOKS.glob("*.ipynb"))]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """List the committed notebooks in the navigation, after the guides."""
    uris = notebook_uris()
    if uris and config.nav is not None:
        at = next((i for i, item in enumerate(config.nav) if "Guides" in item), len(config.nav))
        config.nav.insert(at + 1, {"Notebooks": uris})
    return config
