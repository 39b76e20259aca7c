"""The PDF stage: the forms, the booklets, the archive format, the fonts, the cache, the looks.

Page images are compared with reference PNGs in tests/golden/pdf/. After a deliberate change
to the layout, look at the new images and then update them with

    JIXIAO_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_pdf.py -k golden
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from importlib.metadata import version as metadata_version
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image, ImageChops
from pypdf import PdfReader

from builder import urls
from builder.errors import SetupError
from builder.formats import figure_text
from builder.pdf.fonts import ALLOW_SLOW_SUBSETTING_ENV, check_environment
from builder.pdf.glyph_order import shaping_substitutes
from builder.pdf.repertoire import GB2312_COMMON
from builder.pdf.stage import PdfEnvironmentError, PdfReport, PdfSettings, write_pdfs
from builder.pdf.subset import subset_face
from builder.pdf.templates import environment, indicator_lines
from builder.rules.check import CheckResult, check_content
from builder.rules.explain import explain

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
GOLDEN = Path(__file__).resolve().parent / "golden" / "pdf"
UPDATE_GOLDEN = os.environ.get("JIXIAO_UPDATE_GOLDEN") == "1"

# A rendered page may differ from its reference by anti-aliasing, never by content: at most
# this share of pixels may differ by more than PIXEL_TOLERANCE grey levels.
PIXEL_TOLERANCE = 48
CHANGED_PIXELS_ALLOWED = 0.004


# ---------------------------------------------------------------------------------------------
# Helpers


def _build(
    content: Path, site: Path, cache: Path, jobs: int = 1, **settings: Any
) -> tuple[CheckResult, PdfReport]:
    result = check_content(content)
    assert result.config is not None
    report = write_pdfs(result, result.config, PdfSettings(**settings), site, cache, jobs)
    return result, report


def _text(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _content_with(tmp: Path, projects: dict[str, dict[str, Any]]) -> Path:
    """A content folder with the real site.yaml and the given projects (unit/id -> data)."""
    content = tmp / "content"
    content.mkdir(parents=True)
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    for name, data in projects.items():
        file = content / str(data["year"]) / f"{name}.yaml"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return content


def _seed_project(name: str) -> dict[str, Any]:
    return yaml.safe_load((CONTENT / "2023" / "lps-sbj" / f"{name}.yaml").read_text("utf-8"))


def long_project() -> dict[str, Any]:
    """A valid form with 42 indicator rows, each with a reason long enough to wrap."""
    rows: list[dict[str, Any]] = []
    plan = [("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"], 25)]
    plan += [
        ("效益指标", ["社会效益指标", "可持续影响指标"], 15),
        ("满意度指标", ["满意度指标"], 2),
    ]
    weights = {"产出指标": 2, "效益指标": 2, "满意度指标": 5}
    for level1, level2s, count in plan:
        for k in range(count):
            number = len(rows) + 1
            rows.append(
                {
                    "level1": level1,
                    "level2": level2s[k * len(level2s) // count],
                    "name": f"指标{number:02d}号",
                    "target": f"≥{1000 + number}人",
                    "actual": f"≥{1000 + number}人",
                    "weight": weights[level1],
                    "score": weights[level1],
                    "reason": f"说明{number:02d}开头:按计划完成,人数与年初预计一致,无偏差。说明{number:02d}结尾",
                }
            )
    return {
        "id": "changbiao-ceshi",
        "year": 2023,
        "name": "长表测试项目",
        "department": {"name": "测试局", "code": "999"},
        "unit": "测试单位",
        "filled_on": "2023-12-20",
        "contact": "张三",
        "funding": {"total": {"initial": 1000, "budget": 1000, "executed": 1000}},
        "goals": {"planned": "计划目标。", "achieved": "完成情况。"},
        "indicators": rows,
        "declared": {
            "execution_rate": 100,
            "execution_score": 10,
            "total_weight": 100,
            "total": 100,
            "conclusion": "自评分数100分,自评等次为优秀。",
        },
    }


def _page_image(pdf: Path, page: int, out: Path, dpi: int = 40) -> Image.Image:
    prefix = out / f"{pdf.stem}-{page}"
    subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", "-png",
         "-singlefile", str(pdf), str(prefix)],
        check=True,
    )  # fmt: skip
    return Image.open(f"{prefix}.png").convert("L")


def assert_looks_like(name: str, image: Image.Image, tmp: Path) -> None:
    reference = GOLDEN / f"{name}.png"
    if UPDATE_GOLDEN:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        image.save(reference, optimize=True)
        return
    assert reference.exists(), (
        f"no reference image {reference}: look at the page, then run with JIXIAO_UPDATE_GOLDEN=1"
    )
    expected = Image.open(reference).convert("L")
    actual_file = tmp / f"{name}.actual.png"
    image.save(actual_file)
    assert image.size == expected.size, f"{name}: page size changed, see {actual_file}"
    difference = ImageChops.difference(image, expected).point(
        lambda level: 255 if level > PIXEL_TOLERANCE else 0
    )
    changed = 1 - difference.histogram()[0] / (image.width * image.height)
    assert changed <= CHANGED_PIXELS_ALLOWED, (
        f"{name}: {changed:.2%} of pixels differ from {reference} (see {actual_file}); if the "
        "change is meant, update with JIXIAO_UPDATE_GOLDEN=1"
    )


# ---------------------------------------------------------------------------------------------
# Builds shared by the tests (each takes a few seconds)


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[CheckResult, PdfReport, Path]:
    folder = tmp_path_factory.mktemp("seed")
    site = folder / "site"
    # Two jobs: the process pool is what a real build uses.
    result, report = _build(CONTENT, site, folder / "cache", jobs=2)
    return result, report, site


@pytest.fixture(scope="module")
def long_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    content = _content_with(folder, {"demo/changbiao-ceshi": long_project()})
    _, report = _build(content, folder / "site", folder / "cache", annex=False, booklets=False)
    assert report.rendered == 1
    return folder / "site" / "2023/demo/changbiao-ceshi/changbiao-ceshi.pdf"


def _pdf_of(result: CheckResult, site: Path, project_id: str) -> Path:
    checked = next(c for c in result.projects if c.project and c.project.id == project_id)
    assert checked.project is not None
    return site / urls.project_pdf(checked.project, urls.unit_slug(checked.file))


# ---------------------------------------------------------------------------------------------
# Settings and filters


def test_every_setting_is_explained() -> None:
    for name, field in PdfSettings.model_fields.items():
        assert field.title, name
        assert field.description and len(field.description) > 20, name
    assert PdfSettings().pdfa and PdfSettings().annex and PdfSettings().enabled
    assert PdfSettings().font_stack[0] == "Noto Serif CJK SC"


def test_font_stack_rejects_css_injection() -> None:
    with pytest.raises(ValueError):
        PdfSettings(font_stack=('Noto"; } body { color: red',))


def test_filters() -> None:
    """The form prints figures as submitted, and leaves a figure not given blank."""
    filters = environment().filters
    declared_yuan, declared, slash_date = (
        filters[name] for name in ("declared_yuan", "declared", "slash_date")
    )
    assert declared_yuan(Decimal("950500.00")) == "950,500.00"
    assert declared_yuan(Decimal("86870000")) == "86,870,000"
    assert declared_yuan(None) == ""
    assert declared(Decimal("97.50")) == "97.50"
    assert declared(Decimal("100")) == "100"
    assert declared(None) == ""
    assert slash_date(__import__("datetime").date(2023, 1, 5)) == "2023/01/05"


def test_first_and_second_level_cells_merge_over_their_rows() -> None:
    result = check_content(CONTENT)
    checked = next(
        c for c in result.projects if c.project and c.project.id == "jiguan-yanglao-quekou"
    )
    assert checked.project is not None
    lines = indicator_lines(checked.project)
    assert [line.level1_span for line in lines] == [6, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1]
    assert [line.level2_span for line in lines] == [2, 0, 1, 1, 2, 0, 1, 1, 1, 1, 1]
    assert lines[0].level1_points == 50


# ---------------------------------------------------------------------------------------------
# The forms


def test_every_project_and_booklet_is_written(seed_build) -> None:
    result, report, site = seed_build
    projects = [c for c in result.projects if c.project is not None]
    assert report.rendered == len(projects) == 6
    assert report.reused == 0 and report.skipped == 0
    assert report.booklets_rendered == 1
    assert report.missing_glyphs == {}
    for path in report.written:
        assert (site / path).read_bytes().startswith(b"%PDF-1.7")


def test_form_text_has_the_name_every_indicator_and_the_totals(seed_build) -> None:
    result, _, site = seed_build
    for checked in result.projects:
        project = checked.project
        assert project is not None
        pages = _text(_pdf_of(result, site, project.id))
        text = "".join(pages)
        squeezed = _squeezed(text)
        assert "项目支出绩效目标自评表" in text
        assert f"({project.year}年度)" in squeezed
        assert "单位(盖章):" + project.unit in squeezed
        assert "填报日期:" + project.filled_on.strftime("%Y/%m/%d") in squeezed
        assert _squeezed(project.name) in squeezed
        assert "联系人:" + project.contact in squeezed
        for indicator in project.indicators:
            # Cells wrap, so a name may come out in pieces between other cells' text.
            assert set(_squeezed(indicator.name)) <= set(squeezed), indicator.name
        assert project.declared.total is not None
        total_row = re.search(r"总分\s*(\S+)\s+(\S+)", text)
        assert total_row is not None
        assert total_row.group(2) == figure_text(project.declared.total)
        assert _squeezed(project.declared.conclusion) in squeezed
        # The annex shows the computed total apart from the form.
        assert checked.score is not None
        annex = _squeezed(pages[-1])
        assert annex.startswith("附:复核计算结果")
        assert figure_text(checked.score.total) in annex


def test_the_annex_explains_each_finding_in_chinese_at_its_place_on_the_form(seed_build) -> None:
    result, _, site = seed_build
    checked = next(
        c for c in result.projects if c.project and c.project.id == "jiguan-yanglao-quekou"
    )
    (located,) = [f for f in checked.located if f.finding.code == "cost-vs-executed"]
    general, detail = explain(located.finding)
    annex = _squeezed(_text(_pdf_of(result, site, "jiguan-yanglao-quekou"))[-1])
    assert _squeezed(general + detail) in annex
    assert "三级指标“成本金额”·实际完成值" in annex
    assert f"原始数据第{located.line}行" in annex
    # The checker's English message is for staff at the terminal, not for the printed form.
    assert located.finding.message[:20] not in annex
    assert "indicators[" not in annex
    # Nor the rule's code: the page's staff details and `jixiao check` give it.
    assert "costvsexecuted" not in annex.replace("-", "")
    # The annex continues no indicator table.
    assert "续表" not in annex


def test_seed_forms_are_one_page_plus_the_annex(seed_build) -> None:
    result, _, site = seed_build
    counts = {c.project.id: len(PdfReader(_pdf_of(result, site, c.project.id)).pages)
              for c in result.projects if c.project}  # fmt: skip
    # 调待资金 has three long paragraphs of goals: its form takes two pages, as on paper.
    assert counts == {
        "chengxiang-yanglao-65-zengfa": 2,
        "chengxiang-yanglao-shiji-buzhu": 2,
        "chengxiang-yanglao-tiaodai": 3,
        "jiguan-yanglao-quekou": 2,
        "shebao-pingtai-yunwei": 2,
        "teshu-qunti-yanglao-baoxianfei": 2,
    }


def test_every_font_is_embedded_and_no_glyph_is_missing(seed_build) -> None:
    result, report, site = seed_build
    assert report.missing_glyphs == {}
    for path in report.written:
        reader = PdfReader(site / path)
        names = set()
        for page in reader.pages:
            fonts = page["/Resources"]["/Font"]
            for font in fonts.values():
                font = font.get_object()
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    names.add(str(descendant.get_object()["/BaseFont"]))
        assert names and all("Noto-Serif-CJK-SC" in name for name in names), names
    # Every character of the source comes back out of the PDF: none was lost to a box.
    for checked in result.projects:
        project = checked.project
        assert project is not None
        text = "".join(_text(_pdf_of(result, site, project.id)))
        source = project.name + "".join(
            i.name + i.target + i.actual + i.reason for i in project.indicators
        )
        assert set(_squeezed(source)) - set(text) == set()


def test_forms_stay_small_because_their_characters_glyphs_come_first(seed_build) -> None:
    from fontTools.ttLib import TTFont

    result, _, site = seed_build
    for checked in result.projects:
        assert checked.project is not None
        pdf = _pdf_of(result, site, checked.project.id)
        # The target is 200 KB for a one-page form; these have their annex page too.
        assert pdf.stat().st_size <= 200 * 1024, pdf.name
        for page in PdfReader(pdf).pages:
            for font in page["/Resources"]["/Font"].values():
                descendant = font.get_object()["/DescendantFonts"][0].get_object()
                embedded = descendant["/FontDescriptor"].get_object()["/FontFile3"]
                glyphs = len(TTFont(io.BytesIO(embedded.get_object().get_data())).getGlyphOrder())
                # WeasyPrint embeds a slot for every glyph number up to the highest one used:
                # 13,000 in the font's own order, under 1 + 4,200 with the forms' characters first.
                assert glyphs <= 4300, (pdf.name, glyphs)


def test_pdfa_metadata_and_the_embedded_record(seed_build) -> None:
    result, _, site = seed_build
    pdf = _pdf_of(result, site, "jiguan-yanglao-quekou")
    reader = PdfReader(pdf)
    info = reader.metadata
    assert info is not None
    assert info.title == "机关事业单位养老保险缺口资金补助 — 项目支出绩效目标自评表(2023年度)"
    assert info.subject and "机关事业单位养老保险缺口资金补助" in info.subject
    assert info["/CreationDate"] == "D:20231225000000+08'00"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    xmp = root["/Metadata"].get_object().get_data().decode()
    # PDF/A-3a: tagged (pdf.tagged, the default), as tests/test_pdf_access.py checks.
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert "机关事业单位养老保险缺口资金补助" in xmp
    assert len(root["/AF"]) == len(set(root["/AF"])) == 1
    (record_bytes,) = reader.attachments["jiguan-yanglao-quekou.json"]
    record = json.loads(record_bytes)
    assert record["id"] == "jiguan-yanglao-quekou"
    assert record["file"] == "2023/lps-sbj/jiguan-yanglao-quekou.yaml"
    assert record["computed"]["total"] == 92.01
    assert reader.trailer["/ID"]


def test_the_header_row_repeats_and_no_row_splits(long_build: Path) -> None:
    pages = _text(long_build)
    assert len(pages) >= 2
    for page in pages[1:]:
        squeezed = _squeezed(page)
        for header in ("一级指标", "二级指标", "三级指标", "年度指标值(A)", "未完成原因分析"):
            assert header in squeezed
    squeezed_pages = [_squeezed(page) for page in pages]
    for number in range(1, 43):
        # A row's first and last lines of text are on the same page.
        where = {i for i, page in enumerate(squeezed_pages) if f"说明{number:02d}开头" in page}
        ends = {i for i, page in enumerate(squeezed_pages) if f"说明{number:02d}结尾" in page}
        assert where == ends
        assert len(where) == 1, number
    assert "第 1 页 共 " in pages[0] and f"第 {len(pages)} 页 共 {len(pages)} 页" in pages[-1]


def test_later_pages_name_the_group_of_their_first_indicator_row(long_build: Path) -> None:
    # The long form prints no 一级 分值 (no weights.levels): the heading names the groups only.
    assert "weights" not in long_project() or not long_project()["weights"].get("levels")
    rows = long_project()["indicators"]
    pages = [_squeezed(page) for page in _text(long_build)]
    assert "续表" not in pages[0]
    for page in pages[1:]:
        numbers = [int(n) for n in re.findall(r"指标(\d\d)号", page)]
        first = rows[min(numbers) - 1]
        group = f"续表·{first['level1']}›{first['level2']}"
        assert page.count("续表") == 1 and group in page, (group, page[:80])
        assert "分)›" not in page


def test_booklet_has_cover_contents_and_a_bookmark_per_project(seed_build) -> None:
    result, _, site = seed_build
    booklet = site / urls.unit_booklet(2023, "lps-sbj")
    reader = PdfReader(booklet)
    names = [c.project.name for c in result.projects if c.project]
    top = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    assert titles == ["封面", "目录", *names]
    pages = _text(booklet)
    assert "六盘水市社会保险事业局" in pages[0] and "汇编" in pages[0]
    # The contents table's row of each project ends with its grade and the page its bookmark
    # points to, in the order of the bookmarks.
    listed = [int(n) for _, n in re.findall(r"(优秀|良好|合格|不合格) (\d+)$", pages[1], re.M)]
    starts = [reader.get_destination_page_number(item) + 1 for item in top[2:]]
    assert listed == starts, (listed, starts)
    for item, page_number in zip(top[2:], starts, strict=True):
        assert item.title in _squeezed(pages[page_number - 1])
    assert sorted(reader.attachments) == sorted(
        f"{c.project.id}.json" for c in result.projects if c.project
    )
    assert reader.metadata is not None and "汇编" in (reader.metadata.title or "")


def test_booklet_pages_carry_the_booklet_number_and_the_forms_their_own(seed_build) -> None:
    result, _, site = seed_build
    booklet = site / urls.unit_booklet(2023, "lps-sbj")
    pages = _text(booklet)
    forms = [site / urls.project_pdf(c.project, "lps-sbj") for c in result.projects if c.project]
    assert len(pages) == 2 + sum(len(PdfReader(form).pages) for form in forms)
    assert "汇编第" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert f"汇编第 {number} 页" in text, number
    # Each form keeps its own numbering, as in its own PDF.
    assert sum("第 1 页 共 " in text for text in pages) == len(forms)


def test_booklet_font_subsets_have_tags_of_their_own(seed_build) -> None:
    _, _, site = seed_build
    output = subprocess.run(
        ["pdffonts", str(site / urls.unit_booklet(2023, "lps-sbj"))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = [line.split()[0] for line in output.splitlines()[2:]]
    assert len(names) > 2 and len(set(names)) == len(names)


def test_long_contents_settle_on_their_page_count() -> None:
    from builder.config import PdfSettings as Settings
    from builder.pdf.booklet import Binder, contents_starts
    from builder.pdf.cover import BookletCover, BookletRow
    from builder.pdf.jobs import BookletJob, RenderSetup
    from builder.pdf.render import Renderer
    from builder.pdf.setup import settings_css
    from builder.pdf.templates import TEMPLATE_DIR, DocumentMeta, PdfTemplates

    templates = PdfTemplates("测试")
    renderer = Renderer(
        RenderSetup(
            settings_css(Settings()) + templates.stylesheet(), TEMPLATE_DIR.as_uri() + "/", None
        )
    )
    names = tuple(f"第{n}个项目" + "很长的名称" * (n % 7) for n in range(90))
    meta = DocumentMeta("t", "s", "a", "k", dt.date(2023, 12, 25))
    rows = tuple(
        BookletRow(name, "1,000.00", "900.00", "90.00%", "95", "92.5", "优秀") for name in names
    )
    cover = BookletCover(2023, "单位", ("部门",), names, meta, "测试", rows)
    job = BookletJob("k", "/dev/null", cover, (), (), meta.date)
    pdf, pages, _ = Binder(renderer, templates)._cover(job, [2] * len(names))
    assert pages > 3
    text = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(text) == pages
    last = contents_starts(pages, [2] * len(names))[-1]
    assert _squeezed(text[-1]).endswith(str(last)) or str(last) in _squeezed(text[-1])


# ---------------------------------------------------------------------------------------------
# Cache and reproducibility


def test_a_form_pdf_does_not_depend_on_the_other_forms(tmp_path: Path) -> None:
    """Glyph numbers come from a fixed repertoire, not from the corpus: a form with characters
    no other form has, even outside GB 2312, leaves the others' bytes as they were."""
    alone = _content_with(
        tmp_path / "a", {"u/shebao-pingtai-yunwei": _seed_project("shebao-pingtai-yunwei")}
    )
    rare = _seed_project("jiguan-yanglao-quekou")
    rare["contact"] = "喆堃犇龘"  # none of them in GB 2312
    rare["name"] = "鑫淼焱垚项目"
    together = _content_with(
        tmp_path / "b",
        {
            "u/shebao-pingtai-yunwei": _seed_project("shebao-pingtai-yunwei"),
            "u/jiguan-yanglao-quekou": rare,
        },
    )
    _build(alone, tmp_path / "a" / "site", tmp_path / "a" / "cache", booklets=False)
    _, report = _build(together, tmp_path / "b" / "site", tmp_path / "b" / "cache", booklets=False)
    assert not report.missing_glyphs
    form = "2023/u/shebao-pingtai-yunwei/shebao-pingtai-yunwei.pdf"
    assert (tmp_path / "a/site" / form).read_bytes() == (tmp_path / "b/site" / form).read_bytes()
    text = _squeezed(
        "".join(_text(tmp_path / "b/site/2023/u/jiguan-yanglao-quekou/jiguan-yanglao-quekou.pdf"))
    )
    assert "喆堃犇龘" in text and "鑫淼焱垚项目" in text


