"""An issuer-pinned JSON Web Key Set cache with rotation handling.

Keys come only from the configured issuer: its discovery document's ``jwks_uri``, its
``/.well-known/jwks.json``, or a JWKS URL or file the caller names. A token's own ``jku``,
``x5u`` or ``jwk`` header is never consulted, since whoever forged the token wrote it.

PyJWT's `jwt.PyJWKClient` is not used as is: it refetches on every unknown ``kid`` with no
cooldown (a stream of forged kids becomes a stream of fetches) and a failed refetch wipes the
cached set, so one network blip fails every token (jpadilla/pyjwt#1162). This cache keeps its
keys when a refetch fails and refetches at most once per cooldown.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from json import JSONDecodeError
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests

from clientcreds.core import bounded_json
from clientcreds.core.bounded_read import read_answer
from clientcreds.core.protocol import DISCOVERY_PATH, JWKS_PATH
from clientcreds.core.secure_url import insecure_reason
from clientcreds.exceptions import JwksError, KeyNotFoundError

#: Seconds a fetched key set is fresh (Auth0 advises caching 5–10 minutes).
DEFAULT_TTL = 600.0
#: Minimum seconds between two fetches forced by an unknown ``kid`` or a failure.
DEFAULT_COOLDOWN = 30.0
#: Seconds each fetch may take, connecting and reading together.
DEFAULT_TIMEOUT = 5.0
#: The largest key set or discovery document read (real ones are a few kilobytes).
MAX_BYTES = 512 * 1024


_KTY_FOR_ALG_PREFIX = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}

Clock = Callable[[], float]


@dataclass(frozen=True)
class _Key:
    kid: str | None
    kty: str
    alg: str | None
    use: str | None
    key: Any


class JwksCache:
    """Keys of one issuer, fetched lazily, cached for a TTL, refetched on rotation.

    Args:
        issuer: The issuer URL, e.g. ``https://tenant.auth0.com/``.
        jwks: Where the keys are, instead of discovery: a JWKS URL, a path to a JWKS file, or
            an already-parsed JWKS object.
        ttl: Seconds a fetched set is used before it is fetched again.
        cooldown: Minimum seconds between fetches forced by an unknown ``kid`` or a failed
            fetch.
        timeout: Seconds any single fetch may take in total.
        clock: A monotonic clock in seconds (injectable for tests).
        session: A `requests.Session` to fetch with.

    Raises:
        ValueError: for an issuer or JWKS URL that is not ``https://`` (or loopback
            ``http://``), or a negative ttl, cooldown or timeout.
    """

    def __init__(
        self,
        issuer: str,
        *,
        jwks: str | Path | Mapping[str, Any] | None = None,
        ttl: float = DEFAULT_TTL,
        cooldown: float = DEFAULT_COOLDOWN,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Clock = time.monotonic,
        session: requests.Session | None = None,
    ) -> None:
        for name, value in (("ttl", ttl), ("cooldown", cooldown), ("timeout", timeout)):
            if value < 0 or (name == "timeout" and value == 0):
                raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
        self.issuer = check_url("issuer", issuer)
        self.ttl = ttl
        self.cooldown = cooldown
        self.timeout = timeout
        self._clock = clock
        self._session = session or requests.Session()
        self._static: Mapping[str, Any] | None = None
        self._file: Path | None = None
        self._jwks_uri: str | None = None
        if isinstance(jwks, Mapping):
            self._static = jwks
        elif isinstance(jwks, Path) or (isinstance(jwks, str) and "://" not in jwks):
            self._file = Path(jwks)
        elif isinstance(jwks, str):
            self._jwks_uri = check_url("jwks", jwks)
        self._lock = threading.Lock()
        self._keys: tuple[_Key, ...] = ()
        self._chosen: dict[tuple[str | None, str], _Key] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self.last_error: str | None = None
        """Why the last fetch failed (None after a successful one)."""
        self.fetches = 0
        """How many times the key set was (or was tried to be) fetched."""

    @property
    def source(self) -> str:
        """Where the keys come from, for messages: a URL, a file, or the issuer's discovery."""
        if self._static is not None:
            return "the given JWKS"
        if self._file is not None:
            return str(self._file)
        return self._jwks_uri or f"{self.issuer.rstrip('/')}{DISCOVERY_PATH} (discovery)"

    @property
    def kids(self) -> tuple[str | None, ...]:
        """The ``kid`` of every cached key (without fetching)."""
        return tuple(k.kid for k in self._keys)

    def get_key(self, kid: str | None, algorithm: str) -> Any:
        """Return the verification key for a token's ``kid`` and ``alg``.

        Fetches when the set is missing or stale, and once more (at most every `cooldown`
        seconds) when the ``kid`` is unknown, which is how a key rotation shows up.

        Args:
            kid: The token header's ``kid`` (None when it has none).
            algorithm: The token header's ``alg``, e.g. ``RS256``.

        Returns:
            A key object PyJWT verifies with.

        Raises:
            JwksError: when no key set could ever be fetched.
            KeyNotFoundError: when no cached or refetched key fits.
        """
        with self._lock:
            if not self._keys or self._stale():
                self._refresh(force=not self._keys)
            found = self._select(kid, algorithm)
            if found is None and self._may_refetch():
                self._refresh(force=False)
                found = self._select(kid, algorithm)
        if found is None:
            raise KeyNotFoundError(self._not_found(kid, algorithm))
        return found.key

    def refresh(self) -> None:
        """Fetch the key set now; on failure keep the cached keys and raise `JwksError`."""
        with self._lock:
            self._fetch_into_cache()

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self.ttl

    def _may_refetch(self) -> bool:
        return self._attempted_at is None or self._clock() - self._attempted_at >= self.cooldown

    def _refresh(self, *, force: bool) -> None:
        """Refetch when allowed; raise only when there are no keys to fall back on."""
        if not self._may_refetch():
            if not self._keys:
                raise JwksError(self.last_error or f"no keys from {self.source} yet")
            return
        try:
            self._fetch_into_cache()
        except JwksError:
            if force or not self._keys:
                raise
            # Keep the keys we have (PyJWKClient would drop them here: pyjwt#1162).

    def _fetch_into_cache(self) -> None:
        self._attempted_at = self._clock()
        self.fetches += 1
        try:
            keys = parse_jwks(self._load(), self.source)
        except JwksError as exc:
            self.last_error = str(exc)
            raise
        self._keys = keys
        self._chosen = {}
        self._fetched_at = self._clock()
        self.last_error = None

    def _load(self) -> Any:
        if self._static is not None:
            return self._static
        if self._file is not None:
            return _read_file(self._file)
        if self._jwks_uri is None:
            self._jwks_uri = self._discover()
        return fetch_json(self._session, self._jwks_uri, self.timeout)

    def _discover(self) -> str:
        """The issuer's ``jwks_uri`` from discovery, or ``/.well-known/jwks.json`` without it."""
        base = self.issuer.rstrip("/")
        try:
            document = fetch_json(self._session, base + DISCOVERY_PATH, self.timeout)
        except _NotFoundError:
            return base + JWKS_PATH
        if not isinstance(document, dict) or not isinstance(document.get("jwks_uri"), str):
            raise JwksError(
                f"{base}{DISCOVERY_PATH} has no jwks_uri: give the key set with jwks=URL"
            )
        stated = document.get("issuer")
        if stated is not None and stated != self.issuer:
            raise JwksError(
                f"the discovery document at {base}{DISCOVERY_PATH} is for issuer {stated!r}, "
                f"not {self.issuer!r}: check the issuer (Auth0's ends with '/')"
            )
        return check_url("jwks_uri", document["jwks_uri"])

    def _select(self, kid: str | None, algorithm: str) -> _Key | None:
        found = self._chosen.get((kid, algorithm))
        if found is not None:
            return found
        usable = [k for k in self._keys if _fits(k, algorithm)]
        if kid is not None:
            found = next((k for k in usable if k.kid == kid), None)
        elif len(usable) == 1:
            found = usable[0]
        if found is not None:
            self._chosen[(kid, algorithm)] = found
        return found

    def _not_found(self, kid: str | None, algorithm: str) -> str:
        have = ", ".join(repr(k) for k in self.kids) or "none"
        stale = f"; the last refetch failed: {self.last_error}" if self.last_error else ""
        if kid is None:
            return (
                f"the token has no kid and {self.source} has {len(self._keys)} keys "
                f"(kids: {have}), so none can be chosen for {algorithm}{stale}"
            )
        return f"no {algorithm} key with kid {kid!r} at {self.source} (kids: {have}){stale}"

    def __repr__(self) -> str:
        return f"JwksCache(issuer={self.issuer!r}, source={self.source!r}, kids={self.kids!r})"


