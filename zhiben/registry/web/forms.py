"""Forms of the registry pages. They validate input and offer only choices inside the user's scope; the
services in `registry.services` do every write and re-check the rules.

Model forms work on a copy of the instance (see `views._copy`), so the service still sees the old values and
audits the change. Values a role may not choose (an enterprise user's own enterprise, a project user's project)
are passed in as `fixed` and merged into `cleaned_data`.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zhiben.core.forms import StyledFormMixin, StyledModelForm
from zhiben.core.masking import mask_id_number, mask_phone
from zhiben.core.scoping import scope_of
from zhiben.registry import selectors
from zhiben.registry.models import (
    Certificate,
    DangerousWork,
    Employment,
    Enterprise,
    Person,
    Project,
    ProjectParticipant,
    Qualification,
    Region,
)
from zhiben.registry.validators import validate_id_number, validate_phone, validate_uscc

DATE = forms.DateInput


class PersonChoiceField(forms.ModelChoiceField):
    """A person offered by name and masked resident ID (two workers may share a name)."""

    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{mask_id_number(obj.id_number)}）"


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} {obj.name}"


def _label(model, name: str):
    """A model field's verbose name as a form label (capitalised as model forms do)."""
    return capfirst(model._meta.get_field(name).verbose_name)


def _regions(actor, *, counties_only: bool):
    qs = selectors.regions_visible_to(actor)
    return qs.filter(level=Region.Level.COUNTY) if counties_only else qs.exclude(level=Region.Level.PROVINCE)


def _people(actor, enterprise: Enterprise, *current: Person | None):
    """The enterprise's employees the actor sees, plus whoever holds the post now (so it stays selectable)."""
    keep = [p.pk for p in current if p is not None]
    return selectors.persons_visible_to(actor).filter(
        Q(pk__in=selectors.enterprise_employees(actor, enterprise).values("pk")) | Q(pk__in=keep)
    )


class FixedValuesMixin:
    """Values decided by the page rather than by the user are merged into `cleaned_data`."""

    def __init__(self, *args, fixed: dict | None = None, **kwargs):
        self.fixed = fixed or {}
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        cleaned.update(self.fixed)
        return cleaned


# --- Enterprises -----------------------------------------------------------------------------------------

PERSON_POSTS = ("principal", "actual_controller", "safety_director")


class EnterpriseForm(StyledModelForm):
    """Regulators edit everything; an enterprise user neither its identity (USCC, region) nor its
    standardization level, which the bureau evaluates. Posts are filled from the enterprise's employees."""

    class Meta:
        model = Enterprise
        fields = [
            "name", "uscc", "region", "address", "legal_representative", "phone",
            "principal", "actual_controller", "safety_director",
            "safety_licence_no", "safety_licence_issued", "safety_licence_expires", "standardization_level",
        ]
        widgets = {"safety_licence_issued": DATE, "safety_licence_expires": DATE}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if scope_of(actor).kind == "enterprise":
            for name in ("uscc", "region", "standardization_level"):
                del self.fields[name]
        else:
            self.fields["region"] = RegionChoiceField(
                label=_label(Enterprise, "region"),
                queryset=_regions(actor, counties_only=False),
                initial=getattr(actor, "region_id", None),
            )
            self.fields["uscc"].help_text = _("18 characters; the last one is a check character.")
        if self.instance.pk is None:
            # A new enterprise has no employees yet: its posts are named once people are registered with it.
            for name in PERSON_POSTS:
                del self.fields[name]
        else:
            people = _people(actor, self.instance, *(getattr(self.instance, n) for n in PERSON_POSTS))
            for name in PERSON_POSTS:
                self.fields[name] = PersonChoiceField(
                    label=_label(Enterprise, name), queryset=people, required=False,
                    help_text=_("Chosen among the enterprise's registered employees."),
                )
        self.order_fields(self.Meta.fields)

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("safety_licence_issued"), cleaned.get("safety_licence_expires")
        if issued and expires and expires < issued:
            self.add_error("safety_licence_expires", _("The expiry date cannot be before the issue date."))
        return cleaned


class QualificationForm(StyledModelForm):
    class Meta:
        model = Qualification
        fields = ["category", "name", "grade", "certificate_no", "expires"]
        widgets = {"expires": DATE}


# --- Projects --------------------------------------------------------------------------------------------


