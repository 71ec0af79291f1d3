"""The built site: generated content equals the library's, every public name is documented,
and nothing secret-like is published."""

from __future__ import annotations

import base64
import gzip
import json
import re
from html import unescape
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import unquote_plus

import clientcreds
from clientcreds import (
    CATALOGUE,
    PARAMETERS,
    ApiRequest,
    RenderError,
    TokenRequest,
    get_target,
    render,
    targets,
)
from clientcreds.cli import build_parser
from clientcreds.snippets import PLACEHOLDER_SECRET, languages
from clientcreds.tenant import FIDELITY
from tests.docs.conftest import ROOT, BuiltSite
from tests.docs.dom import Node, parse


class Placeholders(TypedDict):
    domain: str
    client_id: str
    client_secret: str
    audience: str


#: The seed page's placeholders, which the Get Token page is rendered from.
PLACEHOLDERS: Placeholders = {
    "domain": "YOUR_DOMAIN",
    "client_id": "YOUR_CLIENT_ID",
    "client_secret": PLACEHOLDER_SECRET,
    "audience": "API_IDENTIFIER",
}
#: The seed page's shortened sample token: not a JWT, and allowed.
SEED_TOKEN = "eyJz93a...k4laUWw"
#: Pages made of our own prose and generated content: only the placeholder may appear there.
OWN_PAGES = ("index.html", "get-token/", "guides/", "fidelity/", "cli/")
#: Shorter than any real secret (Auth0's and the embedded tenant's have 64 characters), so a
#: literal this short elsewhere (a docstring's or notebook's made-up value) cannot be one.
MAX_EXAMPLE_SECRET = 19

JWT_SHAPED = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)+")
QUOTED_SECRET = re.compile(r"client_secret['\"]?\s*[:=]\s*(['\"])(.*?)\1", re.IGNORECASE)
FORM_SECRET = re.compile(r"[&?]client_secret=([^&\s'\"<]*)")
#: A form field built by concatenation: ``"client_secret=" + form("...")`` (Java).
JOINED_SECRET = re.compile(r"client_secret=\"\s*\+\s*\w+\(\"(.*?)\"\)")
BASIC = re.compile(r"Basic ([A-Za-z0-9+/]{8,}={0,2})")


def snippet_sets(html: str) -> list[Node]:
    return parse(html).with_class("cc-snippets")


def request_of(snippets: Node) -> TokenRequest | ApiRequest:
    """Rebuild the request a snippet set says it shows (``data-cc-request``)."""
    # Text from the page: the request's own checks refuse any value of the wrong kind.
    fields: dict[str, Any] = dict(
        pair.split("=", 1) for pair in snippets.attrs["data-cc-request"].split()
    )
    if fields.pop("kind", "token") == "api":
        return ApiRequest(fields.pop("url", "https://api.example.com/things"), **fields)
    return TokenRequest(**{**PLACEHOLDERS, **fields})


def tab_blocks(snippets: Node) -> list[Node]:
    """Each client's tab content in a snippet set (a tab per language, holding a tab per
    client), in order: the blocks that hold no tabs of their own."""
    blocks = snippets.with_class("tabbed-block")
    return [block for block in blocks if not block.with_class("tabbed-set")]


def snippet_code(block: Node) -> str:
    """The snippet of a tab: its first code block (the recipe's own come after it)."""
    return block.find_all(lambda n: n.tag == "code")[0].text()


def test_get_token_shows_the_seed_endpoint(site: BuiltSite) -> None:
    text = parse(site.page("get-token/")).text()
    assert "POST /oauth/token" in " ".join(text.split())
    assert SEED_TOKEN in text


def test_every_snippet_block_equals_render(site: BuiltSite) -> None:
    sets = snippet_sets(site.page("get-token/"))
    assert len(sets) >= 2, "Get Token shows the request and its Basic-auth variant"
    api_sets = snippet_sets(site.page("guides/call-api/"))
    assert [s.attrs["data-cc-request"] for s in api_sets] == ["kind=api"]
    # Languages first, then each language's clients: the order of the labels in the page.
    titles = [*languages(), *(get_target(name).client for name in targets())]
    for snippets in sets + api_sets:
        request = request_of(snippets)
        labels = [node.text() for node in snippets.find_all(lambda n: n.tag == "label")]
        blocks = [snippet_code(block) for block in tab_blocks(snippets)]
        assert labels == titles
        assert len(snippets.with_class("tabbed-set")) == 1 + len(languages()), "one tab set"
        expected = [render(request, name) for name in targets()]
        # Pygments ends every block with one newline; the code itself must be identical.
        assert [b.rstrip("\n") for b in blocks] == [e.rstrip("\n") for e in expected]


