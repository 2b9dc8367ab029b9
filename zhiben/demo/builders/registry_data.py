"""Fixed content of the 交城县 demo registry: enterprises, projects, places and names.

Everything here is invented for the demonstration (any likeness to a real enterprise is accidental); the division
codes are real (registry/data/regions.csv, reference/regulations.md §9). The builder draws the rest (identifiers,
people, dates) from a seeded random generator.
"""

from __future__ import annotations

from dataclasses import dataclass

JIAOCHENG = 141122
LULIANG = 141100

# 交城县 towns and townships with streets or villages used in addresses (县政府驻天宁镇).
TOWNS: dict[str, tuple[str, ...]] = {
    "天宁镇": ("卦山大道", "迎宾大街", "永宁路", "西关街", "东关街", "新华路", "滨河路", "中心街"),
    "夏家营镇": ("夏家营村", "段村", "贾家寨村", "经济技术开发区园区路", "磁窑河东路"),
    "西营镇": ("西营村", "城南村", "大辛村"),
    "水峪贯镇": ("水峪贯村", "米家庄村", "双家寨村"),
    "西社镇": ("西社村", "惠家庄村", "岔口村"),
    "庞泉沟镇": ("庞泉沟村", "长立村", "神堂坪村"),
    "洪相乡": ("洪相村", "安定村", "坡底村"),
    "岭底乡": ("岭底村", "梁家庄村"),
    "东坡底乡": ("东坡底村", "王家山村"),
    "会立乡": ("会立村", "西冶村"),
}

# Enterprise roles in the demo (not a model field: it decides qualifications, licence and project share).
CONTRACTOR = "contractor"      # 施工总承包
SPECIALTY = "specialty"        # 专业承包
LABOUR = "labour"              # 施工劳务
LEASING = "leasing"            # 起重设备租赁与安装
OWNER = "owner"                # 建设单位
SUPERVISOR = "supervisor"      # 监理单位
BUILDERS = frozenset({CONTRACTOR, SPECIALTY, LABOUR, LEASING})  # hold a safety licence (安全生产许可证)

GENERAL, SPEC, LAB, OTHER = "general", "specialty", "labour", "other"  # Qualification.Category values


@dataclass(frozen=True)
class EnterpriseSpec:
    key: str
    name: str
    region: int
    role: str
    address: str
    qualifications: tuple[tuple[str, str, str], ...] = ()  # (category, name, grade)
    uscc_kind: str = "91"      # 91 enterprise, 11 government organ, 12 public institution (GB 32100)
    legacy_code: bool = False  # registered before 2015: numeric organisation code in the USCC


ANCHOR = "jcjg"
ANCHOR_ENTERPRISE = "山西交城建工集团有限公司"