class _NotFoundError(JwksError):
    pass


def check_url(name: str, url: str) -> str:
    """Return `url` if it is ``https://`` (or ``http://`` to loopback), else raise ValueError."""
    if not isinstance(url, str) or not url:
        raise ValueError(f"{name} must be a URL such as 'https://tenant.auth0.com/'")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise ValueError(f"{name} {url!r} is not a valid URL: check the host and port") from None
    if parts.scheme not in ("https", "http") or not host:
        raise ValueError(
            f"{name} {url!r} is not an https:// URL: give it in full, "
            "e.g. 'https://tenant.auth0.com/'"
        )
    insecure = insecure_reason(url, "keys that anyone on the path could swap")
    if insecure is not None:
        raise ValueError(f"{name} {url!r}: {insecure}: use https://")
    return url


def fetch_json(session: requests.Session, url: str, timeout: float) -> Any:
    """GET `url` and parse JSON, within `timeout` seconds of wall time in total and `MAX_BYTES`.

    Raises:
        JwksError: naming the URL and what went wrong (timeout, status, redirect, size, JSON).
    """

    def send() -> requests.Response:
        return session.get(
            url,
            timeout=(timeout, timeout),
            stream=True,
            allow_redirects=False,
            headers={"Accept": "application/json"},
        )

    try:
        answer = read_answer(
            send,
            seconds=timeout,
            limit=MAX_BYTES,
            too_large=lambda response, limit: JwksError(
                f"{url} sent more than {limit} bytes: that is no key set, check the URL"
            ),
            check=lambda response: _check_status(response, url),
        )
    except (requests.Timeout, TimeoutError):
        raise JwksError(f"{url} did not answer within {timeout:g} s") from None
    except requests.RequestException as exc:
        raise JwksError(f"could not fetch {url}: {type(exc).__name__}") from None
    try:
        return bounded_json.loads(answer.body)
    except (UnicodeDecodeError, JSONDecodeError):
        raise JwksError(f"{url} did not return JSON: it starts {answer.body[:60]!r}") from None
    except ValueError as exc:
        raise JwksError(f"{url} returned JSON that no key set holds ({exc})") from None


