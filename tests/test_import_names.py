"""`builder.intake.names`: ASCII ids and folders of imported forms, stable across imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder.intake.importer import ImportOptions, run_import
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


def test_a_project_of_another_year_gives_its_id_and_its_unit_folder(tmp_path: Path) -> None:
    into = _content(tmp_path)
    namer = Namer(into, known_projects(into))
    naming = namer.name(2024, UNIT, "机关事业单位养老保险缺口资金补助")
    assert (naming.id, naming.chosen) == ("jiguan-yanglao-quekou", True)
    assert naming.path == into / "2024" / "lps-sbj" / "jiguan-yanglao-quekou.yaml"
    # A second such form that year, and a new project of the unit: ids of their own.
    assert namer.name(2024, UNIT, "机关事业单位养老保险缺口资金补助").id == (
        "jiguan-shiye-danwei-yanglao-baoxian-quekou-zijin"
    )
    new = namer.name(2024, UNIT, "失业保险补助资金")
    assert (new.id, new.path.parent.name) == ("shiye-baoxian-buzhu-zijin", "lps-sbj")


# The seed's forms as the importer named them when ids paired syllables two by two.
SEED_TEXT = ROOT / "tests" / "data" / "intake" / "seed-lps-sbj-2023.txt"
OLD_FOLDER = "liupan-shuishi-shehui-baoxian-shiye-ju"
OLD_IDS = {
    "城乡居民养老保险65岁以上增发基础养老金": "chengxiang-jumin-yanglao-baoxian-65-suiyi-shang",
    "城乡居民养老保险市级财政补助": "chengxiang-jumin-yanglao-baoxian-shiji-caizheng",
    "城乡居民养老保险调待资金": "chengxiang-jumin-yanglao-baoxian-diaodai-zijin",
    "机关事业单位养老保险缺口资金补助": "jiguan-shiye-danwei-yanglao-baoxian-quekou-zijin",
    "社会保险综合服务平台运维费": "shehui-baoxian-zonghe-fuwu-pingtai-yunwei-fei",
    "特殊群体城乡居民养老保险费": "teshu-qunti-chengxiang-jumin-yanglao-baoxian-fei",
}


def _imported_under_old_ids(into: Path) -> dict[Path, bytes]:
    """Import the seed text into `into`, then move each file to the folder and id the old
    scheme gave it (its `id:` line too), as an earlier import left them."""
    first = run_import([SEED_TEXT], ImportOptions(into=into))
    assert [form.status for form in first.forms] == ["written"] * 6
    old = into / "2023" / OLD_FOLDER
    old.mkdir(parents=True)
    for form in first.forms:
        assert form.path is not None and form.path.parent.name != OLD_FOLDER
        ident = OLD_IDS[form.name]
        text = form.path.read_text(encoding="utf-8")
        assert f"\nid: {form.id}\n" in text
        (old / f"{ident}.yaml").write_text(text.replace(f"\nid: {form.id}\n", f"\nid: {ident}\n"))
        form.path.unlink()
        if not any(form.path.parent.iterdir()):
            form.path.parent.rmdir()
    return {p: p.read_bytes() for p in into.rglob("*.yaml")}


def test_a_form_under_an_old_style_id_is_found_not_copied(tmp_path: Path) -> None:
    into = tmp_path / "content"
    before = _imported_under_old_ids(into)
    again = run_import([SEED_TEXT], ImportOptions(into=into))
    assert [form.status for form in again.forms] == ["unchanged"] * 6
    assert {form.path for form in again.forms} == set(before)
    assert {p: p.read_bytes() for p in into.rglob("*.yaml")} == before  # nothing new
    # An edited one shows the difference and stays; still no second copy.
    edited = into / "2023" / OLD_FOLDER / f"{OLD_IDS['城乡居民养老保险调待资金']}.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("  total: 90\n", "  total: 91\n"))
    edited_bytes = edited.read_bytes()
    third = run_import([SEED_TEXT], ImportOptions(into=into))
    statuses = {form.name: form.status for form in third.forms}
    assert statuses.pop("城乡居民养老保险调待资金") == "differs"
    assert set(statuses.values()) == {"unchanged"}
    assert sorted(into.rglob("*.yaml")) == sorted(before)
    assert edited.read_bytes() == edited_bytes


def test_cli_names_the_seed_forms_word_by_word(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "builder", "import", str(SEED_TEXT), "--into", "content", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert completed.returncode == 3, completed.stderr  # review items for a person
    forms = json.loads(completed.stdout)["forms"]
    folder = tmp_path / "content" / "2023" / "liupanshui-shi-shehui-baoxian-shiye-ju"
    assert [form["path"] for form in forms] == [
        f"content/2023/{folder.name}/{form['id']}.yaml" for form in forms
    ]
    assert {form["name"]: form["id"] for form in forms} == {
        "城乡居民养老保险65岁以上增发基础养老金": "chengxiang-jumin-yanglao-baoxian-65-sui-yishang",
        "城乡居民养老保险市级财政补助": "chengxiang-jumin-yanglao-baoxian-shiji-caizheng",
        "城乡居民养老保险调待资金": "chengxiang-jumin-yanglao-baoxian-diaodai-zijin",
        "机关事业单位养老保险缺口资金补助": "jiguan-shiye-danwei-yanglao-baoxian-quekou-zijin",
        "社会保险综合服务平台运维费": "shehui-baoxian-zonghe-fuwu-pingtai-yunweifei",
        "特殊群体城乡居民养老保险费": "teshu-qunti-chengxiang-jumin-yanglao-baoxianfei",
    }
    assert sorted(folder.iterdir()) == sorted(folder / f"{form['id']}.yaml" for form in forms)
