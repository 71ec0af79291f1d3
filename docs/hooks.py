"""MkDocs hook: everything the site shows about the library is generated from the library.

A page asks for generated content with a marker such as ``<!-- clientcreds:snippets -->`` or
``<!-- clientcreds:snippets auth_method=client_secret_basic -->``; `on_page_markdown` replaces
it with Markdown built at build time, so the site cannot drift from the code. `on_files` adds
the npm ``mermaid`` bundle to the site (no CDN) and, once they exist, the notebooks.
"""

from __future__ import annotations

import argparse
import functools
import html
import inspect
import re
import sys
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
from clientcreds.snippets.target import Recipe
from clientcreds.tenant import FIDELITY, FidelityRow

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
MERMAID = DOCS / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
MERMAID_URI = "assets/javascripts/mermaid.min.js"
NOTEBOOKS = ROOT / "notebooks"


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

#: The API a ``kind=api`` marker calls, unless it gives ``url=``.
API_EXAMPLE_URL = "https://api.example.com/things"


def snippets_markdown(options: Options) -> str:
    """Content tabs, one per language, each holding a tab per client (target) with its recipe;
    tabs are linked by label across the site, so a reader picks their language once.

    The wrapper's ``data-cc-request`` names the request's fields (``kind=api`` for the call to
    an API), so tests can rebuild the same request and compare every block with `render()`.
    """
    request = marker_request(options)
    attrs = " ".join(f"{key}={value}" for key, value in options.items())
    tabs = [language_tab(request, title, names) for title, names in languages().items()]
    return (
        f'<div class="cc-snippets" data-cc-request="{html.escape(attrs)}" markdown>\n\n'
        + "\n\n".join(tabs)
        + "\n\n</div>\n"
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


def snippet_tab(request: TokenRequest | ApiRequest, name: str) -> str:
    target = get_target(name)
    code = render(request, name).rstrip("\n")
    body = fenced(code, target.language) + recipe_markdown(target.recipe)
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


def fenced(code: str, language: str) -> str:
    """A code fence that no run of backticks inside `code` can close, its tabs kept."""
    if TAB_STAND_IN in code:
        raise PluginError(f"a {language} block shows U+2003 raw: escape it in the target")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code.replace(chr(9), TAB_STAND_IN)}\n{fence}\n"


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give the code blocks back the tabs `fenced` carried through Markdown."""
    return html.replace(TAB_STAND_IN, "\t")


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
    """The distinct `RenderError` messages target `name` gives for the probe requests."""
    messages: dict[str, None] = {}
    for request, mode in probe_requests():
        try:
            render(request, name, secret=mode)
        except RenderError as exc:
            messages[str(exc)] = None
    return list(messages)


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
    probes = [(request, mode) for request in token_requests for mode in SECRET_MODES]
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


GENERATORS: dict[str, Callable[[Options], str]] = {
    "snippets": snippets_markdown,
    "targets": targets_markdown,
    "refusals": refusals_markdown,
    "parameters": parameters_markdown,
    "errors": errors_markdown,
    "fidelity": fidelity_markdown,
    "cli": cli_markdown,
    "api": api_markdown,
}


# --- files ------------------------------------------------------------------------------


@event_priority(50)  # before mkdocs-jupyter, which turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Serve mermaid from the site itself, and add the repository's notebooks."""
    if not MERMAID.is_file():
        raise PluginError(
            f"{MERMAID.relative_to(ROOT)} is missing: run `npm ci` in docs/ (or `make docs`)"
        )
    files.append(File.generated(config, MERMAID_URI, abs_src_path=str(MERMAID)))
    for uri in notebook_uris():
        # A real File rooted at the repository: mkdocs-jupyter cannot wrap a generated one.
        files.append(File(uri, str(ROOT), config.site_dir, config.use_directory_urls))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Load mermaid on the pages with a diagram, before Material looks for ``window.mermaid``.

    A sync script at the end of the body runs before ``DOMContentLoaded``, when Material
    renders diagrams, so it never falls back to its CDN; other pages skip the 3 MB.
    """
    if 'class="mermaid"' not in output:
        return output
    src = get_relative_url(MERMAID_URI, page.url)
    head, sep, tail = output.rpartition("</body>")
    return f'{head}<script src="{src}"></script>\n{sep}{tail}'


def notebook_uris() -> list[str]:
    return [f"notebooks/{path.name}" for path in sorted(NOTEBOOKS.glob("*.ipynb"))]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """List the committed notebooks in the navigation, after the guides."""
    uris = notebook_uris()
    if uris and config.nav is not None:
        at = next((i for i, item in enumerate(config.nav) if "Guides" in item), len(config.nav))
        config.nav.insert(at + 1, {"Notebooks": uris})
    return config
