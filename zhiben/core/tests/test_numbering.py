"""Numbered documents: formats declared as data, serials per kind, region and year."""

from __future__ import annotations

import pytest

from zhiben.core.models import Counter
from zhiben.core.numbering import DocumentNumber, next_document_number, register_document_number

pytestmark = pytest.mark.django_db

CASE = register_document_number(DocumentNumber(kind="test-case", template="{prefix}罚〔{year}〕{serial:03d}号",
                                               prefix="交住建"))


def test_serials_restart_per_region_and_year():
    assert next_document_number("test-case", 141122, 2026) == "交住建罚〔2026〕001号"
    assert next_document_number("test-case", 141122, 2026) == "交住建罚〔2026〕002号"
    assert next_document_number("test-case", 141102, 2026) == "交住建罚〔2026〕001号"
    assert next_document_number("test-case", 141122, 2027) == "交住建罚〔2027〕001号"
    assert Counter.objects.get(key="test-case:141122:2026").value == 2


def test_the_prefix_can_come_from_a_setting(settings):
    settings.TEST_CIRCULAR_PREFIX = "吕建通"
    register_document_number(DocumentNumber(kind="test-circular", prefix_setting="TEST_CIRCULAR_PREFIX"))
    assert next_document_number("test-circular", 141122, 2026) == "吕建通〔2026〕1号"


def test_a_kind_is_declared_once():
    assert register_document_number(CASE) is CASE
    with pytest.raises(ValueError):
        register_document_number(DocumentNumber(kind="test-case", template="{serial}"))
