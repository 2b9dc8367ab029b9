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
