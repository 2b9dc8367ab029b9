"""Registry pages: enterprises, projects, persons, certificates and the expiry warnings.

Every read starts from a selector (scoped to the user), so an object outside the user's scope is a 404; every
write goes through `registry.services`, whose ValidationError lands on the form and whose Forbidden is a 403.
Lists run a fixed number of queries whatever the page size (pinned in tests/web/test_query_counts.py).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhiben.core.errors import Forbidden, NotFound
from zhiben.core.scoping import scope_of
from zhiben.core.timeutils import beijing_today
from zhiben.core.web import apply_form_errors
from zhiben.registry import selectors, services
from zhiben.registry.filters import CertificateFilter, EnterpriseFilter, PersonFilter, ProjectFilter
from zhiben.registry.models import EXPIRY_WARNING_DAYS, ProjectParticipant
from zhiben.registry.web import forms as web_forms
from zhiben.registry.web.sensitive import can_reveal, identity

PAGE_SIZE = 50
DETAIL_ROWS = 20  # related rows listed on a detail page before "show all"
MAX_ID = 2**63 - 1  # the largest BigAutoField value


# --- Helpers ---------------------------------------------------------------------------------------------


def _paginate(request, qs, param: str = "page", *, count: int | None = None) -> Page:
    paginator = Paginator(qs, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # already known from an aggregate: spare the COUNT query
    return paginator.get_page(request.GET.get(param))


def _get(selector: Callable[[Any, int], Any], user, pk: int):
    """A scoped detail selector, with "not visible" and "missing" both answered 404."""
    try:
        return selector(user, pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _copy(obj):
    """A model form validates on a copy, so the service still compares against the stored values."""
    return copy.copy(obj)


def _hide(filterset, *names: str):
    """Id filters (enterprise=…, project=…) arrive from links; they are kept as hidden inputs, and a value no
    database key can hold is dropped rather than sent to the database."""
    for name in names:
        filterset.form.fields[name] = forms.IntegerField(
            required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput()
        )
    return filterset


def _filtered_by(filterset, name: str, queryset: QuerySet):
    """The scoped object an id filter names, shown as a label above the list (None when absent or unseen)."""
    if not filterset.is_bound:
        return None
    filterset.form.is_valid()  # fills cleaned_data with the valid fields even when another one is not
    value = filterset.form.cleaned_data.get(name)
    return None if value is None else queryset.filter(pk=value).first()


def _form_page(request, form, *, save: Callable[[dict], Any], success: Callable[[Any], str], message: str,
               title: str, cancel_url: str, context: dict | None = None):
    """GET shows the form; a valid POST calls the service. Its ValidationError becomes form errors (the input
    is kept), Forbidden a 403 and NotFound a 404."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404 from exc
        else:
            messages.success(request, message)
            return redirect(success(obj))
    return render(request, "registry/form.html", {
        "form": form, "title": title, "cancel_url": cancel_url, **(context or {}),
    })


# --- Enterprises -----------------------------------------------------------------------------------------


@login_required
def enterprise_list(request):
    user = request.user
    filterset = EnterpriseFilter(request.GET or None, queryset=selectors.enterprise_list(user), request=request)
    return render(request, "registry/enterprise_list.html", {
        "filter": filterset,
        "page": _paginate(request, filterset.qs),
        "can_create": services.can_create_enterprise(user),
    })


@login_required
def enterprise_detail(request, pk: int):
    user = request.user
    enterprise = get_object_or_404(selectors.enterprise_list(user).select_related("safety_director"), pk=pk)
    # Qualifications as the user's scope allows (a project team does not see them): not the unscoped prefetch.
    qualifications = selectors.qualifications_visible_to(user).filter(enterprise=enterprise)
    projects = selectors.projects_visible_to(user).filter(contractor=enterprise).select_related("region")
    participations = (
        ProjectParticipant.objects.visible_to(user).filter(enterprise=enterprise).select_related("project")
        .order_by("-project_id")
    )
    today = beijing_today()
    employees = (
        selectors.employments_visible_to(user).filter(enterprise=enterprise)
        .filter(Q(ended__isnull=True) | Q(ended__gte=today)).values("person_id").distinct().count()
    )
    where = "enterprise_detail"
    return render(request, "registry/enterprise_detail.html", {
        "enterprise": enterprise,
        "qualifications": qualifications,
        "principal": identity(request, enterprise.principal, where=where),
        "actual_controller": identity(request, enterprise.actual_controller, where=where),
        "safety_director": identity(request, enterprise.safety_director, where=where),
        "projects": projects[:DETAIL_ROWS],
        "project_count": projects.count(),
        "participations": participations[:DETAIL_ROWS],
        "employee_count": employees,
        "can_edit": services.can_edit_enterprise(user, enterprise),
    })


