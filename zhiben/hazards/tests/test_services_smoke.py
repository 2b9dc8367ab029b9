import pytest

from zhiben.hazards import services
from zhiben.hazards.history import verify_chain
from zhiben.notifications.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_whole_life_of_a_hazard(register, regulator, enterprise_user, principal_user,
                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hazard = register()
    assert hazard.status == "open" and hazard.notified_at is not None
    assert Notification.objects.filter(recipient=principal_user, requires_ack=True).count() == 1
    assert OutboundMessage.objects.filter(address="13912345678", state="recorded").count() == 1
    services.hazard_acknowledge(actor=principal_user, hazard_id=hazard.pk)
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    services.hazard_reject_submission(actor=regulator, hazard_id=hazard.pk, reason="附着未复核")
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已复核附着")
    hazard = services.hazard_close(actor=regulator, hazard_id=hazard.pk, note="复查合格")
    assert hazard.status == "closed"
    actions = list(hazard.events.values_list("action", flat=True))
    assert actions == ["registered", "notified", "acknowledge", "submit", "reject-submission", "submit", "close"]
    assert verify_chain(hazard) is None
