"""Hazard test helpers: register through the service, as STYLE.md asks."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.core.timeutils import BEIJING
from zhiben.hazards import services
from zhiben.registry.factories import PersonFactory


def beijing(y, m, d, hh=12, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=BEIJING)


@pytest.fixture
def register(regulator, project):
    def _register(*, actor=None, project_id=None, level="major", channel="inspection", **kwargs):
        kwargs.setdefault("description", "塔吊基础积水，附着装置未按方案设置")
        return services.hazard_register(
            actor=actor or regulator, project_id=project_id or project.pk, channel=channel, level=level, **kwargs
        )

    return _register


@pytest.fixture
def principal_user(enterprise):
    """An enterprise user who is the enterprise's principal (送知 recipient)."""
    from conftest import make_user

    person = PersonFactory(name="王建国", phone="13912345678")
    enterprise.principal = person
    enterprise.save()
    user = make_user("fzr", "enterprise", enterprise=enterprise)
    user.person = person
    user.save()
    return user


# --- The whole cast (STYLE.md) and hazards brought into each status through the services ------------------

ROLES = [
    "regulator", "inspector", "leader", "expert", "other_regulator", "city_regulator", "enterprise_user",
    "other_enterprise_user", "project_user", "principal_user", "platform_admin",
]


@pytest.fixture
def cast(request, principal_user) -> dict:
    """Every member of the cast by fixture name (all created, so notifications reach the same people in every
    test)."""
    return {name: request.getfixturevalue(name) for name in ROLES}


@pytest.fixture
def hazard_in(register, regulator, enterprise_user):
    """A hazard brought into `status` through the services. `pending_extension=True` leaves an extension request
    by the enterprise user waiting for a decision (asked while open, before any submission)."""

    def _hazard_in(status: str, *, pending_extension: bool = False, **kwargs):
        hazard = register(**kwargs)
        if pending_extension:
            services.hazard_request_extension(actor=enterprise_user, hazard_id=hazard.pk,
                                              new_deadline=hazard.deadline + dt.timedelta(days=10), reason="雨季停工")
        if status in {"submitted", "closed"}:
            services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
        if status == "closed":
            services.hazard_close(actor=regulator, hazard_id=hazard.pk, note="复查合格")
        if status == "void":
            services.hazard_void(actor=regulator, hazard_id=hazard.pk, reason="登记错误")
        hazard.refresh_from_db()
        assert hazard.status == status
        return hazard

    return _hazard_in


# The documented body of each action (API.md) and the service that carries it out.
ACTION_BODIES = {
    "submit": {"note": "已按方案整改，附着装置已复核"},
    "reject-submission": {"reason": "附着装置未复核"},
    "close": {"note": "复查合格"},
    "reopen": {"reason": "隐患反弹"},
    "void": {"reason": "登记错误"},
    "request-extension": {"new_deadline": "2099-12-31", "reason": "雨季停工"},
    "approve-extension": {},
    "deny-extension": {},
    "escalate": {"level": 1, "reason": "逾期未整改"},
    "acknowledge": {},
}

SERVICES = {
    "submit": services.hazard_submit,
    "reject-submission": services.hazard_reject_submission,
    "close": services.hazard_close,
    "reopen": services.hazard_reopen,
    "void": services.hazard_void,
    "request-extension": services.hazard_request_extension,
    "approve-extension": services.hazard_approve_extension,
    "deny-extension": services.hazard_deny_extension,
    "escalate": services.hazard_escalate,
    "acknowledge": services.hazard_acknowledge,
}


def service_kwargs(action: str) -> dict:
    body = dict(ACTION_BODIES[action])
    if "new_deadline" in body:
        body["new_deadline"] = dt.date.fromisoformat(body["new_deadline"])
    return body


def act(action: str, *, actor, hazard):
    """Carry out `action` through its service with its documented body."""
    return SERVICES[action](actor=actor, hazard_id=hazard.pk, **service_kwargs(action))