ENTERPRISES: tuple[EnterpriseSpec, ...] = (
    # --- 交城县 builders
    EnterpriseSpec(ANCHOR, ANCHOR_ENTERPRISE, JIAOCHENG, CONTRACTOR, "交城县天宁镇卦山大道168号",
                   ((GENERAL, "建筑工程施工总承包", "一级"), (GENERAL, "市政公用工程施工总承包", "二级"),
                    (SPEC, "地基基础工程专业承包", "二级")), legacy_code=True),
    EnterpriseSpec("hongda", "交城县宏达建筑工程有限公司", JIAOCHENG, CONTRACTOR, "交城县天宁镇永宁路56号",
                   ((GENERAL, "建筑工程施工总承包", "二级"),), legacy_code=True),
    EnterpriseSpec("guashan", "山西卦山建设工程有限公司", JIAOCHENG, CONTRACTOR, "交城县天宁镇迎宾大街203号",
                   ((GENERAL, "建筑工程施工总承包", "二级"), (GENERAL, "市政公用工程施工总承包", "三级"))),
    EnterpriseSpec("huasheng", "交城县华晟市政工程有限公司", JIAOCHENG, CONTRACTOR, "交城县夏家营镇园区路9号",
                   ((GENERAL, "市政公用工程施工总承包", "二级"),)),
    EnterpriseSpec("tianning", "交城县天宁建筑安装有限公司", JIAOCHENG, CONTRACTOR, "交城县天宁镇西关街31号",
                   ((GENERAL, "建筑工程施工总承包", "三级"),), legacy_code=True),
    EnterpriseSpec("pangquan", "山西庞泉沟建设有限公司", JIAOCHENG, CONTRACTOR, "交城县天宁镇滨河路77号",
                   ((GENERAL, "建筑工程施工总承包", "三级"), (GENERAL, "市政公用工程施工总承包", "三级"))),
    EnterpriseSpec("yiwang", "交城县义望建筑工程有限公司", JIAOCHENG, CONTRACTOR, "交城县西营镇城南村",
                   ((GENERAL, "建筑工程施工总承包", "三级"),)),
    EnterpriseSpec("hengji", "交城县恒基地基基础工程有限公司", JIAOCHENG, SPECIALTY, "交城县天宁镇新华路12号",
                   ((SPEC, "地基基础工程专业承包", "二级"),)),
    EnterpriseSpec("yongsheng", "交城县永盛钢结构工程有限公司", JIAOCHENG, SPECIALTY, "交城县夏家营镇段村",
                   ((SPEC, "钢结构工程专业承包", "二级"),)),
    EnterpriseSpec("xinlei", "交城县鑫磊建筑劳务有限公司", JIAOCHENG, LABOUR, "交城县天宁镇东关街88号",
                   ((LAB, "施工劳务", ""),)),
    EnterpriseSpec("zhongcheng", "交城县众诚劳务服务有限公司", JIAOCHENG, LABOUR, "交城县夏家营镇贾家寨村",
                   ((LAB, "施工劳务", ""),)),
    EnterpriseSpec("juli", "交城县聚力建筑设备租赁有限公司", JIAOCHENG, LEASING, "交城县夏家营镇磁窑河东路15号",
                   ((SPEC, "起重设备安装工程专业承包", "二级"),)),
    # --- elsewhere in 吕梁市
    EnterpriseSpec("hongtai", "吕梁市宏泰建设集团有限公司", 141102, CONTRACTOR, "山西省吕梁市离石区龙凤南大街126号",
                   ((GENERAL, "建筑工程施工总承包", "一级"), (GENERAL, "市政公用工程施工总承包", "二级")),
                   legacy_code=True),
    EnterpriseSpec("dingsheng", "孝义市鼎盛建筑安装工程有限公司", 141181, CONTRACTOR, "山西省孝义市府前街58号",
                   ((GENERAL, "建筑工程施工总承包", "二级"),)),
    EnterpriseSpec("fenzhou", "汾阳市汾州建筑工程有限公司", 141182, CONTRACTOR, "山西省汾阳市英雄北路39号",
                   ((GENERAL, "建筑工程施工总承包", "二级"), (GENERAL, "市政公用工程施工总承包", "三级")),
                   legacy_code=True),
    EnterpriseSpec("zetian", "文水县则天建设工程有限公司", 141121, CONTRACTOR, "山西省文水县凤城镇则天大街16号",
                   ((GENERAL, "市政公用工程施工总承包", "二级"),)),
    EnterpriseSpec("fengshan", "吕梁市凤山路桥工程有限公司", 141102, CONTRACTOR, "山西省吕梁市离石区凤山路88号",
                   ((GENERAL, "市政公用工程施工总承包", "二级"), (GENERAL, "公路工程施工总承包", "二级"))),
    # --- elsewhere in 山西省
    EnterpriseSpec("jinyang", "山西晋阳建设集团有限公司", 140105, CONTRACTOR, "山西省太原市小店区长治路230号",
                   ((GENERAL, "建筑工程施工总承包", "一级"), (GENERAL, "市政公用工程施工总承包", "一级"),
                    (GENERAL, "公路工程施工总承包", "二级")), legacy_code=True),
    EnterpriseSpec("longcheng", "太原市龙城钢结构工程有限公司", 140110, SPECIALTY, "山西省太原市晋源区晋祠路二段66号",
                   ((SPEC, "钢结构工程专业承包", "一级"),)),
    EnterpriseSpec("fenhe", "山西汾河地基基础工程有限公司", 140109, SPECIALTY, "山西省太原市万柏林区和平南路79号",
                   ((SPEC, "地基基础工程专业承包", "一级"),)),
    EnterpriseSpec("yuci", "晋中市榆次建筑劳务有限公司", 140702, LABOUR, "山西省晋中市榆次区顺城街108号",
                   ((LAB, "施工劳务", ""),)),
    # --- owners (建设单位)
    EnterpriseSpec("chengtou", "交城县城市建设投资开发有限公司", JIAOCHENG, OWNER, "交城县天宁镇中心街1号",
                   legacy_code=True),
    EnterpriseSpec("xinyuan", "交城县鑫源房地产开发有限公司", JIAOCHENG, OWNER, "交城县天宁镇永宁路120号"),
    EnterpriseSpec("jingui", "交城县金桂房地产开发有限公司", JIAOCHENG, OWNER, "交城县天宁镇滨河路16号"),
    EnterpriseSpec("jiaoyu", "交城县教育科技局", JIAOCHENG, OWNER, "交城县天宁镇新华路2号", uscc_kind="11",
                   legacy_code=True),
    EnterpriseSpec("weijian", "交城县卫生健康和体育局", JIAOCHENG, OWNER, "交城县天宁镇卦山大道20号", uscc_kind="11",
                   legacy_code=True),
    EnterpriseSpec("jiaotong", "交城县交通运输局", JIAOCHENG, OWNER, "交城县天宁镇迎宾大街8号", uscc_kind="11",
                   legacy_code=True),
    # --- supervisors (监理单位)
    EnterpriseSpec("gsjl", "山西卦山工程项目管理有限公司", JIAOCHENG, SUPERVISOR, "交城县天宁镇迎宾大街66号",
                   ((OTHER, "工程监理房屋建筑工程专业", "乙级"), (OTHER, "工程监理市政公用工程专业", "乙级"))),
    EnterpriseSpec("chengxin", "吕梁市诚信建设监理有限公司", 141102, SUPERVISOR, "山西省吕梁市离石区永宁中路35号",
                   ((OTHER, "工程监理综合资质", "甲级"),), legacy_code=True),
    EnterpriseSpec("huatai", "山西华泰工程监理有限公司", 140106, SUPERVISOR, "山西省太原市迎泽区迎泽大街288号",
                   ((OTHER, "工程监理房屋建筑工程专业", "甲级"), (OTHER, "工程监理市政公用工程专业", "甲级")),
                   legacy_code=True),
    EnterpriseSpec("zhengyuan", "孝义市正源工程监理有限公司", 141181, SUPERVISOR, "山西省孝义市崇文街17号",
                   ((OTHER, "工程监理房屋建筑工程专业", "乙级"),)),
)