class ProjectForm(FixedValuesMixin, StyledModelForm):
    """Regulators choose the contractor among the enterprises they see; an enterprise user's projects are
    its own (fixed); a project team edits its project but not its contractor or region."""

    class Meta:
        model = Project
        fields = [
            "name", "kind", "region", "address", "contractor", "manager", "permit_no", "permit_date",
            "status", "stage", "contract_amount", "floor_area", "start_date", "planned_completion",
        ]
        widgets = {"permit_date": DATE, "start_date": DATE, "planned_completion": DATE}

    def __init__(self, *args, actor, contractor: Enterprise | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = scope_of(actor).kind
        if kind in {"enterprise", "project"}:
            del self.fields["contractor"]
        else:
            self.fields["contractor"].queryset = selectors.enterprises_visible_to(actor)
        if kind == "project":
            del self.fields["region"]
        else:
            self.fields["region"] = RegionChoiceField(
                label=_label(Project, "region"),
                queryset=_regions(actor, counties_only=True),
                initial=getattr(contractor, "region_id", None) or getattr(actor, "region_id", None),
            )
        contractor = self.instance.contractor if self.instance.pk else contractor
        if contractor is None:
            del self.fields["manager"]  # named on edit, among the contractor's employees
        else:
            self.fields["manager"] = PersonChoiceField(
                label=_label(Project, "manager"), required=False,
                queryset=_people(actor, contractor, self.instance.manager if self.instance.pk else None),
                help_text=_("Chosen among the contractor's registered employees."),
            )
        self.order_fields(self.Meta.fields)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("planned_completion")
        if start and end and end < start:
            self.add_error("planned_completion", _("The planned completion cannot be before the start date."))
        return cleaned


class ParticipantForm(StyledFormMixin, forms.Form):
    """A participating unit is named by its full USCC (public), so a contractor can add units it cannot see."""

    uscc = forms.CharField(label=capfirst(_("unified social credit code")), max_length=18, validators=[validate_uscc],
                           help_text=_("The participating unit must already be registered on the platform."))
    role = forms.ChoiceField(label=capfirst(_("role")), choices=ProjectParticipant.Role.choices)

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("uscc"):
            return cleaned
        enterprise = selectors.enterprise_by_uscc(cleaned.get("uscc", ""))
        if enterprise is None:
            self.add_error("uscc", _("No enterprise with this code is registered; ask the bureau to register it."))
        elif enterprise.pk == self.project.contractor_id:
            self.add_error("uscc", _("The contractor cannot also be a participating unit."))
        else:
            cleaned["enterprise"] = enterprise
        return cleaned


class DangerousWorkForm(StyledModelForm):
    class Meta:
        model = DangerousWork
        fields = ["category", "description", "over_threshold", "plan_approved", "expert_reviewed", "status"]
        help_texts = {
            "over_threshold": _("Over-threshold works need an expert review of the special plan."),
        }


# --- Persons, employment, certificates ------------------------------------------------------------------


class PersonRegisterForm(StyledFormMixin, forms.Form):
    """Registration by resident ID (实名制). Regulators choose where the person is registered; an enterprise or
    project user's registration also records the employment (see services.person_register)."""

    name = forms.CharField(label=capfirst(_("name")), max_length=64)
    id_number = forms.CharField(label=capfirst(_("resident ID number")), max_length=18, min_length=18,
                                validators=[validate_id_number],
                                help_text=_("18 characters; the last one is a check digit or X."))
    phone = forms.CharField(label=capfirst(_("phone")), max_length=20, required=False, validators=[validate_phone])
    region = RegionChoiceField(label=capfirst(_("registered in")), queryset=Region.objects.none())
    employment_kind = forms.ChoiceField(label=capfirst(_("employment type")), choices=Employment.Kind.choices,
                                        initial=Employment.Kind.STAFF)
    position = forms.CharField(label=capfirst(_("position")), max_length=64, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if scope_of(actor).kind in {"enterprise", "project"}:
            del self.fields["region"]
        else:
            del self.fields["employment_kind"]
            del self.fields["position"]
            self.fields["region"].queryset = _regions(actor, counties_only=False)
            self.fields["region"].initial = getattr(actor, "region_id", None)

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()


class PersonForm(StyledModelForm):
    """Name and phone; the resident ID only for a user allowed to see it. Without that permission the phone is
    shown masked and an unchanged masked value keeps the stored number."""

    class Meta:
        model = Person
        fields = ["name", "id_number", "phone"]

    def __init__(self, *args, reveal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.masked_phone = ""
        if not reveal:
            del self.fields["id_number"]
            self.masked_phone = mask_phone(self.instance.phone)
            self.initial["phone"] = self.masked_phone
            if self.masked_phone:
                self.fields["phone"].help_text = _("Shown masked: leave it as it is to keep the current number.")

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if self.masked_phone and phone == self.masked_phone:
            return self.instance.phone
        return phone

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()


class EmploymentForm(FixedValuesMixin, StyledModelForm):
    """Regulators record any employment they see; an enterprise user only by its own enterprise (fixed); a
    project user only on its own project (both fixed)."""

    class Meta:
        model = Employment
        fields = ["enterprise", "project", "kind", "position", "started", "ended"]
        widgets = {"started": DATE, "ended": DATE}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        kind = scope_of(actor).kind
        if kind in {"enterprise", "project"}:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = selectors.enterprises_visible_to(actor)
        if kind == "project":
            del self.fields["project"]
        else:
            self.fields["project"].queryset = selectors.projects_visible_to(actor)

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started"), cleaned.get("ended")
        if started and ended and ended < started:
            self.add_error("ended", _("The end date cannot be before the start date."))
        enterprise, project = cleaned.get("enterprise"), cleaned.get("project")
        if enterprise is not None and project is not None and project.contractor_id != enterprise.pk:
            takes_part = (
                ProjectParticipant.objects.visible_to(self.actor)
                .filter(project=project, enterprise=enterprise).exists()
            )
            if not takes_part:
                self.add_error("project", _("This enterprise takes no part in the chosen project."))
        return cleaned


class CertificateForm(StyledModelForm):
    class Meta:
        model = Certificate
        fields = ["kind", "number", "issuer", "issued", "expires", "revoked"]
        widgets = {"issued": DATE, "expires": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["revoked"]

    def clean_number(self):
        return (self.cleaned_data.get("number") or "").strip()

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued"), cleaned.get("expires")
        if issued and expires and expires < issued:
            self.add_error("expires", _("The expiry date cannot be before the issue date."))
        return cleaned
