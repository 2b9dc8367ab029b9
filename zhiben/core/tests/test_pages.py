"""The declared page machinery (zhiben.core.pages) on its own; the registry's page tests cover it in use."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404

from zhiben.core.errors import Forbidden, NotFound
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


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def _post(view_class, data):
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    request = RequestFactory().post("/x/", data)
    request.user = SimpleNamespace(is_authenticated=True, pk=1)
    request._messages = CookieStorage(request)
    return view_class.as_view()(request)


def _create_page(raising=None):
    def service(*, actor, request, name):
        if raising is not None:
            raise raising
        return SimpleNamespace(pk=5, name=name)

    class Create(ObjectCreateView):
        form_class = NameForm
        permission = bool
        title = "Create"
        success_message = "Saved."
        detail_url = "registry:person_detail"
        list_url = "registry:person_list"

        def render(self, context):  # the page's context, not base.html (which wants a real user)
            return SimpleNamespace(status_code=200, context=context)

    Create.service = staticmethod(service)
    return Create


def test_a_valid_form_calls_the_service_and_redirects_to_the_object():
    response = _post(_create_page(), {"name": "甲"})
    assert response.status_code == 302 and response.url.endswith("/5/")


def test_the_services_validation_error_lands_on_the_form():
    response = _post(_create_page(ValidationError({"name": ["已存在"]})), {"name": "甲"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"name": ["已存在"]} and form["name"].value() == "甲"
    assert response.context["cancel_url"].endswith("/persons/")


@pytest.mark.parametrize(("error", "expected"), [(Forbidden("不可"), PermissionDenied), (NotFound(), Http404)])
def test_forbidden_and_not_found_from_the_service_are_403_and_404(error, expected):
    with pytest.raises(expected):
        _post(_create_page(error), {"name": "甲"})


def test_a_refused_permission_is_403_before_the_form():
    page = _create_page()
    page.permission = staticmethod(lambda user: False)
    with pytest.raises(PermissionDenied):
        _post(page, {"name": "甲"})