def test_unchanged_projects_are_not_rendered_again(tmp_path: Path) -> None:
    content = _content_with(
        tmp_path,
        {
            "lps-sbj/shebao-pingtai-yunwei": _seed_project("shebao-pingtai-yunwei"),
            "lps-sbj/jiguan-yanglao-quekou": _seed_project("jiguan-yanglao-quekou"),
        },
    )
    site, cache = tmp_path / "site", tmp_path / "cache"
    _, first = _build(content, site, cache)
    assert (first.rendered, first.reused, first.booklets_rendered) == (2, 0, 1)
    _, again = _build(content, site, cache)
    assert (again.rendered, again.reused, again.booklets_rendered, again.booklets_reused) == (
        0, 2, 0, 1,
    )  # fmt: skip
    changed = _seed_project("shebao-pingtai-yunwei")
    changed["contact"] = "李四"
    (content / "2023/lps-sbj/shebao-pingtai-yunwei.yaml").write_text(
        yaml.safe_dump(changed, allow_unicode=True), "utf-8"
    )
    result, third = _build(content, site, cache)
    assert (third.rendered, third.reused, third.booklets_rendered) == (1, 1, 1)
    assert "联系人:李四" in _squeezed(
        "".join(_text(_pdf_of(result, site, "shebao-pingtai-yunwei")))
    )
    # Booklets on or off is no reason to lay the forms out again.
    _, fifth = _build(content, site, cache, booklets=False)
    assert (fifth.rendered, fifth.reused) == (0, 2)
    # A site wiped between builds is filled again from the cache.
    shutil.rmtree(site)
    _, fourth = _build(content, site, cache)
    assert fourth.rendered == 0 and all((site / p).exists() for p in fourth.written)


