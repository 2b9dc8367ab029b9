"""Registry pages: enterprises, projects, persons, certificates and the expiry warnings.

Each page is a declaration on the generic views of `zhiben.core.pages` (docs/architecture.md, "Pages"): every
read starts from a selector (scoped to the user), so an object outside the user's scope is a 404; every write
goes through `registry.services`, whose ValidationError lands on the form and whose Forbidden is a 403.
Lists run a fixed number of queries whatever the page size (pinned in tests/web/test_query_counts.py).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiben.core.masking import mask_id_number, mask_phone
from zhiben.core.pages import (
    PAGE_SIZE,  # noqa: F401  (the page size of the registry's lists; its tests read it here)
    Column,
    IdFilter,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    paginate,
)
from zhiben.core.scoping import scope_of
from zhiben.core.timeutils import beijing_today
from zhiben.registry import selectors, services
from zhiben.registry.filters import CertificateFilter, EnterpriseFilter, PersonFilter, ProjectFilter
from zhiben.registry.models import EXPIRY_WARNING_DAYS, ProjectParticipant
from zhiben.registry.web import forms as web_forms
from zhiben.registry.web.sensitive import can_reveal, identity

DETAIL_ROWS = 20  # related rows listed on a detail page before "show all"
MD, LG = "d-none d-md-table-cell", "d-none d-lg-table-cell"  # columns hidden on phones / on tablets too


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _writes_registry(user, target=None) -> bool:
    """Persons, employments and certificates: any registry writer in scope (the row was loaded through scope)."""
    return services.can_write_registry(user)


class _Form:
    """What every registry form page shares."""

    form_testid = "registry-form"


# --- Enterprises -----------------------------------------------------------------------------------------


class EnterpriseList(ObjectListView):
    title = gettext_lazy("Enterprises")
    selector = selectors.enterprise_list
    filterset = EnterpriseFilter
    columns = (
        Column(gettext_lazy("Name"), "name", link="registry:enterprise_detail"),
        Column(gettext_lazy("Unified social credit code"), "uscc", classes=f"{MD} masked"),
        Column(gettext_lazy("Region"), "region.name", classes=LG),
        Column(gettext_lazy("Safety licence"), "safety_licence_no", classes=LG),
        Column(gettext_lazy("Licence status"), template="registry/cells/licence_status.html"),
        Column(gettext_lazy("Standardization"), "get_standardization_level_display", classes=MD),
    )
    table_testid = "enterprise-table"
    can_create = services.can_create_enterprise
    create_url = "registry:enterprise_create"
    create_label = gettext_lazy("Register an enterprise")


class EnterpriseDetail(ObjectDetailView):
    template_name = "registry/enterprise_detail.html"
    context_object_name = "enterprise"
    permission = services.can_edit_enterprise
    queryset = selectors.enterprise_list
    select_related = ("safety_director",)

    def get_extra_context(self, enterprise) -> dict:
        user, request = self.user, self.request
        # Qualifications as the user's scope allows (a project team does not see them): not the unscoped prefetch.
        projects = selectors.projects_visible_to(user).filter(contractor=enterprise).select_related("region")
        participations = (
            ProjectParticipant.objects.visible_to(user).filter(enterprise=enterprise).select_related("project")
            .order_by("-project_id")
        )
        where = "enterprise_detail"
        return {
            "qualifications": selectors.qualifications_visible_to(user).filter(enterprise=enterprise),
            "principal": identity(request, enterprise.principal, where=where),
            "actual_controller": identity(request, enterprise.actual_controller, where=where),
            "safety_director": identity(request, enterprise.safety_director, where=where),
            "projects": projects[:DETAIL_ROWS],
            "project_count": projects.count(),
            "participations": participations[:DETAIL_ROWS],
            "employee_count": _current_people(selectors.employments_visible_to(user).filter(enterprise=enterprise)),
        }


def _current_people(employments: QuerySet) -> int:
    """How many distinct persons hold an employment that has not ended (Beijing today)."""
    today = beijing_today()
    return employments.filter(Q(ended__isnull=True) | Q(ended__gte=today)).values("person_id").distinct().count()


class _EnterpriseForm(_Form):
    form_class = web_forms.EnterpriseForm
    form_takes_actor = True
    service = services.enterprise_save
    detail_url = "registry:enterprise_detail"


class EnterpriseCreate(_EnterpriseForm, ObjectCreateView):
    permission = services.can_create_enterprise
    title = gettext_lazy("Register an enterprise")
    success_message = gettext_lazy("The enterprise has been registered.")
    list_url = "registry:enterprise_list"
    hint = gettext_lazy("Name the principal, actual controller and safety director after registering the "
                        "enterprise's employees.")


class EnterpriseEdit(_EnterpriseForm, ObjectEditView):
    permission = services.can_edit_enterprise
    title = gettext_lazy("Edit enterprise · %(name)s")
    success_message = gettext_lazy("The enterprise has been saved.")
    queryset = selectors.enterprises_visible_to
    select_related = ("principal", "actual_controller", "safety_director")


class _QualificationForm(_Form):
    form_class = web_forms.QualificationForm
    service = services.qualification_save
    permission = services.can_edit_enterprise
    parent_url = "registry:enterprise_detail"


class QualificationCreate(_QualificationForm, ObjectCreateView):
    parent_queryset = selectors.enterprises_visible_to
    title = gettext_lazy("Add a qualification · %(name)s")
    success_message = gettext_lazy("The qualification has been added.")


class QualificationEdit(_QualificationForm, ObjectEditView):
    parent_field = "enterprise"
    title = gettext_lazy("Edit qualification · %(name)s")
    success_message = gettext_lazy("The qualification has been saved.")
    queryset = selectors.qualifications_visible_to


# --- Projects --------------------------------------------------------------------------------------------


class ProjectList(ObjectListView):
    title = gettext_lazy("Projects")
    selector = selectors.project_list
    filterset = ProjectFilter
    id_filters = {"contractor": IdFilter(gettext_lazy("Contractor"), selectors.enterprises_visible_to)}
    columns = (
        Column(gettext_lazy("Name"), template="registry/cells/project_name.html"),
        Column(gettext_lazy("Contractor"), "contractor.name", classes=MD),
        Column(gettext_lazy("Region"), "region.name", classes=LG),
        Column(gettext_lazy("Project manager"), "manager.name", classes=LG),
        Column(gettext_lazy("Stage"), "get_stage_display", classes=MD),
        Column(gettext_lazy("Status"), template="registry/cells/project_status.html"),
    )
    table_testid = "project-table"
    can_create = services.can_create_project
    create_url = "registry:project_create"
    create_label = gettext_lazy("Register a project")


class ProjectDetail(ObjectDetailView):
    template_name = "registry/project_detail.html"
    selector = selectors.project_detail
    context_object_name = "project"
    permission = services.can_edit_project

    def get_extra_context(self, project) -> dict:
        user = self.user
        works = list(project.dangerous_works.all())
        participants = list(project.participants.all())
        linked = {project.contractor_id, *(p.enterprise_id for p in participants)}
        return {
            "manager": identity(self.request, project.manager, where="project_detail"),
            "participants": participants,
            # Only enterprises the user may open are links (a contractor's user does not see its supervisor's).
            "visible_enterprises": set(
                selectors.enterprises_visible_to(user).filter(pk__in=linked).values_list("pk", flat=True)
            ),
            "dangerous_works": works,
            "over_threshold_count": sum(1 for w in works if w.over_threshold),
            "worker_count": _current_people(selectors.employments_visible_to(user).filter(project=project)),
        }


class _ProjectForm(_Form):
    form_class = web_forms.ProjectForm
    form_takes_actor = True
    service = services.project_save
    detail_url = "registry:project_detail"


class ProjectCreate(_ProjectForm, ObjectCreateView):
    permission = services.can_create_project
    title = gettext_lazy("Register a project")
    success_message = gettext_lazy("The project has been registered.")
    list_url = "registry:project_list"

    def get_form_kwargs(self) -> dict:
        user, scope = self.user, scope_of(self.user)
        own = get_object_or_404(selectors.enterprises_visible_to(user), pk=scope.enterprise) \
            if scope.kind == "enterprise" else None
        return {**super().get_form_kwargs(), "contractor": own, "fixed": {"contractor": own} if own else None}


class ProjectEdit(_ProjectForm, ObjectEditView):
    queryset = selectors.project_list
    permission = services.can_edit_project
    title = gettext_lazy("Edit project · %(name)s")
    success_message = gettext_lazy("The project has been saved.")


class _ProjectChildForm(_Form):
    permission = services.can_edit_project
    parent_url = "registry:project_detail"


class ParticipantCreate(_ProjectChildForm, ObjectCreateView):
    form_class = web_forms.ParticipantForm
    parent_queryset = selectors.projects_visible_to
    title = gettext_lazy("Add a participating unit · %(name)s")
    success_message = gettext_lazy("The participating unit has been added.")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "project": self.parent}

    def save(self, data: dict):
        return services.participant_add(actor=self.user, project=self.parent, enterprise=data["enterprise"],
                                        role=data["role"], request=self.request)


class _DangerousWorkForm(_ProjectChildForm):
    form_class = web_forms.DangerousWorkForm
    service = services.dangerous_work_save
    success_anchor = "#dangerous-works"


class DangerousWorkCreate(_DangerousWorkForm, ObjectCreateView):
    parent_queryset = selectors.projects_visible_to
    title = gettext_lazy("Add dangerous works · %(name)s")
    success_message = gettext_lazy("The dangerous works have been added.")


class DangerousWorkEdit(_DangerousWorkForm, ObjectEditView):
    parent_field = "project"
    object_kwarg = "work"
    title = gettext_lazy("Edit dangerous works · %(name)s")
    success_message = gettext_lazy("The dangerous works have been saved.")
    queryset = selectors.dangerous_works_visible_to


# --- Persons ---------------------------------------------------------------------------------------------


class PersonList(ObjectListView):
    title = gettext_lazy("Persons")
    filterset = PersonFilter
    id_filters = {
        "enterprise": IdFilter(gettext_lazy("Enterprise"), selectors.enterprises_visible_to),
        "project": IdFilter(gettext_lazy("Project"), selectors.projects_visible_to),
    }
    columns = (
        Column(gettext_lazy("Name"), "name", link="registry:person_detail"),
        Column(gettext_lazy("Resident ID number"), "id_number", format=mask_id_number, classes="masked"),
        Column(gettext_lazy("Phone"), "phone", format=mask_phone, classes=f"{MD} masked"),
        Column(gettext_lazy("Employed by"), template="registry/cells/employed_by.html", classes=LG),
        Column(gettext_lazy("Certificates"), "certificate_count", classes=MD),
    )
    table_testid = "person-table"
    footnote = gettext_lazy("Resident ID numbers and phones are masked in lists.")
    can_create = services.can_write_registry
    create_url = "registry:person_create"
    create_label = gettext_lazy("Register a person")
    create_icon = "ti-user-plus"

    @staticmethod
    def selector(user):
        return selectors.person_list(user).order_by("name", "id").prefetch_related(Prefetch(
            "employments", to_attr="visible_employments",
            queryset=selectors.employments_visible_to(user).select_related("enterprise", "project"),
        ))


class PersonDetail(ObjectDetailView):
    template_name = "registry/person_detail.html"
    selector = selectors.person_detail
    context_object_name = "person"
    permission = _writes_registry

    def get_extra_context(self, person) -> dict:
        return {
            "identity": identity(self.request, person, where="person_detail"),
            "employments": person.employments.all(),
            "certificates": person.certificates.all(),
            "ban": selectors.active_ban(person),
        }


class PersonCreate(_Form, ObjectCreateView):
    form_class = web_forms.PersonRegisterForm
    form_takes_actor = True
    service = services.person_register
    permission = services.can_write_registry
    title = gettext_lazy("Register a person")
    success_message = gettext_lazy("The person has been registered.")
    detail_url = "registry:person_detail"
    list_url = "registry:person_list"

    def get_hint(self) -> str:
        if scope_of(self.user).kind in {"enterprise", "project"}:
            return _("Someone already registered by another unit is not registered twice: an employment with your "
                     "unit is recorded instead.")
        return ""


class PersonEdit(_Form, ObjectEditView):
    form_class = web_forms.PersonForm
    queryset = selectors.persons_visible_to
    service = services.person_update
    permission = _writes_registry
    title = gettext_lazy("Edit person · %(name)s")
    success_message = gettext_lazy("The person has been saved.")
    detail_url = "registry:person_detail"

    def get_form_kwargs(self) -> dict:
        reveal = can_reveal(self.user)
        if reveal and self.request.method == "GET":
            identity(self.request, self.object, where="person_edit")  # the form shows the stored values: audited
        return {**super().get_form_kwargs(), "reveal": reveal}


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


class _PersonChildForm(_Form):
    permission = _writes_registry
    parent_url = "registry:person_detail"


class _EmploymentForm(_PersonChildForm):
    form_class = web_forms.EmploymentForm
    form_takes_actor = True
    service = services.employment_save

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "fixed": _employer_fixed(self.user)}


class EmploymentCreate(_EmploymentForm, ObjectCreateView):
    parent_queryset = selectors.persons_visible_to
    title = gettext_lazy("Record an employment · %(name)s")
    success_message = gettext_lazy("The employment has been recorded.")


class EmploymentEdit(_EmploymentForm, ObjectEditView):
    parent_field = "person"
    title = gettext_lazy("Edit employment · %(name)s")
    title_subject = "parent"
    success_message = gettext_lazy("The employment has been saved.")
    queryset = selectors.employments_visible_to
    select_related = ("enterprise", "project")


# --- Certificates ----------------------------------------------------------------------------------------


class CertificateList(ObjectListView):
    title = gettext_lazy("Certificates")
    selector = selectors.certificate_list
    filterset = CertificateFilter
    id_filters = {"person": IdFilter(gettext_lazy("Person"), selectors.persons_visible_to)}
    columns = (
        Column(gettext_lazy("Holder"), template="registry/cells/holder.html"),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("Certificate number"), "number", classes=MD),
        Column(gettext_lazy("Issued"), "issued", format=_date, classes=LG, empty=""),
        Column(gettext_lazy("Expires"), template="registry/cells/expires.html"),
    )
    table_testid = "certificate-table"


class _CertificateForm(_PersonChildForm):
    form_class = web_forms.CertificateForm
    service = services.certificate_save


class CertificateCreate(_CertificateForm, ObjectCreateView):
    parent_queryset = selectors.persons_visible_to
    title = gettext_lazy("Add a certificate · %(name)s")
    success_message = gettext_lazy("The certificate has been added.")


class CertificateEdit(_CertificateForm, ObjectEditView):
    queryset = selectors.certificate_list
    parent_field = "person"
    title = gettext_lazy("Edit certificate · %(name)s")
    success_message = gettext_lazy("The certificate has been saved.")

# --- Expiry warnings -------------------------------------------------------------------------------------


def _warning_table(request, qs: QuerySet, field: str, param: str, today: dt.date) -> dict:
    """One table of the warnings page: counts from one aggregate, then one page of rows."""
    counts = qs.order_by().aggregate(total=Count("pk"), expired=Count("pk", filter=Q(**{f"{field}__lt": today})))
    page = paginate(request, qs, param, count=counts["total"])
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

