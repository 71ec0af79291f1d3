"""The site personalised in the browser by the package itself: "Your values" and the decoder.

The engine is clientcreds's own wheel run by Pyodide, both served by the site. Each tab's text
must equal, byte for byte, what `render()` gives in Python for the same request. The engine
takes seconds to start (far more on a busy machine), so every wait on it is generous and
waits for an explicit marker in the DOM (``data-cc-state="ready"``, ``data-cc-busy="false"``).

The browser tests drive chromium from a thread of their own (`in_browser_thread`): a thread
holds one Playwright sync session, and test_browser.py's stays open in the main thread.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from clientcreds import (
    ApiRequest,
    RenderError,
    RequestFieldError,
    TokenRequest,
    decode,
    render,
    targets,
)
from clientcreds.snippets import PLACEHOLDER_SECRET
from clientcreds.snippets.browser import FIELDS, basic_header_text, render_page
from tests.docs.conftest import ROOT, BuiltSite
from tests.harness.browser import Tab, choose, headless_chromium, new_tab
from tests.test_imports import run_fresh

#: How long the engine may take to start: Pyodide's start is CPU-bound, and a loaded 2-core
#: machine can make it tens of seconds.
ENGINE_TIMEOUT_MS = 240_000
#: How long a render may take once the engine runs (a few milliseconds when idle).
RENDER_TIMEOUT_MS = 60_000
STORAGE_KEY = "clientcreds.values"
FORM = "[data-cc-values]"
CHOICE_DEFAULTS = {spec.name: spec.choices[0][0] for spec in FIELDS if spec.kind == "choice"}

#: Values hostile to quoting in some language: quotes, backslashes, ``$``, backticks, ``#{``,
#: ``%``, braces, emoji, right-to-left and direction marks. (A one-line input holds no line
#: break, so no field of the form can.)
HOSTILE = [
    {
        "domain": "tenant.eu.auth0.com",
        "client_id": 'it\'s "quoted" \\ back$lash `x`',
        "audience": "https://api.example.com/$(id)#{x}",
        "scope": "read:things 'write'",
        "organization": "org_\U0001f600",
    },
    {
        "domain": "login.example.com",
        "client_id": "\u202eRTL\u200fmark\u200e\U0001f511",
        "audience": "#{1+1} ${HOME} %s %% {{x}} \\n",
        "auth_method": "client_secret_basic",
        "body": "json",
        "secret": "env",
    },
]


ERROR_BODY = '{"error": "access_denied", "error_description": "Unauthorized"}'


# --- without a browser ----------------------------------------------------------------


def load_engine_glue() -> Any:
    """docs/javascripts/engine.py, the Python the page's worker runs, imported here."""
    path = ROOT / "docs" / "javascripts" / "engine.py"
    spec = importlib.util.spec_from_file_location("cc_site_engine", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.dont_write_bytecode, before = True, sys.dont_write_bytecode  # no __pycache__ in docs/
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


def token_request(values: dict[str, str], **marker: str) -> TokenRequest:
    """The request the form's values stand for, built as any Python user would."""
    fields: dict[str, Any] = {
        "domain": values.get("domain") or "YOUR_DOMAIN",
        "client_id": values.get("client_id") or "YOUR_CLIENT_ID",
        "audience": values.get("audience") or "API_IDENTIFIER",
        "scope": values.get("scope") or None,
        "organization": values.get("organization") or None,
        "auth_method": values.get("auth_method") or "client_secret_post",
        "body": values.get("body") or "form",
    }
    return TokenRequest(client_secret=PLACEHOLDER_SECRET, **{**fields, **marker})


def expected_set(request: TokenRequest | ApiRequest, mode: str) -> dict[str, tuple[str, bool]]:
    """Each target's text (its snippet, or that it refuses) as `render()` gives it."""
    shown = {}
    for name in targets():
        try:
            shown[name] = (render(request, name, secret=mode), False)  # type: ignore[arg-type]
        except RenderError:
            shown[name] = ("", True)
    return shown


def test_render_page_equals_render_for_hostile_values() -> None:
    for values in HOSTILE:
        page = render_page(values, ["", "auth_method=client_secret_basic"])
        assert page.errors == {}
        mode = values.get("secret", "placeholder")
        markers: list[dict[str, str]] = [{}, {"auth_method": "client_secret_basic"}]
        for rendered, marker in zip(page.sets, markers, strict=True):
            assert rendered is not None
            shown = {n: (rendered.snippets.get(n, ""), n in rendered.refusals) for n in targets()}
            assert shown == expected_set(token_request(values, **marker), mode)
        assert page.basic == basic_header_text(values["client_id"])


def test_render_page_gives_the_librarys_message_beside_each_field() -> None:
    values = {"domain": "http://tenant.example.com", "client_id": " padded", "url": "ftp://x"}
    page = render_page(values, ["", "kind=api"])
    with pytest.raises(RequestFieldError) as raised:
        token_request(values)
    with pytest.raises(RequestFieldError) as url_error:
        ApiRequest("ftp://x")
    assert page.errors == {
        **{p.field: str(p) for p in raised.value.problems},
        "url": str(url_error.value),
    }
    assert page.sets == (None, None)
    assert render_page({"secret": "reveal"}, [""]).errors.keys() == {"secret"}


def test_the_browser_path_imports_only_the_standard_library() -> None:
    code = """
        from clientcreds.snippets.browser import render_page_json
        render_page_json('{"values": {"secret": "env"}, "sets": ["", "kind=api"]}')
        """
    assert run_fresh(code) == []


def test_the_decoder_glue_reads_tokens_responses_and_errors() -> None:
    glue = load_engine_glue()
    token = example_token()
    html = glue.read_paste(token)
    for info in decode(token).claim_info:
        assert info.name in html
    response = json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 60})
    assert "Token response" in glue.read_paste(response)
    with_status = glue.read_paste(f"HTTP/1.1 401 Unauthorized\r\n\r\n{ERROR_BODY}")
    assert "Wrong client secret" in with_status
    assert "Wrong client secret" in glue.read_paste(ERROR_BODY)
    assert "cc-decoder__problem" in glue.read_paste("not a token at all")
    assert glue.read_paste("  ") == ""


