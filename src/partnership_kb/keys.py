"""District keys: who may load which district's datasets through the HTTP API.

A key is shown once, when it is made (`pkb key create --district cheltenham`); the graph keeps
only a salted scrypt hash of its secret, as `(:ApiKey {id, district, admin, hash, salt,
createdAt, revokedAt})`, a record about the knowledge base rather than a fact from a source.
The key itself reads `pkb_<id>_<secret>`: the id says which record to check it against, and
names the key in `pkb key list`, in `pkb key revoke` and as the `who` of every load it makes.
A district key writes only datasets `<district>/...`; an admin key writes every district's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from neo4j import Driver

from .errors import PkbError

# scrypt's cost: 16 MiB and about 50 ms per check, so a stolen hash is slow to guess at, while
# a load (seconds) hardly notices. The secret is 256 random bits, so this is belt and braces.
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 1024 * 1024}
DISTRICT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DISTRICT_MAX = 63
KEY_PATTERN = re.compile(r"pkb_(key-[0-9a-f]{12})_([A-Za-z0-9_-]{43})")
KEY_MAX = 100  # longer than any key we make: a longer header is refused before any work


class KeyProblem(PkbError):
    """A key or district given to `pkb key` is wrong."""


@dataclass(frozen=True)
class ApiKey:
    """A key's record, without its hash."""

    id: str
    district: str | None  # None for an admin key made without a district
    admin: bool
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    def may_write(self, district: str) -> bool:
        return self.admin or district == self.district

    @property
    def scope(self) -> str:
        return "every district (admin)" if self.admin else f"district {self.district}"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "district": self.district, "admin": self.admin,
                "createdAt": self.created_at.isoformat(),
                "revokedAt": self.revoked_at.isoformat() if self.revoked_at else None}


def check_district(district: str) -> str:
    """A district name: lowercase letters, digits and single hyphens (never a path)."""
    if not isinstance(district, str) or len(district) > DISTRICT_MAX \
            or not DISTRICT.fullmatch(district):
        shown = district[:80] if isinstance(district, str) else repr(district)
        raise KeyProblem(f"District {shown!r} is not a district name.",
                         "Use lowercase letters, digits and hyphens, such as cheltenham or "
                         f"south-glos (at most {DISTRICT_MAX} characters).")
    return district


# At most two checks at once, so a flood of made-up keys costs two cores' worth, not more.
CHECKS = threading.BoundedSemaphore(2)


def digest(secret: str, salt: bytes) -> bytes:
    with CHECKS:
        return hashlib.scrypt(secret.encode(), salt=salt, **SCRYPT)


CREATE = """
CREATE (k:ApiKey {id: $id, district: $district, admin: $admin, hash: $hash, salt: $salt,
                  createdAt: $createdAt, revokedAt: null})
"""
FIND = """
MATCH (k:ApiKey {id: $id})
RETURN k.id AS id, k.district AS district, k.admin AS admin, k.hash AS hash, k.salt AS salt,
       k.createdAt AS createdAt, k.revokedAt AS revokedAt
"""
LIST = """
MATCH (k:ApiKey)
OPTIONAL MATCH (l:Load {who: k.id})
WITH k, count(l) AS loads, max(l.recordedAt) AS lastLoad
RETURN k.id AS id, k.district AS district, k.admin AS admin, k.createdAt AS createdAt,
       k.revokedAt AS revokedAt, loads, lastLoad
ORDER BY k.createdAt
"""
REVOKE = """
MATCH (k:ApiKey {id: $id})
SET k.revokedAt = coalesce(k.revokedAt, $now)
RETURN k.revokedAt = $now AS revokedNow
"""


def create(driver: Driver, district: str | None, admin: bool = False,
           database: str | None = None) -> tuple[ApiKey, str]:
    """Make a key; returns its record and the key itself, which is never stored."""
    if district is None and not admin:
        raise KeyProblem("A key needs a district.",
                         "Give --district NAME, or --admin for a key that writes every district.")
    if district is not None:
        check_district(district)
    key_id = f"key-{secrets.token_hex(6)}"
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    now = dt.datetime.now(dt.UTC)
    driver.execute_query(CREATE, id=key_id, district=district, admin=admin,
                         hash=digest(secret, salt).hex(), salt=salt.hex(), createdAt=now,
                         database_=database)
    return ApiKey(key_id, district, admin, now), f"pkb_{key_id}_{secret}"


def listed(driver: Driver, database: str | None = None) -> list[dict[str, Any]]:
    """Every key (never its hash), oldest first, with how many loads it made."""
    records, _, _ = driver.execute_query(LIST, database_=database, routing_="r")
    return [{**r.data(), "createdAt": _native(r["createdAt"]),
             "revokedAt": _native(r["revokedAt"]), "lastLoad": _native(r["lastLoad"])}
            for r in records]


def revoke(driver: Driver, key_id: str, database: str | None = None) -> bool:
    """Revoke a key at once; False when it was revoked already. An unknown id is an error."""
    records, _, _ = driver.execute_query(REVOKE, id=key_id, now=dt.datetime.now(dt.UTC),
                                         database_=database)
    if not records:
        raise KeyProblem(f"No key {key_id[:80]!r}.", "`pkb key list` shows the keys there are.")
    return bool(records[0]["revokedNow"])


def parse(token: str) -> tuple[str, str] | None:
    """The id and secret of a well-formed key, else None."""
    if len(token) > KEY_MAX:
        return None
    match = KEY_PATTERN.fullmatch(token)
    return (match.group(1), match.group(2)) if match else None


def verify(record: dict[str, Any] | None, secret: str) -> ApiKey | None:
    """The key a stored record and a presented secret make when they match (its
    ``revoked_at`` says whether it still holds), else None. The hash is computed even for an
    unknown id, so the time taken says nothing about which ids exist."""
    salt = bytes.fromhex(record["salt"]) if record else b"\0" * 16
    computed = digest(secret, salt)
    if record is None or not hmac.compare_digest(computed, bytes.fromhex(record["hash"])):
        return None
    return from_record(record)


def from_record(record: dict[str, Any]) -> ApiKey:
    """The key a stored record describes (checked against its secret already)."""
    return ApiKey(record["id"], record["district"], bool(record["admin"]),
                  _native(record["createdAt"]), _native(record.get("revokedAt")))


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value
