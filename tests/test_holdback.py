"""One unreadable form never holds back the others (issue 12, item 10): `jixiao build`
publishes every form it can read, holds back each one it cannot, says so (terminal, `--json`,
`held-back.json`, the data page, the preview's panel) and exits 3; `--strict` keeps the
all-or-nothing build. Real builds into tmp folders, through the command line where it counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.cli import main
from builder.preview.overlay import problem_panel, with_problem
from builder.preview.problems import held_back_problem
from builder.rules.holdback import HELD_BACK_FILE, HELD_BACK_STATUS

from .conftest import minimal_project, project_yaml, write_project
from .test_incremental import run_build, tree, warm_fonts  # noqa: F401 (a fixture)

# A hostile name for the broken form's file: shown as text wherever the site lists it.
HOSTILE = "<img src=x onerror=alert(1)>.yaml"
SECRET = "不应公开的机密内容"  # in the broken form: never on the site


def _content(content: Path) -> tuple[Path, Path, Path]:
    """Two good forms and one that cannot be read (a weight typed in words)."""
    first = write_project(content, minimal_project(id="hao-yi", name="第一个好项目"), "a.yaml")
    second = write_project(
        content, minimal_project(id="hao-er", name="第二个好项目"), "b.yaml", unit="qita"
    )
    broken = write_project(content, _broken_text(), "c.yaml")
    return first, second, broken


def _broken_text() -> str:
    text = project_yaml(minimal_project(id="huai-le", name=SECRET, contact=SECRET))
    return text.replace("weight: 50", "weight: 五十")


def _build(capsys: pytest.CaptureFixture[str], content: Path, work: Path, *flags: str) -> tuple:
    status = main(
        [
            "build",
            "--content",
            str(content),
            "--output",
            str(work / "site"),
            "--cache",
            str(work / "cache"),
            "--no-pdf",
            "--jobs",
            "1",
            *flags,
        ]
    )
    printed = capsys.readouterr()
    return status, printed.out, printed.err


def _site_text(site: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in sorted(site.rglob("*")) if p.is_file()
    )


def test_one_broken_form_is_held_back_and_the_two_good_ones_published(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, broken = _content(tiny_content)
    status, out, _ = _build(capsys, tiny_content, tmp_path)
    site = tmp_path / "site"
    assert status == HELD_BACK_STATUS == 3
    assert (site / "2023" / "ceshi" / "hao-yi" / "index.html").is_file()
    assert (site / "2023" / "qita" / "hao-er" / "index.html").is_file()
    assert not (site / "2023" / "ceshi" / "huai-le").exists()
    # Located as `jixiao check` says it, then listed.
    located = f"{broken.as_posix()}:"
    assert any(
        line.startswith(located) and "错误[schema-decimal-parsing]: indicators[0].weight" in line
        for line in out.splitlines()
    ), out
    assert "暂未公开 1 份表单" in out and "  2023/ceshi/c.yaml  错误[schema-decimal-parsing]" in out
    assert f"{site}/{HELD_BACK_FILE}" in out
    # Nowhere on the site: no page, listing, search entry, open data, feed or sitemap line.
    everything = _site_text(site)
    assert SECRET not in everything and "huai-le" not in everything
    listed = json.loads((site / HELD_BACK_FILE).read_text(encoding="utf-8"))
    assert listed["count"] == 1
    [entry] = listed["held_back"]
    assert entry["file"] == "2023/ceshi/c.yaml"
    assert {e["code"] for e in entry["errors"]} == {"schema-decimal-parsing"}
    # Each error's place and code, and its Chinese message and hint as `jixiao check` says them.
    assert all(set(e) == {"line", "column", "code", "message", "hint"} for e in entry["errors"])
    assert [(e["message"], e["hint"]) for e in entry["errors"]] == [
        ("分值应为数字,写的是“五十”", "只写数字,如 10 或 86870000.00")
    ]
    data_page = BeautifulSoup((site / "data" / "index.html").read_text("utf-8"), "html.parser")
    section = data_page.find(id="held-back")
    assert section is not None and section.get_text() == "暂未公开的表单"
    assert "有 1 份自评表" in data_page.get_text() and "2023/ceshi/c.yaml" in data_page.get_text()
    # In English when asked, the same list and status.
    status, out, _ = _build(capsys, tiny_content, tmp_path, "--lang", "en")
    assert status == 3 and "1 form held back" in out
    assert "  2023/ceshi/c.yaml  error[schema-decimal-parsing]" in out


def test_build_json_lists_the_held_back_form_with_its_located_errors(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, broken = _content(tiny_content)
    status, out, _ = _build(capsys, tiny_content, tmp_path, "--json")
    assert status == 3
    document = json.loads(out)  # the whole of standard output: one document
    assert document["status"] == "held-back"
    assert document["summary"]["projects"] == 2 and document["summary"]["held_back"] == 1
    [held] = document["held_back"]
    assert held["file"] == broken.as_posix() and held["path"] == "2023/ceshi/c.yaml"
    [error] = held["errors"]
    line = broken.read_text(encoding="utf-8").splitlines().index("  weight: 五十") + 1
    assert (error["line"], error["code"], error["field"]) == (
        line,
        "schema-decimal-parsing",
        "indicators[0].weight",
    )
    assert error["severity"] == "error" and error["text"].startswith(f"{broken.as_posix()}:{line}:")
    # Fixed: every form published, exit 0.
    broken.write_text(_broken_text().replace("weight: 五十", "weight: 50"), encoding="utf-8")
    status, out, _ = _build(capsys, tiny_content, tmp_path, "--json")
    assert status == 0 and json.loads(out)["status"] == "published"
    assert json.loads(out)["held_back"] == []


def test_strict_publishes_nothing_when_a_form_has_an_error(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, broken = _content(tiny_content)
    broken.unlink()
    assert _build(capsys, tiny_content, tmp_path)[0] == 0
    before = tree(tmp_path / "site")
    broken.write_text(_broken_text(), encoding="utf-8")
    status, out, _ = _build(capsys, tiny_content, tmp_path, "--strict")
    assert status == 1 and "错误[schema-decimal-parsing]" in out
    assert tree(tmp_path / "site") == before
    status, out, _ = _build(capsys, tiny_content, tmp_path, "--strict", "--json")
    assert status == 1 and json.loads(out)["status"] == "failed"
    assert [e["code"] for e in json.loads(out)["errors"]] == ["schema-decimal-parsing"]


def test_what_is_not_about_one_form_still_stops_the_build(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """site.yaml decides how every form is scored: unreadable, nothing is published. Nor is
    a site published when every form was held back (it would take the whole site down)."""
    _content(tiny_content)
    assert _build(capsys, tiny_content, tmp_path)[0] == 3
    before = tree(tmp_path / "site")
    site_yaml = tiny_content / "site.yaml"
    good = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text("title: [unclosed\n", encoding="utf-8")
    status, out, _ = _build(capsys, tiny_content, tmp_path)
    assert status == 1 and "site.yaml" in out
    assert tree(tmp_path / "site") == before
    site_yaml.write_text(good, encoding="utf-8")
    for form in ("a.yaml", "b.yaml"):
        path = next(tiny_content.rglob(form))
        path.write_text("id: [unclosed\n", encoding="utf-8")
    status, out, _ = _build(capsys, tiny_content, tmp_path)
    assert status == 1
    assert tree(tmp_path / "site") == before


def test_incremental_builds_drop_a_form_that_breaks_and_bring_it_back_when_fixed(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, broken = _content(tiny_content)
    broken.write_text(project_yaml(minimal_project(id="huai-le", name="后来坏了")), "utf-8")
    good = broken.read_text(encoding="utf-8")
    assert _build(capsys, tiny_content, tmp_path)[0] == 0
    site = tmp_path / "site"
    page = site / "2023" / "ceshi" / "huai-le" / "index.html"
    assert page.is_file() and "后来坏了" in (site / "2023" / "ceshi" / "index.html").read_text()

    broken.write_text(good.replace("weight: 50", "weight: 五十"), encoding="utf-8")
    report = run_build(tiny_content, tmp_path)
    assert report.incremental and [h.file for h in report.held_back] == ["2023/ceshi/c.yaml"]
    assert not page.parent.exists()  # the stale version taken down, listings with it
    assert "后来坏了" not in _site_text(site)
    dropped = tree(site)
    assert dropped == _full_tree(tiny_content, tmp_path / "full")

    # Nothing changed: not "up to date" in silence; listed again, exit 3, nothing rewritten.
    status, out, _ = _build(capsys, tiny_content, tmp_path)
    assert status == 3 and "已是最新" not in out and "2023/ceshi/c.yaml" in out
    assert tree(site) == dropped

    broken.write_text(good, encoding="utf-8")
    status, out, _ = _build(capsys, tiny_content, tmp_path)
    assert status == 0 and "暂未公开" not in out
    assert page.is_file()
    assert json.loads((site / HELD_BACK_FILE).read_text(encoding="utf-8"))["held_back"] == []
    assert tree(site) == _full_tree(tiny_content, tmp_path / "full-fixed")
    status, out, _ = _build(capsys, tiny_content, tmp_path)
    assert status == 0 and "已是最新" in out


def _full_tree(content: Path, work: Path) -> dict[str, str]:
    """The site a full build makes of the same content, elsewhere."""
    run_build(content, work, incremental=False)
    return tree(work / "site")


def test_a_hostile_file_name_is_listed_as_text(
    tiny_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tiny_content, minimal_project(id="hao-yi"), "a.yaml")
    write_project(tiny_content, "id: [broken\n", HOSTILE)
    status, _, _ = _build(capsys, tiny_content, tmp_path)
    assert status == 3
    site = tmp_path / "site"
    data_page = BeautifulSoup((site / "data" / "index.html").read_text("utf-8"), "html.parser")
    assert data_page.find("img") is None
    assert f"2023/ceshi/{HOSTILE}" in data_page.get_text()
    listed = json.loads((site / HELD_BACK_FILE).read_text(encoding="utf-8"))
    assert [entry["file"] for entry in listed["held_back"]] == [f"2023/ceshi/{HOSTILE}"]


def test_the_preview_panel_lists_the_held_back_forms(tiny_content: Path, tmp_path: Path) -> None:
    """The panel `jixiao serve` lays over every page after a build that held forms back (the
    browser tests in test_serve.py watch it happen)."""
    _, _, broken = _content(tiny_content)
    write_project(tiny_content, "id: [broken\n", HOSTILE)
    report = run_build(tiny_content, tmp_path)
    problem = held_back_problem(report.held_back, tmp_path / "site")
    assert problem.published and problem.headline == "2 份表单有错误,暂未公开"
    assert [m.split(":", 1)[0] for m in problem.messages] == [
        (broken.parent / HOSTILE).as_posix(),  # "<" sorts before "c"
        broken.as_posix(),
    ]
    assert "  2023/ceshi/c.yaml  错误[schema-decimal-parsing]" in problem.terminal_text()
    page = b"<!doctype html><html><head></head><body><main>site</main></body></html>"
    for html in (problem_panel(problem, over_last_build=True), with_problem(page, problem)):
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find("img") is None and HOSTILE in soup.get_text()
        assert "2 份表单有错误,暂未公开" in soup.get_text() and "上一次成功构建" not in str(html)


@pytest.mark.usefixtures("warm_fonts")
def test_a_unit_whose_only_form_breaks_loses_its_booklet_too(
    tiny_content: Path, tmp_path: Path
) -> None:
    # Found by trying it: after an incremental build held back a unit's only form, its page
    # went but its booklet (with the old version of the form) stayed published.
    _content(tiny_content)
    c = tiny_content / "2023" / "ceshi" / "c.yaml"
    c.unlink()
    alone = write_project(tiny_content, minimal_project(id="du-yi"), "d.yaml", unit="dandu")
    good = alone.read_text(encoding="utf-8")
    run_build(tiny_content, tmp_path, pdf=True)
    booklet = tmp_path / "site" / "2023" / "dandu" / "dandu-2023.pdf"
    assert booklet.is_file()
    alone.write_text(good.replace("weight: 50", "weight: 五十"), encoding="utf-8")
    report = run_build(tiny_content, tmp_path, pdf=True)
    assert report.incremental and [h.file for h in report.held_back] == ["2023/dandu/d.yaml"]
    assert not booklet.exists()
    full = tmp_path / "full"
    run_build(tiny_content, full, incremental=False, pdf=True)
    pdfs = {p for p in tree(tmp_path / "site") if p.endswith(".pdf")}
    assert pdfs == {p for p in tree(full / "site") if p.endswith(".pdf")}
