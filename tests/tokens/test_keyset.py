"""JwksCache against a real loopback issuer: discovery, TTL, rotation, cooldown, failures."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from clientcreds.exceptions import JwksError, KeyNotFoundError
from clientcreds.tokens.keyset import JwksCache, check_url, shared_cache
from tests.jwt_helpers import KeyServer, running_server, signing_key

DISCOVERY = "/.well-known/openid-configuration"


class Ticks:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server() -> Iterator[KeyServer]:
    for running in running_server():
        running.behaviour.keys = [signing_key("rs1").public_jwk]
        yield running


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


def _cache(server: KeyServer, ticks: Ticks, **options: object) -> JwksCache:
    return JwksCache(server.issuer, clock=ticks, ttl=600, cooldown=30, **options)  # type: ignore[arg-type]


def _public_numbers(key: object) -> object:
    return key.public_numbers()  # type: ignore[attr-defined]


def test_discovery_then_jwks_uri(server: KeyServer, ticks: Ticks) -> None:
    cache = _cache(server, ticks)
    key = cache.get_key("rs1", "RS256")
    expected = signing_key("rs1").private.public_key().public_numbers()
    assert _public_numbers(key) == expected
    assert server.requests == [DISCOVERY, "/jwks"]
    assert cache.kids == ("rs1",)
    assert cache.source == server.jwks_url


def test_without_discovery_falls_back_to_well_known_jwks(server: KeyServer, ticks: Ticks) -> None:
    server.behaviour.discovery = False
    _cache(server, ticks).get_key("rs1", "RS256")
    assert server.requests == [DISCOVERY, "/.well-known/jwks.json"]


def test_discovery_for_another_issuer_is_refused(server: KeyServer, ticks: Ticks) -> None:
    server.behaviour.issuer_override = "https://evil.example/"
    with pytest.raises(JwksError, match=r"is for issuer 'https://evil\.example/'"):
        _cache(server, ticks).get_key("rs1", "RS256")
    assert server.requests == [DISCOVERY]


def test_explicit_jwks_url_skips_discovery(server: KeyServer, ticks: Ticks) -> None:
    _cache(server, ticks, jwks=server.jwks_url).get_key("rs1", "RS256")
    assert server.requests == ["/jwks"]


def test_jwks_file_and_object(tmp_path: Path, ticks: Ticks) -> None:
    document = {"keys": [signing_key("rs1").public_jwk]}
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    for source in (path, str(path), document):
        cache = JwksCache("https://tenant.auth0.com/", jwks=source, clock=ticks)
        assert cache.get_key("rs1", "RS256") is not None
    with pytest.raises(JwksError, match="no such JWKS file"):
        JwksCache("https://t/", jwks=tmp_path / "missing.json").get_key("rs1", "RS256")


def test_keys_are_cached_for_the_ttl(server: KeyServer, ticks: Ticks) -> None:
    cache = _cache(server, ticks)
    cache.get_key("rs1", "RS256")
    ticks.now += 599
    cache.get_key("rs1", "RS256")
    assert server.requests == [DISCOVERY, "/jwks"]
    ticks.now += 2
    cache.get_key("rs1", "RS256")
    assert server.requests == [DISCOVERY, "/jwks", "/jwks"]


def test_unknown_kid_refetches_once_per_cooldown(server: KeyServer, ticks: Ticks) -> None:
    cache = _cache(server, ticks)
    cache.get_key("rs1", "RS256")
    ticks.now += 31
    server.behaviour.keys = [signing_key("rs1").public_jwk, signing_key("rs2").public_jwk]
    assert cache.get_key("rs2", "RS256") is not None
    assert server.requests.count("/jwks") == 2
    for forged in ("f1", "f2", "f3"):  # a stream of forged kids is not a stream of fetches
        with pytest.raises(KeyNotFoundError, match=f"kid '{forged}'"):
            cache.get_key(forged, "RS256")
    assert server.requests.count("/jwks") == 2
    ticks.now += 31
    with pytest.raises(KeyNotFoundError):
        cache.get_key("f4", "RS256")
    assert server.requests.count("/jwks") == 3


def test_server_down_after_first_fetch_keeps_the_keys(server: KeyServer, ticks: Ticks) -> None:
    """pyjwt#1162: PyJWKClient drops its keys when a refetch fails; this cache does not."""
    cache = _cache(server, ticks)
    cache.get_key("rs1", "RS256")
    server.behaviour.mode = "down"
    ticks.now += 700  # stale: a refetch is attempted and fails
    assert cache.get_key("rs1", "RS256") is not None
    assert cache.last_error is not None
    assert "HTTP 503" in cache.last_error
    assert server.requests.count("/jwks") == 2
    ticks.now += 31
    with pytest.raises(KeyNotFoundError, match=r"the last refetch failed: .*HTTP 503"):
        cache.get_key("rs2", "RS256")
    assert cache.get_key("rs1", "RS256") is not None
    server.behaviour.mode = "ok"
    ticks.now += 31
    cache.refresh()
    assert cache.last_error is None