DEMO_ENTERPRISE_NAMES = frozenset(e.name for e in ENTERPRISES)

AREA_CODES = {1411: "0358", 1401: "0351", 1407: "0354"}  # landline prefixes: 吕梁, 太原, 晋中

# Project profiles decide floor area or contract amount, dangerous works and the special trades on site.
HIGHRISE, PUBLIC, HALL, LOWRISE = "highrise", "public", "hall", "lowrise"
RENOVATION, BASEMENT = "renovation", "basement"
PIPE, ROAD, PLANT, TUNNEL, BRIDGE, LANDSCAPE = "pipe", "road", "plant", "tunnel", "bridge", "landscape"
MUNICIPAL_PROFILES = frozenset({PIPE, ROAD, PLANT, TUNNEL, BRIDGE, LANDSCAPE})

U, P, S, C = "under_construction", "preparing", "suspended", "completed"


@dataclass(frozen=True)
class ProjectSpec:
    name: str
    town: str
    owner: str
    profile: str
    status: str
    since_2023: bool = False   # started in 2023: the long-running projects that carry stock hazards
    contractor: str = ""       # fixed contractor key; otherwise drawn


ANCHOR_PROJECT = "交城县第二中学教学楼"

# In this order: a small demo takes the first N and still has every status, kind and profile.
PROJECTS: tuple[ProjectSpec, ...] = (
    ProjectSpec(ANCHOR_PROJECT, "天宁镇", "jiaoyu", PUBLIC, U, contractor=ANCHOR),
    ProjectSpec("S104交城段改线工程", "夏家营镇", "jiaotong", ROAD, U, True, "jinyang"),
    ProjectSpec("鑫源小区3#住宅楼", "天宁镇", "xinyuan", HIGHRISE, U, contractor=ANCHOR),
    ProjectSpec("城区供热管网改造工程", "天宁镇", "chengtou", PIPE, U, contractor=ANCHOR),
    ProjectSpec("交城县人民医院住院综合楼", "天宁镇", "weijian", PUBLIC, U, True, ANCHOR),
    ProjectSpec("交城县职业中学实训楼", "天宁镇", "jiaoyu", PUBLIC, C),
    ProjectSpec("交城县第三幼儿园", "天宁镇", "jiaoyu", LOWRISE, P),
    ProjectSpec("金桂苑小区1#住宅楼", "天宁镇", "jingui", HIGHRISE, S),
    ProjectSpec("交城县体育中心体育馆", "天宁镇", "chengtou", HALL, U, True, ANCHOR),
    ProjectSpec("卦山大道雨污分流改造工程", "天宁镇", "chengtou", PIPE, U),
    ProjectSpec("交城县第二中学学生宿舍楼", "天宁镇", "jiaoyu", PUBLIC, U, contractor=ANCHOR),
    ProjectSpec("鑫源小区5#住宅楼", "天宁镇", "xinyuan", HIGHRISE, U),
    ProjectSpec("鑫源小区地下车库", "天宁镇", "xinyuan", BASEMENT, U, contractor=ANCHOR),
    ProjectSpec("交城县中医院门诊医技楼", "天宁镇", "weijian", PUBLIC, U),
    ProjectSpec("交城县第一实验小学综合楼", "天宁镇", "jiaoyu", PUBLIC, U),
    ProjectSpec("天宁镇棚户区改造安置房1#楼", "天宁镇", "chengtou", HIGHRISE, U, contractor=ANCHOR),
    ProjectSpec("天宁镇棚户区改造安置房2#楼", "天宁镇", "chengtou", HIGHRISE, U),
    ProjectSpec("交城县东关保障性住房4#楼", "天宁镇", "chengtou", HIGHRISE, C),
    ProjectSpec("夏家营镇中心学校教学楼", "夏家营镇", "jiaoyu", PUBLIC, U),
    ProjectSpec("交城经济技术开发区标准化厂房（一期）", "夏家营镇", "chengtou", HALL, U),
    ProjectSpec("西营镇卫生院业务用房", "西营镇", "weijian", LOWRISE, U),
    ProjectSpec("庞泉沟镇游客服务中心", "庞泉沟镇", "chengtou", LOWRISE, S),
    ProjectSpec("洪相乡敬老院", "洪相乡", "chengtou", LOWRISE, C),
    ProjectSpec("金桂苑小区2#住宅楼", "天宁镇", "jingui", HIGHRISE, P),
    ProjectSpec("交城县文化中心", "天宁镇", "chengtou", PUBLIC, U, True, ANCHOR),
    ProjectSpec("交城县全民健身中心游泳馆", "天宁镇", "weijian", HALL, U),
    ProjectSpec("交城县公安局业务技术用房", "天宁镇", "chengtou", PUBLIC, C),
    ProjectSpec("交城县老旧小区改造工程（西关片区）", "天宁镇", "chengtou", RENOVATION, U),
    ProjectSpec("交城县老旧小区改造工程（东关片区）", "天宁镇", "chengtou", RENOVATION, P),
    ProjectSpec("岭底乡中心校学生宿舍楼", "岭底乡", "jiaoyu", LOWRISE, U),
    ProjectSpec("会立乡便民服务中心", "会立乡", "chengtou", LOWRISE, C),
    ProjectSpec("东坡底乡卫生院改扩建工程", "东坡底乡", "weijian", LOWRISE, U),
    ProjectSpec("西社镇中心幼儿园", "西社镇", "jiaoyu", LOWRISE, U),
    ProjectSpec("水峪贯镇农村客运站", "水峪贯镇", "jiaotong", LOWRISE, C),
    ProjectSpec("交城县妇幼保健院迁建工程", "天宁镇", "weijian", PUBLIC, U, True),
    ProjectSpec("鑫源小区7#商住楼", "天宁镇", "xinyuan", HIGHRISE, U),
    ProjectSpec("交城县城区第二污水处理厂工程", "夏家营镇", "chengtou", PLANT, U, True),
    ProjectSpec("磁窑河交城段综合治理工程", "夏家营镇", "chengtou", ROAD, U),
    ProjectSpec("交城县城区天然气管网改造工程", "天宁镇", "chengtou", PIPE, U),
    ProjectSpec("交城县城市污水处理厂提标改造工程", "夏家营镇", "chengtou", PLANT, S),
    ProjectSpec("夏家营工业园区道路及配套管网工程", "夏家营镇", "chengtou", ROAD, U),
    ProjectSpec("交城县滨河公园景观提升工程", "天宁镇", "chengtou", LANDSCAPE, C),
    ProjectSpec("水峪贯镇集中供水工程", "水峪贯镇", "chengtou", PIPE, U),
    ProjectSpec("西营镇至岭底乡公路改建工程", "西营镇", "jiaotong", ROAD, U),
    ProjectSpec("交城县城区背街小巷改造工程", "天宁镇", "chengtou", PIPE, P),
    ProjectSpec("庞泉沟镇污水收集管网工程", "庞泉沟镇", "chengtou", PIPE, U),
    ProjectSpec("交城县迎宾大街综合管廊工程", "天宁镇", "chengtou", TUNNEL, U, True),
    ProjectSpec("交城县文峪河大桥维修加固工程", "天宁镇", "jiaotong", BRIDGE, U),
    ProjectSpec("东坡底乡农村公路提质改造工程", "东坡底乡", "jiaotong", ROAD, S),
    ProjectSpec("交城县第二中学风雨操场", "天宁镇", "jiaoyu", HALL, P),
)

