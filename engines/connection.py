"""Connecting to an Elasticsearch or OpenSearch server: settings, detection, async clients.

Why a layer of its own: the two engines need two different client libraries (the official
`elasticsearch` client refuses a server that does not say it is Elasticsearch, and its
major version must match the server's), so the server is asked what it is *before* a
client is built. Detection uses plain HTTP (httpx) for that reason. Every way an engine can
be down (refused connection, time-out, a node still starting) becomes one exception,
`EngineUnavailable`, that names the address and the cause, so the service can answer
"the search engine at ... is down" instead of a stack trace from a client library.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import os
import ssl
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import elastic_transport
import httpx
import opensearchpy
from elasticsearch import AsyncElasticsearch
from opensearchpy import AsyncOpenSearch

EngineKind = Literal["elasticsearch", "opensearch"]
RequestedKind = Literal["elasticsearch", "opensearch", "auto"]
KINDS: tuple[RequestedKind, ...] = ("elasticsearch", "opensearch", "auto")

ELASTICSEARCH_TAGLINE = "You Know, for Search"
# HTTP statuses that mean "the node is there but not ready yet": worth a retry.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


class EngineError(Exception):
    """A search engine could not be used; the message says which and why."""


class EngineUnavailable(EngineError):
    """Nothing usable answers at the engine's address (refused, timed out, not ready)."""

    def __init__(self, url: str, cause: str) -> None:
        super().__init__(f"search engine at {url} is unavailable: {cause}")
        self.url = url
        self.cause = cause


class EngineMismatch(EngineError):
    """The server answered, but is not the engine (or major version) we can talk to."""


