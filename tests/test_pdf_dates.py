"""Each form's PDF prints the date of its own data (数据截至): its 最近更新 from git, else the
site's date of the data. A commit on a new day re-makes only the PDFs of the forms it changed
and their unit's booklet; every other PDF is reused with the date it had."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from builder.build import BuildOptions, BuildReport, build

from .conftest import SITE_YAML, minimal_project, write_project
from .test_data_date import _Repo


def _content(root: Path, units: dict[str, str]) -> Path:
    """content/ with site.yaml and one form per name in `units` (name -> unit folder)."""
    content = root / "content"
    content.mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for name, unit in units.items():
        data = minimal_project(id=name, name=f"{name}项目")
        write_project(content, data, name=f"{name}.yaml", unit=unit)
    return content


def _build(content: Path, root: Path, site: str = "site") -> BuildReport:
    options = BuildOptions(
        content=content, site=root / site, cache=root / "cache", jobs=1, search=False
    )
    return build(options)


def _dates(pdf: Path, pages: slice = slice(None)) -> set[str]:
    """Every 数据截至 date printed on the pages of `pdf`, as printed (`2024年3月1日`)."""
    text = "".join(page.extract_text() or "" for page in PdfReader(pdf).pages[pages])
    return set(re.findall(r"数据截至(\d{4}年\d{1,2}月\d{1,2}日)", re.sub(r"\s+", "", text)))


def _edit(form: Path, words: str) -> None:
    form.write_text(form.read_text(encoding="utf-8").replace("完成", words), encoding="utf-8")


def test_a_commit_on_a_new_day_remakes_only_the_forms_it_changed(tmp_path: Path) -> None:
    """Old code: every form's foot said the site's date (the last commit of content/), so the
    second build re-made all five PDFs, xb's and xc's among them, saying 2024年5月6日."""
    repo = _Repo(tmp_path)
    content = _content(tmp_path, {"xa": "ceshi", "xb": "ceshi", "xc": "qita"})
    repo.commit("2024-03-01T10:00:00+08:00")
    first = _build(content, tmp_path)
    assert (first.pdfs_rendered, first.pdfs_reused) == (5, 0)  # 3 forms, 2 booklets
    site = tmp_path / "site" / "2023"
    for name, unit in (("xa", "ceshi"), ("xb", "ceshi"), ("xc", "qita")):
        assert _dates(site / unit / name / f"{name}.pdf") == {"2024年3月1日"}
    xb_before = (site / "ceshi/xb/xb.pdf").read_bytes()

    _edit(content / "2023/ceshi/xa.yaml", "全部完成")
    repo.commit("2024-05-06T23:30:00+08:00")  # the committer's own day: 6 May
    second = _build(content, tmp_path)
    # xa and its unit's booklet are made again; xb (re-read as xa's unit mate), xc and its
    # unit's booklet are reused (the site's date of the data changed: every page was redone).
    assert (second.pdfs_rendered, second.pdfs_reused) == (2, 3)
    assert _dates(site / "ceshi/xa/xa.pdf") == {"2024年5月6日"}
    assert _dates(site / "ceshi/xb/xb.pdf") == {"2024年3月1日"}
    assert (site / "ceshi/xb/xb.pdf").read_bytes() == xb_before
    assert _dates(site / "qita/xc/xc.pdf") == {"2024年3月1日"}
    [booklet] = site.glob("ceshi/*.pdf")
    # Its cover says the latest date of its forms; each form inside keeps its own.
    assert _dates(booklet, slice(0, 1)) == {"2024年5月6日"}
    assert _dates(booklet) == {"2024年5月6日", "2024年3月1日"}

    # A full build of the same data into another site: every PDF from the cache.
    full = _build(content, tmp_path, site="other")
    assert (full.pdfs_rendered, full.pdfs_reused) == (0, 5)


def test_a_form_git_cannot_date_says_the_sites_date(tmp_path: Path) -> None:
    """A form changed and not committed: git cannot date it, so its foot says the site's date
    of the data (here the latest 填报日期, since content/ is not as committed); the forms git
    can date keep theirs and their PDFs."""
    repo = _Repo(tmp_path)
    content = _content(tmp_path, {"xa": "ceshi", "xc": "qita"})
    repo.commit("2024-03-01T10:00:00+08:00")
    _build(content, tmp_path)
    _edit(content / "2023/qita/xc.yaml", "大部分完成")
    again = _build(content, tmp_path)
    # xc and its booklet made again; xa and its booklet reused, as they were.
    assert (again.pdfs_rendered, again.pdfs_reused) == (2, 2)
    site = tmp_path / "site" / "2023"
    assert _dates(site / "qita/xc/xc.pdf") == {"2023年12月25日"}
    assert _dates(site / "ceshi/xa/xa.pdf") == {"2024年3月1日"}


def test_outside_git_every_form_says_the_sites_date(tmp_path: Path) -> None:
    content = _content(tmp_path, {"xa": "ceshi"})
    data = minimal_project(id="xb", name="xb项目", filled_on="2024-01-15")
    write_project(content, data, name="xb.yaml", unit="ceshi")
    _build(content, tmp_path)
    site = tmp_path / "site" / "2023"
    # The latest 填报日期 of the site, on both forms and the booklet's cover.
    assert _dates(site / "ceshi/xa/xa.pdf") == {"2024年1月15日"}
    assert _dates(site / "ceshi/xb/xb.pdf") == {"2024年1月15日"}
    [booklet] = site.glob("ceshi/*.pdf")
    assert _dates(booklet, slice(0, 1)) == {"2024年1月15日"}
