"""Small forms of the families of issue 12 that print extras, for the tests of how the pages,
the PDFs and the open data show them (tests/test_form_extras.py).

- `every_extra()`: a central-template form with split 指标性质 / 度量单位 columns, a ★ core
  row with a 「其中…」 sub-row, a row without 分值, printed 二级 weights, the people, codes,
  check boxes, 存在问题 / 改进措施 / 其他需要说明事项, 财政审核评分 and a 注.
- `partial_form()`: a form its source cut off after the funding table.
- `plain_form()`: the minimal form, which prints none of them.
"""

from __future__ import annotations

from typing import Any

from .conftest import minimal_project

REMARKS = "1.正向指标得分=B/A×分值,最高不超过分值。\n2.反向指标得分=A/B×分值。"


def every_extra() -> dict[str, Any]:
    """A form that prints every extra the format holds."""
    return minimal_project(
        id="quanbu-fujia",
        name="职业技能培训补贴",
        code="51000021R000000012345",
        unit_code="511001",
        template="sichuan",
        region="四川",
        people=[
            {"role": "项目负责人", "name": "王五", "phone": "028-86000001"},
            {"role": "财务负责人", "name": "赵六", "phone": "028-86000002"},
            {"role": "联系人", "name": "钱七", "phone": "13800000000"},
            {"role": "填报人", "name": "孙八"},
        ],
        categories={"项目类别": "部门预算项目", "项目属性": "持续性项目"},
        remarks=REMARKS,
        weights={"level2": {"数量指标": 30, "质量指标": 20}},
        indicators=[
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "培训人次",
                "nature": "≧",
                "target": "735",
                "unit": "人次",
                "actual": "735",
                "weight": 30,
                "score": 30,
                "core": True,
                "subrows": [
                    {
                        "name": "其中:脱贫人口",
                        "nature": "≧",
                        "target": "100",
                        "unit": "人次",
                        "actual": "128",
                    }
                ],
            },
            {
                "level1": "产出指标",
                "level2": "质量指标",
                "name": "培训合格率",
                "nature": "≥",
                "target": "90",
                "unit": "%",
                "actual": "95",
                "weight": 20,
                "score": 20,
            },
            {
                "level1": "效益指标",
                "level2": "社会效益指标",
                "name": "就业率",
                "nature": "定量",
                "target": "≥80",
                "unit": "%",
                "actual": "86",
                "weight": 30,
                "score": 30,
            },
            {
                "level1": "效益指标",
                "level2": "社会效益指标",
                "name": "宣传覆盖面",
                "target": "/",
                "actual": "/",
            },
            {
                "level1": "满意度指标",
                "level2": "满意度指标",
                "name": "学员满意度",
                "nature": "≥",
                "target": "95",
                "unit": "%",
                "actual": "97",
                "weight": 10,
                "score": 10,
            },
        ],
        declared={
            "execution_score": 10,
            "total": 100,
            "conclusion": "项目完成较好。",
            "problems": "部分乡镇培训进度偏慢。\n个别学员出勤不足。",
            "improvements": "加强调度,按月通报进度。",
            "other_notes": "培训名单另附。",
            "review_score": 95.5,
        },
    )


def partial_form() -> dict[str, Any]:
    """A form whose source stops after the funding table: no indicators but a placeholder."""
    return minimal_project(
        id="jieduan-biaoge",
        name="截断的表格",
        partial={"missing": ["indicators", "declared"], "note": "源文件在此处截断"},
        indicators=[
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "发放人数",
                "target": "≥100人",
                "actual": "≥100人",
                "weight": 50,
            }
        ],
    )


def plain_form() -> dict[str, Any]:
    """The minimal form: none of the extras."""
    return minimal_project(id="putong-biaoge", name="普通表格")
