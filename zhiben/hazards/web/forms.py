"""Forms of the hazard pages. They parse input and offer only choices inside the caller's scope; every write and
every rule is (re-)checked by `hazards.services`, whose errors the views put back on these forms."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiben.core.errors import TooLarge
from zhiben.core.forms import StyledFormMixin
from zhiben.core.scoping import scope_of
from zhiben.core.timeutils import BEIJING, beijing_date, beijing_today
from zhiben.hazards import selectors, services
from zhiben.hazards.attachments import UnsupportedFile, inspect_upload
from zhiben.hazards.states import Channel, Level
from zhiben.hazards.web.presentation import ESCALATION_CHOICES
from zhiben.registry.selectors import projects_visible_to
from zhiben.standards.selectors import KIND_ORDER, items_in_force

MAX_ID = 2**63 - 1
MAX_FILES = 20
ACCEPT = "image/jpeg,image/png,image/gif,image/webp,application/pdf,.docx,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input. Each is checked as the service will check it (size, then type by content), so
    a bad file is a form error before anything is written; `too_large` tells the view to answer 413."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Upload at most %(count)d files at once.") % {"count": MAX_FILES})
        single = super().clean
        return [single(f, initial) for f in files]


class EvidenceMixin:
    """Pre-checks the evidence files of a form (field `evidence_field`)."""

    evidence_field = "photos"
    too_large = False

    def _clean_evidence(self):
        files = self.cleaned_data.get(self.evidence_field) or []
        for upload in files:
            try:
                inspect_upload(upload)
            except TooLarge as exc:
                self.too_large = True
                raise forms.ValidationError(f"{upload.name}: {exc.message}") from None
            except UnsupportedFile as exc:
                raise forms.ValidationError(f"{upload.name}: {exc.message}") from None
        return files


def _now_local() -> dt.datetime:
    return timezone.now().astimezone(BEIJING).replace(second=0, microsecond=0)


def parse_found_day(value) -> dt.date:
    """The Beijing date of a found-at value from the page (``YYYY-MM-DDTHH:MM`` or a date); today if unreadable."""
    text = str(value or "").strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return beijing_today()
    if moment.tzinfo is None:
        return moment.date()
    return beijing_date(moment)


def parse_id(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def item_groups(user, day: dt.date, region: int | None) -> list[tuple[str, list[tuple[int, str, str]]]]:
    """Standard items in force on `day` at the project's region, grouped by standard version, determination
    standards first (one query): ``[(standard label, [(id, option text, legal source)])]``."""
    groups: dict[int, tuple[int, str, list]] = {}
    for item in items_in_force(user, day, region=region):
        if item.standard_id not in groups:
            kind = item.standard.kind
            rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
            groups[item.standard_id] = (rank, str(item.standard), [])
        groups[item.standard_id][2].append((item.pk, f"{item.code} {item.text}", item.legal_source))
    return [(label, items) for _rank, label, items in sorted(groups.values(), key=lambda g: g[0])]


class HazardCreateForm(EvidenceMixin, StyledFormMixin, forms.Form):
    """Report a hazard. Enterprise and project users report self-inspection hazards of their own projects,
    experts inspection findings, regulators any channel."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, widget=forms.RadioSelect)
    found_at = forms.DateTimeField(
        label=_("Found at"), help_text=_("Beijing time. May lie in the past, never in the future."),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M"),
    )
    standard_item = forms.CharField(label=_("Standard item"), required=False, widget=forms.Select,
                                    help_text=_("Items of the standards in force on the day found."))
    description = forms.CharField(label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    location = forms.CharField(label=_("Location on site"), max_length=200, required=False)
    deadline = forms.DateField(label=_("Rectify by"), required=False, widget=forms.DateInput)
    photos = EvidenceField(label=_("Photos"), required=False,
                           help_text=_("Several files at once; at most 10 MB each."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        role = services.role_of(user)
        projects = projects_visible_to(user).order_by("name", "id")
        self.fields["project"].queryset = projects
        if role == "project" and user.project_id:
            self.fields["project"].initial = user.project_id
        elif role == "enterprise":
            first_two = list(projects.values_list("pk", flat=True)[:2])
            if len(first_two) == 1:
                self.fields["project"].initial = first_two[0]
        if role in {"enterprise", "project"}:
            self.fields["channel"].choices = [(Channel.SELF, Channel.SELF.label)]
        elif role == "expert":
            self.fields["channel"].choices = [(Channel.INSPECTION, Channel.INSPECTION.label)]
        self.fields["channel"].initial = (
            Channel.INSPECTION if role not in {"enterprise", "project"} else self.fields["channel"].choices[0][0]
        )
        self.fields["level"].initial = Level.MAJOR
        now = _now_local()
        self.fields["found_at"].initial = now
        found_widget = self.fields["found_at"].widget
        found_widget.input_type = "datetime-local"
        found_widget.attrs["max"] = now.strftime("%Y-%m-%dT%H:%M")
        days = settings.HAZARD_DEFAULT_DAYS
        self.fields["deadline"].help_text = _(
            "Leave empty for the default: %(major)d days after the day found for a major hazard, %(general)d for "
            "a general one."
        ) % {"major": days["major"], "general": days["general"]}
        self.fields["level"].widget.attrs.pop("class", None)
        # The item list follows the found date and the project (the template's select reloads it through htmx).
        self.item_options = item_groups(user, self._found_day(), self._region())

    def _raw(self, name):
        if self.is_bound:
            return self.data.get(name)
        value = self.fields[name].initial
        return value.pk if hasattr(value, "pk") else value

    def _found_day(self) -> dt.date:
        raw = self._raw("found_at")
        if isinstance(raw, dt.datetime):
            return beijing_date(raw)
        return parse_found_day(raw)

    def _region(self) -> int | None:
        project_id = parse_id(self._raw("project"))
        if project_id is None:
            return None
        return self.fields["project"].queryset.filter(pk=project_id).values_list("region_id", flat=True).first()

    def clean_found_at(self):
        value = self.cleaned_data["found_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("The time found cannot be in the future."))
        return value

    def clean_standard_item(self):
        value = (self.cleaned_data.get("standard_item") or "").strip()
        if not value:
            return None
        item_id = parse_id(value)
        if item_id is None:
            raise forms.ValidationError(_("Unknown item."))
        return item_id

    def clean_photos(self):
        return self._clean_evidence()

    def clean(self):
        cleaned = super().clean()
        found_at, project = cleaned.get("found_at"), cleaned.get("project")
        if found_at is None:
            return cleaned
        found_on = beijing_date(found_at)
        deadline = cleaned.get("deadline")
        if deadline is not None and deadline < found_on:
            self.add_error("deadline", _("The deadline cannot be before the day the hazard was found."))
        item_id = cleaned.get("standard_item")
        if item_id and project is not None:
            in_force = items_in_force(self.user, found_on, region=project.region_id).filter(pk=item_id).exists()
            if not in_force:
                self.add_error("standard_item", _("This item is not part of a standard in force on the day the "
                                                  "hazard was found."))
        return cleaned


def can_register(user) -> bool:
    return services.role_of(user) in services.REGISTRAR_ROLES | {"platform"} and scope_of(user).kind != "none"


# --- Action forms (one per action of states.TRANSITIONS) ---------------------------------------------------


class ActionForm(StyledFormMixin, forms.Form):
    """Base of the small forms of the action panel; `service_kwargs` turns cleaned data into the service's."""

    def __init__(self, *args, hazard, user, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        super().__init__(*args, **kwargs)
        self.hazard, self.user = hazard, user

    action = ""
    too_large = False

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def _reason():
    return forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def _note():
    return forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(EvidenceMixin, ActionForm):
    """The five fixes (措施、责任、资金、时限、预案), a note and the evidence (required on the page)."""

    action = "submit"
    evidence_field = "evidence"
    measures = forms.CharField(label=_("Measures taken"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=64)
    funds = forms.DecimalField(label=_("Funds (yuan)"), min_value=0, max_digits=12, decimal_places=2)
    completed_on = forms.DateField(label=_("Completed on"), widget=forms.DateInput)
    contingency_plan = forms.CharField(label=_("Contingency plan"), max_length=5000,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    note = _note()
    evidence = EvidenceField(label=_("Evidence"), help_text=_("Photos or documents of the rectification; at most "
                                                              "10 MB each."))

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > beijing_today():
            raise forms.ValidationError(_("The completion date cannot be in the future."))
        return value

    def clean_evidence(self):
        return self._clean_evidence()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("evidence")
        return data


class RejectForm(ActionForm):
    action = "reject-submission"
    reason = _reason()


class CloseForm(ActionForm):
    action = "close"
    note = _note()


class ReopenForm(ActionForm):
    action = "reopen"
    reason = _reason()
    deadline = forms.DateField(label=_("New deadline"), required=False, widget=forms.DateInput)

    def clean_deadline(self):
        value = self.cleaned_data.get("deadline")
        if value is not None and value < beijing_today():
            raise forms.ValidationError(_("The new deadline cannot be in the past."))
        return value


class VoidForm(ActionForm):
    action = "void"
    reason = _reason()
    duplicate_of = forms.CharField(label=_("Duplicate of (hazard code)"), max_length=32, required=False,
                                   help_text=_("Leave empty if the hazard was registered in error."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.hazard.possible_duplicate_of_id and self.hazard.possible_duplicate_of:
            self.fields["duplicate_of"].initial = self.hazard.possible_duplicate_of.code

    def clean_duplicate_of(self):
        code = (self.cleaned_data.get("duplicate_of") or "").strip().upper()
        if not code:
            return None
        pk = selectors.hazards_visible_to(self.user).filter(code=code).values_list("pk", flat=True).first()
        if pk is None:
            raise forms.ValidationError(_("Unknown hazard."))
        return pk


class ExtensionForm(ActionForm):
    action = "request-extension"
    new_deadline = forms.DateField(label=_("Requested deadline"), widget=forms.DateInput)
    reason = _reason()

    def clean_new_deadline(self):
        value = self.cleaned_data["new_deadline"]
        if value <= self.hazard.deadline:
            raise forms.ValidationError(_("The requested deadline must be after the current one."))
        return value


class ApproveExtensionForm(ActionForm):
    action = "approve-extension"
    note = _note()


class DenyExtensionForm(ActionForm):
    action = "deny-extension"
    note = _note()


class EscalateForm(ActionForm):
    action = "escalate"
    level = forms.TypedChoiceField(label=_("Escalation level"), coerce=int, choices=ESCALATION_CHOICES)
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.hazard.escalation_level
        self.fields["level"].choices = [(v, label) for v, label in ESCALATION_CHOICES if v > current]


class AcknowledgeForm(ActionForm):
    action = "acknowledge"


class EvidenceForm(EvidenceMixin, StyledFormMixin, forms.Form):
    evidence_field = "files"
    files = EvidenceField(label=_("Evidence files"), help_text=_("Photos or documents; at most 10 MB each."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_evidence_%s")
        super().__init__(*args, **kwargs)

    def clean_files(self):
        return self._clean_evidence()


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (SubmitForm, RejectForm, CloseForm, ReopenForm, VoidForm, ExtensionForm, ApproveExtensionForm,
                 DenyExtensionForm, EscalateForm, AcknowledgeForm)
}