def test_the_same_content_makes_the_same_bytes(tmp_path: Path) -> None:
    content = _content_with(
        tmp_path, {"lps-sbj/shebao-pingtai-yunwei": _seed_project("shebao-pingtai-yunwei")}
    )
    outputs = []
    for run in ("a", "b"):
        _, report = _build(
            content, tmp_path / run / "site", tmp_path / run / "cache", booklets=False
        )
        outputs.append((tmp_path / run / "site" / report.written[0]).read_bytes())
    assert outputs[0] == outputs[1]


def test_projects_that_cannot_be_read_get_no_pdf(tmp_path: Path) -> None:
    content = _content_with(
        tmp_path, {"u/shebao-pingtai-yunwei": _seed_project("shebao-pingtai-yunwei")}
    )
    (content / "2023" / "u" / "broken.yaml").write_text("id: [unclosed\n", "utf-8")
    _, report = _build(content, tmp_path / "site", tmp_path / "cache", booklets=False)
    assert (report.rendered, report.skipped) == (1, 1)


def test_a_character_no_font_has_is_reported_and_not_cached(tmp_path: Path) -> None:
    project = _seed_project("shebao-pingtai-yunwei")
    project["contact"] = "王\ua840"  # Phags-pa: in no font installed with the project
    content = _content_with(tmp_path, {"u/shebao-pingtai-yunwei": project})
    site, cache = tmp_path / "site", tmp_path / "cache"
    _, report = _build(content, site, cache, booklets=False)
    (path,) = report.written
    assert report.missing_glyphs == {path: "\ua840"}
    assert (site / path).exists()
    assert not list((cache / "objects").rglob("*.pdf"))


