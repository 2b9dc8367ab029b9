from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "zhiben.hazards"
    label = "hazards"
    verbose_name = _("Hazard ledger")

    def ready(self):
        from zhiben.core.integrity import register_check
        from zhiben.hazards.history import integrity_check

        # `manage.py restore` proves every hazard history intact after bringing a backup back.
        register_check("hazard_history", integrity_check)

        from zhiben.core import search
        from zhiben.hazards.search import refresh_for_enterprise, refresh_for_project

        # A hazard's search document copies its project's and enterprise's names.
        search.on_rename("registry.Project", refresh_for_project)
        search.on_rename("registry.Enterprise", refresh_for_enterprise)