@login_required
def enterprise_create(request):
    user = request.user
    _require(services.can_create_enterprise(user))
    form = web_forms.EnterpriseForm(request.POST or None, actor=user)
    return _form_page(
        request, form,
        save=lambda data: services.enterprise_save(actor=user, request=request, **data),
        success=lambda obj: reverse("registry:enterprise_detail", args=[obj.pk]),
        message=_("The enterprise has been registered."),
        title=_("Register an enterprise"), cancel_url=reverse("registry:enterprise_list"),
        context={"hint": _("Name the principal, actual controller and safety director after registering the "
                           "enterprise's employees.")},
    )


@login_required
def enterprise_edit(request, pk: int):
    user = request.user
    enterprise = get_object_or_404(selectors.enterprises_visible_to(user).select_related(
        "principal", "actual_controller", "safety_director"), pk=pk)
    _require(services.can_edit_enterprise(user, enterprise))
    form = web_forms.EnterpriseForm(request.POST or None, instance=_copy(enterprise), actor=user)
    return _form_page(
        request, form,
        save=lambda data: services.enterprise_save(actor=user, enterprise=enterprise, request=request, **data),
        success=lambda obj: reverse("registry:enterprise_detail", args=[obj.pk]),
        message=_("The enterprise has been saved."),
        title=_("Edit enterprise · %(name)s") % {"name": enterprise.name},
        cancel_url=reverse("registry:enterprise_detail", args=[enterprise.pk]),
    )


@login_required
def qualification_create(request, pk: int):
    user = request.user
    enterprise = get_object_or_404(selectors.enterprises_visible_to(user), pk=pk)
    _require(services.can_edit_enterprise(user, enterprise))
    form = web_forms.QualificationForm(request.POST or None)
    return _form_page(
        request, form,
        save=lambda data: services.qualification_save(actor=user, enterprise=enterprise, request=request, **data),
        success=lambda obj: reverse("registry:enterprise_detail", args=[enterprise.pk]),
        message=_("The qualification has been added."),
        title=_("Add a qualification · %(name)s") % {"name": enterprise.name},
        cancel_url=reverse("registry:enterprise_detail", args=[enterprise.pk]),
    )


@login_required
def qualification_edit(request, pk: int):
    user = request.user
    qualification = get_object_or_404(
        selectors.qualifications_visible_to(user).select_related("enterprise"), pk=pk
    )
    enterprise = qualification.enterprise
    _require(services.can_edit_enterprise(user, enterprise))
    form = web_forms.QualificationForm(request.POST or None, instance=_copy(qualification))
    return _form_page(
        request, form,
        save=lambda data: services.qualification_save(actor=user, qualification=qualification, request=request,
                                                      **data),
        success=lambda obj: reverse("registry:enterprise_detail", args=[enterprise.pk]),
        message=_("The qualification has been saved."),
        title=_("Edit qualification · %(name)s") % {"name": qualification},
        cancel_url=reverse("registry:enterprise_detail", args=[enterprise.pk]),
    )


# --- Projects --------------------------------------------------------------------------------------------


@login_required
def project_list(request):
    user = request.user
    filterset = _hide(ProjectFilter(request.GET or None, queryset=selectors.project_list(user), request=request),
                      "contractor")
    return render(request, "registry/project_list.html", {
        "filter": filterset,
        "page": _paginate(request, filterset.qs),
        "contractor": _filtered_by(filterset, "contractor", selectors.enterprises_visible_to(user)),
        "can_create": services.can_create_project(user),
    })