# ---------------------------------------------------------------------------------------------
# Settings that change the PDF


def test_landscape_annex_off_and_plain_pdf(tmp_path: Path) -> None:
    content = _content_with(
        tmp_path, {"lps-sbj/jiguan-yanglao-quekou": _seed_project("jiguan-yanglao-quekou")}
    )
    site = tmp_path / "site"
    _, report = _build(
        content, site, tmp_path / "cache", orientation="landscape", annex=False, pdfa=False
    )
    reader = PdfReader(site / report.written[0])
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = "".join(_text(site / report.written[0]))
    assert "复核计算结果" not in text
    root = reader.trailer["/Root"]
    assert "/OutputIntents" not in root
    assert list(reader.attachments) == ["jiguan-yanglao-quekou.json"]


def test_disabled_writes_nothing(tmp_path: Path) -> None:
    content = _content_with(
        tmp_path, {"u/shebao-pingtai-yunwei": _seed_project("shebao-pingtai-yunwei")}
    )
    _, report = _build(content, tmp_path / "site", tmp_path / "cache", enabled=False)
    assert report.written == [] and not (tmp_path / "site").exists()


# ---------------------------------------------------------------------------------------------
# The environment


def test_missing_harfbuzz_subsetting_is_refused_with_the_fix(monkeypatch) -> None:
    import weasyprint.text.ffi as weasy_ffi

    monkeypatch.setattr(weasy_ffi, "harfbuzz_subset", None)
    monkeypatch.delenv(ALLOW_SLOW_SUBSETTING_ENV, raising=False)
    with pytest.raises(PdfEnvironmentError, match="libharfbuzz-subset0"):
        check_environment(("Noto Serif CJK SC",))
    monkeypatch.setenv(ALLOW_SLOW_SUBSETTING_ENV, "1")
    assert check_environment(("Noto Serif CJK SC",)).faces


