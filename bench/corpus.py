"""A synthetic content folder of 项目支出绩效目标自评表, shaped like the real forms in content/.

Benchmarks (checking, the site build, PDFs) need thousands of forms; the real ones are few. The
forms written here use the same keys and the same kinds of cells as the transcribed ones: flow
rows for the indicator table, operators in several spellings, full-width digits, thousands
separators, qualitative rows, over-achieved and breached targets, exact money, and now and then a
form whose declared figures disagree with what the rules compute. They contain no errors, so a
benchmark measures the normal path, and the same project id recurs across years.

Everything depends only on the seed: the same call writes byte-identical files.

    python bench/corpus.py DEST --projects 10000 --seed 0
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REAL_SITE_FILE = Path(__file__).resolve().parent.parent / "content" / "site.yaml"
DEFAULT_YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024)

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)

OUTPUT, BENEFIT, SATISFACTION = "产出指标", "效益指标", "满意度指标"
LEVEL_WEIGHTS: dict[str, int] = {OUTPUT: 50, BENEFIT: 30, SATISFACTION: 10}
EXECUTION_WEIGHT = 10

# --------------------------------------------------------------------------------------------
# Names. Slugs are pinyin initials or words so that folder names and ids stay ASCII.

CITIES: tuple[tuple[str, str], ...] = (
    ("六盘水市", "lps"),
    ("贵阳市", "gy"),
    ("遵义市", "zy"),
    ("安顺市", "as"),
    ("毕节市", "bj"),
    ("铜仁市", "tr"),
    ("黔东南州", "qdn"),
    ("黔南州", "qn"),
    ("黔西南州", "qxn"),
)


@dataclass(frozen=True)
class Theme:
    department: str  # the supervising department, after the city name
    code: str
    beneficiary: str  # who the satisfaction and benefit rows speak of
    units: tuple[tuple[str, str], ...]  # (unit name after the city name, slug)
    topics: tuple[tuple[str, str], ...]  # (start of a project name, slug)


THEMES: tuple[Theme, ...] = (
    Theme(
        "人力资源和社会保障局",
        "502",
        "参保群众",
        (
            ("人力资源和社会保障局", "rsj"),
            ("社会保险事业局", "sbj"),
            ("就业局", "jiuye"),
            ("人才服务中心", "rcfw"),
            ("劳动保障监察支队", "ldjc"),
            ("职业技能鉴定中心", "jnjd"),
        ),
        (
            ("城乡居民养老保险", "chengxiang-yanglao"),
            ("机关事业单位养老保险", "jiguan-yanglao"),
            ("失业保险", "shiye-baoxian"),
            ("工伤保险", "gongshang-baoxian"),
            ("就业创业", "jiuye-chuangye"),
            ("职业技能提升", "jineng-tisheng"),
            ("高校毕业生就业", "biyesheng-jiuye"),
            ("人才引进", "rencai-yinjin"),
            ("劳动保障监察", "laodong-jiancha"),
            ("社会保险经办", "shebao-jingban"),
        ),
    ),
    Theme(
        "教育局",
        "401",
        "学生家长",
        (
            ("教育局", "jyj"),
            ("第一中学", "dyzx"),
            ("第二中学", "dezx"),
            ("职业技术学校", "zyjs"),
            ("招生考试院", "zsks"),
            ("实验小学", "sysx"),
        ),
        (
            ("学前教育", "xueqian-jiaoyu"),
            ("义务教育营养改善", "yingyang-gaishan"),
            ("学生资助", "xuesheng-zizhu"),
            ("教师培训", "jiaoshi-peixun"),
            ("校舍维修", "xiaoshe-weixiu"),
            ("职业教育", "zhiye-jiaoyu"),
            ("教育信息化", "jiaoyu-xinxihua"),
            ("特殊教育", "teshu-jiaoyu"),
            ("普通高中", "putong-gaozhong"),
            ("校园安全", "xiaoyuan-anquan"),
        ),
    ),
    Theme(
        "卫生健康局",
        "601",
        "就诊群众",
        (
            ("卫生健康局", "wjj"),
            ("疾病预防控制中心", "cdc"),
            ("妇幼保健院", "fybj"),
            ("人民医院", "rmyy"),
            ("中医医院", "zyyy"),
        ),
        (
            ("基本公共卫生服务", "gonggong-weisheng"),
            ("家庭医生签约服务", "jiating-yisheng"),
            ("疾病预防控制", "jibing-yufang"),
            ("妇幼健康", "fuyou-jiankang"),
            ("计划生育家庭扶助", "jisheng-fuzhu"),
            ("医疗卫生机构能力建设", "yiliao-nengli"),
            ("健康教育", "jiankang-jiaoyu"),
            ("中医药发展", "zhongyiyao"),
            ("卫生应急", "weisheng-yingji"),
            ("老年健康", "laonian-jiankang"),
        ),
    ),
    Theme(
        "民政局",
        "501",
        "救助对象",
        (
            ("民政局", "mzj"),
            ("社会福利院", "flyy"),
            ("救助管理站", "jzgl"),
            ("殡仪馆", "byg"),
        ),
        (
            ("城乡低保", "dibao"),
            ("特困人员供养", "tekun-gongyang"),
            ("临时救助", "linshi-jiuzhu"),
            ("养老服务", "yanglao-fuwu"),
            ("残疾人两项补贴", "canji-butie"),
            ("孤儿基本生活保障", "guer-baozhang"),
            ("社区治理", "shequ-zhili"),
            ("殡葬改革", "binzang-gaige"),
            ("婚姻登记", "hunyin-dengji"),
            ("未成年人保护", "weichengnian-baohu"),
        ),
    ),
    Theme(
        "农业农村局",
        "701",
        "农户",
        (
            ("农业农村局", "nyj"),
            ("农业技术推广站", "njtg"),
            ("动物疫病预防控制中心", "dwyk"),
            ("农产品质量安全检测站", "ncjc"),
        ),
        (
            ("耕地地力保护", "gengdi-baohu"),
            ("高标准农田建设", "gaobiao-nongtian"),
            ("农机购置补贴", "nongji-butie"),
            ("动物防疫", "dongwu-fangyi"),
            ("农村人居环境整治", "renju-huanjing"),
            ("种业发展", "zhongye-fazhan"),
            ("农产品质量安全", "nongchanpin-anquan"),
            ("乡村振兴衔接", "xiangcun-zhenxing"),
            ("茶产业发展", "chachanye"),
            ("渔业发展", "yuye-fazhan"),
        ),
    ),
    Theme(
        "交通运输局",
        "801",
        "沿线群众",
        (
            ("交通运输局", "jtj"),
            ("公路管理局", "glj"),
            ("道路运输管理所", "ysgl"),
        ),
        (
            ("农村公路养护", "nongcun-gonglu"),
            ("公路安全生命防护工程", "gonglu-anquan"),
            ("农村客运补贴", "keyun-butie"),
            ("危桥改造", "weiqiao-gaizao"),
            ("城市公交运营", "gongjiao-yunying"),
            ("交通综合执法", "jiaotong-zhifa"),
            ("水运建设", "shuiyun-jianshe"),
            ("物流园区建设", "wuliu-yuanqu"),
        ),
    ),
    Theme(
        "生态环境局",
        "901",
        "周边群众",
        (
            ("生态环境局", "sthj"),
            ("环境监测站", "hjjc"),
            ("生态环境保护综合行政执法支队", "hjzf"),
        ),
        (
            ("大气污染防治", "daqi-wuran"),
            ("水污染防治", "shui-wuran"),
            ("土壤污染防治", "turang-wuran"),
            ("环境监测", "huanjing-jiance"),
            ("生态保护修复", "shengtai-xiufu"),
            ("固体废物处置", "guti-feiwu"),
            ("环境执法", "huanjing-zhifa"),
            ("饮用水水源地保护", "yinyong-shuiyuan"),
        ),
    ),
    Theme(
        "住房和城乡建设局",
        "811",
        "居民",
        (
            ("住房和城乡建设局", "zjj"),
            ("住房保障服务中心", "zfbz"),
            ("园林绿化管理处", "ylgl"),
            ("建设工程质量安全监督站", "zljd"),
        ),
        (
            ("老旧小区改造", "laojiu-xiaoqu"),
            ("城镇保障性安居工程", "anju-gongcheng"),
            ("农村危房改造", "weifang-gaizao"),
            ("城市排水防涝", "paishui-fanglao"),
            ("市政道路维护", "shizheng-daolu"),
            ("园林绿化养护", "yuanlin-lvhua"),
            ("建筑市场监管", "jianzhu-jianguan"),
            ("城镇燃气安全", "ranqi-anquan"),
        ),
    ),
    Theme(
        "水务管理局",
        "702",
        "受益群众",
        (
            ("水务管理局", "swj"),
            ("水土保持监测站", "stbc"),
            ("水库管理所", "skgl"),
        ),
        (
            ("农村饮水安全", "nongcun-yinshui"),
            ("小型水库维修养护", "shuiku-weixiu"),
            ("河湖长制", "hehuzhang"),
            ("水土保持", "shuitu-baochi"),
            ("防汛抗旱", "fangxun-kanghan"),
            ("水资源管理", "shuiziyuan"),
        ),
    ),
    Theme(
        "文化广电旅游局",
        "402",
        "观众",
        (
            ("文化广电旅游局", "wglj"),
            ("图书馆", "tsg"),
            ("博物馆", "bwg"),
            ("文化馆", "whg"),
        ),
        (
            ("公共文化服务", "gonggong-wenhua"),
            ("文物保护", "wenwu-baohu"),
            ("非物质文化遗产保护", "feiyi-baohu"),
            ("全民健身", "quanmin-jianshen"),
            ("旅游宣传推介", "lvyou-tuijie"),
            ("图书馆免费开放", "tushuguan-kaifang"),
            ("广播电视村村通", "cuncuntong"),
            ("群众体育赛事", "tiyu-saishi"),
        ),
    ),
    Theme(
        "市场监督管理局",
        "302",
        "消费者",
        (
            ("市场监督管理局", "scjg"),
            ("产品质量检验检测院", "zjy"),
            ("计量测试所", "jlcs"),
        ),
        (
            ("食品安全抽检", "shipin-choujian"),
            ("药品安全监管", "yaopin-jianguan"),
            ("特种设备安全监察", "tezhong-shebei"),
            ("计量检定", "jiliang-jianding"),
            ("知识产权保护", "zhishichanquan"),
            ("消费维权", "xiaofei-weiquan"),
        ),
    ),
    Theme(
        "应急管理局",
        "503",
        "辖区群众",
        (
            ("应急管理局", "yjj"),
            ("应急救援支队", "yjjy"),
            ("森林消防大队", "slxf"),
        ),
        (
            ("安全生产监管", "anquan-shengchan"),
            ("应急物资储备", "yingji-wuzi"),
            ("森林防火", "senlin-fanghuo"),
            ("地质灾害防治", "dizhi-zaihai"),
            ("应急救援队伍建设", "jiuyuan-duiwu"),
            ("防灾减灾宣传", "fangzai-jianzai"),
        ),
    ),
)

# The second half of a project name: what the money is for.
PURPOSES: tuple[tuple[str, str], ...] = (
    ("补助资金", "buzhu"),
    ("专项资金", "zhuanxiang"),
    ("工作经费", "jingfei"),
    ("信息系统运维费", "yunwei"),
    ("宣传经费", "xuanchuan"),
    ("设备购置费", "shebei"),
    ("培训经费", "peixun"),
    ("奖补资金", "jiangbu"),
    ("能力建设项目", "nengli"),
    ("市级配套资金", "peitao"),
    ("业务专项经费", "yewu"),
    ("项目建设资金", "jianshe"),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红飞鑫波斌宇浩凯健俊帆帅旭宁琳晶桃"

# --------------------------------------------------------------------------------------------
# Indicator templates, per (一级指标, 二级指标).


@dataclass(frozen=True)
class Measured:
    """A quantitative row: target and actual are an operator, a number and a 度量单位."""

    name: str
    measure_unit: str  # 度量单位
    direction: str  # "up" (正向), "down" (反向) or "equal"
    low: float  # range of the target value
    high: float
    decimals: int = 0


@dataclass(frozen=True)
class Judged:
    """A qualitative row: the target is text, the actual names a band."""

    name: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class CostCeiling:
    """成本金额: the budget as a ceiling in 万元; the actual is the money executed."""

    name: str = "成本金额"


Template = Measured | Judged | CostCeiling

TEMPLATES: dict[tuple[str, str], tuple[Template, ...]] = {
    (OUTPUT, "数量指标"): (
        Measured("{beneficiary}人数", "人", "up", 200, 500000),
        Measured("补助标准", "元/人*月", "equal", 0.2, 300, 1),
        Measured("培训人次", "人次", "up", 100, 50000),
        Measured("运维系统数量", "套", "equal", 2, 30),
        Measured("采购设备数量", "台", "up", 5, 500),
        Measured("开展宣传活动场次", "场", "up", 3, 120),
        Measured("监督检查次数", "次", "up", 4, 400),
        Measured("受益户数", "户", "up", 50, 80000),
        Measured("建设里程", "公里", "up", 1, 300, 1),
        Measured("改造面积", "平方米", "up", 500, 200000),
        Measured("完成项目个数", "个", "equal", 1, 40),
        Measured("待遇领取人数", "人", "down", 1000, 800000),
        Judged("{topic}覆盖范围", ("覆盖全市", "全市范围内")),
    ),
    (OUTPUT, "质量指标"): (
        Measured("验收合格率", "%", "up", 90, 100),
        Measured("资金发放准确率", "%", "equal", 100, 100),
        Measured("政策覆盖率", "%", "up", 85, 100),
        Measured("设备完好率", "%", "up", 90, 99),
        Judged("政府采购规范性", ("合格", "符合政府采购相关规定")),
        Judged("待遇发放", ("足额发放", "按标准足额发放")),
        Judged("{topic}工作质量", ("符合相关标准", "达到验收要求", "全年缴费金额*10%*1/3")),
    ),
    (OUTPUT, "时效指标"): (
        Judged("资金到位时限", ("根据文件要求", "根据文件要求完成", "按时到位")),
        Measured("故障排除时效", "小时", "down", 2, 48),
        Measured("资金拨付时间", "个工作日", "down", 5, 30),
        Measured("办结时限", "天", "down", 3, 60),
        Judged("发放时间", ("每月10号前", "按月发放")),
        Judged("项目完成时限", ("{year}年12月底前完成",)),
    ),
    (OUTPUT, "成本指标"): (
        CostCeiling(),
        Measured("项目或定额成本控制率", "%", "equal", 100, 100),
        Measured("人均补助成本", "元/人", "down", 50, 5000),
        Judged("成本控制", ("严格控制在预算范围内", "不超预算")),
    ),
    (BENEFIT, "经济效益指标"): (
        Measured("增加基金利息收入", "%", "up", 1, 3, 2),
        Measured("带动就业人数", "人", "up", 10, 5000),
        Measured("带动农户增收", "万元", "up", 10, 2000, 1),
        Judged("提高消费水平", ("助力提高", "有效提高")),
        Judged("节约运行成本", ("有效节约", "逐步降低")),
    ),
    (BENEFIT, "社会效益指标"): (
        Judged("保障{beneficiary}合法权益", ("有效保障",)),
        Judged("提升便民服务效能", ("有效降低办事成本", "明显提升")),
        Measured("政策知晓率", "%", "up", 80, 95),
        Judged("促进社会公平", ("持续促进",)),
        Judged("{topic}工作顺利开展", ("顺利开展",)),
    ),
    (BENEFIT, "生态效益指标"): (
        Judged("保护自然资源", ("有效保护",)),
        Judged("经济绿色发展", ("助力绿色发展",)),
        Judged("减少纸质材料使用", ("有效减少",)),
        Measured("垃圾无害化处理率", "%", "up", 85, 100),
    ),
    (BENEFIT, "可持续影响指标"): (
        Judged("维护社会稳定", ("保障{beneficiary}待遇", "持续维护")),
        Judged("长效机制建立健全", ("逐步健全",)),
        Measured("持续发挥效益年限", "年", "up", 3, 10),
        Judged("应急处置机制健全", ("及时响应",)),
    ),
    (SATISFACTION, "满意度指标"): (
        Measured("{beneficiary}满意度", "%", "up", 85, 98),
        Measured("服务对象满意度", "%", "up", 85, 98),
    ),
}
LEVEL2_ORDER: dict[str, tuple[str, ...]] = {
    OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    SATISFACTION: ("满意度指标",),
}

# Phrases of 实际完成值 for qualitative rows, and the band each names.
ACHIEVED = "达成年度指标"
PARTLY = "部分达成年度指标并具有一定效果"
MISSED = "未达成年度指标且效果较差"
UNBANDED = ("已完成", "按时足额发放", "效果明显")

SHORTFALL_REASONS = (
    "受政策调整影响,实际完成值低于年度指标值。",
    "部分资金年底才下达,项目实施进度滞后。",
    "服务对象数量较年初预计减少。",
    "年初指标值设置偏高,下年度将据实调整。",
)
BREACH_REASONS = (
    "年度大力推进待遇资格认证工作,恢复领取待遇资格人数增加,导致数据偏离。",
    "受不可控因素影响,实际值超出控制指标。",
)
OVER_REASONS = (
    "实际完成值超出指标值,扣减50%的分值。",
    "实际完成值超出指标值较多,年初指标值设置偏低。",
)
LOW_EXECUTION_REASONS = (
    "部分资金根据实际需要据实拨付,结余资金按规定收回。",
    "项目实施进度滞后,部分资金未能在年内支出。",
)

# --------------------------------------------------------------------------------------------
# The scoring policy of the copied site.yaml, to declare scores the way the rules compute them.


@dataclass(frozen=True)
class ScoringRules:
    over_threshold: Decimal | None
    over_action: str
    over_deduct: Decimal
    breached_reverse: str
    bands: dict[str, tuple[Decimal, Decimal]]
    grades: tuple[tuple[Decimal, str], ...]  # highest first

    @classmethod
    def from_site(cls, site: dict[str, Any]) -> ScoringRules:
        scoring = site.get("scoring") or {}
        over = scoring.get("over_achievement") or {}
        bands = {"achieved": ("0.8", "1"), "partly": ("0.6", "0.8"), "missed": ("0", "0.6")}
        for name, band in (scoring.get("qualitative_bands") or {}).items():
            bands[name] = (str(band["low"]), str(band["high"]))
        grades = scoring.get("grades") or [
            {"min": 90, "label": "优"},
            {"min": 80, "label": "良"},
            {"min": 60, "label": "中"},
            {"min": 0, "label": "差"},
        ]
        threshold = over.get("threshold")
        return cls(
            over_threshold=None if threshold is None else Decimal(str(threshold)),
            over_action=str(over.get("action", "none")),
            over_deduct=Decimal(str(over.get("deduct", "0.5"))),
            breached_reverse=str(scoring.get("breached_reverse", "national")),
            bands={k: (Decimal(low), Decimal(high)) for k, (low, high) in bands.items()},
            grades=tuple((Decimal(str(g["min"])), str(g["label"])) for g in grades),
        )

    def grade(self, total: Decimal) -> str:
        for minimum, label in self.grades:
            if total >= minimum:
                return label
        return self.grades[-1][1]


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """97.50 -> 97.5, 100.00 -> 100: figures as a person writes them."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --------------------------------------------------------------------------------------------
# YAML text. Written by hand rather than dumped, to keep the layout of the real files.

