"""Declared pages: generic list, detail and form views that every domain app's `web/` declares its pages with.

A page is a class naming *what* it shows, not *how*: the scoped selector it reads from, the FilterSet, the form,
the service it writes through, the permission, the titles and the pages it links to. The views here do the rest
the same way everywhere (decision 0016, docs/architecture.md "Pages"):

- every page requires a login; every read starts from a selector taking the user (scope), so an object outside
  the user's scope, a missing one and an id no database key can hold are all 404;
- lists filter through the app's FilterSet and show one page of rows with a count (a count already known from an
  aggregate spares the COUNT query); id filters that arrive from links are kept as hidden inputs and the object
  they name is shown above the list;
- forms call the app's service: its ValidationError lands on the form (the input is kept), Forbidden is a 403,
  NotFound a 404; success shows a message and redirects.

Callables declared as class attributes (selector, queryset, service, permission, …) are plain functions, not
methods: `selector = selectors.enterprise_list` works as written.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from types import BuiltinFunctionType, FunctionType
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View

from zhiben.core.errors import Forbidden, NotFound
from zhiben.core.web import apply_form_errors

PAGE_SIZE = 50
MAX_ID = 2**63 - 1  # the largest BigAutoField value

# Class attributes that hold plain callables (declared as `service = services.enterprise_save`).
DECLARED_CALLABLES = ("selector", "queryset", "parent_queryset", "service", "permission", "can_create")


# --- Helpers, usable on their own by pages that are not (yet) declared ----------------------------------------


def paginate(request, qs, param: str = "page", *, count: int | None = None, per_page: int = PAGE_SIZE) -> Page:
    """One page of `qs` from ``?<param>=N`` (absurd numbers give the first or last page, never an error)."""
    paginator = Paginator(qs, per_page)
    if count is not None:
        paginator.count = count  # already known from an aggregate: spare the COUNT query
    return paginator.get_page(request.GET.get(param))


def valid_pk(pk) -> int:
    """The URL's id, or 404 for one no database key can hold (it never reaches the database)."""
    if not isinstance(pk, int) or not 1 <= pk <= MAX_ID:
        raise Http404
    return pk


def get_or_404(load: Callable[[], Any]):
    """Run a scoped look-up; "not visible" and "missing" are both answered 404."""
    try:
        return load()
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def hide_id_filters(filterset, *names: str):
    """Id filters (enterprise=…, project=…) arrive from links; they are kept as hidden inputs, and a value no
    database key can hold is dropped rather than sent to the database."""
    for name in names:
        filterset.form.fields[name] = forms.IntegerField(
            required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput()
        )
    return filterset


def filtered_by(filterset, name: str, queryset: QuerySet):
    """The scoped object an id filter names, shown as a label above the list (None when absent or unseen)."""
    if not filterset.is_bound:
        return None
    filterset.form.is_valid()  # fills cleaned_data with the valid fields even when another one is not
    value = filterset.form.cleaned_data.get(name)
    return None if value is None else queryset.filter(pk=value).first()


def _related(queryset: QuerySet, names: Sequence[str]) -> QuerySet:
    return queryset.select_related(*names) if names else queryset


@dataclass(frozen=True)
class IdFilter:
    """An id filter of a list that arrives from a link (``?contractor=7``): kept as a hidden input, and the scoped
    object it names shown above the list as ``label: object``."""

    label: str
    selector: Callable[[Any], QuerySet]


@dataclass(frozen=True)
class Column:
    """One column of a declared table: a header, the attribute shown (dotted path, optionally formatted) or a cell
    template (given ``row`` and ``value``), an optional link (URL name taking the row's pk) and CSS classes (e.g.
    ``d-none d-md-table-cell`` to hide it on phones)."""

    label: str
    attr: str = ""
    template: str = ""
    link: str = ""
    classes: str = ""
    format: Callable[[Any], Any] | None = None
    empty: str = "—"

    def value(self, row):
        """The attribute (a dotted path; methods such as ``get_kind_display`` are called), formatted (e.g. a
        masking function), or `empty` when there is none."""
        value = row
        for part in self.attr.split("."):
            value = getattr(value, part, None)
            if value is None:
                return self.empty
            if callable(value):
                value = value()
        if self.format is not None:
            value = self.format(value)
        return self.empty if value in ("", None) else value

    def url(self, row) -> str:
        return reverse(self.link, args=[row.pk]) if self.link else ""


# --- Base ----------------------------------------------------------------------------------------------------