def test_every_tab_shows_its_run_recipe(site: BuiltSite) -> None:
    pages = ("get-token/", "guides/call-api/")
    for snippets in [s for page in pages for s in snippet_sets(site.page(page))]:
        for name, block in zip(targets(), tab_blocks(snippets), strict=True):
            recipe = get_target(name).recipe
            if recipe is None:
                assert block.with_class("cc-recipe") == [], name
                continue
            text = " ".join(block.text().split())
            assert f"save it as {recipe.filename}" in text, name
            assert f"then run {' '.join(recipe.command.split())}." in text, name
            for file, content in recipe.files:
                assert f"{file}:" in text, name
                assert " ".join(content.split()) in text, name


def test_the_targets_table_and_refusals_cover_every_target(site: BuiltSite) -> None:
    page = parse(site.page("targets/"))
    text = " ".join(page.text().split())
    headings = [h.text().rstrip("¶").strip() for h in page.find_all(lambda n: n.tag == "h3")]
    assert headings == list(languages())
    for section in ("Swift", "Objective-C", "PowerShell"):
        assert f"{section} (" in text, f"the targets page says why {section} is not shipped"
    for names in languages().values():
        for name in names:
            target = get_target(name)
            assert f"{target.client} {name} {' '.join(target.runtime.split())}" in text, name
        if target.recipe is not None:
            assert " ".join(target.recipe.command.split()) in text, name
    refusal = refusal_of(TokenRequest(**PLACEHOLDERS), "http", "env")
    assert refusal in text, "the http target's env-mode refusal is listed"


def refusal_of(request: TokenRequest | ApiRequest, name: str, mode: str) -> str:
    try:
        render(request, name, secret=mode)  # type: ignore[arg-type]
    except RenderError as exc:
        return " ".join(str(exc).split())
    raise AssertionError(f"{name} renders {request!r} in {mode} mode")


def test_parameters_table_follows_the_metadata(site: BuiltSite) -> None:
    rows = [
        [cell.text().strip() for cell in row.find_all(lambda n: n.tag == "td")]
        for row in parse(site.page("get-token/")).find_all(lambda n: n.tag == "tr")
    ]
    table = {row[0]: row for row in rows if row}
    for parameter in PARAMETERS:
        label = "Required" if parameter.required else "Optional"
        assert f"{parameter.name} {label}" in table, parameter.name


def test_generated_tables_have_every_row(site: BuiltSite) -> None:
    errors = " ".join(parse(site.page("guides/troubleshooting/")).text().split())
    assert all(entry.title in errors for entry in CATALOGUE)
    fidelity = " ".join(parse(site.page("fidelity/")).text().split())
    assert all(" ".join(row.case.split()) in fidelity for row in FIDELITY)


def test_cli_reference_covers_every_command_and_flag(site: BuiltSite) -> None:
    text = parse(site.page("cli/")).text()
    commands = next(a for a in build_parser()._actions if isinstance(a.choices, dict))
    assert isinstance(commands.choices, dict)
    for name, sub in commands.choices.items():
        assert f"clientcreds {name}" in text
        for option in (o for action in sub._actions for o in action.option_strings):
            assert option in text, f"{name} {option}"


def test_api_reference_documents_every_public_name(site: BuiltSite) -> None:
    ids = {node.attrs.get("id") for node in parse(site.page("reference/")).iter()}
    undocumented = [name for name in clientcreds.__all__ if f"clientcreds.{name}" not in ids]
    assert undocumented == []


def json_strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [text for item in data for text in json_strings(item)]
    return []