_FLOW_UNSAFE = frozenset(",[]{}")
_INDICATOR_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_resolver = yaml.resolver.Resolver()


@lru_cache(maxsize=65536)
def _scalar(text: str, flow: bool = True) -> str:
    """`text` as a plain scalar when YAML reads it back as that same string, else quoted."""
    plain_is_safe = (
        bool(text)
        and text == text.strip()
        and text[0] not in _INDICATOR_START
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\n" not in text
        and not (flow and any(ch in _FLOW_UNSAFE for ch in text))
        and _resolver.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
    )
    return text if plain_is_safe else json.dumps(text, ensure_ascii=False)


def _flow(pairs: Iterable[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


# --------------------------------------------------------------------------------------------
# The corpus: units, project lines (one project over several years), forms.


@dataclass(frozen=True)
class Unit:
    name: str
    slug: str
    department: str
    department_code: str
    theme: Theme
    contact: str
    # How this unit's clerk fills in forms, kept across its forms and years.
    has_nature_columns: bool
    writes_cents: bool


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    template: Template
    name: str
    weight: int
    target_text: str  # for Judged rows: the target chosen once for the project
    base_target: Decimal  # for Measured rows: the target in the first year


@dataclass
class ProjectLine:
    """One project as it recurs over the years: same id, name, unit and indicator table."""

    id: str
    name: str
    topic: str
    unit: Unit
    years: tuple[int, ...]
    base_budget: Decimal
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Corpus:
    root: Path
    files: tuple[Path, ...]
    units: int
    departments: int
    lines: int  # distinct project ids
    years: tuple[int, ...]

    @property
    def projects(self) -> int:
        return len(self.files)


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _person(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def _units(rng: random.Random, count: int) -> list[Unit]:
    candidates = [
        (city, city_slug, theme, unit_name, unit_slug)
        for city, city_slug in CITIES
        for theme in THEMES
        for unit_name, unit_slug in theme.units
    ]
    chosen = rng.sample(candidates, min(count, len(candidates)))
    units = [
        Unit(
            name=city + unit_name,
            slug=f"{city_slug}-{unit_slug}",
            department=city + theme.department,
            department_code=theme.code,
            theme=theme,
            contact=_person(rng),
            has_nature_columns=rng.random() < 0.25,
            writes_cents=rng.random() < 0.3,
        )
        for city, city_slug, theme, unit_name, unit_slug in chosen
    ]
    units.sort(key=lambda unit: unit.slug)
    return units


def _split_weight(total: int, parts: int, rng: random.Random) -> list[int]:
    """Integer weights adding up to `total`, in steps of 5 where the rows allow it."""
    step = next(s for s in (5, 2, 1) if total % s == 0 and parts * s <= total)
    shares = [1] * parts
    for _ in range(total // step - parts):
        shares[rng.randrange(parts)] += 1
    return [share * step for share in shares]


def _rows(rng: random.Random, theme: Theme, topic: str) -> list[Row]:
    counts = {OUTPUT: rng.randint(5, 11), BENEFIT: rng.randint(3, 7), SATISFACTION: 1}
    if rng.random() < 0.3:
        counts[SATISFACTION] = 2
    while sum(counts.values()) > 20:
        counts[OUTPUT] -= 1
    rows: list[Row] = []
    for level1, count in counts.items():
        level2s = LEVEL2_ORDER[level1]
        available = {level2: list(TEMPLATES[(level1, level2)]) for level2 in level2s}
        picks: list[tuple[str, Template]] = []
        for index in range(count):
            # Every second-level heading first, then more rows under random ones.
            candidates = [level2s[index]] if index < len(level2s) else list(level2s)
            candidates = [c for c in candidates if available[c]] or [
                c for c in level2s if available[c]
            ]
            level2 = rng.choice(candidates)
            template = available[level2].pop(rng.randrange(len(available[level2])))
            picks.append((level2, template))
        picks.sort(key=lambda pick: level2s.index(pick[0]))
        if level1 == SATISFACTION and rng.random() < 0.2:
            picks = [("服务对象满意度指标", template) for _, template in picks]
        weights = _split_weight(LEVEL_WEIGHTS[level1], len(picks), rng)
        for (level2, template), weight in zip(picks, weights, strict=True):
            name = template.name.format(beneficiary=theme.beneficiary, topic=topic)
            target_text, base = "", ZERO
            if isinstance(template, Judged):
                # {year} is filled in per form, the rest once for the project.
                target_text = rng.choice(template.targets).replace(
                    "{beneficiary}", theme.beneficiary
                )
            elif isinstance(template, Measured):
                value = (
                    rng.uniform(template.low, template.high)
                    if template.measure_unit in ("%", "年") or template.high / template.low < 20
                    else _log_uniform(rng, template.low, template.high)
                )
                base = Decimal(repr(value)).quantize(Decimal(1).scaleb(-template.decimals))
                if template.measure_unit == "%" and template.decimals == 0 and rng.random() < 0.6:
                    base = (base / 5).quantize(ONE) * 5  # 90%, 95%: the usual round targets
                base = max(base, Decimal(1).scaleb(-template.decimals))
            rows.append(Row(level1, level2, template, name, weight, target_text, base))
    return rows


def _lines(
    rng: random.Random, projects: int, years: Sequence[int], units: list[Unit]
) -> list[ProjectLine]:
    """Project lines until their years add up to exactly `projects` forms."""
    # Some units file many more forms than others, as in any real budget.
    unit_weights = [_log_uniform(rng, 1, 12) for _ in units]
    used_ids: set[str] = set()
    used_names: dict[str, set[str]] = {unit.slug: set() for unit in units}
    lines: list[ProjectLine] = []
    remaining = projects
    while remaining > 0:
        unit = rng.choices(units, unit_weights)[0]
        span = min(remaining, rng.choice((1, 2, 3, 4, 4, 4)), len(years))
        start = rng.randrange(len(years) - span + 1)
        line_years = tuple(years[start : start + span])
        remaining -= span
        topic, topic_slug = rng.choice(unit.theme.topics)
        purpose, purpose_slug = rng.choice(PURPOSES)
        name, slug = topic + purpose, f"{topic_slug}-{purpose_slug}"
        phase = 1
        while name in used_names[unit.slug] or slug in used_ids:
            if name not in used_names[unit.slug] and f"{unit.slug}-{slug}" not in used_ids:
                slug = f"{unit.slug}-{slug}"  # the same kind of project in another unit
                break
            phase += 1
            name, slug = f"{topic}{purpose}({phase}期)", f"{topic_slug}-{purpose_slug}-{phase}"
        used_names[unit.slug].add(name)
        used_ids.add(slug)
        budget = Decimal(round(_log_uniform(rng, 5e4, 2e8), -2)).quantize(ONE)
        line = ProjectLine(slug, name, topic, unit, line_years, budget)
        line.rows = _rows(rng, unit.theme, topic)
        lines.append(line)
    return lines


# --------------------------------------------------------------------------------------------
# One form: the figures of a year, then its text.


@dataclass(frozen=True)
class Spelling:
    """How one form writes operators and numbers."""

    ge: str
    le: str
    eq: str
    gt: str
    lt: str
    fullwidth: bool
    thousands: bool
    operator_in_actual: bool


_FULLWIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


def _spelling(rng: random.Random) -> Spelling:
    def pick(options: str) -> str:
        spellings = options.split()
        return spellings[0] if rng.random() < 0.75 else rng.choice(spellings)

    return Spelling(
        ge=pick("≥ >= ≧ ＞＝ ＞="),
        le=pick("≤ <= ≦ ＜＝ ＜="),
        eq=pick("= ＝ =="),
        gt=pick("> ＞"),
        lt=pick("< ＜"),
        fullwidth=rng.random() < 0.05,
        thousands=rng.random() < 0.12,
        operator_in_actual=rng.random() < 0.6,
    )


def _quantity(operator: str, number: Decimal, measure_unit: str, spelling: Spelling) -> str:
    digits = format(number, ",f") if spelling.thousands and number >= 10000 else format(number, "f")
    text = digits + measure_unit
    if spelling.fullwidth:
        text = text.translate(_FULLWIDTH)
    return operator + text


def _hundreds(amount: Decimal) -> Decimal:
    """Budgets are set in round hundreds of 元."""
    return (amount / 100).quantize(ONE, rounding=ROUND_HALF_UP) * 100


def _money(amount: Decimal, cents: bool) -> str:
    return f"{amount:.2f}" if cents or amount != amount.to_integral_value() else str(int(amount))


@dataclass
class IndicatorFigures:
    row: Row
    target: str
    actual: str
    computed: Decimal  # what the rules give
    declared: Decimal | None  # what the form says
    reason: str = ""
    measure_unit_column: str | None = None
    nature: str | None = None


def _measured(
    row: Row,
    template: Measured,
    rng: random.Random,
    spelling: Spelling,
    rules: ScoringRules,
    year_index: int,
) -> tuple[str, str, Decimal, str]:
    """(target text, actual text, computed score, reason) of a quantitative row."""
    quantum = Decimal(1).scaleb(-template.decimals)
    target = row.base_target
    if template.measure_unit != "%" and template.direction != "equal":
        target = max(quantum, (target * Decimal(1 + 0.05 * year_index)).quantize(quantum))
    weight = Decimal(row.weight)
    roll = rng.random()
    reason = ""
    if template.direction == "down":
        operator = spelling.lt if rng.random() < 0.1 else spelling.le
        factor = rng.uniform(1.05, 1.3) if roll < 0.1 else rng.uniform(0.6, 1.0)
    elif template.direction == "equal":
        operator = spelling.eq
        factor = 1.0 if roll < 0.93 else rng.uniform(0.9, 0.99)
    else:
        operator = spelling.gt if rng.random() < 0.05 else spelling.ge
        if roll < 0.08 and template.measure_unit != "%":
            factor = rng.uniform(1.3, 1.8)
        elif roll < 0.18:
            factor = rng.uniform(0.6, 0.99)
        elif roll < 0.35:
            factor = 1.0
        else:
            factor = rng.uniform(1.0, 1.25)
    if template.direction == "up" and len(template.measure_unit) <= 3 and rng.random() < 0.05:
        operator = ""  # a bare figure such as 72763人 counts as 正向
    actual = (target * Decimal(repr(factor))).quantize(quantum, rounding=ROUND_HALF_UP)
    if template.measure_unit == "%" and target <= HUNDRED:
        actual = min(actual, HUNDRED)

    # The rules of builder/rules/score.py, for the policy of the copied site.yaml.
    if template.direction == "down":
        if actual <= target:
            computed = weight
        else:
            ratio = target / actual
            computed = {
                "national": weight * ratio,
                "linear": weight * max(ZERO, 2 - actual / target),
                "zero": ZERO,
            }[rules.breached_reverse]
            reason = rng.choice(BREACH_REASONS)
    elif template.direction == "equal" and actual == target:
        computed = weight
    else:
        ratio = actual / target
        threshold = rules.over_threshold
        if threshold is not None and ratio >= threshold and rules.over_action != "none":
            deduct = rules.over_deduct if rules.over_action == "deduct" else ZERO
            computed = weight * (ONE - deduct)
            reason = rng.choice(OVER_REASONS)
        else:
            computed = weight * min(ratio, ONE)
            if ratio < 1:
                reason = rng.choice(SHORTFALL_REASONS)
    computed = round2(computed)

    # A bare figure with a long unit (0.2元/人*月) would read as text: keep its operator.
    keeps_operator = spelling.operator_in_actual or len(template.measure_unit) > 3
    actual_operator = operator if keeps_operator else ""
    return (
        _quantity(operator, target, template.measure_unit, spelling),
        _quantity(actual_operator, actual, template.measure_unit, spelling),
        computed,
        reason,
    )


def _indicator(
    row: Row,
    rng: random.Random,
    spelling: Spelling,
    rules: ScoringRules,
    year: int,
    year_index: int,
    budget: Decimal,
    executed: Decimal,
    nature_columns: bool,
) -> IndicatorFigures:
    weight = Decimal(row.weight)
    template = row.template
    if rng.random() < 0.003:  # a row the unit marked not applicable
        return IndicatorFigures(row, rng.choice(("/", "—")), "/", ZERO, None)
    if isinstance(template, Judged):
        roll = rng.random()
        if roll < 0.9:
            actual, band, reason = ACHIEVED, "achieved", ""
        elif roll < 0.94:
            actual, band, reason = PARTLY, "partly", rng.choice(SHORTFALL_REASONS)
        elif roll < 0.95:
            actual, band, reason = MISSED, "missed", rng.choice(SHORTFALL_REASONS)
        else:
            actual, band, reason = rng.choice(UNBANDED), None, ""
        if band is None:
            declared = weight
        else:
            low, high = rules.bands[band]
            fraction = high if band == "achieved" and rng.random() < 0.85 else (low + high) / 2
            declared = round2(weight * fraction)
        figures = IndicatorFigures(
            row, row.target_text.replace("{year}", str(year)), actual, declared, declared, reason
        )
        if nature_columns:
            figures.nature = "定性"
        return figures
    if isinstance(template, CostCeiling):
        ceiling = plain(budget / TEN_THOUSAND)
        spent = executed / TEN_THOUSAND
        if rng.random() < 0.1:
            # Rounded by the clerk (down, to stay within the ceiling): may then disagree with
            # the funding table.
            spent = spent.quantize(CENT, rounding=ROUND_DOWN)
        operator = spelling.le
        actual_operator = operator if spelling.operator_in_actual else ""
        figures = IndicatorFigures(
            row, f"{operator}{ceiling}万元", f"{actual_operator}{plain(spent)}万元", weight, weight
        )
        if nature_columns:
            figures.nature, figures.measure_unit_column = "定量", "万元"
        return figures
    target, actual, computed, reason = _measured(row, template, rng, spelling, rules, year_index)
    declared = computed
    roll = rng.random()
    if computed < weight:
        if roll < 0.04 and reason:
            declared = round2(computed * Decimal("0.8"))  # the evaluator's stricter judgement
        elif roll < 0.07:
            declared = weight  # the shortfall ignored: above what the rules allow
        elif roll < 0.22:
            reason = ""
    elif roll < 0.005:
        declared = weight - 1  # a met target marked down without a reason
    figures = IndicatorFigures(row, target, actual, computed, declared, reason)
    if nature_columns:
        figures.nature, figures.measure_unit_column = "定量", template.measure_unit
    return figures


def _split_money(
    whole: tuple[Decimal, Decimal, Decimal], share: float
) -> tuple[tuple[Decimal, Decimal, Decimal], tuple[Decimal, Decimal, Decimal]]:
    """Two rows adding up to `whole` (initial, budget, executed), neither executing over budget."""
    fraction = Decimal(repr(share))
    initial, budget, executed = (
        (value * fraction).quantize(ONE, rounding=ROUND_DOWN) for value in whole
    )
    executed = min(executed, budget)
    if whole[2] - executed > whole[1] - budget:
        executed = whole[2] - (whole[1] - budget)
    first = (initial, budget, executed)
    return first, tuple(w - p for w, p in zip(whole, first, strict=True))  # type: ignore[return-value]


def _render(line: ProjectLine, year: int, seed: int, rules: ScoringRules) -> str:
    rng = random.Random(f"{seed}:{line.id}:{year}")
    unit = line.unit
    year_index = year - line.years[0]
    spelling = _spelling(rng)

    budget = _hundreds(line.base_budget * Decimal(repr(rng.uniform(0.85, 1.2))))
    if unit.writes_cents and rng.random() < 0.3:
        budget += Decimal(rng.randrange(1, 100)) / 100
    roll = rng.random()
    rate = (
        1.0
        if roll < 0.72
        else rng.uniform(0.9, 0.999)
        if roll < 0.88
        else rng.uniform(0.5, 0.9)
        if roll < 0.97
        else rng.uniform(0.05, 0.5)
    )
    executed = min(budget, (budget * Decimal(repr(rate))).quantize(CENT, rounding=ROUND_DOWN))
    if not unit.writes_cents:
        executed = executed.quantize(ONE, rounding=ROUND_DOWN)
    initial = budget if rng.random() < 0.7 else _hundreds(budget * Decimal("0.9"))
    total = (initial, budget, executed)

    execution_rate = executed / budget
    execution_score = round2(EXECUTION_WEIGHT * min(execution_rate, ONE))
    percent = round2(execution_rate * HUNDRED)

    indicators = [
        _indicator(
            row,
            rng,
            spelling,
            rules,
            year,
            year_index,
            budget,
            executed,
            unit.has_nature_columns,
        )
        for row in line.rows
    ]
    computed_total = round2(execution_score + sum((i.computed for i in indicators), ZERO))
    declared_scores = [i.declared for i in indicators]
    declared_total = (
        execution_score + sum(declared_scores, ZERO)  # type: ignore[arg-type]
        if None not in declared_scores
        else computed_total
    )
    grade = rules.grade(declared_total)
    quoted_total = declared_total

    # Now and then a form whose declared figures disagree, as on real forms.
    printed_rate = percent
    roll = rng.random()
    if roll < 0.02 and declared_total < HUNDRED:
        declared_total = HUNDRED  # the 总分 row left at full marks
    elif roll < 0.035:
        quoted_total = declared_total.to_integral_value(rounding=ROUND_HALF_UP)
    elif roll < 0.045:
        printed_rate = (execution_rate * HUNDRED).quantize(CENT, rounding=ROUND_DOWN)
    elif roll < 0.055:
        grade = rules.grades[0][1]

    cents = unit.writes_cents or rng.random() < 0.1
    funding_rows: list[tuple[str, tuple[Decimal, Decimal, Decimal], bool]] = [
        ("total", total, cents)
    ]
    layout = rng.random()
    if layout < 0.9:
        other_share = 0.0 if rng.random() < 0.85 else rng.uniform(0.05, 0.4)
        fiscal, other = (
            _split_money(total, 1 - other_share) if other_share else (total, (ZERO,) * 3)
        )
        funding_rows.append(("fiscal", fiscal, cents))  # type: ignore[arg-type]
        if layout < 0.75:
            superior_share = 0.0 if rng.random() < 0.7 else rng.uniform(0.2, 0.8)
            local, superior = (
                _split_money(fiscal, 1 - superior_share)  # type: ignore[arg-type]
                if superior_share
                else (fiscal, (ZERO,) * 3)
            )
            if rng.random() < 0.01:  # a sub-row that does not add up
                local = (local[0], local[1], local[2] - min(local[2], Decimal(1000)))
            funding_rows.append(("local", local, True))  # type: ignore[arg-type]
            funding_rows.append(("superior", superior, cents))  # type: ignore[arg-type]
        funding_rows.append(("other", other, cents))  # type: ignore[arg-type]

    filled_on = _filled_on(rng, year)
    out: list[str] = [
        f"# {year}年度项目支出绩效目标自评表 (synthetic, bench/corpus.py seed {seed})",
        f"id: {line.id}",
        f"year: {year}",
        f"name: {_scalar(line.name, flow=False)}",
        f'department: {{name: {_scalar(unit.department)}, code: "{unit.department_code}"}}',
        f"unit: {_scalar(unit.name, flow=False)}",
        f"filled_on: {filled_on}",
    ]
    if rng.random() < 0.9:
        out.append(f"contact: {unit.contact}")
    out.append("")
    out.append("funding:  # 元")
    for name, (row_initial, row_budget, row_executed), row_cents in funding_rows:
        pad = " " * (len("superior") - len(name))
        cells = _flow(
            (
                ("initial", _money(row_initial, row_cents)),
                ("budget", _money(row_budget, row_cents)),
                ("executed", _money(row_executed, row_cents)),
            )
        )
        out.append(f"  {name}:{pad} {cells}")
    if percent < 90 and rng.random() < 0.7:
        out.append(f"  reason: {_scalar(rng.choice(LOW_EXECUTION_REASONS), flow=False)}")
    out.append("")
    out.extend(_goals(rng, line, year))
    out.append("")
    if rng.random() < 0.9:
        levels = _flow((level, str(points)) for level, points in LEVEL_WEIGHTS.items())
        out += ["weights:", f"  execution: {EXECUTION_WEIGHT}", f"  levels: {levels}", ""]
    out.append("indicators:")
    for figures in indicators:
        out.extend(_indicator_lines(figures))
    out.append("")
    out.append("declared:")
    if rng.random() < 0.95:
        out.append(f"  execution_rate: {printed_rate:.2f}")
    out.append(f"  execution_score: {plain(execution_score)}")
    out.append("  total_weight: 100")
    out.append(f"  total: {plain(declared_total)}")
    out.append(f"  conclusion: {_scalar(_conclusion(rng, quoted_total, grade), flow=False)}")
    return "\n".join(out) + "\n"


def _filled_on(rng: random.Random, year: int) -> str:
    if rng.random() < 0.5:
        return f"{year}-12-{rng.randint(10, 31):02d}"
    month = rng.randint(1, 3)
    return f"{year + 1}-{month:02d}-{rng.randint(1, 28):02d}"


def _goals(rng: random.Random, line: ProjectLine, year: int) -> list[str]:
    theme = line.unit.theme
    document = (
        f"《{line.unit.department}关于做好{year}年{line.topic}工作的通知》"
        f"({line.unit.slug.split('-')[0]}{theme.code}发〔{year - 1}〕{rng.randint(1, 120)}号)"
    )
    planned = [
        f"根据{document}文件精神,做好{line.name}的管理和使用,保障{theme.beneficiary}合法权益。",
        f"按照年初预算安排,全年完成{line.topic}相关工作任务,资金按时足额拨付到位。",
        f"建立健全{line.topic}长效机制,提升服务质量和群众满意度。",
    ]
    achieved = [
        f"已按照{document}要求完成{line.name}年度工作任务。",
        f"全年{line.topic}工作有序推进,资金使用规范,{theme.beneficiary}满意度较高。",
    ]
    if rng.random() < 0.3:
        body = [
            "  planned: |",
            *(
                f"    {i}. {text}" + ("\n" if i < len(planned) else "")
                for i, text in enumerate(planned, 1)
            ),
            "  achieved: |",
            *(
                f"    {i}. {text}" + ("\n" if i < len(achieved) else "")
                for i, text in enumerate(achieved, 1)
            ),
        ]
        return ["goals:", *body]
    return [
        "goals:",
        "  planned: >-",
        "    " + "".join(planned[: rng.randint(1, 3)]),
        "  achieved: >-",
        "    " + "".join(achieved[: rng.randint(1, 2)]),
    ]


def _indicator_lines(figures: IndicatorFigures) -> list[str]:
    row = figures.row
    pairs: list[tuple[str, str]] = [
        ("level1", row.level1),
        ("level2", row.level2),
        ("name", _scalar(row.name)),
        ("target", _scalar(figures.target)),
        ("actual", _scalar(figures.actual)),
        ("weight", str(row.weight)),
    ]
    if figures.declared is not None:
        pairs.append(("score", plain(figures.declared)))
    if figures.nature is not None:
        pairs.append(("nature", figures.nature))
    if figures.measure_unit_column is not None:
        pairs.append(("unit", _scalar(figures.measure_unit_column)))
    if not figures.reason:
        return [f"  - {_flow(pairs)}"]
    # Rows with a written reason are long: the real forms spell them out one key a line.
    pairs.append(("reason", _scalar(figures.reason, flow=False)))
    lines = [f"  - {pairs[0][0]}: {pairs[0][1]}"]
    lines.extend(f"    {key}: {value}" for key, value in pairs[1:])
    return lines


def _conclusion(rng: random.Random, total: Decimal, grade: str) -> str:
    figure = plain(total)
    return rng.choice(
        (
            f"年度目标完成较好,达到年初绩效期望目标,单位绩效自评分数{figure}分,自评等次为{grade}。",
            f"年度目标完成较好, 达到年初绩效期望目标, 单位绩效自评分数{figure}分, 自评等次为{grade}。",
            f"经自评,该项目绩效自评总分为{figure}分,评价等次为{grade}。",
            f"项目总体完成情况良好,自评得分{figure}分,等次为{grade}。",
            "项目实施达到预期效果,绩效目标基本实现。",
        )
    )


# --------------------------------------------------------------------------------------------


def _site_text() -> str:
    """The real site.yaml, without the schema comment whose relative path would not hold."""
    lines = REAL_SITE_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("# yaml-language-server:"))


def generate(
    dest: Path,
    projects: int = 10_000,
    seed: int = 0,
    years: Sequence[int] = DEFAULT_YEARS,
    units: int | None = None,
) -> Corpus:
    """Write a content folder of `projects` forms to `dest` (which must be empty or absent).

    `units` defaults to one unit per ~60 forms, between 20 and 200.
    """
    if projects < 0:
        raise ValueError("projects must not be negative")
    years = tuple(sorted(years))
    if not years:
        raise ValueError("give at least one year")
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    site_text = _site_text()
    rules = ScoringRules.from_site(yaml.safe_load(site_text) or {})

    rng = random.Random(seed)
    unit_count = units if units is not None else min(200, max(20, round(projects / 60)))
    chosen_units = _units(rng, unit_count)
    lines = _lines(rng, projects, years, chosen_units)

    dest.mkdir(parents=True, exist_ok=True)
    (dest / "site.yaml").write_text(site_text, encoding="utf-8")
    files: list[Path] = []
    made_dirs: set[Path] = set()
    for line in lines:
        for year in line.years:
            folder = dest / str(year) / line.unit.slug
            if folder not in made_dirs:
                folder.mkdir(parents=True, exist_ok=True)
                made_dirs.add(folder)
            path = folder / f"{line.id}.yaml"
            path.write_text(_render(line, year, seed, rules), encoding="utf-8")
            files.append(path)
    files.sort()
    return Corpus(
        root=dest,
        files=tuple(files),
        units=len({line.unit.slug for line in lines}),
        departments=len({line.unit.department for line in lines}),
        lines=len(lines),
        years=years,
    )


def _years(text: str) -> tuple[int, ...]:
    if "-" in text:
        first, last = (int(part) for part in text.split("-", 1))
        return tuple(range(first, last + 1))
    return tuple(int(part) for part in text.split(","))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic content folder of forms.")
    parser.add_argument("dest", type=Path, help="folder to create (must be empty or absent)")
    parser.add_argument("--projects", type=int, default=10_000, help="number of forms")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--years", type=_years, default=DEFAULT_YEARS, help="e.g. 2021-2024")
    parser.add_argument("--units", type=int, default=None, help="default: projects/60, 20-200")
    args = parser.parse_args(argv)
    corpus = generate(args.dest, args.projects, args.seed, args.years, args.units)
    print(
        f"wrote {corpus.projects} forms ({corpus.lines} projects over {len(corpus.years)} years, "
        f"{corpus.units} units, {corpus.departments} departments) to {corpus.root}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