@login_required
def project_detail(request, pk: int):
    user = request.user
    project = _get(selectors.project_detail, user, pk)
    today = beijing_today()
    workers = (
        selectors.employments_visible_to(user).filter(project=project)
        .filter(Q(ended__isnull=True) | Q(ended__gte=today)).values("person_id").distinct().count()
    )
    works = list(project.dangerous_works.all())
    participants = list(project.participants.all())
    linked = {project.contractor_id, *(p.enterprise_id for p in participants)}
    return render(request, "registry/project_detail.html", {
        "project": project,
        "manager": identity(request, project.manager, where="project_detail"),
        "participants": participants,
        # Only enterprises the user may open are links (a contractor's user does not see its supervisor's record).
        "visible_enterprises": set(
            selectors.enterprises_visible_to(user).filter(pk__in=linked).values_list("pk", flat=True)
        ),
        "dangerous_works": works,
        "over_threshold_count": sum(1 for w in works if w.over_threshold),
        "worker_count": workers,
        "can_edit": services.can_edit_project(user, project),
    })


@login_required
def project_create(request):
    user = request.user
    _require(services.can_create_project(user))
    scope = scope_of(user)
    own = get_object_or_404(selectors.enterprises_visible_to(user), pk=scope.enterprise) \
        if scope.kind == "enterprise" else None
    form = web_forms.ProjectForm(request.POST or None, actor=user, contractor=own,
                                 fixed={"contractor": own} if own else None)
    return _form_page(
        request, form,
        save=lambda data: services.project_save(actor=user, request=request, **data),
        success=lambda obj: reverse("registry:project_detail", args=[obj.pk]),
        message=_("The project has been registered."),
        title=_("Register a project"), cancel_url=reverse("registry:project_list"),
    )


@login_required
def project_edit(request, pk: int):
    user = request.user
    project = get_object_or_404(selectors.project_list(user), pk=pk)
    _require(services.can_edit_project(user, project))
    form = web_forms.ProjectForm(request.POST or None, instance=_copy(project), actor=user)
    return _form_page(
        request, form,
        save=lambda data: services.project_save(actor=user, project=project, request=request, **data),
        success=lambda obj: reverse("registry:project_detail", args=[obj.pk]),
        message=_("The project has been saved."),
        title=_("Edit project · %(name)s") % {"name": project.name},
        cancel_url=reverse("registry:project_detail", args=[project.pk]),
    )


@login_required
def participant_create(request, pk: int):
    user = request.user
    project = get_object_or_404(selectors.projects_visible_to(user), pk=pk)
    _require(services.can_edit_project(user, project))
    form = web_forms.ParticipantForm(request.POST or None, project=project)
    return _form_page(
        request, form,
        save=lambda data: services.participant_add(actor=user, project=project, enterprise=data["enterprise"],
                                                   role=data["role"], request=request),
        success=lambda obj: reverse("registry:project_detail", args=[project.pk]),
        message=_("The participating unit has been added."),
        title=_("Add a participating unit · %(name)s") % {"name": project.name},
        cancel_url=reverse("registry:project_detail", args=[project.pk]),
    )


@login_required
def dangerous_work_create(request, pk: int):
    user = request.user
    project = get_object_or_404(selectors.projects_visible_to(user), pk=pk)
    _require(services.can_edit_project(user, project))
    form = web_forms.DangerousWorkForm(request.POST or None)
    return _form_page(
        request, form,
        save=lambda data: services.dangerous_work_save(actor=user, project=project, request=request, **data),
        success=lambda obj: reverse("registry:project_detail", args=[project.pk]) + "#dangerous-works",
        message=_("The dangerous works have been added."),
        title=_("Add dangerous works · %(name)s") % {"name": project.name},
        cancel_url=reverse("registry:project_detail", args=[project.pk]),
    )


