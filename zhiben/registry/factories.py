"""factory_boy factories for registry rows with valid identifiers (tests, demo data and benchmarks)."""

from __future__ import annotations

import datetime as dt

import factory

from zhiben.core.timeutils import beijing_today
from zhiben.registry import models
from zhiben.registry.validators import USCC_CHARS, id_check_digit, uscc_check_char


def make_uscc(n: int, region: int = 141122) -> str:
    """A valid USCC for enterprise number n registered in `region` (9 = 工商, 1 = 企业)."""
    body = "91" + f"{region:06d}"
    serial = ""
    value = n
    for _ in range(9):
        serial = USCC_CHARS[value % 31] + serial
        value //= 31
    first17 = body + serial
    return first17 + uscc_check_char(first17)


def make_id_number(n: int, region: int = 141122, birth: dt.date = dt.date(1985, 6, 1)) -> str:
    first17 = f"{region:06d}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


def county(code: int = 141122) -> models.Region:
    return models.Region.objects.get(code=code)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    id_number = factory.Sequence(lambda n: make_id_number(n, birth=dt.date(1970, 1, 1) + dt.timedelta(days=n // 1000)))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    region = factory.LazyFunction(county)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enterprise

    name = factory.Sequence(lambda n: f"测试建筑工程有限公司{n}")
    uscc = factory.Sequence(lambda n: make_uscc(n + 1))
    region = factory.LazyFunction(county)
    safety_licence_no = factory.Sequence(lambda n: f"(晋)JZ安许证字[2023]{n:06d}")
    # Dates relative to today (Beijing), so an expiry never drifts into the warning window as the calendar moves.
    safety_licence_expires = factory.LazyFunction(lambda: beijing_today() + dt.timedelta(days=3 * 365))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Project

    name = factory.Sequence(lambda n: f"测试住宅项目{n}号楼")
    region = factory.LazyAttribute(lambda o: o.contractor.region)
    address = "交城县天宁镇"
    contractor = factory.SubFactory(EnterpriseFactory)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Employment

    person = factory.SubFactory(PersonFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Certificate

    person = factory.SubFactory(PersonFactory)
    kind = "C2"
    number = factory.Sequence(lambda n: f"晋建安C2(2024){n:07d}")
    issued = factory.LazyFunction(lambda: beijing_today() - dt.timedelta(days=365))
    expires = factory.LazyFunction(lambda: beijing_today() + dt.timedelta(days=2 * 365))
