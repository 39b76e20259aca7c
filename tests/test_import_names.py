"""`builder.intake.names`: ASCII ids and folders of imported forms, stable across imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.intake.names import MAX_SLUG, Namer, known_projects, slug
from builder.rules.names import name_problem

from .importing import ROOT


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("机关事业单位养老保险", "jiguan-shiye-danwei-yanglao-baoxian"),
        ("六盘水市社会保险事业局", "liupan-shuishi-shehui-baoxian-shiye-ju"),
        ("LED节能灯具占比", "led-jieneng-dengju-zhanbi"),
        ("城乡居民养老保险65岁", "chengxiang-jumin-yanglao-baoxian-65-sui"),
        ("（试点）项目—Ⅱ期", "shidian-xiangmu-ii-qi"),
        ("Ｇ２０峰会", "g20-fenghui"),
        ("！？……", ""),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # 长 read chang in a place name (pypinyin alone: 天长 tianzhang, 长治 zhangzhi).
        ("天长市水利局", "tianchang-shishui-liju"),
        ("安徽省天长市", "anhui-shengtian-changshi"),
        ("长治市财政局", "changzhi-shicai-zhengju"),
        ("长葛市城市管理局", "changge-shicheng-shiguan-liju"),
        ("长垣县农业农村局", "changyuan-xiannong-yenong-cunju"),
        # 单 read shan in 单县, not dan; but not inside a word (清单县级 is no 单县).
        ("单县教育局", "shanxian-jiaoyu-ju"),
        ("项目清单县级配套", "xiangmu-qingdan-xianji-peitao"),
        # pypinyin's phrase dictionary already knows these; a word that is no place stays so.
        ("六安市", "luan-shi"),
        ("天长地久", "tianchang-dijiu"),
        ("经济增长率", "jingji-zengzhang-lv"),
        ("家长学校", "jiazhang-xuexiao"),
    ],
)
def test_place_names_are_read_as_places(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_slug_is_cut_between_syllables() -> None:
    name = "项目或定额成本控制率" * 4
    cut = slug(name)
    assert len(cut) <= MAX_SLUG and name_problem(cut) is None
    whole = slug(name, 200)
    assert len(whole) > MAX_SLUG and whole.startswith(cut)
    syllables = {"xiang", "mu", "huo", "ding", "e", "cheng", "ben", "kong", "zhi", "lv"}
    assert cut.replace("-", "") and whole[: len(cut)] == cut
    assert any(cut.endswith(s) for s in syllables)
    assert len(slug("A" * 60)) == MAX_SLUG


def _content(tmp_path: Path) -> Path:
    into = tmp_path / "content"
    (into / "2023" / "lps-sbj").mkdir(parents=True)
    for path in (ROOT / "content" / "2023" / "lps-sbj").glob("*.yaml"):
        (into / "2023" / "lps-sbj" / path.name).write_bytes(path.read_bytes())
    return into


UNIT = "六盘水市社会保险事业局"


def test_an_existing_form_keeps_its_id_and_file(tmp_path: Path) -> None:
    into = _content(tmp_path)
    namer = Namer(into, known_projects(into))
    naming = namer.name(2023, UNIT, "社会保险综合服务平台运维费")
    assert (naming.id, naming.chosen) == ("shebao-pingtai-yunwei", False)
    assert naming.path == into / "2023" / "lps-sbj" / "shebao-pingtai-yunwei.yaml"


def test_a_new_form_gets_its_unit_folder_and_a_pinyin_id(tmp_path: Path) -> None:
    into = _content(tmp_path)
    namer = Namer(into, known_projects(into))
    naming = namer.name(2023, UNIT, "机关事业单位养老保险")
    assert naming.chosen and naming.id == "jiguan-shiye-danwei-yanglao-baoxian"
    assert naming.path.parent == into / "2023" / "lps-sbj"


def test_a_taken_id_gets_a_number(tmp_path: Path) -> None:
    into = _content(tmp_path)
    namer = Namer(into, known_projects(into))
    first = namer.name(2023, UNIT, "社会保险综合服务平台运维费")  # the existing file
    second = namer.name(2023, UNIT, "社会保险综合服务平台运维费")  # a second such form
    third = namer.name(2023, "另一单位", "社会保险综合服务平台运维费")
    assert first.id == "shebao-pingtai-yunwei"
    assert second.id == "shehui-baoxian-zonghe-fuwu-pingtai-yunwei-fei"
    assert third.id == "shehui-baoxian-zonghe-fuwu-pingtai-yunwei-fei-2"
    assert third.path.parent.name == "lingyi-danwei"
    other_year = namer.name(2024, "另一单位", "社会保险综合服务平台运维费")
    assert other_year.id == "shehui-baoxian-zonghe-fuwu-pingtai-yunwei-fei"


def test_two_units_spelt_alike_get_two_folders(tmp_path: Path) -> None:
    namer = Namer(tmp_path, [])
    assert namer.folder(2023, "市财政局") == "shicai-zhengju"
    assert namer.folder(2023, "市财政局 ") != namer.folder(2023, "市 财政局")
    assert namer.folder(2023, "市财政局") == "shicai-zhengju"


def test_a_name_with_nothing_to_spell(tmp_path: Path) -> None:
    naming = Namer(tmp_path, []).name(2023, "单位", "……")
    assert naming.id == "form" and name_problem(naming.id) is None