# --- People ------------------------------------------------------------------------------------------------
# Surnames weighted towards those common in 吕梁 and 晋中 (郭、武、田、任、贾、闫 …).
SURNAMES = (
    "王" * 9 + "李" * 7 + "张" * 7 + "刘" * 6 + "郭" * 6 + "赵" * 4 + "杨" * 4 + "武" * 4 + "田" * 3 + "任" * 3
    + "陈" * 3 + "吴" * 2 + "韩" * 3 + "贾" * 3 + "梁" * 3 + "闫" * 3 + "高" * 3 + "马" * 2 + "冯" * 2 + "胡" * 2
    + "孙" * 2 + "周" * 2 + "薛" * 2 + "郝" * 2 + "段" * 2 + "白" * 2 + "程" * 2 + "温" * 2 + "乔" * 2 + "牛" * 2
    + "成" + "霍" * 2 + "侯" + "秦" + "史" + "宋" + "范" + "康" + "卫" + "申" + "阎" + "雷" + "岳" + "曹" + "石"
    + "杜" + "孟" + "崔" + "薄" + "弓"
)
MALE_CHARS = (
    "建国军伟强磊斌勇杰涛明平华海东亮波刚鹏飞俊峰宇浩文志林晋兵"
    "永利春生成福宏旭龙虎锋鑫瑞凯超帅晨博全喜贵忠义德"
)
FEMALE_CHARS = "丽芳娟敏静霞燕艳玲红英萍琴慧婷婧雪娜洁琳月秀梅兰莉瑶璐佳欣悦"

