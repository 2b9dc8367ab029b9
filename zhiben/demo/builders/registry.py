"""Registry stage of the demo: 交城县's enterprises, projects, persons, employment, certificates and one ban.

Every row is generated in memory from the seeded generator, checked with the registry's own validators and written
with bulk_create (about 5,000 rows at the default size, well under the 30 s budget on SQLite). Identifiers (USCCs,
resident IDs) depend only on the seed and size; dates are relative to the business day of the run, so licences
and certificates about to expire or already expired are always there to warn about.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from zhiben.accounts.models import User
from zhiben.demo.builders import registry_data as data
from zhiben.demo.stages import DEFAULT_SIZE, DemoContext
from zhiben.registry.models import (
    Certificate,
    DangerousWork,
    Employment,
    Enterprise,
    LifetimeBan,
    Person,
    Project,
    ProjectParticipant,
    ProjectStage,
    Qualification,
    StandardizationLevel,
)
from zhiben.registry.validators import (
    USCC_CHARS,
    id_check_digit,
    uscc_check_char,
    validate_id_number,
    validate_phone,
    validate_uscc,
)

MIN_SIZE = 300
STAGE_ORDER = [s.value for s in ProjectStage]  # earthwork … acceptance: a dangerous work's phase is a range of it
DW = DangerousWork.Category
Kind = Employment.Kind

# Safety licences (安全生产许可证) that the licence warning (二(六) 两场联动) should show.
LICENCE_EXPIRING = ("tianning", "dingsheng", "zhongcheng")
LICENCE_EXPIRED = ("yiwang", "zetian")


def project_count(size: int) -> int:
    """50 projects at the default 1,500 persons, at least 10, in proportion in between."""
    return max(10, min(len(data.PROJECTS), round(len(data.PROJECTS) * size / DEFAULT_SIZE)))


def org_code_check(body: str) -> str:
    """Check character of an 8-character organisation code (GB 11714-1997), positions 9–17 of a USCC."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class RegistryStage:
    """Enterprises (about 30), projects (50), persons (1,500) with employment and certificates, one ban."""

    name = "registry"

    def is_built(self) -> bool:
        return Enterprise.objects.filter(name=data.ANCHOR_ENTERPRISE, region_id=data.JIAOCHENG).exists()

    def build(self, ctx: DemoContext) -> dict[str, int]:
        if ctx.size < MIN_SIZE:
            raise ValueError(f"The demo needs at least {MIN_SIZE} persons (size={ctx.size}).")
        return _RegistryBuilder(ctx).run()

    def clear(self) -> None:
        """Remove the demo enterprises and everything hanging from them: their projects, the persons they
        employ or name, and accounts scoped to them."""
        enterprise_ids = Enterprise.objects.filter(name__in=data.DEMO_ENTERPRISE_NAMES).values("pk")
        projects = Project.objects.filter(contractor_id__in=enterprise_ids)
        person_ids = set(Employment.objects.filter(enterprise_id__in=enterprise_ids).values_list("person_id",
                                                                                                 flat=True))
        person_ids |= set(projects.exclude(manager=None).values_list("manager_id", flat=True))
        for role in ("principal_id", "actual_controller_id", "safety_director_id"):
            person_ids |= set(Enterprise.objects.filter(pk__in=enterprise_ids).exclude(**{role: None})
                              .values_list(role, flat=True))
        User.objects.filter(Q(enterprise_id__in=enterprise_ids) | Q(project__in=projects)).delete()
        projects.delete()
        ProjectParticipant.objects.filter(enterprise_id__in=enterprise_ids).delete()
        Employment.objects.filter(enterprise_id__in=enterprise_ids).delete()
        Enterprise.objects.filter(pk__in=enterprise_ids).delete()
        LifetimeBan.objects.filter(person_id__in=person_ids).delete()
        Person.objects.filter(pk__in=person_ids).delete()