@method_decorator(login_required, name="dispatch")
class PageView(View):
    """A logged-in page. Subclasses declare `template_name` and `title` (a lazy string)."""

    template_name: ClassVar[str] = ""
    title: ClassVar[Any] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in DECLARED_CALLABLES:
            # The nearest declaration, which may sit on a plain mixin class that this hook never saw.
            value = next((klass.__dict__[name] for klass in cls.__mro__ if name in klass.__dict__), None)
            if isinstance(value, FunctionType | BuiltinFunctionType | partial):
                setattr(cls, name, staticmethod(value))

    @property
    def user(self):
        return self.request.user

    def dispatch(self, request, *args, **kwargs):
        self.prepare(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def prepare(self, **kwargs) -> None:
        """Load and check what every method of the page needs (after the login check, before get/post)."""

    def get_context_data(self, **context) -> dict:
        return context

    def render(self, context: dict):
        return render(self.request, self.template_name, self.get_context_data(**context))


# --- List ----------------------------------------------------------------------------------------------------


class ObjectListView(PageView):
    """A filtered, paginated list.

    Declare: `selector(user) -> QuerySet` (scoped), `filterset` (the app's FilterSet class; none for a plain
    list with its own template), `columns` (shown by
    the generic ``pages/list.html``; or an own `template_name`), optional `id_filters` ({filter name:
    IdFilter}), `can_create(user) -> bool` with `create_url` (URL name) and `create_label`, and a `footnote`.
    """

    template_name = "pages/list.html"
    selector: ClassVar[Callable[[Any], QuerySet] | None] = None
    filterset: ClassVar[type | None] = None
    id_filters: ClassVar[dict[str, IdFilter]] = {}
    columns: ClassVar[Sequence[Column]] = ()
    can_create: ClassVar[Callable[[Any], bool] | None] = None
    create_url: ClassVar[str] = ""
    create_label: ClassVar[Any] = ""
    create_icon: ClassVar[str] = "ti-plus"
    table_testid: ClassVar[str] = "object-table"
    footnote: ClassVar[Any] = ""
    per_page: ClassVar[int] = PAGE_SIZE

    def get_queryset(self) -> QuerySet:
        return self.selector(self.user)

    def get(self, request, *args, **kwargs):
        if self.filterset is None:  # a plain list: no filter form
            return self.render({"title": self.title, "page": paginate(request, self.get_queryset(),
                                                                      per_page=self.per_page)})
        filterset = self.filterset(request.GET or None, queryset=self.get_queryset(), request=request)
        hide_id_filters(filterset, *self.id_filters)
        context = {
            "title": self.title,
            "filter": filterset,
            "page": paginate(request, filterset.qs, per_page=self.per_page),
            "columns": self.columns,
            "table_testid": self.table_testid,
            "footnote": self.footnote,
        }
        shown = []
        for name, id_filter in self.id_filters.items():
            context[name] = filtered_by(filterset, name, id_filter.selector(self.user))
            if context[name] is not None:
                shown.append((id_filter.label, context[name]))
        context["filtered_by"] = shown
        if self.can_create is not None:
            context["can_create"] = self.can_create(self.user)
            context.update(create_url=reverse(self.create_url) if self.create_url else "",
                           create_label=self.create_label, create_icon=self.create_icon)
        return self.render(context)


# --- Detail --------------------------------------------------------------------------------------------------


class ObjectDetailView(PageView):
    """One object. Declare `selector(user, pk) -> object` (raising DoesNotExist when unseen) or
    `queryset(user) -> QuerySet` (with `select_related`), `context_object_name`, optional
    `permission(user, obj) -> bool` (shown as ``can_edit``) and `get_extra_context(obj)` for the related rows
    the page shows."""

    selector: ClassVar[Callable[[Any, int], Any] | None] = None
    queryset: ClassVar[Callable[[Any], QuerySet] | None] = None
    select_related: ClassVar[Sequence[str]] = ()
    context_object_name: ClassVar[str] = "object"
    permission: ClassVar[Callable[..., bool] | None] = None

    def get_object(self, pk: int):
        pk = valid_pk(pk)
        if self.selector is not None:
            return get_or_404(lambda: self.selector(self.user, pk))
        return get_or_404(lambda: _related(self.queryset(self.user), self.select_related).get(pk=pk))

    def get_extra_context(self, obj) -> dict:
        return {}

    def get(self, request, pk: int, *args, **kwargs):
        obj = self.get_object(pk)
        context = {self.context_object_name: obj, **self.get_extra_context(obj)}
        if self.permission is not None:
            context["can_edit"] = self.permission(self.user, obj)
        return self.render(context)


# --- Forms ---------------------------------------------------------------------------------------------------


class ObjectEditView(PageView):
    """Edit an object through a service. The URL's pk names the object, loaded from `queryset(user)` (scoped:
    404 when unseen; joined with `select_related` and the parent), then `permission(user, target)` decides
    (403), where the target is the parent for a child object (`parent_field`, e.g. a qualification's
    enterprise) and the object itself otherwise.

    A valid POST calls ``service(actor=user, request=request, <object_kwarg>=object, **cleaned_data)``; override
    `save(data)` when the service takes something else. Success redirects to the parent's page (`parent_url`)
    for a child, else to the object's (`detail_url`), adding `success_anchor`.

    `title` may hold ``%(name)s``: the object's name (or the parent's, with ``title_subject = "parent"``).
    """

    template_name = "pages/form.html"
    form_class: ClassVar[type | None] = None
    queryset: ClassVar[Callable[[Any], QuerySet] | None] = None
    select_related: ClassVar[Sequence[str]] = ()
    parent_field: ClassVar[str] = ""
    service: ClassVar[Callable[..., Any] | None] = None
    object_kwarg: ClassVar[str] = ""
    parent_kwarg: ClassVar[str] = ""
    permission: ClassVar[Callable[..., bool] | None] = None
    success_message: ClassVar[Any] = ""
    detail_url: ClassVar[str] = ""
    parent_url: ClassVar[str] = ""
    list_url: ClassVar[str] = ""
    success_anchor: ClassVar[str] = ""
    title_subject: ClassVar[str] = "object"
    hint: ClassVar[Any] = ""
    form_testid: ClassVar[str] = "object-form"
    form_takes_actor: ClassVar[bool] = False  # the form is built with ``actor=user`` (choices in the user's scope)

    object = None
    parent = None

    # Loading
    def load(self, pk: int | None) -> None:
        pk = valid_pk(pk)
        related = (*self.select_related, self.parent_field) if self.parent_field else self.select_related
        self.object = get_or_404(lambda: _related(self.queryset(self.user), related).get(pk=pk))
        if self.parent_field:
            self.parent = getattr(self.object, self.parent_field)

    def check_permission(self) -> None:
        target = self.parent if self.parent is not None else self.object
        allowed = self.permission(self.user) if target is None else self.permission(self.user, target)
        if not allowed:
            raise PermissionDenied

    # The form
    def get_form_kwargs(self) -> dict:
        kwargs: dict = {"data": self.request.POST or None}
        if self.form_takes_actor:
            kwargs["actor"] = self.user
        if self.object is not None and issubclass(self.form_class, forms.ModelForm):
            kwargs["instance"] = copy.copy(self.object)  # validated on a copy: the service compares with the stored row
        return kwargs

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    # Saving
    def save(self, data: dict):
        target: dict = {}
        if self.object is not None:
            target[self.object_kwarg or self.object._meta.model_name] = self.object
        elif self.parent is not None:
            target[self.parent_kwarg or self.parent._meta.model_name] = self.parent
        return self.service(actor=self.user, request=self.request, **target, **data)

    # Words and links
    def get_title(self) -> str:
        subject = self.parent if self.title_subject == "parent" or self.object is None else self.object
        title = str(self.title)
        return title % {"name": subject} if subject is not None and "%(name)s" in title else title

    def get_hint(self) -> str:
        return self.hint

    def get_success_url(self, saved) -> str:
        if self.parent is not None:
            return reverse(self.parent_url, args=[self.parent.pk]) + self.success_anchor
        return reverse(self.detail_url, args=[saved.pk]) + self.success_anchor

    def get_cancel_url(self) -> str:
        if self.parent is not None:
            return reverse(self.parent_url, args=[self.parent.pk])
        if self.object is not None:
            return reverse(self.detail_url, args=[self.object.pk])
        return reverse(self.list_url)

    # The request
    def prepare(self, **kwargs) -> None:
        self.load(kwargs.get("pk"))
        self.check_permission()

    def get(self, request, *args, **kwargs):
        return self.form_page(self.get_form())

    def post(self, request, *args, **kwargs):
        return self.form_page(self.get_form())

    def form_page(self, form):
        """GET shows the form; a valid POST calls the service. Its ValidationError becomes form errors (the input
        is kept), Forbidden a 403 and NotFound a 404."""
        if self.request.method == "POST" and form.is_valid():
            try:
                saved = self.save(form.cleaned_data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            except Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            except NotFound as exc:
                raise Http404 from exc
            else:
                messages.success(self.request, self.success_message)
                return redirect(self.get_success_url(saved))
        return self.render({
            "form": form, "title": self.get_title(), "cancel_url": self.get_cancel_url(), "hint": self.get_hint(),
            "form_testid": self.form_testid,
        })


class ObjectCreateView(ObjectEditView):
    """Create an object through a service. A top-level object has no pk in its URL (`permission(user)`); a child
    object is created under a parent the URL's pk names, loaded from `parent_queryset(user)` (404 when unseen)
    and checked with `permission(user, parent)`; the service receives it as `<parent_kwarg>=parent`."""

    parent_queryset: ClassVar[Callable[[Any], QuerySet] | None] = None

    def load(self, pk: int | None) -> None:
        if self.parent_queryset is not None:
            pk = valid_pk(pk)
            self.parent = get_or_404(lambda: self.parent_queryset(self.user).get(pk=pk))