def example_token() -> str:
    import base64

    def segment(data: dict[str, Any]) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    claims = {"iss": "https://t.example/", "aud": "api", "exp": 1767312000, "azp": "c"}
    return f"{segment({'alg': 'none'})}.{segment(claims)}."


# --- in the browser ---------------------------------------------------------------------


_T = TypeVar("_T")
#: The one thread that drives this module's chromium.
_BROWSER_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright-engine")


def on_browser_thread(action: Callable[..., _T], *args: Any) -> _T:
    """Run `action` in the browser thread; return what it returned, raise what it raised."""
    return _BROWSER_THREAD.submit(action, *args).result()


def in_browser_thread(test: Callable[..., None]) -> Callable[..., None]:
    """A test whose body runs in the browser thread (its fixtures are pytest's as usual)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        _BROWSER_THREAD.submit(test, *args, **kwargs).result()

    return wrapper


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless chromium, started, driven and closed in the browser thread."""
    session = headless_chromium()
    yield on_browser_thread(session.__enter__)
    on_browser_thread(session.__exit__, None, None, None)


#: Every URL the shared Get Token tab loaded, the worker's included.
LOADED: list[str] = []


@pytest.fixture(scope="module")
def get_token(chromium: Any, base_url: str) -> Iterator[Tab]:
    """Get Token with the engine started and ready (one start for the tests that share it)."""
    tab = on_browser_thread(open_get_token, chromium, base_url)
    yield tab
    on_browser_thread(tab.page.context.close)


def open_get_token(chromium: Any, base_url: str) -> Tab:
    tab = new_tab(chromium, base_url, permissions=["clipboard-read", "clipboard-write"])
    tab.page.context.on("request", lambda request: LOADED.append(request.url))
    tab.open("get-token/")
    tab.page.locator(f"{FORM} [name=domain]").focus()  # the first touch starts the engine
    wait_ready(tab)
    return tab


def wait_ready(tab: Tab) -> None:
    """Wait until the engine runs and the page shows the form's latest values."""
    tab.page.wait_for_function(
        f"document.querySelector('{FORM}').dataset.ccState === 'ready'", timeout=ENGINE_TIMEOUT_MS
    )
    wait_rendered(tab)


