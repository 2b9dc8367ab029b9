from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zhiben.reports"
    label = "reports"
    verbose_name = _("Public reports")

    def ready(self):
        from zhiben.core.integrity import register_check
        from zhiben.dashboard.sections import register
        from zhiben.reports.dashboard import SECTION
        from zhiben.reports.history import integrity_check

        # `manage.py restore` proves every report history intact too.
        register_check("report_history", integrity_check)
        register(SECTION)  # its figures on the campaign page and in the monthly report