@dataclass(frozen=True)
class EngineSettings:
    """How to reach one engine cluster.

    `urls` are the HTTP addresses of its nodes (`http://127.0.0.1:9200`). `kind` "auto"
    asks the server what it is. Credentials are either username/password or an API key
    (Elasticsearch only). `timeout` is per request, in seconds; a failed connection is
    tried `retries` more times, waiting `retry_backoff` seconds, doubled each time.
    """

    urls: tuple[str, ...]
    kind: RequestedKind = "auto"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    verify_tls: bool = True
    timeout: float = 10.0
    retries: int = 3
    retry_backoff: float = 0.5

    def __post_init__(self) -> None:
        if not self.urls:
            raise ValueError("an engine needs at least one URL")
        for url in self.urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"engine URL must start with http:// or https://: {url!r}")
        if self.kind not in KINDS:
            raise ValueError(f"engine kind must be one of {', '.join(KINDS)}: {self.kind!r}")
        if (self.username is None) != (self.password is None):
            raise ValueError("give both a username and a password, or neither")
        if self.api_key is not None and self.username is not None:
            raise ValueError("give either an API key or a username and password, not both")
        if self.timeout <= 0 or self.retries < 0 or self.retry_backoff < 0:
            raise ValueError("timeout must be positive; retries and retry_backoff not negative")

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, prefix: str = "SCREENING_ENGINE_"
    ) -> EngineSettings:
        """Settings from the environment: {prefix}URL (comma-separated), KIND, USERNAME,
        PASSWORD, API_KEY, CA_FILE, VERIFY_TLS, TIMEOUT, RETRIES, RETRY_BACKOFF."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(prefix + name, "").strip()
            return value or None

        urls = tuple(u.strip() for u in (get("URL") or "").split(",") if u.strip())
        if not urls:
            raise ValueError(f"{prefix}URL is not set")
        kind = get("KIND") or "auto"
        if kind not in KINDS:
            raise ValueError(f"{prefix}KIND must be one of {', '.join(KINDS)}: {kind!r}")
        ca_file = get("CA_FILE")
        verify = (get("VERIFY_TLS") or "true").lower()
        if verify not in ("true", "false", "1", "0", "yes", "no"):
            raise ValueError(f"{prefix}VERIFY_TLS must be true or false: {verify!r}")
        return cls(
            urls=urls,
            kind=kind,
            username=get("USERNAME"),
            password=get("PASSWORD"),
            api_key=get("API_KEY"),
            ca_file=Path(ca_file) if ca_file else None,
            verify_tls=verify in ("true", "1", "yes"),
            timeout=float(get("TIMEOUT") or 10.0),
            retries=int(get("RETRIES") or 3),
            retry_backoff=float(get("RETRY_BACKOFF") or 0.5),
        )


@dataclass(frozen=True)
class EngineInfo:
    """What the server says it is, from its root endpoint (GET /)."""

    kind: EngineKind
    version: tuple[int, ...]
    version_text: str
    url: str
    cluster_name: str

    @property
    def major(self) -> int:
        return self.version[0]


def identify(answer: Mapping[str, Any], url: str) -> EngineInfo:
    """Read the engine kind and version from a root-endpoint answer.

    OpenSearch says `version.distribution == "opensearch"`; Elasticsearch has no
    distribution but its tagline and `build_flavor` (the same test its client makes).
    """
    version = answer.get("version")
    if not isinstance(version, Mapping) or not isinstance(version.get("number"), str):
        raise EngineMismatch(f"the server at {url} did not report a version: {dict(answer)!r}")
    number: str = version["number"]
    kind: EngineKind
    if version.get("distribution") == "opensearch":
        kind = "opensearch"
    elif answer.get("tagline") == ELASTICSEARCH_TAGLINE and version.get("build_flavor") in (
        "default",
        "serverless",
    ):
        kind = "elasticsearch"
    else:
        raise EngineMismatch(f"the server at {url} is neither Elasticsearch nor OpenSearch")
    return EngineInfo(
        kind=kind,
        version=parse_version(number),
        version_text=number,
        url=url,
        cluster_name=str(answer.get("cluster_name", "")),
    )


def parse_version(text: str) -> tuple[int, ...]:
    """`8.17.1` -> (8, 17, 1); a qualifier (`-SNAPSHOT`, `-rc1`) is dropped."""
    parts: list[int] = []
    for piece in text.split("-", 1)[0].split("."):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    if not parts:
        raise EngineMismatch(f"unreadable engine version {text!r}")
    return tuple(parts)


def _tls_verify(settings: EngineSettings) -> ssl.SSLContext | bool:
    if not settings.verify_tls:
        return False
    if settings.ca_file is not None:
        return ssl.create_default_context(cafile=str(settings.ca_file))
    return True


def _auth_headers(settings: EngineSettings) -> dict[str, str]:
    if settings.api_key is not None:
        return {"Authorization": f"ApiKey {settings.api_key}"}
    return {}


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and the errors behind it (client libraries wrap the socket's OSError)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _describe(error: BaseException) -> str:
    """A short cause for a failed request: 'connection refused', 'timed out'."""
    for cause in _causes(error):
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused ({cause.strerror or cause})"
        if isinstance(cause, TimeoutError | httpx.TimeoutException):
            return f"timed out after the configured timeout ({type(cause).__name__})"
    return str(error) or type(error).__name__


async def _ask_root(client: httpx.AsyncClient, url: str) -> Mapping[str, Any]:
    """GET / of one node; EngineUnavailable when it cannot answer yet."""
    try:
        answer = await client.get(url.rstrip("/") + "/")
    except httpx.TransportError as error:
        raise EngineUnavailable(url, _describe(error)) from error
    if answer.status_code in (401, 403):
        raise EngineError(
            f"search engine at {url} refused our credentials (HTTP {answer.status_code})"
        )
    if answer.status_code in RETRYABLE_STATUSES:
        raise EngineUnavailable(url, f"not ready (HTTP {answer.status_code})")
    if answer.status_code != 200:
        raise EngineMismatch(
            f"GET / at {url} answered HTTP {answer.status_code}: {answer.text[:200]}"
        )
    try:
        body = answer.json()
    except ValueError as error:
        raise EngineMismatch(f"GET / at {url} did not answer JSON: {answer.text[:200]}") from error
    if not isinstance(body, Mapping):
        raise EngineMismatch(f"GET / at {url} did not answer a JSON object")
    return cast(Mapping[str, Any], body)


async def detect_engine(settings: EngineSettings) -> EngineInfo:
    """Ask the cluster what it is, trying each URL, with retries and exponential backoff.

    Raises EngineUnavailable (naming the last URL and cause) when no node answers in
    time, EngineMismatch when the answer is not the engine `settings.kind` asks for.
    """
    auth = (settings.username, settings.password) if settings.username is not None else None
    last: EngineUnavailable | None = None
    async with httpx.AsyncClient(
        timeout=settings.timeout,
        verify=_tls_verify(settings),
        auth=cast("tuple[str, str] | None", auth),
        headers={"Accept": "application/json", **_auth_headers(settings)},
        trust_env=False,
    ) as client:
        for attempt in range(settings.retries + 1):
            if attempt:
                await asyncio.sleep(settings.retry_backoff * 2 ** (attempt - 1))
            for url in settings.urls:
                try:
                    info = identify(await _ask_root(client, url), url)
                except EngineUnavailable as error:
                    last = error
                    continue
                if settings.kind not in ("auto", info.kind):
                    raise EngineMismatch(
                        f"{url} is {info.kind} {info.version_text}, "
                        f"but {settings.kind} was configured"
                    )
                return info
    assert last is not None  # the loops ran at least once over a non-empty URL list
    raise last


EngineClient = AsyncElasticsearch | AsyncOpenSearch


@dataclass
class EngineConnection:
    """An open async client together with what the server said it is."""

    info: EngineInfo
    client: EngineClient
    settings: EngineSettings

    @property
    def kind(self) -> EngineKind:
        return self.info.kind

    async def close(self) -> None:
        await self.client.close()

    async def __aenter__(self) -> EngineConnection:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def unavailable_as_error(self) -> AsyncIterator[None]:
        """Turn the client library's connection errors into EngineUnavailable."""
        try:
            yield
        except CONNECTION_ERRORS as error:
            raise EngineUnavailable(", ".join(self.settings.urls), _describe(error)) from error