def wait_rendered(tab: Tab) -> None:
    tab.page.wait_for_function(
        f"document.querySelector('{FORM}').dataset.ccBusy === 'false'", timeout=RENDER_TIMEOUT_MS
    )


def set_values(tab: Tab, values: dict[str, str]) -> dict[str, str]:
    """Set every field of the form (the ones not in `values` to empty or their default)."""
    form = tab.page.locator(FORM)
    present = form.locator("[name]").evaluate_all("els => els.map(e => e.name)")
    for name in present:
        if name in CHOICE_DEFAULTS:
            form.locator(f"[name={name}]").select_option(values.get(name, CHOICE_DEFAULTS[name]))
        else:
            form.locator(f"[name={name}]").fill(values.get(name, ""))
    wait_rendered(tab)
    return {name: values.get(name, CHOICE_DEFAULTS.get(name, "")) for name in present}


#: Each snippet set's tabs as the page shows them: target → (code text, refused).
SHOWN = """sets => sets.map(set => {
    const leaves = [...set.querySelectorAll('.tabbed-block')]
        .filter(block => !block.querySelector('.tabbed-set'));
    const names = set.dataset.ccTargets.split(' ');
    return Object.fromEntries(names.map((name, i) => [name, [
        leaves[i].querySelector('.highlight code').textContent,
        leaves[i].classList.contains('cc-refused'),
    ]]));
})"""


def shown_sets(tab: Tab) -> list[dict[str, tuple[str, bool]]]:
    sets = tab.page.eval_on_selector_all(".cc-snippets", SHOWN)
    return [{name: (text, refused) for name, (text, refused) in s.items()} for s in sets]


def strip_ends(sets: list[dict[str, tuple[str, bool]]]) -> list[dict[str, tuple[str, bool]]]:
    return [{name: (text.rstrip("\n"), no) for name, (text, no) in s.items()} for s in sets]


def assert_tabs_equal_render(tab: Tab, values: dict[str, str]) -> None:
    """Every tab of both Get Token sets is exactly `render()`'s text (refusals: hidden)."""
    mode = values.get("secret") or "placeholder"
    markers: list[dict[str, str]] = [{}, {"auth_method": "client_secret_basic"}]
    for shown, marker in zip(shown_sets(tab), markers, strict=True):
        expected = expected_set(token_request(values, **marker), mode)
        for name in targets():
            text, refused = shown[name]
            assert refused == expected[name][1], name
            if not refused:
                assert text == expected[name][0], f"{name}: not byte for byte render()'s"


@in_browser_thread
def test_typing_updates_every_tab(get_token: Tab) -> None:
    tab = get_token
    set_values(tab, {})
    form = tab.page.locator(FORM)
    typed = {
        "domain": "acme.eu.auth0.com",
        "client_id": "AbC123xyz",
        "audience": "https://things.acme.example/",
    }
    for name, text in typed.items():
        form.locator(f"[name={name}]").press_sequentially(text)
    wait_rendered(tab)
    for index, shown in enumerate(shown_sets(tab)):
        for name, (code, _) in shown.items():
            assert "acme.eu.auth0.com" in code, name
            assert index == 1 or "AbC123xyz" in code, name  # the Basic set may hide it in base64
    assert_tabs_equal_render(tab, typed)
    basic = tab.page.locator("[data-cc-basic] code").text_content()
    assert basic == basic_header_text("AbC123xyz") + "\n"
    tab.problems.assert_none()


@pytest.mark.parametrize("values", HOSTILE, ids=["quotes-backslash-dollar", "rtl-emoji-json-env"])
@in_browser_thread
def test_hostile_values_equal_render_byte_for_byte(get_token: Tab, values: dict[str, str]) -> None:
    shown = set_values(get_token, values)
    assert_tabs_equal_render(get_token, shown)
    for mode in ("placeholder", "env"):
        shown = set_values(get_token, {**values, "secret": mode})
        assert_tabs_equal_render(get_token, shown)
    get_token.problems.assert_none()


