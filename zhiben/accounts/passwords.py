"""Password rule of 等保 2.0 practice: at least three of the four character classes (configurable)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassesValidator:
    """Requires `min_classes` of: lower-case letters, upper-case letters, digits, other symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        checks = (
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        )
        return sum(checks)

    def validate(self, password: str, user=None) -> None:
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(
                _("The password must mix at least %(n)d of: lower-case letters, upper-case letters, digits "
                  "and symbols.") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("Use at least %(n)d of: lower-case letters, upper-case letters, digits and symbols.") % {
            "n": self.min_classes
        }