@login_required
def dangerous_work_edit(request, pk: int):
    user = request.user
    work = get_object_or_404(selectors.dangerous_works_visible_to(user).select_related("project"), pk=pk)
    project = work.project
    _require(services.can_edit_project(user, project))
    form = web_forms.DangerousWorkForm(request.POST or None, instance=_copy(work))
    return _form_page(
        request, form,
        save=lambda data: services.dangerous_work_save(actor=user, work=work, request=request, **data),
        success=lambda obj: reverse("registry:project_detail", args=[project.pk]) + "#dangerous-works",
        message=_("The dangerous works have been saved."),
        title=_("Edit dangerous works · %(name)s") % {"name": work.description},
        cancel_url=reverse("registry:project_detail", args=[project.pk]),
    )


# --- Persons ---------------------------------------------------------------------------------------------


@login_required
def person_list(request):
    user = request.user
    persons = selectors.person_list(user).order_by("name", "id").prefetch_related(Prefetch(
        "employments", to_attr="visible_employments",
        queryset=selectors.employments_visible_to(user).select_related("enterprise", "project"),
    ))
    filterset = _hide(PersonFilter(request.GET or None, queryset=persons, request=request), "enterprise", "project")
    return render(request, "registry/person_list.html", {
        "filter": filterset,
        "page": _paginate(request, filterset.qs),
        "enterprise": _filtered_by(filterset, "enterprise", selectors.enterprises_visible_to(user)),
        "project": _filtered_by(filterset, "project", selectors.projects_visible_to(user)),
        "can_create": services.can_write_registry(user),
    })


@login_required
def person_detail(request, pk: int):
    user = request.user
    person = _get(selectors.person_detail, user, pk)
    return render(request, "registry/person_detail.html", {
        "person": person,
        "identity": identity(request, person, where="person_detail"),
        "employments": person.employments.all(),
        "certificates": person.certificates.all(),
        "ban": selectors.active_ban(person),
        "can_edit": services.can_write_registry(user),
    })


@login_required
def person_create(request):
    user = request.user
    _require(services.can_write_registry(user))
    form = web_forms.PersonRegisterForm(request.POST or None, actor=user)
    if scope_of(user).kind in {"enterprise", "project"}:
        hint = _("Someone already registered by another unit is not registered twice: an employment with your "
                 "unit is recorded instead.")
    else:
        hint = ""
    return _form_page(
        request, form,
        save=lambda data: services.person_register(actor=user, request=request, **data),
        success=lambda obj: reverse("registry:person_detail", args=[obj.pk]),
        message=_("The person has been registered."),
        title=_("Register a person"), cancel_url=reverse("registry:person_list"), context={"hint": hint},
    )


@login_required
def person_edit(request, pk: int):
    user = request.user
    person = get_object_or_404(selectors.persons_visible_to(user), pk=pk)
    _require(services.can_write_registry(user))
    reveal = can_reveal(user)
    if reveal and request.method == "GET":
        identity(request, person, where="person_edit")  # the form shows the stored values: audited
    form = web_forms.PersonForm(request.POST or None, instance=_copy(person), reveal=reveal)
    return _form_page(
        request, form,
        save=lambda data: services.person_update(actor=user, person=person, request=request, **data),
        success=lambda obj: reverse("registry:person_detail", args=[obj.pk]),
        message=_("The person has been saved."),
        title=_("Edit person · %(name)s") % {"name": person.name},
        cancel_url=reverse("registry:person_detail", args=[person.pk]),
    )


def _employer_fixed(user) -> dict:
    """What an enterprise or project user cannot choose when recording an employment."""
    scope = scope_of(user)
    if scope.kind == "enterprise":
        return {"enterprise": get_object_or_404(selectors.enterprises_visible_to(user), pk=scope.enterprise)}
    if scope.kind == "project":
        project = get_object_or_404(selectors.projects_visible_to(user).select_related("contractor"),
                                    pk=scope.project)
        return {"enterprise": project.contractor, "project": project}
    return {}


@login_required
def employment_create(request, pk: int):
    user = request.user
    person = get_object_or_404(selectors.persons_visible_to(user), pk=pk)
    _require(services.can_write_registry(user))
    form = web_forms.EmploymentForm(request.POST or None, actor=user, fixed=_employer_fixed(user))
    return _form_page(
        request, form,
        save=lambda data: services.employment_save(actor=user, person=person, request=request, **data),
        success=lambda obj: reverse("registry:person_detail", args=[person.pk]),
        message=_("The employment has been recorded."),
        title=_("Record an employment · %(name)s") % {"name": person.name},
        cancel_url=reverse("registry:person_detail", args=[person.pk]),
    )