def test_a_missing_font_names_its_package() -> None:
    with pytest.raises(PdfEnvironmentError, match="fonts-wqy-zenhei"):
        check_environment(("WenQuanYi Zen Hei", "serif"))
    with pytest.raises(PdfEnvironmentError, match="fc-list"):
        check_environment(("No Such Family Anywhere",))
    with pytest.raises(PdfEnvironmentError, match="only generic"):
        check_environment(("serif",))


def test_a_missing_font_or_library_is_a_setup_error() -> None:
    """The command reports it as the machine's to fix: the message, no traceback."""
    assert issubclass(PdfEnvironmentError, SetupError)


# What builder/pdf (and bench/pdf_bench.py) take from inside WeasyPrint and pydyf: names that
# are not their public API. pyproject.toml bounds both packages to the versions tested; when
# one of these moves, this test says which and where it is used.
INTERNALS = [
    ("pydyf", "_to_bytes", "builder/pdf/render.py _compress_streams: a stream's bytes"),
    ("pydyf", "Stream", "builder/pdf/render.py _compress_streams: .stream .compress .extra"),
    ("pydyf", "PDF", "builder/pdf/render.py _finish: .objects and .catalog; _WrittenOnce"),
    ("pydyf", "Dictionary", "builder/pdf/render.py _WrittenOnce: .data, a property"),
    ("weasyprint.text.ffi", "harfbuzz_subset", "builder/pdf/fonts.py check_weasyprint"),
    ("weasyprint.text.ffi", "harfbuzz", "builder/pdf/fonts.py check_weasyprint"),
    ("weasyprint.pdf.fonts", "harfbuzz_subset", "bench/pdf_bench.py fonttools"),
    ("weasyprint.draw.text", "LOGGER", "builder/pdf/render.py NOTDEF_WARNING"),
    ("weasyprint.document", "Page", "builder/pdf/tall.py tall_rows: a page's ._page_box"),
    (
        "weasyprint.formatting_structure.boxes",
        "TableRowBox",
        "builder/pdf/tall.py tall_rows: a row's .element and .height",
    ),
]


