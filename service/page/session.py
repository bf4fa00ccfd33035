"""The lookup page's sign-in session and CSRF tokens: signed cookies, nothing stored.

Officers sign in once with an API key; the page then keeps, in an HttpOnly,
SameSite=Strict cookie signed with HMAC-SHA256, the *hash* of that key (never the key)
and an expiry. Every request re-finds the key by its hash in the configured key ring, so
removing a key from the configuration ends its sessions at once.

POST forms carry a CSRF token: the HMAC of a random nonce kept in a second cookie (the
"signed double submit" pattern). A cross-site page can neither read the cookie nor compute
the HMAC, and SameSite=Strict keeps the browser from sending the cookies cross-site at all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from service.auth import ApiKey, KeyRing

SESSION_COOKIE = "screening_session"
CSRF_COOKIE = "screening_csrf"
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True, slots=True)
class Signer:
    """HMAC-SHA256 over a secret; one per app (see :func:`service.page.routes.signer_of`)."""

    secret: bytes

    @classmethod
    def from_setting(cls, secret: str | None) -> Signer:
        return cls(secret.encode("utf-8") if secret else secrets.token_bytes(32))

    def mac(self, purpose: str, payload: bytes) -> str:
        digest = hmac.new(self.secret, purpose.encode() + b"\0" + payload, hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")

    # --- session -------------------------------------------------------------------------

    def session_value(self, key: ApiKey, hours: int, now: float | None = None) -> str:
        expires = int((now if now is not None else time.time()) + hours * 3600)
        body = json.dumps({"sha256": key.sha256, "exp": expires}, separators=(",", ":"))
        payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{payload}.{self.mac('session', payload.encode())}"

    def session_key(
        self, value: str | None, keys: KeyRing, now: float | None = None
    ) -> ApiKey | None:
        """The still-configured key a valid, unexpired session cookie names, else None."""
        if not value or value.count(".") != 1:
            return None
        payload, mac = value.split(".")
        if not hmac.compare_digest(mac, self.mac("session", payload.encode())):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            expires = int(data["exp"])
            digest = str(data["sha256"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires < (now if now is not None else time.time()):
            return None
        return keys.find_digest(digest)

    # --- CSRF ----------------------------------------------------------------------------

    def csrf_token(self, nonce: str) -> str:
        return self.mac("csrf", nonce.encode())

    def csrf_ok(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token:
            return False
        return hmac.compare_digest(token, self.csrf_token(nonce))


def new_nonce() -> str:
    return secrets.token_urlsafe(24)
