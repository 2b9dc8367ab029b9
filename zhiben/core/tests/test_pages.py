"""The declared page machinery (zhiben.core.pages) on its own; the registry's page tests cover it in use."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from zhiben.core.masking import mask_phone
from zhiben.core.pages import MAX_ID, Column, ObjectCreateView, ObjectDetailView, get_or_404, valid_pk


def test_declared_callables_are_plain_functions_even_on_mixins():
    def echo(**kwargs):
        return kwargs

    class Mixin:
        service = echo

    class Page(Mixin, ObjectCreateView):
        permission = bool

    assert Page().service(actor=1) == {"actor": 1}
    assert Page().permission(1) is True


@pytest.mark.parametrize("pk", [0, -1, MAX_ID + 1, 10**30])
def test_ids_no_key_can_hold_are_404_without_a_query(pk):
    with pytest.raises(Http404):
        valid_pk(pk)
    assert valid_pk(MAX_ID) == MAX_ID


def test_missing_and_unseen_objects_are_both_404():
    def unseen():
        raise ObjectDoesNotExist

    with pytest.raises(Http404):
        get_or_404(unseen)


def test_a_detail_page_asks_its_selector_with_the_user():
    asked = []

    class Detail(ObjectDetailView):
        def selector(user, pk):
            asked.append((user, pk))
            return "found"

    view = Detail()
    view.request = SimpleNamespace(user="u")
    assert view.get_object(7) == "found" and asked == [("u", 7)]


def test_columns_follow_paths_call_methods_format_and_fill_blanks():
    row = SimpleNamespace(name="甲", manager=None, phone="13912345678", get_kind_display=lambda: "A证",
                          issued=dt.date(2025, 1, 2), note="")
    assert Column("n", "name").value(row) == "甲"
    assert Column("m", "manager.name").value(row) == "—"
    assert Column("k", "get_kind_display").value(row) == "A证"
    assert Column("p", "phone", format=mask_phone).value(row) == mask_phone("13912345678")
    assert Column("x", "note", empty="").value(row) == ""