@pytest.mark.parametrize(
    ("module", "name", "used_in"), INTERNALS, ids=[f"{m}.{n}" for m, n, _ in INTERNALS]
)
def test_the_internals_we_use_are_where_we_expect_them(module: str, name: str, used_in: str):
    import importlib
    import inspect

    from builder.pdf.render import NOTDEF_WARNING

    versions = {package: metadata_version(package) for package in ("weasyprint", "pydyf")}
    moved = (
        f"{module}.{name} is not what builder/pdf expects in {versions}: it is used by "
        f"{used_in}. Adapt that code to the new version, then move the version bound in "
        "pyproject.toml."
    )
    imported = importlib.import_module(module)
    assert hasattr(imported, name), moved
    match module, name:
        case "pydyf", "_to_bytes":
            to_bytes = imported._to_bytes
            assert to_bytes(b"q") == b"q" and to_bytes("Q") == b"Q", moved
            assert to_bytes(1.5) == b"1.5" and to_bytes(2) == b"2", moved
        case "pydyf", "Stream":
            stream = imported.Stream([b"q"], compress=True)
            assert stream.stream == [b"q"] and stream.compress, moved
            assert isinstance(stream.extra, dict), moved
        case "pydyf", "PDF":
            pdf = imported.PDF()
            assert isinstance(pdf.objects, list) and hasattr(pdf.catalog, "get"), moved
            # The object and cross-reference streams it makes while writing come through
            # add_object (where _WrittenOnce makes them keep their bytes).
            assert "self.add_object(object_stream)" in inspect.getsource(imported.PDF), moved
        case "pydyf", "Dictionary":
            for kind in (imported.Dictionary, imported.Array, imported.Stream):
                assert isinstance(inspect.getattr_static(kind, "data"), property), moved
        case "weasyprint.text.ffi", "harfbuzz":
            assert imported.harfbuzz.hb_version_atleast(4, 1, 0), moved
        case "weasyprint.document", "Page":
            # The laid-out page box a Page keeps, whose descendants tall_rows walks.
            assert "self._page_box = page_box" in inspect.getsource(imported.Page), moved
        case "weasyprint.formatting_structure.boxes", "TableRowBox":
            box = imported.TableRowBox("tr", {}, "element", [])
            assert box.element == "element" and callable(box.descendants), moved
        case "weasyprint.draw.text", "LOGGER":
            # The warning whose arguments name the characters drawn as boxes.
            assert imported.LOGGER.name == "weasyprint", moved
            assert f"'{NOTDEF_WARNING}" in inspect.getsource(imported), moved


