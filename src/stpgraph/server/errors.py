"""One error shape for every error the server gives, built by :func:`error_body` alone.

Every error is ``{"ok": false, "status": 404, "error": "not_found", "message": "…"}``: ``error``
is a stable code for programs, ``message`` a sentence for people. Browsers (clients that prefer
HTML) get the same four fields rendered as a page.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

ERROR_MEDIA_TYPE = "application/json"

#: The codes the server can give, with their HTTP status (documented in the README).
CODES = {
    "malformed_query": 400, "service_refused": 400, "load_refused": 400, "unknown_graph": 400,
    "too_many_results": 400, "unknown_format": 400, "bad_parameter": 400, "missing_query": 400,
    "bad_request": 400, "query_failed": 400, "read_only": 403, "not_found": 404,
    "method_not_allowed": 405, "not_acceptable": 406, "too_large": 413, "uri_too_long": 414,
    "unsupported_media_type": 415,
    "timeout": 503, "busy": 503, "worker_failed": 503, "internal_error": 500,
}


class HTTPProblem(Exception):
    """Raised anywhere in a handler to answer with the error shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_body(status: int, code: str, message: str) -> dict:
    """The one error body."""
    return {"ok": False, "status": status, "error": code, "message": message}


def error_response(request: Request | None, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    """The error as JSON, or as an HTML page for a browser."""
    body = error_body(status, code, message)
    accept = request.headers.get("accept", "") if request is not None else ""
    if request is not None and _wants_html(accept):
        templates = request.app.state.templates
        return templates.TemplateResponse(request, "error.html", {"error": body}, status_code=status,
                                          headers=headers)
    return Response(json.dumps(body, ensure_ascii=False) + "\n", status_code=status,
                    media_type=ERROR_MEDIA_TYPE, headers=headers)


def _wants_html(accept: str) -> bool:
    from .conneg import prefers_html

    return prefers_html(accept)


def plain_error(status: int, code: str, message: str) -> HTMLResponse | Response:
    """The error as JSON without a request (for middleware that runs before routing)."""
    return Response(json.dumps(error_body(status, code, message)) + "\n", status_code=status,
                    media_type=ERROR_MEDIA_TYPE)
