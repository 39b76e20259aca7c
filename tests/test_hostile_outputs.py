"""Hostile text in every free-text field of a form, in every output the build makes: shown as
text, never obeyed.

One site is built through the command line from forms that hold the same hostile text in every
text field (the fields come from the model, `tests.formfields`): HTML and script injection,
Markdown and HTML links to file:, javascript: and other hosts, spreadsheet formulas starting
with = + - @ or a tab, GitHub workflow commands and Rich markup. A field the rules refuse such
text in (一级指标 must be one of the form's; a 年度指标值 starting with a comparison must be a
number) keeps its valid value for the build, and the refusal itself is shown as text in the
preview's error overlay. Control and bidirectional characters are refused when a form is read
(tests/test_invisible_characters.py), so they reach no output.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from bs4 import BeautifulSoup

from builder.build import BuildFailed, BuildOptions, build
from builder.cli import main
from builder.opendata.columns import Column
from builder.opendata.encoding import csv_header, csv_lines
from builder.preview.overlay import problem_panel, with_problem
from builder.preview.problems import describe_failure
from builder.rules.check import check_content
from builder.rules.findings import Severity

from .conftest import MINIMAL_PROJECT, SITE_YAML, minimal_project, write_project
from .formfields import FieldPath, holding_every_field, put, text_fields

ALLOWED_LINK = "https://www.mof.gov.cn/"
PAYLOADS = {
    "eq": "=cmd|' /C calc'!A0",
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1\t=2",
    "html": "<script>alert(1)</script>\"><img src=x onerror=alert(2)>'><svg onload=alert(3)>",
    "md": "[点我](javascript:alert(1)) ![图](file:///etc/passwd) [外链](//evil.example/share) "
    '<a href="file:///etc/passwd">本机</a> ![远](https://evil.example/t.png) '
    f"[官网]({ALLOWED_LINK}) [相对](../../../etc/passwd)",
    "gh": "::error file=content/site.yaml,line=1::FORGED\n::stop-commands::tok [/dim][bold red]x",
}
# Fields whose value a rule reads, so that some hostile text there is a located error.
GATED = {"level1", "target", "actual"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "xlink:href", "data")
UNSAFE = re.compile(r"javascript:|file:|evil\.example|/etc/passwd", re.IGNORECASE)


def _shown(payload: str) -> str:
    return payload.strip()  # a text field keeps no spaces around it


def _hostile_forms() -> dict[str, dict[str, Any]]:
    forms = {}
    for key, payload in PAYLOADS.items():
        data = holding_every_field(minimal_project(id=f"h-{key}"))
        for path in text_fields():
            put(data, path, payload, every_row=True)
        forms[key] = data
    return forms


def _write(content: Path, forms: dict[str, dict[str, Any]]) -> None:
    content.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for key, data in forms.items():
        write_project(content, data, name=f"h-{key}.yaml", unit=f"u-{key}")


def _publishable(content: Path, forms: dict[str, dict[str, Any]]) -> set[FieldPath]:
    """Give back their valid value to the indicator cells the rules refuse the text in, until
    the content checks; returns the fields given back (as ("indicators", 0, name))."""
    restored: set[FieldPath] = set()
    for _ in range(3):
        result = check_content(content)
        refused = [
            (c.file, f.finding.path)
            for c in result.projects
            for f in c.located
            if f.finding.severity is Severity.error and len(f.finding.path) == 3
        ]
        if not refused:
            return restored
        for file, (_, row, name) in refused:
            forms[file.stem[2:]]["indicators"][row][name] = MINIMAL_PROJECT["indicators"][row][name]
            restored.add(("indicators", 0, name))
        _write(content, forms)
    raise AssertionError(f"still refused: {refused}")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[FieldPath]]:
    """The site built by `jixiao build` from the hostile forms, and the fields given back."""
    work = tmp_path_factory.mktemp("hostile")
    content, forms = work / "content", _hostile_forms()
    _write(content, forms)
    restored = _publishable(content, forms)
    args = ["build", "--content", str(content), "--output", str(work / "site")]
    assert main([*args, "--cache", str(work / "cache"), "-q"]) == 0
    return work / "site", restored


def test_every_text_field_but_the_read_ones_holds_the_hostile_text(
    hostile: tuple[Path, set[FieldPath]],
) -> None:
    site, restored = hostile
    assert len(text_fields()) >= 16
    assert {path[-1] for path in restored} <= GATED
    assert ("indicators", 0, "level1") in restored  # a closed list: never free text
    records = json.loads((site / "data/projects.json").read_text(encoding="utf-8"))
    assert len(records) == len(PAYLOADS)
    for record in records:
        payload = _shown(PAYLOADS[record["id"][2:]])
        for path in text_fields():
            if path in restored:
                continue
            value: Any = record["form"]
            for key in path:
                value = value[key]
            assert value == payload, (record["id"], path)  # the JSON keeps the text as written


def test_pages_show_it_as_text(hostile: tuple[Path, set[FieldPath]]) -> None:
    site, _ = hostile
    pages = sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > len(PAYLOADS)
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src", "").endswith(("/sort.js", "/search.js")), page
            assert not script.get_text(strip=True), page
        assert not soup.find_all(["img", "iframe", "object", "embed", "base"]), page
        for element in soup.find_all(True):
            for name in element.attrs:
                assert not name.lower().startswith("on"), (page, element.name, name)
            for name in URL_ATTRIBUTES:
                assert not UNSAFE.search(element.get(name, "")), (page, element.name, name)
            for name in ("href", "src", "action", "formaction"):
                target = element.get(name)
                if target and (re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or "//" in target):
                    assert target.startswith(("https://example.org/", ALLOWED_LINK, "data:,")), (
                        page,
                        target,
                    )
    for key, payload in PAYLOADS.items():
        soup = BeautifulSoup(
            (site / f"2023/u-{key}/h-{key}/index.html").read_text(encoding="utf-8"),
            "html.parser",
        )
        assert soup.h1 is not None and soup.h1.get_text() == _shown(payload)
        if key == "html":
            assert soup.get_text().count(payload) >= 8  # name, unit, department, cells ...
        if key == "md":
            (link,) = [a for a in soup.select("main a[href]") if "mof" in a["href"]][:1]
            assert link["href"] == ALLOWED_LINK  # the one web address is kept, and only it


def test_the_feed_and_the_sitemap_are_well_formed(hostile: tuple[Path, set[FieldPath]]) -> None:
    site, _ = hostile
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.findtext(f"{atom}title") or "" for e in feed.iter(f"{atom}entry")]
    for payload in PAYLOADS.values():
        assert any(t.startswith(_shown(payload) + "(") for t in titles), payload
    for link in feed.iter(f"{atom}link"):
        assert link.get("href", "").startswith("https://example.org/")
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locations = [e.text or "" for e in sitemap.iter() if e.tag.endswith("}loc")]
    assert len(locations) > len(PAYLOADS)
    for location in locations:
        assert re.fullmatch(r"https://example\.org/[A-Za-z0-9._~/%-]*", location), location


def _csv_types(folder: Path) -> dict[str, dict[str, str]]:
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return {
        resource["path"]: {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        for resource in package["resources"]
    }


def test_no_csv_cell_starts_like_a_formula(hostile: tuple[Path, set[FieldPath]]) -> None:
    site, _ = hostile
    tables = sorted((site / "data").rglob("*.csv"))
    # projects, indicators and findings, of the site and of 2023, each also headed in Chinese
    assert len(tables) == 12
    guarded = 0
    for table in tables:
        machine = table.name.replace("-zh.csv", ".csv")
        types = _csv_types(table.parent)[machine]
        rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"), newline="")))
        if machine == table.name:
            assert rows[0] == list(types)  # the header: the schema's names, none a formula
        else:
            assert len(rows[0]) == len(types) and not any(
                cell.startswith(FORMULA_START) for cell in rows[0]
            )
        for row in rows[1:]:
            for name, cell in zip(list(types), row, strict=True):
                assert not cell.startswith(FORMULA_START), (table.name, name, cell)
                if types[name] == "string":
                    guarded += cell.startswith("'") and cell[1:].startswith(FORMULA_START)
                elif types[name] == "boolean":
                    assert cell in ("true", "false"), (table.name, name)
                else:
                    assert re.fullmatch(r"(-?[0-9]+(\.[0-9]+)?)?", cell), (table.name, name)
    projects = list(
        csv.DictReader(io.StringIO((site / "data/projects.csv").read_text("utf-8-sig")))
    )
    for row in projects:
        payload = _shown(PAYLOADS[row["id"][2:]])
        for name in ("name", "unit", "department", "declared_grade"):
            assert row[name] == ("'" + payload if payload.startswith(FORMULA_START) else payload)
    assert guarded >= 4 * 5 * 2  # five formula payloads, in several columns of each table


def _actions(pdf: pikepdf.Pdf) -> list[str]:
    """The /S of every action dictionary anywhere in the file."""
    found = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/S" in obj and obj.get("/Type") == "/Action":
            found.append(str(obj["/S"]))
    return found


def test_pdfs_link_only_to_web_addresses(hostile: tuple[Path, set[FieldPath]]) -> None:
    site, _ = hostile
    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) == 2 * len(PAYLOADS)  # each form, and its unit's booklet
    uris: set[str] = set()
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert "/OpenAction" not in root and "/AA" not in root, path
            assert "/JavaScript" not in root.get("/Names", {}), path
            for page in pdf.pages:
                assert "/AA" not in page.obj, path
                for annotation in page.get("/Annots") or []:
                    assert annotation.get("/Subtype") == "/Link", path
                    action = annotation.get("/A")
                    if action is not None:
                        assert action.get("/S") == "/URI", (path, action)
                        uris.add(str(action["/URI"]))
            assert set(_actions(pdf)) <= {"/URI"}, path
            title = ET.fromstring(bytes(root.Metadata.read_bytes()))
            text = "".join(title.itertext())
            assert _shown(PAYLOADS[path.stem.split("-")[1]]) in text, path
    assert uris == {ALLOWED_LINK}


def test_the_preview_overlay_shows_refused_text_as_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _write(content, _hostile_forms())  # 一级指标 and more refused: the build fails
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(content=content, site=tmp_path / "site", cache=tmp_path / "c"))
    problem = describe_failure(failed.value)
    assert any(PAYLOADS["html"] in message for message in problem.messages)
    page = b"<!doctype html><html><head></head><body><main>site</main></body></html>"
    for html in (problem_panel(problem, over_last_build=False), with_problem(page, problem)):
        soup = BeautifulSoup(html, "html.parser")
        allowed = {"section", "h2", "p", "ol", "li", "pre", "html", "head", "body", "main"}
        assert {element.name for element in soup.find_all(True)} <= allowed
        for element in soup.find_all(True):
            assert not [a for a in element.attrs if a.lower().startswith("on")]
            assert not UNSAFE.search(element.get("href", "") + element.get("src", ""))
        text = soup.get_text()
        assert PAYLOADS["html"] in text and "[点我](javascript:alert(1))" in text
        assert r"::error file=content/site.yaml,line=1::FORGED\n::stop-commands::tok" in text


def test_check_for_github_keeps_every_field_inside_its_annotation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    _write(content, _hostile_forms())
    status = main(["check", "--content", str(content), "--format", "github", "--notes"])
    out = capsys.readouterr().out
    assert status == 1
    files = {f"file={p.as_posix()}," for p in content.rglob("h-*.yaml")}
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) > len(PAYLOADS)
    for line in annotations:
        assert line.split(" ", 1)[1].startswith(tuple(files)), line
    assert "\x1b" not in out


@pytest.mark.browser
def test_search_results_show_it_as_text(
    hostile: tuple[Path, set[FieldPath]], browser: object
) -> None:
    """A real Pagefind search in Chromium: the excerpt Pagefind gives is escaped text with
    <mark> around matches, and search.js rebuilds it from text nodes."""
    from .chromium import served

    site, _ = hostile
    with served(site) as url:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for query, expected in (("onerror", PAYLOADS["html"]), ("calc", PAYLOADS["eq"])):
            page.goto(f"{url}search/index.html")
            page.wait_for_function(
                "document.getElementById('search-status').textContent.includes('请输入')"
            )
            page.fill("#q", query)
            page.keyboard.press("Enter")
            page.wait_for_function(
                "document.getElementById('search-status').textContent.includes('找到')"
            )
            results = page.query_selector("#search-results")
            tags = results.evaluate("r => [...r.querySelectorAll('*')].map(e => e.localName)")
            assert set(tags) <= {"li", "a", "span", "mark"}, tags
            texts = results.evaluate("r => [...r.querySelectorAll('li')].map(li => li.textContent)")
            assert any(expected in text for text in texts), texts
            raw = page.evaluate(
                r"""async (q) => {
                    const form = document.querySelector('form[data-search]');
                    const bundle = form.dataset.bundles.trim().split(/\s+/)[0];
                    const pf = await import(new URL(`../${bundle}/pagefind.js`, location.href));
                    await pf.init();
                    const found = await pf.search(q);
                    return Promise.all(found.results.map(async r => (await r.data()).excerpt));
                }""",
                query,
            )
            assert raw and all(re.sub(r"</?mark>", "", e).count("<") == 0 for e in raw), raw
        context.close()
    assert dialogs == []


def test_text_in_a_number_column_is_guarded_as_well() -> None:
    """Number columns hold the model's decimals; should text ever reach one, it is guarded too,
    while a negative number stays a number."""
    column = Column("n", "number", "数", "数。")
    lines = csv_lines([column], [{"n": "=1+1"}, {"n": Decimal("-0.53")}, {"n": "-2+3"}])
    assert lines.decode("utf-8").split("\r\n") == ["'=1+1", "-0.53", "'-2+3", ""]
    assert csv_header([Column("@x", "string", "x", "x.")]) == "'@x\r\n".encode("utf-8-sig")