def test_the_default_font_is_found_with_both_weights() -> None:
    setup = check_environment(("Noto Serif CJK SC", "serif"))
    assert [face.css_weight for face in setup.faces] == [400, 700]
    assert all(face.file.name.startswith("NotoSerifCJK") for face in setup.faces)


def test_reordered_subset_keeps_every_glyph_and_puts_the_common_characters_first(
    tmp_path: Path,
) -> None:
    from fontTools.ttLib import TTFont

    setup = check_environment(("Noto Serif CJK SC", "serif"))
    characters = set("项目支出绩效目标自评表0123456789龘") | set(GB2312_COMMON[:200])
    leading = sorted(set("项目支出绩效0123456789")) + list(GB2312_COMMON[:200])
    plain = subset_face(setup.faces[0], characters, tmp_path / "plain")
    ordered = subset_face(setup.faces[0], characters, tmp_path / "ordered", leading)
    before, after = TTFont(plain.file), TTFont(ordered.file)
    assert len(before.getGlyphOrder()) == len(after.getGlyphOrder())
    after_cmap = after.getBestCmap()
    glyph_number = {name: n for n, name in enumerate(after.getGlyphOrder())}
    # The leading characters' glyphs come first, in order, right after .notdef.
    firsts = list(dict.fromkeys(after_cmap[ord(c)] for c in leading))
    assert [glyph_number[name] for name in firsts] == list(range(1, len(firsts) + 1))
    # What shaping puts in their place (Noto's Simplified Chinese digits, by 'locl') follows
    # them, before the glyphs of the other characters.
    substitutes = shaping_substitutes(after, set(firsts))
    assert len(substitutes) >= 10
    following = range(len(firsts) + 1, len(firsts) + 1 + len(substitutes))
    assert [glyph_number[name] for name in substitutes] == list(following)
    assert glyph_number[after_cmap[ord("龘")]] > following[-1]

    def outlines(font: Any) -> dict[int, tuple[bytes, int]]:
        top = font["CFF "].cff.topDictIndex[0]
        order = {name: n for n, name in enumerate(font.getGlyphOrder())}
        result = {}
        for code, name in font.getBestCmap().items():
            charstring = top.CharStrings[name]
            charstring.compile()
            result[code] = (charstring.bytecode, top.FDSelect[order[name]])
        return result

    # Every character still draws the same outline with the same font dict.
    assert outlines(after) == outlines(before)
    assert after["hmtx"].metrics == before["hmtx"].metrics


