"""The published reward rule for reports (举报奖励), as data with its source, and the one function that applies it.

Source: 《安全生产领域举报奖励办法》(安监总财〔2018〕19号, 原国家安全监管总局、财政部), 第十三条、第十四条, adopted
unchanged for Shanxi's housing and construction sector by 《山西省住建领域安全生产举报奖励办法》(山西省住房和城乡建设厅,
2024-04) — the rule that applies in 交城县:

- a report of a major accident hazard or of illegal production, operation or construction that is substantiated:
  15 % of the administrative fine, at least 3,000 yuan and at most 300,000 yuan;
- a report of a concealed or falsely reported accident: per person whose death was concealed, by the accident's
  final level — 30,000 (一般), 40,000 (较大), 50,000 (重大), 60,000 (特别重大) yuan — at most 300,000 yuan.

Amounts are whole yuan, rounded half up from the percentage (a fine of 20,001 yuan gives 3,000.15 → 3,000).
The amount is always computed here, never typed by a user.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

SOURCE = "安监总财〔2018〕19号 第十三、十四条；山西省住建领域安全生产举报奖励办法（2024）"


@dataclass(frozen=True)
class FineRule:
    rate: Decimal
    minimum: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class ConcealmentRule:
    per_person: dict[str, Decimal]
    maximum: Decimal


FINE_RULE = FineRule(rate=Decimal("0.15"), minimum=Decimal(3000), maximum=Decimal(300000))
CONCEALMENT_RULE = ConcealmentRule(
    per_person={"ordinary": Decimal(30000), "larger": Decimal(40000), "major": Decimal(50000),
                "especially_major": Decimal(60000)},
    maximum=Decimal(300000),
)

BASES = {"fine": _("Substantiated major hazard or illegal construction (share of the fine)"),
         "concealment": _("Concealed or falsely reported accident (per person)")}
ACCIDENT_LEVELS = {"ordinary": _("Ordinary accident"), "larger": _("Larger accident"),
                   "major": _("Major accident"), "especially_major": _("Especially major accident")}


class RuleError(ValueError):
    """Input the rule cannot apply to; `field` names the input at fault."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def reward_for_fine(fine_amount) -> Decimal:
    """15 % of the fine, within [3,000, 300,000] yuan. A fine must be a positive amount."""
    try:
        fine = Decimal(str(fine_amount))
    except (ArithmeticError, ValueError) as exc:
        raise RuleError("fine_amount", _("Enter the fine as an amount in yuan.")) from exc
    if not fine.is_finite() or fine <= 0:
        raise RuleError("fine_amount", _("The fine must be more than zero yuan."))
    if fine > Decimal(10) ** 12:
        raise RuleError("fine_amount", _("The fine is larger than any fine the law allows."))
    rule = FINE_RULE
    return min(max(_yuan(fine * rule.rate), rule.minimum), rule.maximum)


def reward_for_concealment(accident_level: str, persons) -> Decimal:
    """The per-person amount of the accident's level times the persons concealed, at most 300,000 yuan."""
    rule = CONCEALMENT_RULE
    if accident_level not in rule.per_person:
        raise RuleError("accident_level", _("Choose the accident's level."))
    try:
        count = int(persons)
    except (TypeError, ValueError) as exc:
        raise RuleError("persons", _("Enter the number of persons as a whole number.")) from exc
    if isinstance(persons, float) and persons != count:
        raise RuleError("persons", _("Enter the number of persons as a whole number."))
    if count < 1:
        raise RuleError("persons", _("At least one concealed person is needed for this basis."))
    if count > 10000:
        raise RuleError("persons", _("That number of persons is not believable."))
    return min(rule.per_person[accident_level] * count, rule.maximum)


def compute_reward(*, basis: str, fine_amount=None, accident_level: str | None = None, persons=None) -> Decimal:
    if basis == "fine":
        if fine_amount in (None, ""):
            raise RuleError("fine_amount", _("Enter the fine imposed."))
        return reward_for_fine(fine_amount)
    if basis == "concealment":
        return reward_for_concealment(accident_level or "", persons)
    raise RuleError("basis", _("Choose the basis of the reward."))
