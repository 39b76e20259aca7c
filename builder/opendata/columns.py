"""The published tables' columns, with their Frictionless field descriptors, and how the CSV
files are spelled (encoding, line ends, the guard against spreadsheet formulas)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..rules.results import Rule

# Excel on Chinese Windows reads a CSV without a byte order mark as GBK and garbles it.
CSV_ENCODING = "utf-8-sig"
CSV_LINE_END = "\r\n"  # RFC 4180, and what Frictionless assumes by default

# A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"

NEUTRALISED_NOTE = (
    "CSV 中以 = + - @、制表符或回车开头的文本单元格前加了一个英文单引号('),"
    "以免电子表格软件把它当作公式执行;JSON 文件保留原文。"
)

Cell = str | bool | int | Decimal | None


@dataclass(frozen=True)
class Column:
    """One column of a published table, and its Frictionless field descriptor."""

    name: str
    type: str  # Frictionless field type
    title: str
    description: str
    required: bool = False
    format: str | None = None
    enum: tuple[str, ...] | None = None

    def descriptor(self) -> dict[str, Any]:
        """The Frictionless field descriptor (Table Schema) of this column."""
        field: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.format:
            field["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if constraints:
            field["constraints"] = constraints
        return field


PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("year", "integer", "年度", "自评年度。", required=True),
    Column(
        "id",
        "string",
        "项目标识",
        "项目的稳定标识(小写字母、数字、连字符),同一项目各年度相同;与年度一起唯一确定一个项目。",
        required=True,
    ),
    Column("unit_slug", "string", "单位目录", "实施单位在网站地址中的目录名。", required=True),
    Column("unit", "string", "实施单位", "实施单位名称。", required=True),
    Column(
        "department", "string", "主管部门", "主管部门名称,表上未填时为空字符串。", required=True
    ),
    Column("department_code", "string", "部门代码", "主管部门代码,表上未填时为空。"),
    Column("name", "string", "项目名称", "项目名称。", required=True),
    Column(
        "budget_initial",
        "number",
        "年初预算数(元)",
        "年度资金总额行的年初预算数,单位元,按表上数字原样记录(表上以万元填报的乘以 10000);"
        "表上未填或为横线时为空。",
    ),
    Column(
        "budget",
        "number",
        "全年预算数(元)",
        "年度资金总额行的全年预算数(A),单位元(表上以万元填报的乘以 10000);表上未填或为横线时为空。",
    ),
    Column(
        "executed",
        "number",
        "全年执行数(元)",
        "年度资金总额行的全年执行数(B),单位元(表上以万元填报的乘以 10000);表上未填或为横线时为空。",
    ),
    Column(
        "execution_rate",
        "number",
        "执行率(%)",
        "复核计算的执行率:全年执行数 ÷ 全年预算数 × 100,四舍五入保留两位小数;全年预算数为 0 时为空。",
    ),
    Column(
        "computed_execution_score",
        "number",
        "预算执行率得分(复核)",
        "按评分规则复核计算的预算执行率得分。",
        required=True,
    ),
    Column(
        "computed_total",
        "number",
        "总分(复核)",
        "按评分规则复核计算的总分;原表不完整(incomplete 为 true)时只按现有内容计算,不是完整总分。",
        required=True,
    ),
    Column(
        "computed_grade",
        "string",
        "等次(复核)",
        "由复核总分按等次划分得出;原表不完整(incomplete 为 true)时不评等次,为空。",
    ),
    Column(
        "declared_total",
        "number",
        "总分(申报)",
        "自评表总分行填报的得分;表上无总分行时取自评结论中写明的分数;都没有时为空。",
    ),
    Column(
        "declared_grade",
        "string",
        "等次(申报)",
        "自评表填报的等次;表上无等次栏时取自评结论中写明的等次;都没有时为空。",
    ),
    Column("errors", "integer", "错误数", "复核发现的错误条数(数据不可信,须更正)。", required=True),
    Column(
        "warnings",
        "integer",
        "警告数",
        "复核发现的警告条数(填报数字与规则或表内其他数字不一致,或表的写法有问题)。",
        required=True,
    ),
    Column("notes", "integer", "提示数", "复核记录的提示条数(无须更正)。", required=True),
    Column("page_url", "string", "项目页面", "项目公开页面的网址。", required=True, format="uri"),
    Column("pdf_url", "string", "PDF 文件", "项目自评表 PDF 的网址。", required=True, format="uri"),
    # Added with the forms of other provinces: at the end, so that no column moves. The
    # people and check boxes a form names are in projects.json (form.people, form.categories).
    Column("project_code", "string", "项目编码", "表上项目名称前的项目编码;未印时为空。"),
    Column("unit_code", "string", "单位编码", "表上的单位编码;未印时为空。"),
    Column("review_score", "number", "财政审核评分", "表上印有的财政审核评分;未印时为空。"),
    Column("problems", "string", "存在问题", "表上填写的存在问题,照录原文;未填时为空。"),
    Column("improvements", "string", "改进措施", "表上填写的改进措施,照录原文;未填时为空。"),
    Column("other_notes", "string", "其他需要说明事项", "表上填写的其他需要说明事项;未填时为空。"),
    Column("remarks", "string", "备注", "表上自带的备注或注(填表规则),照录原文;未印时为空。"),
    Column(
        "incomplete",
        "boolean",
        "原表不完整",
        "原表来源截断、缺少资金表或绩效指标表时为 true:复核总分只按现有内容计算,不评等次,"
        "不与表上总分、等次比较,也不计入平均分和等次分布;其余为 false。",
        required=True,
    ),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("year", "integer", "年度", "自评年度。", required=True),
    Column("project_id", "string", "项目标识", "所属项目的标识(见项目表 id)。", required=True),
    Column(
        "row",
        "integer",
        "行号",
        "指标在自评表绩效指标表中的顺序,从 1 起(表样中未填写的占位行不列出,但占其行号)。",
        required=True,
    ),
    Column("level1", "string", "一级指标", "如 产出指标、效益指标、满意度指标。", required=True),
    Column("level2", "string", "二级指标", "如 数量指标、质量指标。", required=True),
    Column("level3", "string", "三级指标", "指标名称。", required=True),
    Column("target", "string", "年度指标值", "年度指标值(A),按表上文字原样记录,如 ≥95%。"),
    Column("actual", "string", "实际完成值", "实际完成值(B),按表上文字原样记录。"),
    Column("weight", "number", "分值", "该指标的分值;表上未列分值时为空。"),
    Column("declared_score", "number", "得分(申报)", "自评表填报的得分,未填时为空。"),
    Column(
        "computed_score",
        "number",
        "得分(复核)",
        "按评分规则复核计算的得分;「其中…」子行(subrow 大于 0)不单独计分,为空。",
    ),
    Column(
        "rule",
        "string",
        "计分规则",
        "复核所用的计分规则(「其中…」子行为空):positive 正向、reverse 反向、reverse_breached 反向未达标、"
        "equal_met 等于且达标、over_achieved 超额完成、band 定性档次、unbanded 定性未分档、"
        "no_actual 实际完成值为空、no_target 年度指标值为空、"
        "units_differ 单位不一致、fraction_or_percent 百分比与小数无法确定、deadline_met 按期完成、"
        "deadline_missed 未按期完成、deadline_unchecked 无法判断是否按期、unreadable 无法识别、"
        "not_applicable 不适用、no_weight 表上无分值(照录申报得分)。",
        enum=tuple(rule.value for rule in Rule if rule is not Rule.placeholder),
    ),
    Column("reason", "string", "未完成原因分析", "自评表填写的原因分析,未填时为空。"),
    # Added with the forms of other provinces: at the end, so that no column moves.
    Column(
        "nature",
        "string",
        "指标性质",
        "表上单列的指标性质:定量、定性,或比较符号(≥ ≤ = ≧ ═ 等,按表上原样);未列时为空。",
    ),
    Column("measure_unit", "string", "度量单位", "表上单列的度量单位,如 人次、%;未列时为空。"),
    Column("core", "boolean", "核心指标", "表上以 ★ 标注的核心指标为 true,其余为 false。"),
    Column(
        "subrow",
        "integer",
        "子行号",
        "0 为指标行本身;1、2……为该指标下的「其中…」子行,按表上顺序,与所属指标同一行号,"
        "只有指标值与完成值,没有分值和得分。",
        required=True,
    ),
)

# The findings of the check, one row each, as the workbook of a year lists them (核查结果).
FINDING_COLUMNS: tuple[Column, ...] = (
    Column("year", "integer", "年度", "自评年度。", required=True),
    Column("project_id", "string", "项目标识", "所属项目的标识(见项目表 id)。", required=True),
    Column(
        "severity",
        "string",
        "类别",
        "错误:数据不可信,须更正(有错误的表不公开,故此处一般没有);警告:填报数字与评分规则或"
        "表内其他数字不一致,或表的写法有问题(如实际完成情况照抄预期目标);说明:复核记录的情况,无须更正。",
        required=True,
        enum=("错误", "警告", "说明"),
    ),
    Column("code", "string", "规则代码", "复核规则的代码,见本站“评分方法”页。", required=True),
    Column("field", "string", "字段", "原始数据中的字段位置,如 indicators[2].score;整张表为空。"),
    Column("place", "string", "表上位置", "该条复核结果在自评表上的位置,如 三级指标“…”·得分。"),
    Column("line", "integer", "原始数据行号", "原始数据文件(YAML)中的行号。", required=True),
    Column("column", "integer", "原始数据列号", "原始数据文件(YAML)中的列号。", required=True),
    Column("message", "string", "说明", "复核结果的中文说明,含所涉及的数字。", required=True),
)
