"""Security headers for every HTML page the app serves (issue 9).

The policy allows only the app's own scripts, styles, fonts and fetches: no inline script,
no CDN, no framing. Pages keep their JavaScript in static files and pass data to it in
`<script type="application/json">` blocks, which the browser never executes.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("security", __name__)

# YASGUI's results table (column-resizer) injects one fixed <style> element; the editor page
# allows exactly that stylesheet by its hash rather than all inline styles. If a YASGUI
# upgrade changes it, the browser test sees the CSP error in the console.
YASGUI_RESIZER_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"


def policy(style_hashes: tuple[str, ...] = ()) -> str:
    """The Content-Security-Policy, optionally allowing some inline styles by hash."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            " ".join(["style-src 'self'", *style_hashes]),
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = policy()


@bp.after_app_request
def add_security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
