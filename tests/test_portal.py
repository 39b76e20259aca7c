"""A government portal's duties and the site's navigation, read from the built pages.

`portal:` in site.yaml fills the footer and the about page; every project page says its
发布日期 and 最近更新 from the data's commit history (or the date of the data without one);
the breadcrumb runs 首页 › 年度 › 主管部门 › 实施单位 › 项目; unit pages and their booklets are
linked from the department and year pages; a page is linked by one address; the 404 page
links from the site's root; Open Graph and a favicon on every page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import BuildOptions, build
from builder.publish.dates import form_dates

ROOT = Path(__file__).resolve().parent.parent
UNIT = "2023/lps-sbj/"
FORM = "2023/lps-sbj/chengxiang-yanglao-65-zengfa.yaml"
PAGE = "2023/lps-sbj/chengxiang-yanglao-65-zengfa/index.html"
OTHER = "2023/lps-sbj/shebao-pingtai-yunwei.yaml"
OTHER_PAGE = "2023/lps-sbj/shebao-pingtai-yunwei/index.html"

PORTAL = {
    "sponsor": "六盘水市财政局",
    "organizer": "六盘水市社会保险事业局",
    "phone": "0858-8220000",
    "email": "jixiao@example.gov.cn",
    "icp": "黔ICP备12345678号-1",
    "police": "黔公网安备 52020102000123号",
    "site_code": "5202000001",
    "correction_url": "https://zfwzzc.www.gov.cn/check_web/errorInfo/jcInfoNew?sitecode=5202000001",
}


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def portal_yaml() -> str:
    lines = ["portal:"] + [f'  {key}: "{value}"' for key, value in PORTAL.items()]
    lines.append('  about: "本站由六盘水市财政局主办,公开全市预算单位的项目支出绩效自评表。"')
    return "\n".join(lines) + "\n"


def with_portal(content: Path, base_url: str | None = None) -> Path:
    """content/ copied into `content`, with every `portal:` key set (and `base_url`)."""
    shutil.copytree(ROOT / "content", content)
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    if base_url is not None:
        text = text.replace("base_url: https://jixiao.example.gov.cn/", f"base_url: {base_url}")
    site_yaml.write_text(text + portal_yaml(), encoding="utf-8")
    return content


def git(folder: Path, *args: str, day: str | None = None) -> None:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.gov.cn",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.gov.cn",
    }
    if day is not None:
        env |= {"GIT_AUTHOR_DATE": day, "GIT_COMMITTER_DATE": day}
    subprocess.run(["git", "-C", str(folder), *args], check=True, env=env, capture_output=True)


def commit_all(folder: Path, day: str) -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", day, day=day)


@pytest.fixture(scope="module")
def portal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """content/ with `portal:` set, without PDFs or search (not what these tests read)."""
    work = tmp_path_factory.mktemp("portal")
    content = with_portal(work / "content")
    build(BuildOptions(content=content, site=work / "site", cache=work / "cache", search=False))
    return work / "site"


def test_footer_shows_every_portal_field_on_every_page(portal_site: Path) -> None:
    pages = sorted(p for p in portal_site.rglob("*.html"))
    assert len(pages) == 19  # data/fields/ (字段说明) among them
    for page in pages:
        footer = parse(page).find("footer")
        fields = {
            dt.get_text(strip=True): dd for dt, dd in zip(footer("dt"), footer("dd"), strict=True)
        }
        assert fields["主办单位"].get_text(strip=True) == PORTAL["sponsor"], page
        assert fields["承办单位"].get_text(strip=True) == PORTAL["organizer"]
        assert fields["联系电话"].get_text(strip=True) == PORTAL["phone"]
        assert fields["联系邮箱"].a["href"] == f"mailto:{PORTAL['email']}"
        assert fields["网站标识码"].get_text(strip=True) == PORTAL["site_code"]
        assert fields["ICP备案号"].a["href"] == "https://beian.miit.gov.cn/"
        assert fields["ICP备案号"].get_text(strip=True) == PORTAL["icp"]
        assert fields["公安备案号"].a["href"].endswith("code=52020102000123")
        correction = footer.find("a", string="我要纠错")
        assert correction["href"] == PORTAL["correction_url"]
        links = {a.get_text(strip=True) for a in footer.select(".footer-links a")}
        assert {"关于本站", "无障碍声明"} <= links
        assert "数据截至 2023年12月25日" in footer.find(class_="footer-data").get_text()


def test_about_page_is_made_from_the_settings(portal_site: Path) -> None:
    about = parse(portal_site / "about/index.html")
    text = about.get_text(" ", strip=True)
    assert "本站由六盘水市财政局主办" in text
    for value in (*list(PORTAL.values())[:3], PORTAL["icp"], PORTAL["site_code"]):
        assert value in text, value
    assert "6 份项目支出绩效目标自评表" in text
    statement = parse(portal_site / "accessibility/index.html")
    assert statement.h1.get_text() == "无障碍声明"
    assert "GB/T 37668-2019" in statement.get_text()
    assert statement.find("a", href=f"mailto:{PORTAL['email']}")


def test_footer_without_portal_settings_names_the_publisher(example_site: Path) -> None:
    footer = parse(example_site / "index.html").find("footer")
    assert footer.find("dl") is None  # nothing set, nothing shown
    assert footer.find(class_="footer-data").get_text().startswith("六盘水市社会保险事业局")
    assert footer.find("a", string="我要纠错") is None


def test_settings_that_are_no_address_are_located_errors(tmp_path: Path) -> None:
    content = with_portal(tmp_path / "content")
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    text = text.replace(PORTAL["correction_url"], "javascript:alert(1)")
    site_yaml.write_text(text.replace(PORTAL["email"], "写信 <x>"), encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "builder", "check", "--content", str(content)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert checked.returncode == 1
    lines = [line for line in checked.stdout.splitlines() if "site.yaml:" in line]
    assert any(
        ": 错误[schema-string-pattern-mismatch]: portal.correction_url: " in x for x in lines
    )
    assert any(": 错误[schema-string-pattern-mismatch]: portal.email: " in x for x in lines)
    assert "Traceback" not in checked.stdout + checked.stderr


def test_breadcrumb_runs_through_the_department_and_the_unit(example_site: Path) -> None:
    crumbs = parse(example_site / PAGE).select("nav.breadcrumb li")
    assert [li.get_text(strip=True) for li in crumbs] == [
        "首页",
        "2023年度",
        "六盘水市人力资源和社会保障局",
        "六盘水市社会保险事业局",
        "城乡居民养老保险65岁以上增发基础养老金",
    ]
    assert [a["href"] for a in parse(example_site / PAGE).select("nav.breadcrumb a")] == [
        "../../../",
        "../../",
        "../../dept-502/",
        "../",
    ]
    unit = parse(example_site / UNIT / "index.html").select("nav.breadcrumb li")
    assert [li.get_text(strip=True) for li in unit][2:] == [
        "六盘水市人力资源和社会保障局",
        "六盘水市社会保险事业局",
    ]


@pytest.mark.parametrize("listing", ["2023/index.html", "2023/dept-502/index.html"])
def test_unit_pages_and_booklets_are_linked_from_year_and_department(
    example_site: Path, listing: str
) -> None:
    soup = parse(example_site / listing)
    table = soup.find("caption", string=lambda s: s and "各实施单位" in s).find_parent("table")
    row = table.tbody.tr
    unit_link = row.th.a["href"]
    # The booklet opens in the browser (no `download`), its link saying its size and pages.
    booklet = row.find("a", type="application/pdf")["href"]
    base = (example_site / listing).parent
    assert (base / unit_link / "index.html").resolve() == (example_site / UNIT / "index.html")
    assert (base / booklet).resolve() == example_site / UNIT / "lps-sbj-2023.pdf"
    assert (example_site / UNIT / "lps-sbj-2023.pdf").is_file()


def test_every_page_is_linked_by_its_folder_only(example_site: Path) -> None:
    for page in example_site.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        for a in parse(page).find_all("a", href=True):
            assert not a["href"].endswith("index.html"), f"{page}: {a['href']}"
    home_links = [a["href"] for a in parse(example_site / PAGE).select("a.brand")]
    assert home_links == ["../../../"]


def test_404_links_from_the_site_root(tmp_path: Path, example_site: Path) -> None:
    soup = parse(example_site / "404.html")
    targets = [
        e.get("href") or e.get("src") or e.get("action")
        for e in soup(["a", "link", "script", "form"])
    ]
    inside = [t for t in targets if t and not t.startswith(("#", "https://", "mailto:"))]
    assert inside and all(t.startswith("/") for t in inside), inside
    assert soup.find("link", rel="canonical") is None
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    # Under a sub-path, from there.
    content = with_portal(tmp_path / "content", base_url="https://www.example.gov.cn/jixiao")
    build(
        BuildOptions(
            content=content, site=tmp_path / "site", cache=tmp_path / "c", pdf=False, search=False
        )
    )
    soup = parse(tmp_path / "site/404.html")
    assert soup.find("link", rel="stylesheet")["href"] == "/jixiao/assets/site.css"
    assert soup.find("a", string="首页")["href"] == "/jixiao/"


def test_open_graph_and_favicon(example_site: Path) -> None:
    soup = parse(example_site / PAGE)
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:title"].startswith("城乡居民养老保险65岁以上增发基础养老金")
    assert og["og:url"] == soup.find("link", rel="canonical")["href"]
    assert og["og:type"] == "article" and og["og:site_name"] == "六盘水市项目支出绩效自评公开"
    assert "复核总分 97.5" in og["og:description"]
    assert og["og:description"] == soup.find("meta", attrs={"name": "description"})["content"]
    icon = soup.find("link", rel="icon")
    assert icon["type"] == "image/svg+xml"
    assert (example_site / PAGE).parent.joinpath(icon["href"]).resolve().is_file()
    home = {
        m["property"]: m["content"]
        for m in parse(example_site / "index.html").find_all("meta", property=True)
    }
    assert home["og:type"] == "website" and home["og:url"] == "https://jixiao.example.gov.cn/"


# 发布日期 and 最近更新 ------------------------------------------------------------------


def dated_content(tmp_path: Path) -> Path:
    """content/ in a git repository of its own: everything published on 5 January 2024, one
    form changed on 2 March 2024 (late in the evening, Beijing time: the day is the
    committer's)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "content", repo / "content")
    git(repo, "init", "-q")
    commit_all(repo, "2024-01-05T10:00:00+08:00")
    target = repo / "content" / FORM
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit_all(repo, "2024-03-02T23:30:00+08:00")
    return repo / "content"


def page_dates(site: Path, page: str) -> dict[str, str]:
    facts = parse(site / page).select(".page-dates")
    return {div.dt.get_text(): div.dd.get_text(strip=True) for div in facts}


def test_pages_say_when_their_form_was_published_and_last_changed(tmp_path: Path) -> None:
    content = dated_content(tmp_path)
    site = tmp_path / "site"
    build(
        BuildOptions(content=content, site=site, cache=tmp_path / "cache", pdf=False, search=False)
    )
    assert page_dates(site, PAGE) == {"发布日期": "2024年1月5日", "最近更新": "2024年3月2日"}
    assert page_dates(site, OTHER_PAGE) == {"发布日期": "2024年1月5日", "最近更新": "2024年1月5日"}
    time = parse(site / PAGE).select_one(".page-dates time")
    assert time["datetime"] == "2024-01-05"


def test_a_policy_change_updates_every_form(tmp_path: Path) -> None:
    content = dated_content(tmp_path)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("deduct: 0.5", "deduct: 0.4"),
        encoding="utf-8",
    )
    commit_all(content.parent, "2024-04-01T09:00:00+08:00")
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + portal_yaml(), encoding="utf-8")
    commit_all(content.parent, "2024-05-01T09:00:00+08:00")  # not a policy: no update
    dates = form_dates(content)
    assert {d.updated.isoformat() for d in dates.values()} == {"2024-04-01"}
    assert {d.published.isoformat() for d in dates.values()} == {"2024-01-05"}


