"""Forms of the public portal and the regulators' report pages. Validation of substance stays in the services;
these forms give the fields, their limits and the CAPTCHA."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from zhiben.core.forms import MultipleFileField, StyledFormMixin
from zhiben.reports.models import DESCRIPTION_MAX, TEXT_MAX
from zhiben.reports.photos import MAX_PHOTOS
from zhiben.reports.rules import ACCIDENT_LEVELS, BASES
from zhiben.reports.states import Outcome

MAX_ID = 2**63 - 1


class ReportForm(StyledFormMixin, forms.Form):
    description = forms.CharField(label=_("What did you see?"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("Where on the site, what danger, since when. Up to 2000 characters."))
    project = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput())
    project_name = forms.CharField(label=_("Project name"), max_length=TEXT_MAX, required=False,
                                   help_text=_("Search and choose the project, or type its name."))
    region = forms.ChoiceField(label=_("County or district"), required=False)
    location = forms.CharField(label=_("Location"), max_length=TEXT_MAX, required=False,
                               help_text=_("Address, building or a landmark nearby."))
    photos = MultipleFileField(label=_("Photos"), required=False, max_files=MAX_PHOTOS,
                               help_text=_("Up to 5 photos of 10 MB each. Position data in photos is removed."))
    anonymous = forms.TypedChoiceField(label=_("Report"), coerce=lambda v: v == "1", initial="1",
                                       choices=[("1", _("Anonymously")), ("0", _("With my name and phone"))],
                                       widget=forms.RadioSelect)
    reporter_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("Your phone"), max_length=20, required=False,
                                     help_text=_("Only the verifying bureau may see it, and every look is recorded."))
    internal = forms.BooleanField(label=_("I work for the enterprise I report (internal whistleblower)"),
                                  required=False)
    enterprise = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput())
    enterprise_name = forms.CharField(label=_("Your enterprise"), max_length=TEXT_MAX, required=False)
    captcha = CaptchaField(label=_("Characters in the picture"))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("— choose —")), *regions]
        self.fields["photos"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        self.fields["photos"].widget.attrs["capture"] = "environment"
        self.fields["anonymous"].widget.attrs.pop("class", None)


class TrackForm(StyledFormMixin, forms.Form):
    receipt_code = forms.CharField(label=_("Receipt code"), max_length=20, widget=forms.TextInput(
        attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    access_key = forms.CharField(label=_("Access key"), max_length=40,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "off"}))


class AssignForm(StyledFormMixin, forms.Form):
    inspector = forms.TypedChoiceField(label=_("Inspector"), coerce=int)

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].choices = [("", _("— choose —")), *((u.pk, str(u)) for u in inspectors)]


class VerifyForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Verification note (internal)"), max_length=DESCRIPTION_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))
    public_text = forms.CharField(label=_("Public outcome (shown to the reporter)"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    level = forms.ChoiceField(label=_("Hazard level"), required=False,
                              choices=[("", "—"), ("major", _("Major hazard")), ("general", _("General hazard"))])
    hazard_description = forms.CharField(label=_("Hazard description"), max_length=5000, required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}),
                                         help_text=_("As found on site, in your words: the enterprise sees it, "
                                                     "never the reporter's text."))
    hazard_location = forms.CharField(label=_("Location on site"), max_length=200, required=False)
    hazard_project = forms.IntegerField(label=_("Project id of the hazard"), required=False, min_value=1,
                                        max_value=MAX_ID)
    hazard_id = forms.IntegerField(label=_("Or: hazard already in the ledger (id)"), required=False, min_value=1,
                                   max_value=MAX_ID)
    duplicate_of = forms.IntegerField(label=_("Duplicate of report (id)"), required=False, min_value=1,
                                      max_value=MAX_ID)
    photos = MultipleFileField(label=_("Photos taken on site"), required=False, max_files=MAX_PHOTOS)


class RewardForm(StyledFormMixin, forms.Form):
    basis = forms.ChoiceField(label=_("Basis"), choices=list(BASES.items()))
    fine_amount = forms.DecimalField(label=_("Fine imposed (yuan)"), required=False, min_value=0, max_digits=14,
                                     decimal_places=2)
    accident_level = forms.ChoiceField(label=_("Accident level"), required=False,
                                       choices=[("", "—"), *ACCIDENT_LEVELS.items()])
    persons = forms.IntegerField(label=_("Persons concealed"), required=False, min_value=1, max_value=10000)


class PayForm(StyledFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput())
    reference = forms.CharField(label=_("Payment reference"), max_length=100)


class RevealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why do you need to see who reported?"), min_length=4, max_length=TEXT_MAX)


class ClaimForm(StyledFormMixin, forms.Form):
    receipt_code = forms.CharField(max_length=20, widget=forms.HiddenInput())
    access_key = forms.CharField(max_length=40, widget=forms.HiddenInput())
    name = forms.CharField(label=_("Name of the payee"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    account = forms.CharField(label=_("Bank card or account number"), max_length=40,
                              help_text=_("Kept encrypted; only the bureau's payment officer may see it."))
