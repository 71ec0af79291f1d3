"""The exception tree: one root, drawn truthfully in `clientcreds.exceptions`' docstring."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

import clientcreds
from clientcreds import exceptions

_LINE = re.compile(r"^(?P<indent>[│ ]*)(?:[├└]── )?(?P<name>[A-Za-z]+)(?: \((?P<extra>\w+)\))?")


def drawn_tree() -> dict[str, tuple[str | None, str | None]]:
    """Each class in the docstring's drawing: (its drawn parent, its drawn extra base)."""
    drawing = (exceptions.__doc__ or "").split("```text\n", 1)[1].split("```", 1)[0]
    parents: dict[int, str] = {}
    tree: dict[str, tuple[str | None, str | None]] = {}
    for line in drawing.splitlines():
        match = _LINE.match(line)
        assert match, line
        depth = len(match["indent"]) // 4 + (1 if "──" in line else 0)
        parents[depth] = match["name"]
        tree[match["name"]] = (parents.get(depth - 1) if depth else None, match["extra"])
    return tree


def test_the_docstring_draws_the_real_tree() -> None:
    tree = drawn_tree()
    classes = {
        name: obj
        for name, obj in vars(exceptions).items()
        if isinstance(obj, type) and issubclass(obj, Exception)
    }
    assert set(tree) == set(classes)
    for name, (parent, extra) in tree.items():
        bases = {base.__name__ for base in classes[name].__bases__}
        assert bases == {b for b in (parent or "Exception", extra) if b}, name


def test_every_exported_exception_is_under_the_root() -> None:
    exported = [
        getattr(clientcreds, name)
        for name in clientcreds.__all__
        if isinstance(getattr(clientcreds, name), type)
        and issubclass(getattr(clientcreds, name), BaseException)
    ]
    assert len(exported) >= 10
    for cls in exported:
        assert issubclass(cls, clientcreds.ClientCredsError), cls


def test_bad_input_errors_stay_value_errors() -> None:
    for cls in (
        clientcreds.RequestFieldError,
        clientcreds.RenderError,
        clientcreds.TokenFormatError,
        clientcreds.TokenResponseError,
        clientcreds.JwksError,
    ):
        assert issubclass(cls, ValueError)
    assert not issubclass(clientcreds.TransportError, ValueError)
    assert not issubclass(clientcreds.OAuthError, ValueError)


def test_a_request_field_error_names_its_field() -> None:
    with pytest.raises(clientcreds.RequestFieldError) as info:
        clientcreds.TokenRequest(domain="tenant.auth0.com/path", client_id="a", client_secret="s")
    assert info.value.field == "domain"
    fields = [problem.field for problem in info.value.problems]
    assert fields == ["domain", "audience"]
    assert "audience is required" in str(info.value.problems[1])


def test_catching_the_root_catches_every_failure_of_ours() -> None:
    failures: list[Callable[[], object]] = [
        lambda: clientcreds.TokenRequest(domain="", client_id="a", client_secret="s"),
        lambda: clientcreds.decode("not a token at all."),
        lambda: clientcreds.parse_token_response(502, {}, b"<html>bad gateway</html>"),
        lambda: clientcreds.parse_token_response(401, {}, b'{"error": "access_denied"}'),
    ]
    for failure in failures:
        with pytest.raises(clientcreds.ClientCredsError):
            failure()
