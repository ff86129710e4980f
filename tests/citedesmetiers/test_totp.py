"""RFC 6238 one-time passwords: the RFC's own test vectors, the drift window, replays."""

import base64
import hashlib

import pytest

from citedesmetiers.accounts import totp

# RFC 6238 appendix B: the ASCII key "12345678901234567890", 8 digits, SHA-1.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("timestamp", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_the_codes_of_rfc_6238(timestamp, expected):
    assert totp.code_at(RFC_SECRET, totp.step_of(timestamp), digits=8, digest=hashlib.sha1) == expected


def test_a_code_is_accepted_one_step_early_or_late_and_only_once():
    secret = totp.new_secret()
    now = 1_700_000_000
    step = totp.step_of(now)
    assert totp.verify(secret, totp.code_at(secret, step), timestamp=now) == step
    assert totp.verify(secret, totp.code_at(secret, step - 1), timestamp=now) == step - 1
    assert totp.verify(secret, totp.code_at(secret, step + 1), timestamp=now) == step + 1
    assert totp.verify(secret, totp.code_at(secret, step - 2), timestamp=now) is None
    # Once used, that step and the earlier ones are refused.
    assert totp.verify(secret, totp.code_at(secret, step), timestamp=now, last_step=step) is None
    assert totp.verify(secret, totp.code_at(secret, step - 1), timestamp=now, last_step=step) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", None])
def test_malformed_codes_are_refused(code):
    assert totp.verify(totp.new_secret(), code or "", timestamp=1_700_000_000) is None


def test_spaces_typed_in_the_code_are_ignored():
    secret = totp.new_secret()
    code = totp.code_at(secret, totp.step_of(1_700_000_000))
    assert totp.verify(secret, f"{code[:3]} {code[3:]}", timestamp=1_700_000_000) is not None


def test_the_provisioning_address_for_authenticator_apps():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="adviser.vdab", issuer="Cité des métiers")
    assert uri.startswith("otpauth://totp/Cit%C3%A9%20des%20m%C3%A9tiers%3Aadviser.vdab?")
    assert "secret=JBSWY3DPEHPK3PXP" in uri
    assert "digits=6" in uri
