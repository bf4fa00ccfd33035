"""The interactive API docs (/docs: Swagger UI, /redoc: ReDoc), served with no network.

FastAPI's own pages load Swagger UI and ReDoc from a CDN and start them with an inline
script, so on a closed customs network /docs stays blank. Here the assets come from the
``fastapi-offline`` package (MIT; it ships Swagger UI, Apache-2.0, and ReDoc, MIT, as
released) and are served by the service under ``/docs/assets/``; Swagger UI is started by
a small script of ours from the same place, so the pages' Content-Security-Policy allows
scripts from this origin only.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response

ASSETS_PREFIX = "/docs/assets"
_PACKAGE_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
SWAGGER_INIT = """\
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
"""


def assets_folder() -> Path:
    """Where the installed ``fastapi_offline`` package keeps Swagger UI and ReDoc."""
    return Path(str(resources.files("fastapi_offline") / "static"))


def _page(title: str, head: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="icon" href="{ASSETS_PREFIX}/favicon.png">\n{head}</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )


SWAGGER_PAGE = _page(
    "screening API - Swagger UI",
    f'<link rel="stylesheet" href="{ASSETS_PREFIX}/swagger-ui.css">\n',
    '<div id="swagger-ui"></div>\n'
    f'<script src="{ASSETS_PREFIX}/swagger-ui-bundle.js"></script>\n'
    f'<script src="{ASSETS_PREFIX}/swagger-init.js"></script>\n',
)
REDOC_PAGE = _page(
    "screening API - ReDoc",
    "",
    '<redoc spec-url="/openapi.json"></redoc>\n'
    f'<script src="{ASSETS_PREFIX}/redoc.standalone.js"></script>\n',
)


def docs_router() -> APIRouter:
    """/docs, /redoc and their assets (left out of the OpenAPI document)."""
    router = APIRouter(include_in_schema=False)
    folder = assets_folder()

    @router.get("/docs")
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(SWAGGER_PAGE)

    @router.get("/redoc")
    async def redoc() -> HTMLResponse:
        return HTMLResponse(REDOC_PAGE)

    @router.get(ASSETS_PREFIX + "/{name}")
    async def asset(name: str) -> Response:
        if name == "swagger-init.js":
            return Response(SWAGGER_INIT, media_type="text/javascript; charset=utf-8")
        media_type = _PACKAGE_ASSETS.get(name)
        if media_type is None:
            raise HTTPException(404, f"no docs asset {name[:100]!r}")
        # Read per request (1-2 MB, only when someone opens the docs): nothing held in memory.
        return Response((folder / name).read_bytes(), media_type=media_type)

    return router
