from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhiben.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from zhiben.core import checks  # noqa: F401  (registers the deployment checks)
