"""/docs and /redoc work with no network: every script, style and icon they load is
served by the service itself, and their Content-Security-Policy allows nothing else."""

from __future__ import annotations

import re

import pytest

from tests.service.conftest import MakeClient, TestClient

_ASSET = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.mark.parametrize(("path", "marker"), [("/docs", b"SwaggerUIBundle"), ("/redoc", b"Redoc")])
def test_the_docs_load_only_from_the_service(client: TestClient, path: str, marker: bytes) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assets = _ASSET.findall(page.text)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets)
    assert "http" not in page.text  # no CDN, no font service
    assert "<script>" not in page.text  # no inline script: the policy forbids it
    fetched = b""
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 0
        fetched += response.content
    assert marker in fetched
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "https:" not in policy and "cdn" not in policy


def test_swagger_ui_is_started_by_a_script_of_the_service(client: TestClient) -> None:
    script = client.get("/docs/assets/swagger-init.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert '"/openapi.json"' in script.text and "validatorUrl: null" in script.text


def test_an_unknown_asset_is_404(client: TestClient) -> None:
    assert client.get("/docs/assets/../../etc/passwd").status_code == 404
    assert client.get("/docs/assets/nothing.js").status_code == 404


def test_docs_off_means_no_docs(make_client: MakeClient) -> None:
    closed = make_client(docs_enabled=False)
    for path in ("/docs", "/redoc", "/docs/assets/swagger-ui.css"):
        assert closed.get(path).status_code == 404
    assert closed.get("/openapi.json").status_code == 200
