"""The published reward rule at every edge (安监总财〔2018〕19号; 山西省住建领域, 2024)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhiben.reports.rules import RuleError, compute_reward


@pytest.mark.parametrize(("fine", "reward"), [
    (1, 3000),            # the minimum applies to any substantiated fine
    (20000, 3000),        # 15 % = 3,000 exactly
    (20003, 3000),        # 3,000.45 rounds down
    (20004, 3001),        # 3,000.60 rounds up
    (100000, 15000),
    ("123456.78", 18519),  # 18,518.517
    (2000000, 300000),    # 15 % = 300,000 exactly
    (2000010, 300000),    # the maximum
    (10**9, 300000),
])
def test_a_fine_gives_fifteen_percent_within_the_published_bounds(fine, reward):
    assert compute_reward(basis="fine", fine_amount=fine) == Decimal(reward)


@pytest.mark.parametrize(("level", "persons", "reward"), [
    ("ordinary", 1, 30000), ("larger", 1, 40000), ("major", 1, 50000), ("especially_major", 1, 60000),
    ("ordinary", 10, 300000), ("ordinary", 11, 300000),   # 330,000 capped
    ("especially_major", 5, 300000), ("especially_major", 4, 240000), ("major", 6, 300000),
])
def test_a_concealed_accident_gives_the_per_person_amount_up_to_the_maximum(level, persons, reward):
    assert compute_reward(basis="concealment", accident_level=level, persons=persons) == Decimal(reward)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"basis": "fine"}, "fine_amount"),
    ({"basis": "fine", "fine_amount": 0}, "fine_amount"),
    ({"basis": "fine", "fine_amount": -5}, "fine_amount"),
    ({"basis": "fine", "fine_amount": "abc"}, "fine_amount"),
    ({"basis": "fine", "fine_amount": "NaN"}, "fine_amount"),
    ({"basis": "fine", "fine_amount": "1e40"}, "fine_amount"),
    ({"basis": "concealment", "accident_level": "huge", "persons": 1}, "accident_level"),
    ({"basis": "concealment", "accident_level": "major", "persons": 0}, "persons"),
    ({"basis": "concealment", "accident_level": "major", "persons": "two"}, "persons"),
    ({"basis": "concealment", "accident_level": "major", "persons": 1.5}, "persons"),
    ({"basis": "gift"}, "basis"),
])
def test_input_the_rule_cannot_apply_to_names_the_field(kwargs, field):
    with pytest.raises(RuleError) as caught:
        compute_reward(**kwargs)
    assert caught.value.field == field