def _check_status(response: requests.Response, url: str) -> None:
    """Raise unless the answer is a 200 (a 404 as `_NotFoundError`, for discovery)."""
    if response.status_code == 404:
        raise _NotFoundError(f"{url} returned HTTP 404")
    if 300 <= response.status_code < 400:
        raise JwksError(
            f"{url} redirects to {response.headers.get('Location')!r}; redirects are not "
            "followed for keys: give the final URL"
        )
    if response.status_code != 200:
        raise JwksError(f"{url} returned HTTP {response.status_code}")


def _read_file(path: Path) -> Any:
    try:
        return bounded_json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JwksError(f"no such JWKS file: {path}") from None
    except (OSError, ValueError) as exc:
        raise JwksError(f"{path} is not a readable JSON key set ({exc})") from None


def parse_jwks(document: Any, source: str) -> tuple[_Key, ...]:
    """Read a JWKS object into keys, skipping keys PyJWT cannot use.

    Raises:
        JwksError: when the document is not ``{"keys": [...]}``, nests deeper than
            `bounded_json.MAX_DEPTH`, or has no usable key.
    """
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise JwksError(f"{source} is not a JWKS: expected an object with a 'keys' list")
    if bounded_json.exceeds_depth(document):
        raise JwksError(
            f"{source} nests deeper than {bounded_json.MAX_DEPTH} levels, which no key set "
            "does: give the issuer's real key set"
        )
    keys = []
    for entry in document["keys"]:
        if not isinstance(entry, dict):
            continue
        try:
            parsed = jwt.PyJWK(entry)
        except jwt.PyJWTError:
            continue
        keys.append(
            _Key(
                kid=_str_or_none(entry.get("kid")),
                kty=str(entry.get("kty")),
                alg=_str_or_none(entry.get("alg")),
                use=_str_or_none(entry.get("use")),
                key=parsed.key,
            )
        )
    if not keys:
        raise JwksError(f"{source} has no usable signing key")
    return tuple(keys)


def _fits(key: _Key, algorithm: str) -> bool:
    if key.use not in (None, "sig") or key.alg not in (None, algorithm):
        return False
    return _KTY_FOR_ALG_PREFIX.get(algorithm[:2]) == key.kty


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


_shared: dict[tuple[str, str | None], JwksCache] = {}
_shared_lock = threading.Lock()


def shared_cache(issuer: str, jwks: str | Path | None = None) -> JwksCache:
    """The process-wide cache for an issuer (and JWKS location), created on first use."""
    key = (issuer, None if jwks is None else str(jwks))
    with _shared_lock:
        cache = _shared.get(key)
        if cache is None:
            cache = _shared[key] = JwksCache(issuer, jwks=jwks)
        return cache
