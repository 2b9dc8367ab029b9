"""Bad input on the registry forms is a form error, never a 500: ids no key can hold, ids out of scope,
malformed numbers and dates."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def test_absurd_values_on_every_form_are_form_errors(client, regulator, world):
    client.force_login(regulator)
    person, enterprise, project = world.home.person, world.home.enterprise, world.home.project
    cases = [
        ("enterprise_create", [], {"name": "x", "uscc": "91141122MA0WT2405H", "region": HUGE}),
        ("enterprise_edit", [enterprise.pk], {"name": "x", "principal": HUGE, "region": "abc"}),
        ("qualification_create", [enterprise.pk], {"category": "nope", "expires": "2025-13-01"}),
        ("project_create", [], {"name": "x", "region": HUGE, "contractor": world.other.enterprise.pk}),
        ("project_edit", [project.pk], {"manager": HUGE, "contract_amount": "1e30", "status": "flying"}),
        ("participant_create", [project.pk], {"uscc": "x" * 40, "role": "boss"}),
        ("dangerous_work_create", [project.pk], {"category": "pit", "description": "", "status": "?"}),
        ("person_create", [], {"name": "x", "id_number": "1" * 18, "region": HUGE, "phone": "电话"}),
        ("person_edit", [person.pk], {"name": "", "phone": "1" * 40}),
        ("employment_create", [person.pk], {"enterprise": HUGE, "project": "-5", "kind": "staff"}),
        ("certificate_create", [person.pk], {"kind": "zzz", "issued": "2025-02-30", "expires": HUGE}),
    ]
    for name, args, data in cases:
        response = client.post(reverse(f"registry:{name}", args=args), data)
        assert response.status_code == 200, name
        assert response.context["form"].errors, name
