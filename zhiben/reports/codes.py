"""Receipt codes and access keys of reports: random, unguessable, typed back by people from a phone screen.

Both use Crockford's base-32 alphabet (digits and upper-case letters without I, L, O, U), so a code read aloud
or copied by hand has no look-alike characters, and both are drawn from `secrets` (the OS CSPRNG):

- receipt code: 12 symbols = 60 bits, shown as ``XXXX-XXXX-XXXX``. Even with 10^7 reports a random guess hits one
  with probability 10^7 / 2^60 ≈ 9·10^-12, and a guess reveals nothing without the key.
- access key: 20 symbols = 100 bits, shown once and stored only as its SHA-256. A fast hash is enough for a
  100-bit random secret (no dictionary to try); the comparison is constant-time (`hmac.compare_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
CODE_SYMBOLS = 12
KEY_SYMBOLS = 20
CODE_BITS = CODE_SYMBOLS * 5
KEY_BITS = KEY_SYMBOLS * 5
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def _draw(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def _groups(value: str) -> str:
    return "-".join(value[i:i + 4] for i in range(0, len(value), 4))


def new_receipt_code() -> str:
    return _groups(_draw(CODE_SYMBOLS))


def new_access_key() -> str:
    return _groups(_draw(KEY_SYMBOLS))


def normalise(value: str, symbols: int) -> str | None:
    """What a person typed, as stored: upper case, dashes and spaces dropped, look-alikes mapped; None when it
    cannot be a code of that length."""
    cleaned = "".join(str(value or "").split()).replace("-", "").upper().translate(_READ_AS)
    if len(cleaned) != symbols or any(ch not in ALPHABET for ch in cleaned):
        return None
    return _groups(cleaned)


def normalise_code(value: str) -> str | None:
    return normalise(value, CODE_SYMBOLS)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# A stored hash to compare against when the code does not exist, so a missing code takes as long as a wrong key.
_DECOY = key_hash(new_access_key())


def key_matches(key: str | None, stored_hash: str | None) -> bool:
    typed = normalise(key or "", KEY_SYMBOLS)
    candidate = key_hash(typed) if typed else key_hash("")
    return hmac.compare_digest(candidate, stored_hash or _DECOY) and stored_hash is not None and typed is not None
