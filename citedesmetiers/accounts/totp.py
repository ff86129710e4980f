"""Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as authenticator
apps (FreeOTP, Aegis, Google or Microsoft Authenticator...) make them. Standard library only."""

import base64
import hashlib
import hmac
import secrets
import struct
import unicodedata
from urllib.parse import quote, urlencode

STEP = 30
DIGITS = 6
# A code is accepted one step early or late: phones and servers rarely agree to the second.
DRIFT_STEPS = 1


def new_secret() -> str:
    """A new shared secret: 20 random bytes, base32 (what authenticator apps read)."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    return base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)


def code_at(secret: str, step: int, *, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """The code of one time step (RFC 4226's dynamic truncation)."""
    mac = hmac.new(_key(secret), struct.pack(">Q", step), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_of(timestamp: float) -> int:
    return int(timestamp // STEP)


def verify(secret: str, code: str, *, timestamp: float, last_step: int | None = None) -> int | None:
    """The time step the code belongs to, or None. A step already used (`last_step`) or earlier is
    refused, so that a code seen over someone's shoulder cannot be used again."""
    # Digits as any keyboard types them (full-width ones included) are the same digits.
    code = "".join(unicodedata.normalize("NFKC", code).split())
    if not (secret and code.isascii() and code.isdigit() and len(code) == DIGITS):
        return None
    current = step_of(timestamp)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from a QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP})
    return f"otpauth://totp/{label}?{query}"
