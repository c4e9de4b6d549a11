"""Security headers for every HTML page the app serves (issue 9).

The policy allows only the app's own scripts, styles, fonts and fetches: no inline script,
no CDN, no framing. Pages keep their JavaScript in static files and pass data to it in
`<script type="application/json">` blocks, which the browser never executes.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("security", __name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@bp.after_app_request
def add_security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
