"""The whistleblowing section of the campaign dashboard and the monthly report (dashboard/sections.py)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiben.dashboard.presentation import percent
from zhiben.dashboard.sections import Section


def figures(user, region, start: dt.date, end: dt.date) -> dict:
    from zhiben.reports.selectors import report_statistics

    return report_statistics(user, start=start, end=end, region=region.pk if region else None)


def write(writer, figures: dict, heading: str) -> None:
    """举报: received, substantiated, verified within the time limit, rewards — for the month and the year."""
    writer.heading(heading)
    rows = []
    for label, period in ((_("This month"), figures["in_month"]), (_("This year"), figures["year_to_date"])):
        share = period["verified_within_limit_share"]
        paid = period["rewards"]["paid"]
        rows.append([label, period["total"], period["internal"], period["substantiated"],
                     percent(share) if share is not None else "—", f"{paid['count']} / ¥{paid['amount']}"])
    writer.table([_("Period"), _("Reports"), _("Internal"), _("Substantiated"), _("Verified in time"),
                  _("Rewards paid")], rows, [2, 1.5, 1.5, 1.5, 2, 2.5])


SECTION = Section(key="reports", title=gettext_lazy("Public reports"), order=10, figures=figures,
                  template="reports/includes/campaign_section.html", report=write)
