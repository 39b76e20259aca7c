"""The date of the data is one the data gives, never made up (issue 12): the last commit of
content/ when the forms are as committed, else the latest 填报日期, else no date at all; and a
form printed without a 填报日期 is in the feed all the same, as of the date of the data."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

from builder.build import BuildOptions, build
from builder.publish.datadate import committed_on

from .conftest import SITE_YAML, minimal_project, write_project

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _undated(id_: str, **changes: object) -> dict[str, object]:
    data = minimal_project(id=id_, name=f"项目{id_}", **changes)
    del data["filled_on"]
    return data


def _content(root: Path, dated: int, undated: int) -> Path:
    content = root / "content"
    content.mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for n in range(dated):
        day = f"2024-0{n + 1}-1{n}"
        write_project(content, minimal_project(id=f"dated-{n}", filled_on=day), f"d{n}.yaml")
    for n in range(undated):
        write_project(content, _undated(f"undated-{n}"), f"u{n}.yaml")
    return content


def _build(content: Path, root: Path) -> Path:
    site = root / "site"
    build(BuildOptions(content=content, site=site, cache=root / "cache", pdf=False, search=False))
    return site


def _footer(site: Path, page: str = "index.html") -> str:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    return soup.find("footer").get_text(" ", strip=True)


def test_no_date_known_says_none_and_makes_no_feed(tmp_path: Path) -> None:
    """Old code: 数据截至 1970年1月1日 on every page, <updated>1970-01-01T00:00:00Z</updated>
    with no entry, <lastmod>1970-01-01</lastmod>."""
    site = _build(_content(tmp_path, dated=0, undated=2), tmp_path)
    for page in ("index.html", "2023/index.html", "2023/ceshi/undated-0/index.html"):
        footer = _footer(site, page)
        assert "数据截至" not in footer and "1970" not in footer, footer
        head = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").head
        assert head.find("link", type="application/atom+xml") is None  # no feed to link
    assert not (site / "feed.xml").exists()  # Atom needs <updated>: nothing can give one
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "1970" not in sitemap and "<lastmod>" not in sitemap
    ET.fromstring(sitemap)  # still well-formed


def test_undated_forms_are_in_the_feed_as_of_the_latest_filing_date(tmp_path: Path) -> None:
    """Old code: the feed listed the 2 dated forms only, never the 3 printed without a date."""
    site = _build(_content(tmp_path, dated=2, undated=3), tmp_path)
    assert "数据截至 2024年2月11日" in _footer(site)
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[1] for e in entries]
    assert ids == ["dated-1", "dated-0", "undated-0", "undated-1", "undated-2"]
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated[:2] == ["2024-02-11T00:00:00Z", "2024-01-10T00:00:00Z"]
    assert set(updated[2:]) == {"2024-02-11T00:00:00Z"}  # as of the data, said in the entry
    assert all("未注明填报日期" in e.find(f"{ATOM}summary").text for e in entries[2:])
    assert [e.find(f"{ATOM}category").get("term") for e in entries[2:]] == ["未注明日期"] * 3
    assert feed.find(f"{ATOM}updated").text == "2024-02-11T00:00:00Z"
    # Each entry has what RFC 4287 asks of it.
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{tag}") is not None and entry.find(f"{ATOM}{tag}").text
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    lastmods = [e.text for e in sitemap.iter(f"{SITEMAP}lastmod")]
    assert lastmods[0] == "2024-02-11" and "1970-01-01" not in lastmods


class _Repo:
    """A scratch git repository holding content/, committed with known dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = os.environ | {
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "测试",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "测试",
            "GIT_COMMITTER_EMAIL": "test@example.org",
        }
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str = "") -> str:
        env = self.env | ({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def commit(self, date: str, *paths: str) -> None:
        self.git("add", "-A", *(paths or ("content",)))
        self.git("commit", "-q", "-m", date, date=date)


def test_the_last_commit_of_the_content_dates_the_data(tmp_path: Path) -> None:
    """Old code: the 填报日期 2024-02-11 (or 1970-01-01 without one), whatever git says."""
    repo = _Repo(tmp_path)
    content = _content(tmp_path, dated=2, undated=1)
    repo.commit("2024-05-06T23:30:00+08:00")  # the committer's own day: 6 May
    (tmp_path / "README.md").write_text("说明", encoding="utf-8")
    repo.commit("2024-07-01T09:00:00+08:00", "README.md")  # not the content: not its date
    assert committed_on(content) == dt.date(2024, 5, 6)
    site = _build(content, tmp_path / "out")
    assert "数据截至 2024年5月6日" in _footer(site)
    lastmod = ET.parse(site / "sitemap.xml").getroot().find(f"{SITEMAP}url/{SITEMAP}lastmod")
    assert lastmod.text == "2024-05-06"

    # A form changed and not committed: git cannot date what is on disk.
    form = content / "2023/ceshi/u0.yaml"
    form.write_text(form.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert committed_on(content) is None
    site = _build(content, tmp_path / "out")  # the same cache: the date is another input
    assert "数据截至 2024年2月11日" in _footer(site)
    repo.commit("2024-08-08T10:00:00+08:00")
    assert committed_on(content) == dt.date(2024, 8, 8)
    assert "数据截至 2024年8月8日" in _footer(_build(content, tmp_path / "out"))

    # Another file beside the forms (not .yaml) leaves the data as committed.
    (content / "notes.txt").write_text("草稿", encoding="utf-8")
    assert committed_on(content) == dt.date(2024, 8, 8)


def test_no_date_from_outside_git_or_before_the_first_commit(tmp_path: Path) -> None:
    content = _content(tmp_path / "plain", dated=0, undated=1)
    assert committed_on(content) is None
    repo_root = tmp_path / "repo"
    repo_root.mkdir()
    _Repo(repo_root)
    assert committed_on(_content(repo_root, dated=0, undated=1)) is None
