"""The hash-chain machinery; the hazard ledger's chains are tested in zhiben/hazards/tests/test_history.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from zhiben.core.history import HashChain, canonical_hash, iso

AT = dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)


def test_the_hash_is_sha256_of_the_canonical_json():
    payload = {"b": 1, "a": "隐患"}
    expected = hashlib.sha256('{"a":"隐患","b":1}'.encode()).hexdigest()
    assert canonical_hash(payload) == expected == canonical_hash(json.loads(json.dumps(payload)))


def test_times_are_hashed_in_utc_whatever_their_zone():
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert iso(AT) == iso(AT.astimezone(beijing)) == "2025-03-01T08:30:00.000000Z"


def test_the_subject_key_is_part_of_the_hash():
    fields = {"code": "X1", "seq": 1, "action": "open", "actor_id": None, "actor_name": "系统", "at": AT,
              "effective_at": AT, "from_status": "", "to_status": "open", "data": {}, "prev_hash": ""}
    report = HashChain(event_model=object, subject_field="report")
    case = HashChain(event_model=object, subject_field="case")
    assert report.event_hash(**fields) != case.event_hash(**fields)
    assert HashChain(event_model=object, subject_field="x", subject_key="report").event_hash(**fields) \
        == report.event_hash(**fields)