def test_without_history_the_page_says_the_date_of_the_data(tmp_path: Path) -> None:
    content = dated_content(tmp_path)
    (content / OTHER).write_text((content / OTHER).read_text("utf-8") + "\n", "utf-8")
    outside = tmp_path / "outside"
    shutil.copytree(ROOT / "content", outside)
    for source, site in ((content, tmp_path / "a"), (outside, tmp_path / "b")):
        build(
            BuildOptions(
                content=source, site=site, cache=site.with_suffix(".c"), pdf=False, search=False
            )
        )
    # Not committed as it is on disk: no commit dates it.
    assert page_dates(tmp_path / "a", OTHER_PAGE) == {"数据截至": "2023年12月25日"}
    assert page_dates(tmp_path / "a", PAGE)["最近更新"] == "2024年3月2日"
    # content/ outside any repository.
    assert page_dates(tmp_path / "b", PAGE) == {"数据截至": "2023年12月25日"}


def test_a_commit_after_the_build_dates_the_page_at_the_next_build(tmp_path: Path) -> None:
    content = dated_content(tmp_path)
    site, cache = tmp_path / "site", tmp_path / "cache"
    options = BuildOptions(content=content, site=site, cache=cache, pdf=False, search=False)
    target = content / OTHER
    target.write_text(target.read_text("utf-8") + "\n", "utf-8")
    build(options)  # the edit is not committed yet
    assert page_dates(site, OTHER_PAGE) == {"数据截至": "2023年12月25日"}
    commit_all(content.parent, "2024-06-18T08:00:00+08:00")
    other = content / FORM
    other.write_text(other.read_text("utf-8") + "\n", "utf-8")  # any edit: a build runs
    report = build(options)
    assert report.incremental
    assert page_dates(site, OTHER_PAGE) == {"发布日期": "2024年1月5日", "最近更新": "2024年6月18日"}


def test_the_sitemap_lists_every_page_but_the_404(example_site: Path) -> None:
    """Every HTML page of the site, by its folder, is in the sitemap once: the portal's own
    pages (about, accessibility) and the 复核 pages included; the 404 page is not a page."""
    import xml.etree.ElementTree as ET

    base = "https://jixiao.example.gov.cn/"
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    listed = [
        e.text.removeprefix(base)
        for e in ET.parse(example_site / "sitemap.xml").getroot().iter(f"{namespace}loc")
    ]
    pages = sorted(
        str(p.parent.relative_to(example_site)).replace(".", "") + "/"
        for p in example_site.rglob("index.html")
        if "pagefind" not in p.parts
    )
    assert len(listed) == len(set(listed))
    assert sorted(e or "/" for e in listed) == sorted(p if p != "/" else "/" for p in pages)
