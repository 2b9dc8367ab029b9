"""Site roles and the certificates each needs (regulations.md §5: 三类人员 A/B/C, 特种作业人员持证上岗).

A role names the certificate kinds of which the person must hold at least one, valid on the day. `worker` (a
general labourer) needs no certificate; the other checks of the competence answer still apply to them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PRINCIPAL = "principal", _("Principal (key personnel A)")
    PROJECT_MANAGER = "project_manager", _("Project manager (key personnel B)")
    SAFETY_OFFICER = "safety_officer", _("Full-time safety officer (key personnel C)")
    ELECTRICIAN = "electrician", _("Construction electrician")
    SCAFFOLDER = "scaffolder", _("Construction scaffolder")
    SIGNALLER = "signaller", _("Crane signaller and rigger")
    CRANE_DRIVER = "crane_driver", _("Crane driver")
    HOIST_DRIVER = "hoist_driver", _("Construction hoist driver")
    CRANE_INSTALLER = "crane_installer", _("Crane installer and dismantler")
    GONDOLA_INSTALLER = "gondola_installer", _("Suspended platform installer and dismantler")
    WELDER = "welder", _("Welder and cutter")
    WORKER = "worker", _("Worker")


ROLE_CERTIFICATES: dict[str, frozenset[str]] = {
    Role.PRINCIPAL: frozenset({"A"}),
    Role.PROJECT_MANAGER: frozenset({"B"}),
    Role.SAFETY_OFFICER: frozenset({"C1", "C2", "C3"}),
    Role.ELECTRICIAN: frozenset({"electrician"}),
    Role.SCAFFOLDER: frozenset({"scaffolder"}),
    Role.SIGNALLER: frozenset({"signaller"}),
    Role.CRANE_DRIVER: frozenset({"crane_driver"}),
    Role.HOIST_DRIVER: frozenset({"hoist_driver"}),
    Role.CRANE_INSTALLER: frozenset({"crane_installer"}),
    Role.GONDOLA_INSTALLER: frozenset({"gondola_installer"}),
    Role.WELDER: frozenset({"welder"}),
    Role.WORKER: frozenset(),
}
