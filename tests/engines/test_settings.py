"""Engine settings and the reading of a server's root answer (no engine needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines.connection import EngineMismatch, EngineSettings, identify, parse_version

# Root answers in the shape the real servers give (trimmed to the fields that matter).
ELASTICSEARCH_ROOT = {
    "name": "node-1",
    "cluster_name": "prod",
    "version": {"number": "8.17.1", "build_flavor": "default", "lucene_version": "9.12.0"},
    "tagline": "You Know, for Search",
}
OPENSEARCH_ROOT = {
    "name": "node-1",
    "cluster_name": "prod",
    "version": {"distribution": "opensearch", "number": "2.19.1", "build_type": "tar"},
    "tagline": "The OpenSearch Project: https://opensearch.org/",
}


def test_identify_elasticsearch() -> None:
    info = identify(ELASTICSEARCH_ROOT, "http://es:9200")
    assert (info.kind, info.version, info.major, info.cluster_name) == (
        "elasticsearch",
        (8, 17, 1),
        8,
        "prod",
    )


def test_identify_opensearch() -> None:
    info = identify(OPENSEARCH_ROOT, "http://os:9200")
    assert (info.kind, info.version) == ("opensearch", (2, 19, 1))


def test_identify_refuses_an_unknown_server() -> None:
    # Elasticsearch 7.10 OSS builds: the official client refuses them too.
    other = {
        "version": {"number": "7.10.2", "build_flavor": "oss"},
        "tagline": "You Know, for Search",
    }
    with pytest.raises(EngineMismatch, match="neither Elasticsearch nor OpenSearch"):
        identify(other, "http://x:9200")
    with pytest.raises(EngineMismatch, match="did not report a version"):
        identify({"ok": True}, "http://x:9200")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("8.17.1", (8, 17, 1)), ("9.0.0-SNAPSHOT", (9, 0, 0)), ("3.0.0-alpha1", (3, 0, 0))],
)
def test_parse_version(text: str, expected: tuple[int, ...]) -> None:
    assert parse_version(text) == expected


def test_settings_from_env() -> None:
    settings = EngineSettings.from_env(
        {
            "SCREENING_ENGINE_URL": "https://a:9200, https://b:9200",
            "SCREENING_ENGINE_KIND": "opensearch",
            "SCREENING_ENGINE_USERNAME": "screening",
            "SCREENING_ENGINE_PASSWORD": "s3cret",
            "SCREENING_ENGINE_CA_FILE": "/etc/ssl/engine-ca.pem",
            "SCREENING_ENGINE_TIMEOUT": "2.5",
            "SCREENING_ENGINE_RETRIES": "0",
        }
    )
    assert settings.urls == ("https://a:9200", "https://b:9200")
    assert settings.kind == "opensearch"
    assert (settings.username, settings.password) == ("screening", "s3cret")
    assert settings.ca_file == Path("/etc/ssl/engine-ca.pem")
    assert (settings.verify_tls, settings.timeout, settings.retries) == (True, 2.5, 0)
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "URL is not set"),
        ({"SCREENING_ENGINE_URL": "es:9200"}, "must start with http"),
        ({"SCREENING_ENGINE_URL": "http://es:9200", "SCREENING_ENGINE_KIND": "solr"}, "KIND"),
        ({"SCREENING_ENGINE_URL": "http://es:9200", "SCREENING_ENGINE_USERNAME": "u"}, "both"),
        ({"SCREENING_ENGINE_URL": "http://es:9200", "SCREENING_ENGINE_VERIFY_TLS": "maybe"}, "TLS"),
    ],
)
def test_settings_from_env_refuses_bad_values(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EngineSettings.from_env(environ)


def test_settings_refuse_api_key_with_password() -> None:
    with pytest.raises(ValueError, match="not both"):
        EngineSettings(urls=("http://es:9200",), username="u", password="p", api_key="k")