# Birthplaces (the first six digits of a resident ID): mostly 交城 and the rest of 吕梁, then 山西, a few from
# neighbouring provinces. All are current county-level codes in registry/data/regions.csv.
BIRTH_REGIONS: tuple[tuple[tuple[int, ...], int], ...] = (
    ((JIAOCHENG,), 45),
    ((141102, 141121, 141123, 141124, 141125, 141126, 141127, 141128, 141129, 141130, 141181, 141182), 25),
    ((140105, 140107, 140109, 140121, 140123, 140181, 140702, 140703, 140727, 140728, 140729, 140781,
      140902, 140925, 141002, 141023, 141024, 140802, 140403, 140602), 22),
    ((130104, 130682, 410185, 410927, 411721, 610802, 610824, 150203, 150602), 8),
)
AGE_REFERENCE_YEAR = 2024  # ages are counted at mid-2024 so resident IDs do not change with the calendar

MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "150", "151", "152", "157", "158", "159", "182", "183",
                   "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181",
                   "189", "177", "199", "198", "166")

# Positions (岗位) recorded on employments.
PRINCIPAL = "主要负责人"
CONTROLLER = "实际控制人"
SAFETY_DIRECTOR = "安全总监"
PROJECT_MANAGER = "项目负责人"
TECHNICAL_LEAD = "项目技术负责人"
SAFETY_OFFICER = "专职安全员"
SITE_ENGINEER = "施工员"
QUALITY_INSPECTOR = "质量员"
DOCUMENT_CLERK = "资料员"
SPECIAL_WORKER = "特种作业人员"
FOREMAN = "班组长"
WORKER = "普通工人"

ISSUER = "山西省住房和城乡建设厅"
# Trade codes in special-operations certificate numbers (省简称 + 工种代码 + 年份 + 流水号).
SPECIAL_CODES = {
    "electrician": "A", "scaffolder": "B", "signaller": "C", "crane_driver": "D1", "hoist_driver": "D2",
    "crane_installer": "E1", "gondola_installer": "F", "welder": "G",
}

BAN_REASON = "对发生重大生产安全事故负有责任，终身不得担任本行业生产经营单位的主要负责人（《安全生产法》第九十四条）"
BAN_DOCUMENT = "晋建质罚〔2023〕36号"
