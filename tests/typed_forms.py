"""Forms of our own whose declared figures are typed with trailing zeros (9.50, 10.0, 100.00),
beside plain ones (10, 0.5): what the pages, the PDFs and the round trips must show as typed.

- `CENTRAL`: the central template, funding by key; every 分值 and 得分 of the indicator rows,
  the 一级指标 分值, the funding block's 分值/执行率/得分 and the 总分 row typed so.
- `ROWS`: the funding table as rows (万元), the total row's own 分值 and 得分, a sub-row of
  dashes, a 二级指标 分值, and a 财政审核评分.

Both are consistent as printed (the rows add up to the 总分 typed), so the only findings are
the rules' own scores differing from the declared ones: the computed figures (复核) are
plain (94, 90), the declared ones as typed.
"""

from __future__ import annotations

from pathlib import Path

from builder.build import BuildOptions, build

from .conftest import SITE_YAML
from .sitebuild import link_example_fonts

UNIT = "typed"

CENTRAL = """\
id: typed-central
year: 2023
name: 尾零照录测试项目
department: {name: 测试局, code: "502"}
unit: 测试单位
filled_on: 2023-12-25
funding:
  total: {initial: 1000, budget: 1000, executed: 1000}
goals: {planned: 计划, achieved: 完成}
weights:
  execution: 10.00
  levels: {产出指标: 50.00, 效益指标: 30.0, 满意度指标: 10}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 发放人数, target: ≥100人, actual: ≥100人, weight: 50.00, score: 9.50}
  - {level1: 效益指标, level2: 社会效益指标, name: 社会效益, target: 有效保障, actual: 达成年度指标, weight: 30.0, score: 10.0}
  - {level1: 满意度指标, level2: 满意度指标, name: 群众满意度, target: ≥95%, actual: ≥95%, weight: 10, score: 0.5}
declared:
  execution_rate: 100.00
  execution_score: 10.00
  total_weight: 100.00
  total: 30.00
"""

ROWS = """\
id: typed-rows
year: 2023
name: 分行资金尾零测试项目
department: {name: 测试局, code: "502"}
unit: 测试单位
filled_on: 2023-12-25
funding:
  amount_unit: 万元
  rows:
    - {name: 年度资金总额, total: true, initial: 120.00, budget: 120.00, executed: 120.00, weight: 10.0, rate: 100.00, score: 9.50}
    - {name: 其中:当年财政拨款, initial: 120.00, budget: 120.00, executed: 120.00, weight: —, rate: —, score: —}
goals: {planned: 计划, achieved: 完成}
weights:
  levels: {产出指标: 50, 效益指标: 30, 满意度指标: 10}
  level2: {数量指标: 50.00}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 维护路灯数量, target: ≥100盏, actual: ≥100盏, weight: 50, score: 40.50}
  - {level1: 效益指标, level2: 社会效益指标, name: 出行安全, target: 有效保障, actual: 达成年度指标, weight: 30, score: 30}
  - {level1: 满意度指标, level2: 满意度指标, name: 市民满意度, target: ≥95%, actual: ≥95%, weight: 10, score: 10.0}
declared:
  total_weight: 100
  total: 90.00
  review_score: 88.50
"""

FORMS = {"typed-central": CENTRAL, "typed-rows": ROWS}


def typed_site(root: Path, example_site: Path) -> Path:
    """Build the two forms (with PDFs and workbooks; the example build's fonts reused) under
    `root`: the site folder."""
    content = root / "content"
    folder = content / "2023" / UNIT
    folder.mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for name, text in FORMS.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    link_example_fonts(example_site, root / "cache" / "pdf")
    site = root / "site"
    build(BuildOptions(content=content, site=site, cache=root / "cache"))
    return site


def form_file(root: Path, name: str) -> Path:
    """The content file of form `name` in a folder `typed_site` built."""
    return root / "content" / "2023" / UNIT / f"{name}.yaml"


def site_file(site: Path, name: str, suffix: str) -> Path:
    """A file of form `name`'s folder in the site: its PDF (`.pdf`), workbook, page."""
    return site / "2023" / UNIT / name / f"{name}{suffix}"
