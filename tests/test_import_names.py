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
        # Words as the dictionary cuts them; a word of four characters or more in its words
        # of two or three.
        ("机关事业单位养老保险", "jiguan-shiye-danwei-yanglao-baoxian"),
        ("城乡居民养老保险调待资金", "chengxiang-jumin-yanglao-baoxian-diaodai-zijin"),
        ("特殊群体城乡居民养老保险费", "teshu-qunti-chengxiang-jumin-yanglao-baoxianfei"),
        ("渔业成品油价格改革补贴", "yuye-chengpinyou-jiage-gaige-butie"),
        ("社会保险综合服务平台运维费", "shehui-baoxian-zonghe-fuwu-pingtai-yunweifei"),
        # A city, county or district: the place, then its unit (GB/T 16159: 专名与通名分写);
        # a place of one character with its unit (单县, 渠县).
        ("六盘水市社会保险事业局", "liupanshui-shi-shehui-baoxian-shiye-ju"),
        ("临沧市临翔区城市管理局", "lincang-shi-linxiang-qu-chengshi-guanliju"),
        ("永德县明朗中学", "yongde-xian-minglang-zhongxue"),
        ("渠县图书馆", "quxian-tushuguan"),
        ("大城市建设", "dachengshi-jianshe"),  # 城市 is a word: no place 大城 here
        ("浦东新区", "pudong-xinqu"),
        # Years, digits and Latin letters are words of their own; full-width ones read as ASCII.
        ("2023年农家书屋出版物补充更新", "2023-nian-nongjia-shuwu-chubanwu-buchong-gengxin"),
        ("城乡居民养老保险65岁以上", "chengxiang-jumin-yanglao-baoxian-65-sui-yishang"),
        ("2023年度ABC公司PPP项目", "2023-niandu-abc-gongsi-ppp-xiangmu"),
        ("Ｇ２０峰会", "g20-fenghui"),
        ("（试点）项目—Ⅱ期", "shidian-xiangmu-ii-qi"),
        ("！？……", ""),
        # Cut at 48 characters after the last word that fits.
        (
            "2023年临泉县衔接资金瓦店镇设施蔬菜大棚建设项目",
            "2023-nian-linquan-xian-xianjie-zijin-wadian-zhen",
        ),
        (
            "银川市城市公园管理服务中心",
            "yinchuan-shi-chengshi-gongyuan-guanli-fuwu",
        ),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected
    assert len(slug(name)) <= MAX_SLUG and slug(name).isascii()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # 长 read chang in a place name (pypinyin alone: 天长 tianzhang, 长治 zhangzhi).
        ("天长市水利局", "tianchang-shi-shuiliju"),
        ("安徽省天长市", "anhui-sheng-tianchang-shi"),
        ("长治市财政局", "changzhi-shi-caizhengju"),
        ("长葛市城市管理局", "changge-shi-chengshi-guanliju"),
        ("长垣县农业农村局", "changyuan-xian-nongye-nongcun-ju"),
        # 单 read shan in 单县, not dan; but not inside a word (清单县级 is no 单县).
        ("单县教育局", "shanxian-jiaoyuju"),
        ("项目清单县级配套", "xiangmu-qingdan-xianji-peitao"),
        # pypinyin's phrase dictionary already knows these; a word that is no place stays so.
        ("六安市", "luan-shi"),
        ("天长地久", "tianchang-dijiu"),
        ("经济增长率", "jingji-zengzhanglv"),
        ("家长学校", "jiazhang-xuexiao"),
    ],
)
def test_place_names_are_read_as_places(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_slug_is_cut_after_a_word() -> None:
    name = "项目或定额成本控制率" * 4
    cut = slug(name)
    assert len(cut) <= MAX_SLUG and name_problem(cut) is None
    whole = slug(name, 200)
    assert len(whole) > MAX_SLUG and whole.startswith(cut + "-")
    assert cut == "xiangmu-huo-dinge-chengben-kongzhilv-xiangmu-huo"
    # A first word longer than the limit is cut between syllables, a Latin one anywhere.
    assert slug("中华人民共和国", 10) == "zhonghua"
    assert slug("A" * 60) == "a" * MAX_SLUG


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
    assert second.id == "shehui-baoxian-zonghe-fuwu-pingtai-yunweifei"
    assert third.id == "shehui-baoxian-zonghe-fuwu-pingtai-yunweifei-2"
    assert third.path.parent.name == "lingyi-danwei"
    other_year = namer.name(2024, "另一单位", "社会保险综合服务平台运维费")
    assert other_year.id == "shehui-baoxian-zonghe-fuwu-pingtai-yunweifei"


def test_two_units_spelt_alike_get_two_folders(tmp_path: Path) -> None:
    namer = Namer(tmp_path, [])
    assert namer.folder(2023, "市财政局") == "shi-caizhengju"
    assert namer.folder(2023, "市财政局 ") != namer.folder(2023, "市 财政局")
    assert namer.folder(2023, "市财政局") == "shi-caizhengju"


def test_a_name_with_nothing_to_spell(tmp_path: Path) -> None:
    naming = Namer(tmp_path, []).name(2023, "单位", "……")
    assert naming.id == "form" and name_problem(naming.id) is None