def test_first_fetch_failure_is_not_retried_within_the_cooldown(
    server: KeyServer, ticks: Ticks
) -> None:
    server.behaviour.mode = "down"
    cache = _cache(server, ticks)
    for _ in range(3):
        with pytest.raises(JwksError, match="HTTP 503"):
            cache.get_key("rs1", "RS256")
    assert server.requests == [DISCOVERY]
    server.behaviour.mode = "ok"
    ticks.now += 31
    assert cache.get_key("rs1", "RS256") is not None


def test_slow_server_times_out(server: KeyServer) -> None:
    server.behaviour.mode = "slow"
    server.behaviour.delay = 1.5
    cache = JwksCache(server.issuer, jwks=server.jwks_url, timeout=0.2)
    started = time.monotonic()
    with pytest.raises(JwksError, match=r"did not answer within 0\.2 s"):
        cache.get_key("rs1", "RS256")
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("mode", "keys", "words"),
    [
        ("garbage", None, "did not return JSON"),
        ("html", None, "did not return JSON"),
        ("500", None, "HTTP 500"),
        ("redirect", None, "redirects are not followed"),
        ("ok", [{"kty": "nope"}, "not a key"], "no usable signing key"),
    ],
)
def test_bad_key_sets_are_errors(
    server: KeyServer, ticks: Ticks, mode: str, keys: list[object] | None, words: str
) -> None:
    server.behaviour.mode = mode
    if keys is not None:
        server.behaviour.keys = keys  # type: ignore[assignment]
    with pytest.raises(JwksError, match=words):
        _cache(server, ticks, jwks=server.jwks_url).get_key("rs1", "RS256")


@pytest.mark.parametrize("document", [[], {"keys": "x"}, {"nokeys": []}, "text"])
def test_documents_that_are_not_a_jwks(tmp_path: Path, document: object) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(JwksError, match="is not a JWKS"):
        JwksCache("https://t/", jwks=path).get_key("rs1", "RS256")


def test_key_selection_by_kid_alg_and_type(ticks: Ticks) -> None:
    rs1, es1 = signing_key("rs1"), signing_key("es1", "ES256")
    enc = {**signing_key("rs9").public_jwk, "use": "enc"}
    cache = JwksCache("https://t/", jwks={"keys": [rs1.public_jwk, es1.public_jwk, enc]})
    assert cache.get_key("es1", "ES256") is not None
    with pytest.raises(KeyNotFoundError):
        cache.get_key("es1", "RS256")  # an EC key is no RSA key
    with pytest.raises(KeyNotFoundError):
        cache.get_key("rs1", "PS256")  # the JWK says alg RS256
    with pytest.raises(KeyNotFoundError):
        cache.get_key("rs9", "RS256")  # an encryption key
    only_rs256 = cache.get_key(None, "RS256")  # the one key that fits, though three are listed
    assert _public_numbers(only_rs256) == rs1.private.public_key().public_numbers()


def test_a_token_without_kid_uses_the_only_key() -> None:
    cache = JwksCache("https://t/", jwks={"keys": [signing_key("rs1").public_jwk]})
    assert cache.get_key(None, "RS256") is not None
    two = JwksCache(
        "https://t/", jwks={"keys": [signing_key("rs1").public_jwk, signing_key("rs2").public_jwk]}
    )
    with pytest.raises(KeyNotFoundError, match="has no kid and the given JWKS has 2 keys"):
        two.get_key(None, "RS256")


def test_hmac_keys_in_a_jwks_are_never_used() -> None:
    oct_key = json.loads(jwt.algorithms.HMACAlgorithm.to_jwk(b"k" * 32))
    cache = JwksCache("https://t/", jwks={"keys": [{**oct_key, "kid": "h1"}]})
    with pytest.raises(KeyNotFoundError):
        cache.get_key("h1", "HS256")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://tenant.auth0.com/", "plain http://"),
        ("tenant.auth0.com", "not an https:// URL"),
        ("ftp://tenant.auth0.com/", "not an https:// URL"),
        ("", "must be a URL"),
        ("https://[::1/", "not a valid URL"),
    ],
)
def test_urls_are_checked(url: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        check_url("issuer", url)
    for loopback in ("http://127.0.0.1:1/", "http://localhost:1/", "http://[::1]:1/"):
        assert check_url("issuer", loopback) == loopback


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="ttl must be a positive"):
        JwksCache("https://t/", ttl=-1)
    with pytest.raises(ValueError, match="timeout must be a positive"):
        JwksCache("https://t/", timeout=0)


def test_shared_cache_is_one_per_issuer_and_source() -> None:
    a = shared_cache("https://shared-a.example/")
    assert shared_cache("https://shared-a.example/") is a
    assert shared_cache("https://shared-b.example/") is not a
    assert shared_cache("https://shared-a.example/", "https://shared-a.example/k") is not a
    assert "shared-a" in repr(a)