# What the two client libraries raise when a node cannot be reached or does not answer.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    elastic_transport.ConnectionError,
    elastic_transport.ConnectionTimeout,
    opensearchpy.ConnectionError,
    opensearchpy.ConnectionTimeout,
)
ELASTICSEARCH_CLIENT_VERSION = importlib.metadata.version("elasticsearch")
ELASTICSEARCH_CLIENT_MAJOR = parse_version(ELASTICSEARCH_CLIENT_VERSION)[0]


def elasticsearch_client(settings: EngineSettings) -> AsyncElasticsearch:
    """The official async Elasticsearch client for these settings (no detection)."""
    options: dict[str, Any] = {
        "request_timeout": settings.timeout,
        "max_retries": settings.retries,
        "retry_on_timeout": True,
        "verify_certs": settings.verify_tls,
    }
    if settings.ca_file is not None:
        options["ca_certs"] = str(settings.ca_file)
    if settings.username is not None and settings.password is not None:
        options["basic_auth"] = (settings.username, settings.password)
    if settings.api_key is not None:
        options["api_key"] = settings.api_key
    return AsyncElasticsearch(list(settings.urls), **options)


def opensearch_client(settings: EngineSettings) -> AsyncOpenSearch:
    """The async opensearch-py client for these settings (no detection)."""
    if settings.api_key is not None:
        raise EngineMismatch("OpenSearch has no API keys: give a username and password")
    options: dict[str, Any] = {
        "timeout": settings.timeout,
        "max_retries": settings.retries,
        "retry_on_timeout": True,
        "verify_certs": settings.verify_tls,
        "ssl_show_warn": settings.verify_tls,
    }
    if settings.ca_file is not None:
        options["ca_certs"] = str(settings.ca_file)
    if settings.username is not None and settings.password is not None:
        options["http_auth"] = (settings.username, settings.password)
    return AsyncOpenSearch(list(settings.urls), **options)


async def connect(settings: EngineSettings) -> EngineConnection:
    """Detect the engine and open the matching async client.

    The Elasticsearch client asks the server for REST compatibility with its own major
    version, so a client whose major differs from the server's is refused here, with the
    requirement to install instead of a confusing HTTP 400 later.
    """
    info = await detect_engine(settings)
    client: EngineClient
    if info.kind == "elasticsearch":
        if info.major != ELASTICSEARCH_CLIENT_MAJOR:
            raise EngineMismatch(
                f"{info.url} is Elasticsearch {info.version_text}, but the installed client is "
                f"{ELASTICSEARCH_CLIENT_VERSION}: install elasticsearch[async]>={info.major},"
                f"<{info.major + 1}"
            )
        client = elasticsearch_client(settings)
    else:
        client = opensearch_client(settings)
    return EngineConnection(info=info, client=client, settings=settings)
