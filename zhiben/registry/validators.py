"""Check characters of national identifiers.

- 统一社会信用代码 (USCC): GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》, clause 4 and annex.
- 公民身份号码 (resident ID): GB 11643-1999 《公民身份号码》, ISO 7064 MOD 11-2 check digit.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhiben.core.timeutils import beijing_today

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: I, O, Z, S, V are never used
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if not USCC_RE.match(code):
        raise ValidationError(
            _("A unified social credit code has 18 characters: digits and capital letters except I, O, Z, S, V."),
            code="uscc_format",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("The check character of this unified social credit code is wrong."),
                              code="uscc_check")


def id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def id_birth_date(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    number = (value or "").strip().upper()
    if not ID_RE.match(number):
        raise ValidationError(_("A resident ID number has 18 characters: 17 digits and a digit or X."),
                              code="id_format")
    birth = id_birth_date(number)
    if birth is None or birth.year < 1900 or birth > beijing_today():
        raise ValidationError(_("The birth date in this resident ID number is not valid."), code="id_birth")
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("The check digit of this resident ID number is wrong."), code="id_check")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value.strip()):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline such as 0358-1234567."),
                              code="phone")