class _RegistryBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = ctx.today
        self.rng = ctx.rng("registry")
        self.persons: list[Person] = []
        self.enterprises: dict[str, Enterprise] = {}
        self.specs = {spec.key: spec for spec in data.ENTERPRISES}
        self.qualifications: list[Qualification] = []
        self.projects: list[tuple[data.ProjectSpec, Project]] = []
        self.participants: list[ProjectParticipant] = []
        self.dangerous_works: list[DangerousWork] = []
        self.employments: list[Employment] = []
        self.certificates: list[Certificate] = []
        self.bans: list[LifetimeBan] = []
        self._ids: set[str] = set()
        self._phones: set[str] = set()
        self._codes: set[str] = set()
        self._serials: dict[str, int] = {}
        self._cert_seq = 0
        self._permits: dict[dt.date, int] = defaultdict(int)
        self._contracts: dict[str, int] = defaultdict(int)

    # --- running ------------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.plan_enterprises()
        self.plan_projects()
        self.plan_ban()
        self.plan_workers()
        self.check()
        Person.objects.bulk_create(self.persons, batch_size=500)
        Enterprise.objects.bulk_create(self.enterprises.values(), batch_size=500)
        Qualification.objects.bulk_create(self.qualifications, batch_size=500)
        Project.objects.bulk_create([p for _, p in self.projects], batch_size=500)
        ProjectParticipant.objects.bulk_create(self.participants, batch_size=500)
        DangerousWork.objects.bulk_create(self.dangerous_works, batch_size=500)
        Employment.objects.bulk_create(self.employments, batch_size=500)
        Certificate.objects.bulk_create(self.certificates, batch_size=500)
        LifetimeBan.objects.bulk_create(self.bans)
        return {
            "enterprises": len(self.enterprises), "qualifications": len(self.qualifications),
            "projects": len(self.projects), "participants": len(self.participants),
            "dangerous_works": len(self.dangerous_works), "persons": len(self.persons),
            "employments": len(self.employments), "certificates": len(self.certificates),
            "lifetime_bans": len(self.bans),
        }

    def check(self) -> None:
        """Every generated identifier passes the validators the forms and the API apply (bulk_create skips them)."""
        for person in self.persons:
            validate_id_number(person.id_number)
            validate_phone(person.phone)
        for enterprise in self.enterprises.values():
            validate_uscc(enterprise.uscc)
            validate_phone(enterprise.phone)
            if enterprise.uscc[2:8] != str(enterprise.region_id):
                raise ValueError(f"{enterprise.uscc} does not carry the division code {enterprise.region_id}")

    # --- identifiers and people ---------------------------------------------------------------------------

    def uscc(self, spec: data.EnterpriseSpec) -> str:
        """A USCC: registration authority and kind (91/11/12), division code, organisation code, check char."""
        while True:
            if spec.legacy_code:
                body = f"{self.rng.randrange(10**7, 10**8)}"
            else:  # codes issued since 2015 start with MA
                body = "MA0" + "".join(self.rng.choice(USCC_CHARS[10:]) for _ in range(2)) + \
                    "".join(self.rng.choice(USCC_CHARS) for _ in range(3))
            first17 = f"{spec.uscc_kind}{spec.region}{body}{org_code_check(body)}"
            code = first17 + uscc_check_char(first17)
            if code not in self._codes:
                self._codes.add(code)
                return code

    def person(self, *, ages: tuple[int, int] = (20, 60), female: float = 0.1,
               region: int = data.JIAOCHENG) -> Person:
        """A person whose resident ID agrees with their gender and birth date (GB 11643)."""
        rng = self.rng
        male = rng.random() >= female
        chars = data.MALE_CHARS if male else data.FEMALE_CHARS
        name = rng.choice(data.SURNAMES) + rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.62 else "")
        codes, _ = rng.choices(data.BIRTH_REGIONS, weights=[w for _, w in data.BIRTH_REGIONS])[0]
        birthplace = rng.choice(codes)
        age = rng.randint(*ages)
        birth = dt.date(data.AGE_REFERENCE_YEAR - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
        while True:
            serial = rng.randrange(500) * 2 + (1 if male else 0)  # the 17th digit is odd for men
            first17 = f"{birthplace}{birth:%Y%m%d}{serial:03d}"
            id_number = first17 + id_check_digit(first17)
            if id_number not in self._ids:
                self._ids.add(id_number)
                break
        while True:
            phone = rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in self._phones:
                self._phones.add(phone)
                break
        person = Person(name=name, id_number=id_number, gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
                        birth_date=birth, phone=phone, region_id=region)
        self.persons.append(person)
        return person

    def employ(self, person: Person, enterprise: Enterprise, position: str, *, project: Project | None = None,
               kind: str = Kind.STAFF, started: dt.date | None = None, ended: dt.date | None = None) -> Employment:
        started = started or self.today - dt.timedelta(days=self.rng.randint(200, 4000))
        employment = Employment(person=person, enterprise=enterprise, project=project, kind=kind, position=position,
                                started=min(started, self.today), ended=ended)
        self.employments.append(employment)
        return employment

    def certify(self, person: Person, kind: str, *, revoked: bool = False) -> Certificate:
        """A certificate valid 3 years (三类人员) or 2 years (特种作业, regulations.md §5); about one in twelve
        expires within 30 days and one in fifteen has expired, counted from today."""
        self._cert_seq += 1
        rng, seq = self.rng, self._cert_seq
        years = 3 if kind in {"A", "B", "C1", "C2", "C3"} else 2
        if seq % 12 == 7:
            offset = rng.randint(0, 29)
        elif seq % 15 == 4:
            offset = -rng.randint(1, 400)
        else:
            offset = rng.randint(31, years * 365 - 15)
        expires = self.today + dt.timedelta(days=offset)
        issued = years_before(expires, years) + dt.timedelta(days=1)
        if kind not in self._serials:
            self._serials[kind] = rng.randint(1000, 40000)
        self._serials[kind] += rng.randint(1, 40)
        serial = self._serials[kind]
        if kind in data.SPECIAL_CODES:
            number = f"晋{data.SPECIAL_CODES[kind]}{issued:%Y}{serial:06d}"
        else:
            number = f"晋建安{kind}({issued:%Y}){serial:07d}"
        certificate = Certificate(person=person, kind=kind, number=number, issuer=data.ISSUER, issued=issued,
                                  expires=expires, revoked=revoked)
        self.certificates.append(certificate)
        return certificate

    def safety_officer_kind(self) -> str:
        return self.rng.choices(["C2", "C1", "C3"], weights=[6, 2, 2])[0]

    # --- enterprises --------------------------------------------------------------------------------------

    def plan_enterprises(self) -> None:
        rng = self.rng
        for spec in data.ENTERPRISES:
            builder = spec.role in data.BUILDERS
            principal = self.person(ages=(42, 60), female=0.08, region=spec.region)
            controller = principal
            if spec.uscc_kind == "11":
                controller = None  # a government organ has no actual controller
            elif rng.random() < 0.4:
                controller = self.person(ages=(45, 60), female=0.15, region=spec.region)
            director = self.person(ages=(35, 55), female=0.1, region=spec.region) if builder else None
            area = data.AREA_CODES[spec.region // 100]
            enterprise = Enterprise(
                name=spec.name, uscc=self.uscc(spec), region_id=spec.region, address=spec.address,
                legal_representative=principal.name, principal=principal, actual_controller=controller,
                safety_director=director, phone=f"{area}-{rng.randint(2000000, 8999999)}",
                standardization_level=self.standardization(spec),
            )
            if builder:
                self.licence(spec, enterprise)
            self.enterprises[spec.key] = enterprise
            self.employ(principal, enterprise, data.PRINCIPAL)
            if builder:
                self.certify(principal, "A")
                self.employ(director, enterprise, data.SAFETY_DIRECTOR)
                self.certify(director, "C3")
            for category, name, grade in spec.qualifications:
                self.qualification(enterprise, category, name, grade)
            self.enterprise_staff(spec, enterprise)

    def standardization(self, spec: data.EnterpriseSpec) -> str:
        if spec.key == data.ANCHOR:
            return StandardizationLevel.EXEMPLARY
        if spec.role not in data.BUILDERS:
            return StandardizationLevel.NONE
        levels = [StandardizationLevel.QUALIFIED, StandardizationLevel.NONE, StandardizationLevel.FAILED,
                  StandardizationLevel.EXEMPLARY]
        return self.rng.choices(levels, weights=[4, 4, 1, 1])[0]

    def licence(self, spec: data.EnterpriseSpec, enterprise: Enterprise) -> None:
        """安全生产许可证: three years; a few expire within 30 days and a few have expired."""
        rng = self.rng
        if spec.key in LICENCE_EXPIRING:
            offset = rng.randint(3, 28)
        elif spec.key in LICENCE_EXPIRED:
            offset = -rng.randint(10, 150)
        else:
            offset = rng.randint(60, 1000)
        expires = self.today + dt.timedelta(days=offset)
        issued = years_before(expires, 3) + dt.timedelta(days=1)
        enterprise.safety_licence_no = f"(晋)JZ安许证字[{issued:%Y}]{rng.randint(100, 6999):06d}"
        enterprise.safety_licence_issued = issued
        enterprise.safety_licence_expires = expires

    def qualification(self, enterprise: Enterprise, category: str, name: str, grade: str) -> None:
        rng = self.rng
        level = "1" if grade in {"一级", "甲级"} or "综合" in name else "2" if grade in {"二级", "乙级"} else "3"
        prefix = "E" if category == data.OTHER else "D"
        offset = rng.randint(5, 28) if rng.random() < 0.08 else rng.randint(120, 1600)
        self.qualifications.append(Qualification(
            enterprise=enterprise, category=category, name=name, grade=grade,
            certificate_no=f"{prefix}{level}14{rng.randrange(10**6):06d}",
            expires=self.today + dt.timedelta(days=offset),
        ))

    def enterprise_staff(self, spec: data.EnterpriseSpec, enterprise: Enterprise) -> None:
        """Head-office safety officers of contractors, foremen of labour firms, installers of the leasing firm."""
        rng = self.rng
        if spec.role == data.CONTRACTOR:
            for _ in range(3 if spec.key == data.ANCHOR else rng.randint(1, 2)):
                officer = self.person(ages=(26, 55), female=0.2, region=spec.region)
                self.employ(officer, enterprise, data.SAFETY_OFFICER)
                self.certify(officer, self.safety_officer_kind())
        elif spec.role == data.LABOUR:
            for _ in range(3):
                self.employ(self.person(ages=(30, 58), region=spec.region), enterprise, data.FOREMAN)
        elif spec.role == data.LEASING:
            for _ in range(4):
                installer = self.person(ages=(25, 52), female=0.0, region=spec.region)
                self.employ(installer, enterprise, data.SPECIAL_WORKER)
                self.certify(installer, "crane_installer")
        elif spec.role == data.SPECIALTY and "钢结构" in spec.qualifications[0][1]:
            for _ in range(2):
                welder = self.person(ages=(24, 55), female=0.0, region=spec.region)
                self.employ(welder, enterprise, data.SPECIAL_WORKER)
                self.certify(welder, "welder")

    # --- projects -----------------------------------------------------------------------------------------

    def plan_projects(self) -> None:
        specs = data.PROJECTS[: project_count(self.ctx.size)]
        for spec in specs:
            municipal = spec.profile in data.MUNICIPAL_PROFILES
            contractor = self.enterprises[spec.contractor or self.draw_contractor(municipal)]
            project = Project(
                name=spec.name, kind=Project.Kind.MUNICIPAL if municipal else Project.Kind.BUILDING,
                region_id=data.JIAOCHENG, address=self.address(spec.town, municipal), contractor=contractor,
                status=spec.status,
            )
            self.schedule(spec, project)
            self.size_up(spec, project)
            self.projects.append((spec, project))
            tags = self.plan_dangerous_works(spec, project)
            self.plan_participants(spec, project, tags)
            self.plan_team(spec, project)
            if spec.status == data.U:
                self.plan_special_workers(project, tags)
            elif spec.status == data.S:
                self.plan_special_workers(project, set())

    def draw_contractor(self, municipal: bool) -> str:
        """A qualified contractor, local ones three times as likely; none gets as many projects as the anchor."""
        needle = ("市政", "公路") if municipal else ("建筑工程",)
        keys, weights = [], []
        for spec in data.ENTERPRISES:
            if spec.role != data.CONTRACTOR or spec.key == data.ANCHOR or self._contracts[spec.key] >= 5:
                continue
            if any(word in name for _, name, _ in spec.qualifications for word in needle):
                keys.append(spec.key)
                weights.append(3 if spec.region == data.JIAOCHENG else 1)
        key = self.rng.choices(keys, weights=weights)[0]
        self._contracts[key] += 1
        return key

    def address(self, town: str, municipal: bool) -> str:
        place = self.rng.choice(data.TOWNS[town])
        if place.endswith(("路", "街", "大道")):
            return f"交城县{town}{place}" + ("沿线" if municipal else f"{self.rng.randint(2, 280)}号")
        return f"交城县{town}{place}"

    def schedule(self, spec: data.ProjectSpec, project: Project) -> None:
        """Permit, start and planned completion relative to today; the stage follows from elapsed time."""
        rng, today, days = self.rng, self.today, dt.timedelta
        if spec.status == data.P:
            if rng.random() < 0.6:
                self.permit(project, today - days(rng.randint(5, 60)))
            return
        if spec.status == data.C:
            start = today - days(rng.randint(700, 1300))
            planned = min(start + days(rng.randint(300, 600)), today - days(rng.randint(30, 200)))
        else:
            start = today - days(rng.randint(45, 700) if spec.status == data.U else rng.randint(200, 800))
            if spec.since_2023:
                start = min(dt.date(2023, rng.randint(3, 10), rng.randint(1, 28)), today - days(60))
            planned = start + days(rng.randint(420, 900))
            if planned < today + days(30):  # long-running sites have had their completion date extended
                planned = today + days(rng.randint(30, 400))
        project.start_date, project.planned_completion = start, planned
        self.permit(project, start - days(rng.randint(7, 45)))
        if spec.status == data.C:
            project.stage = ProjectStage.ACCEPTANCE
            return
        progress = (today - start) / (planned - start)
        stages = ["earthwork", "foundation", "structure", "enclosure", "finishing", "installation"]
        bounds = [0.12, 0.28, 0.6, 0.75, 0.9]
        stage = stages[sum(progress >= b for b in bounds)]
        if project.kind == Project.Kind.MUNICIPAL and stage in {"enclosure", "finishing"}:
            stage = "structure" if stage == "enclosure" else "installation"
        project.stage = stage

    def permit(self, project: Project, day: dt.date) -> None:
        """施工许可证编号: division code, date, serial of the day, category (01 building, 02 municipal)."""
        self._permits[day] += 1
        category = "02" if project.kind == Project.Kind.MUNICIPAL else "01"
        project.permit_date = day
        project.permit_no = f"{data.JIAOCHENG}{day:%Y%m%d}{self._permits[day]:02d}{category}"

    def size_up(self, spec: data.ProjectSpec, project: Project) -> None:
        """Floor area (buildings) and contract amount in 10k yuan."""
        rng = self.rng
        areas = {data.HIGHRISE: (9000, 18000, 0.22, 0.30), data.PUBLIC: (5000, 16000, 0.30, 0.42),
                 data.HALL: (6000, 15000, 0.35, 0.50), data.LOWRISE: (1200, 4800, 0.25, 0.33),
                 data.RENOVATION: (20000, 60000, 0.03, 0.06), data.BASEMENT: (8000, 15000, 0.28, 0.36)}
        amounts = {data.PIPE: (1200, 8000), data.ROAD: (5000, 32000), data.PLANT: (6000, 18000),
                   data.TUNNEL: (12000, 28000), data.BRIDGE: (1500, 4000), data.LANDSCAPE: (800, 3000)}
        if spec.profile in areas:
            low, high, unit_low, unit_high = areas[spec.profile]
            area = rng.randint(low, high)
            project.floor_area = Decimal(area)
            project.contract_amount = Decimal(f"{area * rng.uniform(unit_low, unit_high):.2f}")
        else:
            project.contract_amount = Decimal(f"{rng.uniform(*amounts[spec.profile]):.2f}")

    def plan_participants(self, spec: data.ProjectSpec, project: Project, tags: set[str]) -> None:
        rng = self.rng
        roles = ProjectParticipant.Role
        chosen = [(spec.owner, roles.OWNER)]
        supervisors = [s.key for s in data.ENTERPRISES if s.role == data.SUPERVISOR]
        chosen.append((rng.choices(supervisors, weights=[3 if self.specs[k].region == data.JIAOCHENG else 1
                                                         for k in supervisors])[0], roles.SUPERVISOR))
        if spec.status in {data.U, data.S, data.C} and rng.random() < 0.85:
            chosen.append((rng.choice(["xinlei", "zhongcheng", "yuci"]), roles.LABOUR_SUB))
        if "deep_pit" in tags and project.kind == Project.Kind.BUILDING:
            chosen.append((rng.choice(["hengji", "fenhe"]), roles.SPECIALTY_SUB))
        if "steel" in tags:
            chosen.append((rng.choice(["yongsheng", "longcheng"]), roles.SPECIALTY_SUB))
        if "crane" in tags:
            chosen.append(("juli", roles.LEASING))
        for key, role in chosen:
            self.participants.append(ProjectParticipant(project=project, enterprise=self.enterprises[key], role=role))

    def plan_dangerous_works(self, spec: data.ProjectSpec, project: Project) -> set[str]:
        """危大工程 by profile, with the thresholds of 建办质〔2018〕31号 (regulations.md §3): over-threshold
        works need expert review; a few in progress lack it, as inspections find."""
        rng = self.rng
        works: list[tuple[str, str, bool, tuple[int, int]]] = []
        tags: set[str] = set()

        def pit(low: float, high: float, what: str = "基坑土方开挖、支护及降水工程") -> None:
            depth = round(rng.uniform(low, high), 1)
            works.append((DW.PIT, f"{what}（开挖深度{depth}m）", depth >= 5.0, (0, 1)))
            if depth >= 5.0:
                tags.add("deep_pit")

        def tower_crane(models: tuple[str, ...]) -> None:
            works.append((DW.LIFTING, f"{rng.choice(models)}塔式起重机安装、拆卸", False, (1, 4)))
            tags.add("crane")

        def formwork(heights: tuple[float, ...]) -> None:
            height = rng.choice(heights)
            place = rng.choice(["报告厅", "门厅", "多功能厅", "中庭"])
            works.append((DW.FORMWORK, f"{place}模板支撑体系（搭设高度{height}m）", height >= 8.0, (2, 3)))

        profile = spec.profile
        if profile == data.HIGHRISE:
            pit(4.6, 7.4)
            tower_crane(("QTZ80(TC6012)", "QTZ125(TC6515)"))
            works.append((DW.LIFTING, "SC200/200施工升降机安装、拆卸", False, (3, 5)))
            tags.add("hoist")
            height = rng.choice([18.0, 19.8, 21.0, 22.5])
            works.append((DW.SCAFFOLD, f"型钢悬挑式脚手架（分段架体搭设高度{height}m）", height >= 20.0, (2, 4)))
            tags.add("scaffold")
        elif profile == data.PUBLIC:
            pit(3.2, 6.2)
            tower_crane(("QTZ63(TC5610)", "QTZ80(TC6012)"))
            formwork((5.4, 6.6, 7.2, 8.4, 9.6, 10.2))
            works.append((DW.SCAFFOLD, f"落地式钢管脚手架（搭设高度{rng.choice([24.6, 27.3, 30.9, 35.4])}m）",
                          False, (2, 4)))
            tags.add("scaffold")
        elif profile == data.HALL:
            span = rng.choice([32, 36, 42, 48, 54])
            works.append((DW.OTHER, f"钢结构屋盖安装工程（跨度{span}m）", span >= 36, (2, 5)))
            weight = rng.choice([68, 86, 112, 128])
            works.append((DW.LIFTING, f"屋面钢桁架双机抬吊（单件起吊重量{weight}kN）", weight >= 100, (2, 3)))
            formwork((8.4, 9.6, 12.0))
            tags.add("steel")
        elif profile == data.LOWRISE:
            if rng.random() < 0.6:
                tower_crane(("QTZ40(TC4708)", "QTZ63(TC5610)"))
            if rng.random() < 0.5:
                pit(3.0, 3.6)
        elif profile == data.RENOVATION:
            works.append((DW.SCAFFOLD, "外墙保温改造高处作业吊篮安装、拆卸", False, (2, 5)))
            works.append((DW.DEMOLITION, "既有雨棚及违章搭建拆除工程（临街）", False, (0, 1)))
            tags.add("gondola")
        elif profile == data.BASEMENT:
            pit(6.5, 9.2)
            works.append((DW.FORMWORK, "地下室顶板模板支撑体系（覆土区施工总荷载16kN/m²）", True, (2, 3)))
            tower_crane(("QTZ80(TC6012)",))
        elif profile == data.PIPE:
            pit(3.0, 6.0, "管沟开挖及支护工程")
            if rng.random() < 0.5:
                works.append((DW.TUNNEL, f"DN{rng.choice([1000, 1200, 1500])}管道顶管穿越道路工程", True, (0, 2)))
        elif profile == data.ROAD:
            weight = rng.choice([320, 420, 560])
            works.append((DW.LIFTING, f"中桥预制T梁架设（单件起吊重量{weight}kN）", True, (2, 3)))
            pit(3.0, 4.2, "挡土墙基坑开挖工程")
        elif profile == data.PLANT:
            pit(6.0, 8.5, "生化池基坑土方开挖、支护及降水工程")
            formwork((5.4, 6.6, 8.4))
            tower_crane(("QTZ63(TC5610)",))
        elif profile == data.TUNNEL:
            pit(7.0, 9.5, "综合管廊明挖基坑工程")
            weight = rng.choice([180, 220, 260])
            works.append((DW.LIFTING, f"预制管廊节段吊装（单件起吊重量{weight}kN）", True, (2, 3)))
        elif profile == data.BRIDGE:
            works.append((DW.DEMOLITION, "旧桥面铺装及护栏拆除工程", True, (0, 1)))
            works.append((DW.OTHER, "桥墩基础水下加固作业", True, (1, 2)))
        elif profile == data.LANDSCAPE:
            works.append((DW.OTHER, "景观廊架钢结构安装工程（跨度12m）", False, (2, 3)))

        stage = STAGE_ORDER.index(project.stage) if project.stage else -1
        for category, description, over, (first, last) in works:
            if spec.status == data.P:
                status = DangerousWork.Status.PLANNED
            elif spec.status == data.C or stage > last:
                status = DangerousWork.Status.DONE
            elif stage >= first:
                status = DangerousWork.Status.IN_PROGRESS
            else:
                status = DangerousWork.Status.PLANNED
            approved = status != DangerousWork.Status.PLANNED or rng.random() < 0.5
            reviewed = over and approved and not (status == DangerousWork.Status.IN_PROGRESS and rng.random() < 0.3)
            self.dangerous_works.append(DangerousWork(
                project=project, category=category, description=description, over_threshold=over,
                plan_approved=approved, expert_reviewed=reviewed, status=status,
            ))
        return tags

    def plan_team(self, spec: data.ProjectSpec, project: Project) -> None:
        """项目部: a manager holding a B certificate, safety officers holding C, and the other key staff."""
        rng, contractor = self.rng, project.contractor
        region = contractor.region_id
        start = project.start_date or self.today - dt.timedelta(days=rng.randint(10, 60))
        ended = None
        if spec.status == data.C:
            ended = min(project.planned_completion + dt.timedelta(days=rng.randint(10, 60)),
                        self.today - dt.timedelta(days=1))

        def member(position: str, *, ages=(26, 55), female=0.1, cert: str = "") -> Person:
            someone = self.person(ages=ages, female=female, region=region)
            self.employ(someone, contractor, position, project=project, started=start - dt.timedelta(
                days=rng.randint(0, 30)), ended=ended)
            if ended:  # back at head office after completion
                self.employ(someone, contractor, position, started=ended + dt.timedelta(days=1))
            if cert:
                self.certify(someone, cert)
            return someone

        project.manager = member(data.PROJECT_MANAGER, ages=(32, 55), female=0.08, cert="B")
        officers = 1
        if spec.status == data.U:
            big = (project.floor_area or 0) > 8000 or (project.contract_amount or 0) > 5000
            officers = 1 + big + ((project.contract_amount or 0) > 15000)
        for _ in range(officers):
            member(data.SAFETY_OFFICER, female=0.2, cert=self.safety_officer_kind())
        if spec.status == data.C:
            return
        member(data.TECHNICAL_LEAD, ages=(30, 55), cert="B" if rng.random() < 0.5 else "")
        if spec.status == data.P:
            return
        for _ in range(rng.randint(1, 2)):
            member(data.SITE_ENGINEER, ages=(23, 50), cert="B" if rng.random() < 0.25 else "")
        member(data.QUALITY_INSPECTOR, ages=(24, 50), female=0.25)
        member(data.DOCUMENT_CLERK, ages=(22, 40), female=0.6)

    def plan_special_workers(self, project: Project, tags: set[str]) -> None:
        """特种作业人员 on site, according to the machines and works of the project."""
        rng = self.rng
        trades = ["electrician"] * rng.randint(1, 2)
        if "crane" in tags:
            trades += ["crane_driver", "crane_driver", "signaller", "signaller"]
        if "hoist" in tags:
            trades += ["hoist_driver"] * rng.randint(1, 2)
        if "scaffold" in tags:
            trades += ["scaffolder"] * rng.randint(2, 4)
        if "steel" in tags:
            trades += ["welder"] * rng.randint(2, 4)
        elif tags:
            trades += ["welder"]
        if "gondola" in tags:
            trades += ["gondola_installer"]
        for trade in trades:
            worker = self.person(ages=(22, 55), female=0.03)
            if trade in {"crane_driver", "hoist_driver"}:
                kind = Kind.LEASED  # operators come with the leased machine
            else:
                kind = rng.choices([Kind.OUTSOURCED, Kind.STAFF, Kind.DISPATCHED], weights=[5, 3, 2])[0]
            self.employ(worker, project.contractor, data.SPECIAL_WORKER, project=project, kind=kind,
                        started=self.worker_start(project))
            self.certify(worker, trade)
            if trade == "electrician" and rng.random() < 0.15:
                self.certify(worker, "welder")

    def worker_start(self, project: Project) -> dt.date:
        start = project.start_date or self.today
        return max(start, self.today - dt.timedelta(days=self.rng.randint(5, 420)))

    # --- the banned principal and the workforce -----------------------------------------------------------

    def plan_ban(self) -> None:
        """One former principal under a lifetime ban (八(2)); his A certificate was revoked with it."""
        former = self.person(ages=(50, 60), female=0.0)
        self.employ(former, self.enterprises["tianning"], data.PRINCIPAL, started=dt.date(2009, 3, 1),
                    ended=dt.date(2023, 9, 30))
        certificate = self.certify(former, "A", revoked=True)
        certificate.issued, certificate.expires = dt.date(2021, 5, 20), dt.date(2024, 5, 19)
        self.bans.append(LifetimeBan(person=former, reason=data.BAN_REASON, decided_on=dt.date(2023, 9, 12),
                                     document_no=data.BAN_DOCUMENT))

    @staticmethod
    def workforce_weight(project: Project) -> float:
        """Workers on site grow with floor area; a municipal job's crew stops growing past ~80 million yuan."""
        weight = float(project.floor_area) if project.floor_area else min(float(project.contract_amount), 8000) * 1.5
        return weight if project.status == data.U else weight * 0.05  # a suspended site keeps a few people

    def plan_workers(self) -> None:
        """Ordinary workers fill the size: on projects under construction in proportion to their size, employed
        as staff, outsourced, dispatched or flexible (三(2)); some also by the labour subcontractor."""
        rng = self.rng
        remaining = self.ctx.size - len(self.persons)
        if remaining < 0:
            raise ValueError(f"size {self.ctx.size} is below the {len(self.persons)} persons the projects need")
        sites = [p for spec, p in self.projects if spec.status in {data.U, data.S}]
        weights = [self.workforce_weight(p) for p in sites]
        completed = [p for spec, p in self.projects if spec.status == data.C]
        labour = {}
        for participant in self.participants:
            if participant.role == ProjectParticipant.Role.LABOUR_SUB:
                labour[id(participant.project)] = participant.enterprise
        for _ in range(remaining):
            project = rng.choices(sites, weights=weights)[0]
            worker = self.person(female=0.12)
            kind = rng.choices([Kind.OUTSOURCED, Kind.DISPATCHED, Kind.FLEXIBLE, Kind.STAFF],
                               weights=[55, 15, 15, 15])[0]
            position = data.FOREMAN if rng.random() < 0.05 else data.WORKER
            started = self.worker_start(project)
            self.employ(worker, project.contractor, position, project=project, kind=kind, started=started)
            subcontractor = labour.get(id(project))
            if kind == Kind.OUTSOURCED and subcontractor is not None and rng.random() < 0.3:
                self.employ(worker, subcontractor, position, project=project, started=started)
            if completed and rng.random() < 0.1:
                earlier = rng.choice(completed)
                self.employ(worker, earlier.contractor, data.WORKER, project=earlier, kind=Kind.OUTSOURCED,
                            started=earlier.start_date, ended=earlier.planned_completion)