# ---------------------------------------------------------------------------------------------
# How the pages look


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_golden_pages(seed_build, long_build: Path, tmp_path: Path) -> None:
    result, _, site = seed_build
    form = _pdf_of(result, site, "jiguan-yanglao-quekou")
    assert_looks_like("form-jiguan-yanglao-quekou-p1", _page_image(form, 1, tmp_path), tmp_path)
    assert_looks_like("form-jiguan-yanglao-quekou-annex", _page_image(form, 2, tmp_path), tmp_path)
    assert_looks_like("long-form-p2", _page_image(long_build, 2, tmp_path), tmp_path)
    booklet = site / urls.unit_booklet(2023, "lps-sbj")
    assert_looks_like("booklet-contents", _page_image(booklet, 2, tmp_path), tmp_path)


# ---------------------------------------------------------------------------------------------
# The package


def test_the_modules_of_builder_pdf_import_each_other_without_cycles() -> None:
    """Counting imports inside functions too: a cycle hidden in a lazy import is still one."""
    import ast

    package = ROOT / "builder" / "pdf"
    modules = {path.stem: path for path in package.glob("*.py") if path.stem != "__init__"}
    imports: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [alias.name for alias in node.names]
                found.update(n.split(".")[0] for n in names)
        imports[name] = found & modules.keys()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            step == goal or (step not in seen and reaches(step, goal, seen | {step}))
            for step in imports[start]
        )

    assert [name for name in modules if reaches(name, name, set())] == []