def site_texts(root: Path) -> dict[str, str]:
    """Every text file, HTML and JSON reduced to the text a reader (or a crawler) sees."""
    texts = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix == ".json":
            raw = "\n".join(json_strings(json.loads(raw)))
        if path.suffix in (".html", ".json"):
            raw = unescape(re.sub(r"<[^>]+>", "", raw.replace("\\u003c", "<")))
        texts[str(path.relative_to(root))] = raw
    return texts


def published_bytes(site: BuiltSite) -> dict[Path, bytes]:
    """Every file of the site as a reader gets it: a gzip file (the engine's saved memory)
    unpacked."""
    files = {p: p.read_bytes() for p in site.path.rglob("*") if p.is_file()}
    return {p: gzip.decompress(data) if p.suffix == ".gz" else data for p, data in files.items()}


def test_no_secret_in_the_site(site: BuiltSite) -> None:
    files = published_bytes(site)
    assert any(p.suffix == ".gz" for p in files), "the engine's snapshot is not in the site"
    for secret in site.secrets:
        leaks = [str(p) for p, data in files.items() if secret.encode() in data]
        assert leaks == [], "a secret that existed during the build was published"
    assert not any(b"PRIVATE KEY-----" in data for data in files.values())


def test_the_site_never_names_the_machine_it_was_built_on(site: BuiltSite) -> None:
    """Neither the checkout's path nor the site's own (the snapshot saves a whole memory)."""
    files = published_bytes(site)
    for place in (ROOT, site.path):
        named = [str(p) for p, data in files.items() if bytes(place) in data]
        assert named == [], f"the site names {place}"


def client_secret_values(text: str) -> list[str]:
    quoted = [m[2] for m in QUOTED_SECRET.finditer(text)]
    values = [v for v in quoted if not v.lstrip().startswith("+")]  # the JOINED_SECRET shape
    values += [m[1] for m in JOINED_SECRET.finditer(text)]
    return values + [unquote_plus(m[1]) for m in FORM_SECRET.finditer(text)]


def test_own_pages_show_only_the_placeholder_secret(site: BuiltSite) -> None:
    for name, text in site_texts(site.path).items():
        if name.startswith(OWN_PAGES):
            assert set(client_secret_values(text)) <= {PLACEHOLDER_SECRET}, name


def test_no_secret_shaped_value_anywhere(site: BuiltSite) -> None:
    for name, text in site_texts(site.path).items():
        long_values = [
            value
            for value in client_secret_values(text)
            if value != PLACEHOLDER_SECRET and len(value) > MAX_EXAMPLE_SECRET
        ]
        assert long_values == [], name


def test_basic_credentials_hold_only_placeholders(site: BuiltSite) -> None:
    for name, text in site_texts(site.path).items():
        for match in BASIC.finditer(text):
            decoded = base64.b64decode(match[1]).decode()
            assert decoded.split(":", 1)[1] == PLACEHOLDER_SECRET, name


def test_no_real_tokens(site: BuiltSite) -> None:
    """Any JWT-shaped text is an unsigned ``alg: none`` example, never a credential."""
    for name, text in site_texts(site.path).items():
        for token in JWT_SHAPED.findall(text):
            parts = token.split(".")
            header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
            assert header.get("alg") == "none", f"{name}: {token[:20]}…"
            assert parts[-1] == "", f"{name}: {token[:20]}… has a signature"


def test_every_third_party_file_the_site_serves_is_listed_with_its_licence(site: BuiltSite) -> None:
    rows = {
        cells[0]: cells
        for row in parse(site.page("licences/")).find_all(lambda n: n.tag == "tr")
        if (
            cells := [
                c.text().strip() for c in row.children if isinstance(c, Node) and c.tag == "td"
            ]
        )
    }
    docs = ROOT / "docs"
    for name in json.loads((docs / "package.json").read_text())["dependencies"]:
        package = json.loads((docs / "node_modules" / name / "package.json").read_text())
        assert rows[name][1:3] == [package["version"], package["license"]], name
    listed = " ".join(cells[4] for cells in rows.values())
    ours = f"clientcreds-{clientcreds.__version__}-py3-none-any.whl"
    engine = [f"assets/engine/{p.name}" for p in (site.path / "assets" / "engine").iterdir()]
    for uri in [*engine, "assets/javascripts/mermaid/mermaid.esm.min.mjs"]:
        assert uri.endswith(ours) or uri in listed, f"{uri} is served but not listed"
