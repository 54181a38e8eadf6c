"""CSRF tokens for the console's forms.

Signed-in forms carry the session's own token (stored with the session). The login form, which has
no session yet, uses a double-submit token: the same random value in a SameSite=Strict cookie and
in the form. Bearer-token API calls need neither: a browser never adds an Authorization header itself.
"""

from __future__ import annotations

import hmac
import secrets

LOGIN_COOKIE = "console_login_csrf"
FIELD = "csrf_token"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; missing on either side never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
