"""Every column header a family prints can be put in the form's own words (`labels:`, issue 12):
湖北 2020 heads its funding 得分 column 得分(20分*执行率), other forms head 分值 权重 or 度量单位
计量单位. For each family and each column it shows, a form that words that column sees its
words there and nowhere else; the funding table's 分值/得分 and the indicator table's are worded
apart. The page and the PDF read these columns (`builder.layouts`), shown in
tests/test_printed_words.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from builder.form.labels import PrintedLabels
from builder.form.model import Project
from builder.layouts import (
    FUNDING_LABEL_KEYS,
    INDICATOR_LABEL_KEYS,
    LAYOUTS,
    funding_columns,
    indicator_columns,
    source_label,
)

from .conftest import minimal_project


def _every_column(family: str, labels: dict[str, str]) -> Project:
    """A form of `family` that prints every column a family may show (年初预算数, 指标性质,
    度量单位, a reason, the funding row's own 分值/执行率/得分), worded by `labels`."""
    data: dict[str, Any] = minimal_project(
        template=family,
        labels=labels,
        funding={
            "rows": [
                {
                    "name": "年度资金总额",
                    "total": True,
                    "initial": 1000,
                    "budget": 1000,
                    "executed": 1000,
                    "weight": 10,
                    "rate": 100,
                    "score": 10,
                }
            ]
        },
    )
    first = data["indicators"][0]
    first.update(nature="≥", target="100", unit="人", actual="100", reason="无偏差")
    return Project.model_validate(data)


def test_every_column_has_a_label_key() -> None:
    """Each column any family prints is named in one of the two maps, under a key of
    `labels:`; the two tables' keys are apart where their columns share a name."""
    keys = set(PrintedLabels.model_fields)
    for layout in LAYOUTS.values():
        assert {c.key for c in layout.funding} <= set(FUNDING_LABEL_KEYS)
        assert {c.key for c in layout.indicators} <= set(INDICATOR_LABEL_KEYS)
    assert set(FUNDING_LABEL_KEYS.values()) <= keys
    assert set(INDICATOR_LABEL_KEYS.values()) <= keys
    assert not set(FUNDING_LABEL_KEYS.values()) & set(INDICATOR_LABEL_KEYS.values())


@pytest.mark.parametrize("family", sorted(LAYOUTS))
@pytest.mark.parametrize(
    ("table", "label_keys"),
    [("funding", FUNDING_LABEL_KEYS), ("indicators", INDICATOR_LABEL_KEYS)],
)
def test_each_column_takes_the_form_s_words(family: str, table: str, label_keys: Any) -> None:
    """Old code: `labels:` had no key for a funding 得分 or 分值, a 指标性质, 度量单位, 分值 or
    得分 column (schema-extra-forbidden), so 湖北's 得分(20分*执行率) could not be written."""
    columns = funding_columns if table == "funding" else indicator_columns
    plain = columns(_every_column(family, {}))
    for column in plain:
        words = f"表上的{column.key}列"
        key = label_keys[column.key]
        worded = columns(_every_column(family, {key: words}))
        assert [c.label for c in worded] == [
            words if c.key == column.key else c.label for c in plain
        ], (family, key)


def test_the_funding_and_indicator_score_columns_are_worded_apart() -> None:
    project = _every_column(
        "hubei-2020", {"funding_score": "得分(20分*执行率)", "score": "自评得分"}
    )
    funding = {c.key: c.label for c in funding_columns(project)}
    indicators = {c.key: c.label for c in indicator_columns(project)}
    assert funding["score"] == "得分(20分*执行率)" and indicators["score"] == "自评得分"


@pytest.mark.parametrize("family", sorted(LAYOUTS))
def test_the_source_header_takes_the_form_s_words(family: str) -> None:
    assert source_label(_every_column(family, {})) == LAYOUTS[family].source_label
    assert source_label(_every_column(family, {"source": "资金构成"})) == "资金构成"