@in_browser_thread
def test_a_refusing_tab_says_why_and_hides_the_snippet(get_token: Tab) -> None:
    set_values(get_token, {"secret": "env"})
    page = get_token.page
    choose(page.locator(".cc-snippets").first, "http")
    refusal = page.locator(".cc-snippets .tabbed-block:visible > .cc-refusal").first
    assert "AUTH0_CLIENT_SECRET" in (refusal.text_content() or "")
    assert page.locator(".cc-snippets .tabbed-block:visible .highlight:visible").count() == 0
    set_values(get_token, {})
    assert page.locator(".cc-snippets .tabbed-block:visible > .cc-refusal").count() == 0
    get_token.problems.assert_none()


@in_browser_thread
def test_copy_button_copies_exactly_the_rendered_snippet(get_token: Tab) -> None:
    values = set_values(get_token, HOSTILE[0])
    request = token_request(values)
    first_set = get_token.page.locator(".cc-snippets").first
    for name in targets():
        choose(first_set, name)
        block = first_set.locator(".tabbed-block:visible > .highlight").first
        block.hover()
        block.locator("button[data-md-type=copy]").click()
        copied = get_token.page.evaluate("navigator.clipboard.readText()")
        # The theme's copy button drops the final line break (it trims the end): nothing else.
        assert copied == render(request, name).rstrip("\n"), name
    get_token.problems.assert_none()


@in_browser_thread
def test_a_bad_value_gets_the_librarys_message_beside_its_field(get_token: Tab) -> None:
    set_values(get_token, {"domain": "http://tenant.example.com", "client_id": "ok"})
    with pytest.raises(RequestFieldError) as raised:
        token_request({"domain": "http://tenant.example.com"})
    form = get_token.page.locator(FORM)
    assert form.locator("[data-cc-error=domain]").text_content() == str(raised.value)
    assert form.locator("[name=domain]").get_attribute("aria-invalid") is not None
    assert get_token.page.locator(".cc-snippets.cc-stale").count() == 2
    set_values(get_token, {})
    assert form.locator("[data-cc-error=domain]").text_content() == ""
    assert get_token.page.locator(".cc-stale").count() == 0
    get_token.problems.assert_none()


@in_browser_thread
def test_values_survive_a_reload_and_forget_clears_them(chromium: Any, base_url: str) -> None:
    tab = new_tab(chromium, base_url)
    try:
        tab.open("get-token/")
        static = shown_sets(tab)
        spans = tab.page.locator(".cc-snippets .highlight code span").count()
        values = {"domain": "reload.example.com", "client_id": "kept-\U0001f511", "body": "json"}
        tab.page.locator(f"{FORM} [name=domain]").focus()
        wait_ready(tab)
        shown = set_values(tab, values)
        tab.page.reload(wait_until="load")
        # Stored values start the engine by themselves once the page is readable.
        wait_ready(tab)
        for name, value in shown.items():
            assert tab.page.locator(f"{FORM} [name={name}]").input_value() == value, name
        assert_tabs_equal_render(tab, shown)
        tab.page.locator("[data-cc-forget]").click()
        wait_rendered(tab)
        assert tab.page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
        texts = tab.page.locator(f"{FORM} input[name]").evaluate_all("els => els.map(e => e.value)")
        assert texts == [""] * len(texts)
        # The build's highlighted blocks are back, without the final line break the
        # highlighter adds where render() has none (curl's, raw HTTP's).
        assert strip_ends(shown_sets(tab)) == strip_ends(static)
        assert tab.page.locator(".cc-snippets .highlight code span").count() == spans
        tab.page.reload(wait_until="load")
        assert tab.page.locator(FORM).get_attribute("data-cc-state") == "idle"
        tab.problems.assert_none()
    finally:
        tab.page.context.close()


@in_browser_thread
def test_the_api_page_follows_its_url_and_method(chromium: Any, base_url: str) -> None:
    tab = new_tab(chromium, base_url)
    try:
        tab.open("guides/call-api/")
        tab.page.locator(f"{FORM} [name=url]").focus()
        wait_ready(tab)
        for values in (
            {"url": "https://api.acme.example/v1/things?q=a%20b&x='$y'", "method": "POST"},
            {"url": "https://api.acme.example/it's/$x?y=%7B%7D", "method": "PUT", "secret": "env"},
        ):
            shown = set_values(tab, values)
            request = ApiRequest(shown["url"], shown["method"])  # type: ignore[arg-type]
            expected = expected_set(request, shown["secret"])
            [tabs] = shown_sets(tab)
            for name in targets():
                assert tabs[name][1] == expected[name][1], name
                if not tabs[name][1]:
                    assert tabs[name][0] == expected[name][0], name
        tab.problems.assert_none()
    finally:
        tab.page.context.close()