@login_required
def employment_edit(request, pk: int):
    user = request.user
    employment = get_object_or_404(
        selectors.employments_visible_to(user).select_related("person", "enterprise", "project"), pk=pk
    )
    _require(services.can_write_registry(user))
    person = employment.person
    form = web_forms.EmploymentForm(request.POST or None, instance=_copy(employment), actor=user,
                                    fixed=_employer_fixed(user))
    return _form_page(
        request, form,
        save=lambda data: services.employment_save(actor=user, employment=employment, request=request, **data),
        success=lambda obj: reverse("registry:person_detail", args=[person.pk]),
        message=_("The employment has been saved."),
        title=_("Edit employment · %(name)s") % {"name": person.name},
        cancel_url=reverse("registry:person_detail", args=[person.pk]),
    )


# --- Certificates ----------------------------------------------------------------------------------------


@login_required
def certificate_list(request):
    user = request.user
    filterset = _hide(CertificateFilter(request.GET or None, queryset=selectors.certificate_list(user),
                                        request=request), "person")
    return render(request, "registry/certificate_list.html", {
        "filter": filterset,
        "page": _paginate(request, filterset.qs),
        "person": _filtered_by(filterset, "person", selectors.persons_visible_to(user)),
    })


@login_required
def certificate_create(request, pk: int):
    user = request.user
    person = get_object_or_404(selectors.persons_visible_to(user), pk=pk)
    _require(services.can_write_registry(user))
    form = web_forms.CertificateForm(request.POST or None)
    return _form_page(
        request, form,
        save=lambda data: services.certificate_save(actor=user, person=person, request=request, **data),
        success=lambda obj: reverse("registry:person_detail", args=[person.pk]),
        message=_("The certificate has been added."),
        title=_("Add a certificate · %(name)s") % {"name": person.name},
        cancel_url=reverse("registry:person_detail", args=[person.pk]),
    )


@login_required
def certificate_edit(request, pk: int):
    user = request.user
    certificate = get_object_or_404(selectors.certificate_list(user), pk=pk)
    _require(services.can_write_registry(user))
    person = certificate.person
    form = web_forms.CertificateForm(request.POST or None, instance=_copy(certificate))
    return _form_page(
        request, form,
        save=lambda data: services.certificate_save(actor=user, certificate=certificate, request=request, **data),
        success=lambda obj: reverse("registry:person_detail", args=[person.pk]),
        message=_("The certificate has been saved."),
        title=_("Edit certificate · %(name)s") % {"name": certificate},
        cancel_url=reverse("registry:person_detail", args=[person.pk]),
    )


# --- Expiry warnings -------------------------------------------------------------------------------------


def _warning_table(request, qs: QuerySet, field: str, param: str, today: dt.date) -> dict:
    """One table of the warnings page: counts from one aggregate, then one page of rows."""
    counts = qs.order_by().aggregate(total=Count("pk"), expired=Count("pk", filter=Q(**{f"{field}__lt": today})))
    page = _paginate(request, qs, param, count=counts["total"])
    return {
        "page": page,
        "total": counts["total"],
        "expired": counts["expired"],
        "expiring": counts["total"] - counts["expired"],
        "previous": page.has_previous() and _page_url(request, param, page.previous_page_number()),
        "next": page.has_next() and _page_url(request, param, page.next_page_number()),
    }


def _page_url(request, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"


@login_required
def warnings(request):
    user = request.user
    today = beijing_today()
    return render(request, "registry/warnings.html", {
        "days": EXPIRY_WARNING_DAYS,
        "today": today,
        "licences": _warning_table(request, selectors.expiring_licences(user, today=today),
                                   "safety_licence_expires", "lpage", today),
        "qualifications": _warning_table(request, selectors.expiring_qualifications(user, today=today),
                                         "expires", "qpage", today),
        "certificates": _warning_table(request, selectors.expiring_certificates(user, today=today),
                                       "expires", "cpage", today),
    })