def test_no_request_leaves_the_site_and_the_engine_comes_from_it(get_token: Tab) -> None:
    """Every load, the engine's included, came from the site, before and after it started."""
    get_token.problems.assert_none()
    engine = [url for url in LOADED if "/assets/engine/" in url]
    assert {url.rsplit("/", 1)[1].split("?")[0] for url in engine} >= {
        "pyodide.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "clientcreds-0.1.0-py3-none-any.whl",
    }
    assert all(url.startswith(get_token.base_url) for url in LOADED), LOADED


@in_browser_thread
def test_the_decoder_makes_no_request_after_it_is_ready(chromium: Any, base_url: str) -> None:
    tab = new_tab(chromium, base_url)
    try:
        after: list[str] = []
        tab.open("decoder/")
        decoder = tab.page.locator("[data-cc-decoder]")
        tab.page.wait_for_function(
            "document.querySelector('[data-cc-decoder]').dataset.ccState === 'ready'",
            timeout=ENGINE_TIMEOUT_MS,
        )
        tab.page.context.on("request", lambda request: after.append(request.url))
        token = example_token()
        cases = [
            (token, [info.meaning for info in decode(token).claim_info]),
            (json.dumps({"access_token": token, "token_type": "Bearer"}), ["Token response"]),
            (f"HTTP/1.1 401 Unauthorized\n\n{ERROR_BODY}", ["Wrong client secret"]),
        ]
        for text, expected in cases:
            decoder.locator("[data-cc-paste]").fill(text)
            tab.page.wait_for_function(
                "document.querySelector('[data-cc-decoder]').dataset.ccBusy === 'false'",
                timeout=RENDER_TIMEOUT_MS,
            )
            output = decoder.locator("[data-cc-output]").text_content() or ""
            for piece in expected:
                assert " ".join(piece.split()) in " ".join(output.split()), piece
        decoder.locator("[data-cc-example]").first.click()
        tab.page.wait_for_function(
            "document.querySelector('[data-cc-decoder]').dataset.ccBusy === 'false'"
        )
        assert "alg" in (decoder.locator("[data-cc-output]").text_content() or "")
        assert after == [], "the decoder page made a request after it was ready"
        tab.problems.assert_none()
    finally:
        tab.page.context.close()


@in_browser_thread
def test_without_javascript_the_build_time_tabs_are_there(chromium: Any, base_url: str) -> None:
    tab = new_tab(chromium, base_url, java_script_enabled=False)
    try:
        requests: list[str] = []
        tab.page.on("request", lambda request: requests.append(request.url))
        tab.open("get-token/")
        assert not tab.page.locator(FORM).is_visible()
        [first, basic] = shown_sets(tab)
        placeholders = token_request({})
        for name in targets():
            assert first[name][0].rstrip("\n") == render(placeholders, name).rstrip("\n"), name
            assert not first[name][1]
        assert len(basic) == len(targets())
        assert not any("/assets/engine/" in url for url in requests)
        tab.problems.assert_none()
    finally:
        tab.page.context.close()


def test_the_engine_files_are_the_sites_own(site: BuiltSite) -> None:
    engine = site.path / "assets" / "engine"
    names = {path.name for path in engine.iterdir()}
    assert {"pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip"} <= names
    wheel = next(engine.glob("clientcreds-*.whl"))
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        listed = set(archive.namelist())
    assert "clientcreds/snippets/browser.py" in listed
    assert any(name.endswith(".dist-info/RECORD") for name in listed)
    sources = {
        f"clientcreds/{p.relative_to(ROOT / 'src' / 'clientcreds').as_posix()}"
        for p in (ROOT / "src" / "clientcreds").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert sources <= listed
