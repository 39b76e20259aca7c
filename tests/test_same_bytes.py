"""A build's output does not depend on its history: after an edit, an added form, a removed
form, a form held back and the same form fixed, the site an incremental build publishes is,
file by file, the bytes a full build of the same content writes with an empty cache (the
SQLite file and the data page stating its size included)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bench.tree_digest import tree_digests
from builder.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
UNIT = "2023/lps-sbj"
EDITED = f"{UNIT}/shebao-pingtai-yunwei.yaml"
REMOVED = f"{UNIT}/jiguan-yanglao-quekou.yaml"
BROKEN = f"{UNIT}/chengxiang-yanglao-tiaodai.yaml"
ADDED = "2023/a-dw/xinzeng-xiangmu.yaml"  # a unit folder that sorts before every other


def _build(content: Path, work: Path, incremental: bool = True) -> object:
    return build(
        BuildOptions(
            content=content, site=work / "site", cache=work / "cache", jobs=2, pdf=False,
            incremental=incremental,
        )
    )  # fmt: skip


def _replaced(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add(content: Path) -> None:
    """A new form in a unit folder of its own: a copy of REMOVED under another id and name."""
    (content / ADDED).parent.mkdir(parents=True)
    shutil.copyfile(content / REMOVED, content / ADDED)
    _replaced(content / ADDED, "id: jiguan-yanglao-quekou", "id: xinzeng-xiangmu")
    _replaced(content / ADDED, "name: ", "name: 新增")


def _steps(content: Path) -> list[tuple[str, Callable[[], None]]]:
    broken = (content / BROKEN).read_text(encoding="utf-8")
    return [
        # a figure: the form's indicator row, its score and findings, every table's rows
        ("edit", lambda: _replaced(content / EDITED, "actual: =11套", "actual: =9套")),
        ("add", lambda: _add(content)),
        ("remove", lambda: (content / REMOVED).unlink()),
        ("hold back", lambda: (content / BROKEN).write_text("id: [broken\n", encoding="utf-8")),
        ("fix", lambda: (content / BROKEN).write_text(broken, encoding="utf-8")),
    ]


def _substring_files(site: Path) -> dict[str, tuple[bytes, int]]:
    """Site path -> (bytes, inode) of each file of the substring index."""
    files = (site / "search/substring").rglob("*.json")
    return {p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_ino) for p in files}


def test_every_kind_of_change_publishes_a_full_builds_bytes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    site = tmp_path / "work" / "site"
    _build(content, tmp_path / "work")
    for step, (name, change) in enumerate(_steps(content)):
        substring = _substring_files(site)
        change()
        report = _build(content, tmp_path / "work")
        assert report.incremental, name  # type: ignore[attr-defined]
        if name == "edit":  # a score: its record changes in place, the index is updated
            after = _substring_files(site)
            assert after.keys() == substring.keys()
            kept = [path for path in after if after[path][0] == substring[path][0]]
            assert 0 < len(kept) < len(after)
            assert all(after[path][1] == substring[path][1] for path in kept)
        full = tmp_path / f"full-{step}"
        _build(content, full, incremental=False)
        made, expected = dict(tree_digests(site)), dict(tree_digests(full / "site"))
        assert "data/jixiao.db" in made
        differ = sorted(p for p in made.keys() | expected.keys() if made.get(p) != expected.get(p))
        assert differ == [], name


def test_the_sqlite_bench_finds_an_edits_file_equal_to_the_published_one(tmp_path: Path) -> None:
    """`bench/sqlite_bench.py` on a built site: both writers timed, and `update_sqlite` of
    projects re-read with their rows unchanged gives the published file's bytes."""
    _build(ROOT / "content", tmp_path)
    ran = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sqlite_bench.py"), str(tmp_path / "site"),
         str(ROOT / "content"), "--runs", "1", "--changed", "2"],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("6 projects, 2 changed")
    assert lines[1].startswith("write_sqlite: median") and lines[2].startswith("update_sqlite")
    assert lines[3] == "update_sqlite gives the published bytes: True"


def _build_with(code: Path, content: Path, work: Path, *extra: str) -> dict[str, object]:
    """`jixiao build --no-pdf` run from `code` (a copy of `builder/` and `templates/`, whose
    templates a test may change); its `--json` summary."""
    ran = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--content", str(content),
         "--output", str(work / "site"), "--cache", str(work / "cache"), "--no-pdf", "--json",
         "--jobs", "2", *extra],
        capture_output=True, text=True, cwd=code, env={**os.environ, "PYTHONPATH": str(code)},
    )  # fmt: skip
    assert ran.returncode in (0, 3), ran.stderr[-2000:]  # 3: published, a form held back
    return json.loads(ran.stdout)["summary"]  # type: ignore[no-any-return]


def _template_steps(content: Path, code: Path) -> list[tuple[str, Callable[[], None]]]:
    """What changes beside the templates, in turn (`code`: the copy of the tool built with)."""
    claiming = content / "2023" / "a-dw" / "chongfu.yaml"  # a name that is not its id
    return [
        ("template", lambda: None),
        # the form's indicator row, its score and findings, every table's rows
        ("and a figure", lambda: _replaced(content / EDITED, "actual: =11套", "actual: =9套")),
        # the date of the data, on every page: a full plan, from the forms read once
        ("and the date", lambda: _replaced(content / EDITED, "2023-12-25", "2023-12-30")),
        # a new form claiming a kept form's id: both held back, the kept one's rows gone
        ("and a claim", lambda: (claiming.parent.mkdir(), shutil.copyfile(content / REMOVED, claiming))),
        # the tool's code: a full build, whatever else changed
        ("and the tool", lambda: _replaced(code / "builder" / "urls.py", "from ", "# !\nfrom ")),
    ]  # fmt: skip


def test_a_change_of_templates_keeps_the_open_data_and_publishes_a_full_builds_bytes(
    tmp_path: Path,
) -> None:
    """The templates changed (one line more in the page frame, `base.html`, each time):
    every page is made again, the open data of the forms not edited is kept as published
    (the data page alone is written), and the site is, file by file, what `--full` writes;
    with a form's figure edited in the same build, the date of the data changed, or a form
    held back, too."""
    code, content, work = tmp_path / "code", tmp_path / "content", tmp_path / "work"
    for name in ("builder", "templates"):
        shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "content", content)
    _build_with(code, content, work)
    shutil.rmtree(work / "cache" / "xlsx")  # each form's workbook made from now on is kept here
    for step, (name, change) in enumerate(_template_steps(content, code)):
        _replaced(code / "templates" / "base.html", "</body>", f"<!-- {step} -->\n</body>")
        change()
        summary = _build_with(code, content, work)
        full = _build_with(code, content, tmp_path / f"full-{step}", "--full")
        assert summary["checked"] == full["checked"] and not full["incremental"], name
        written, every = summary["data_files"], full["data_files"]
        workbooks = len(list((work / "cache" / "xlsx").glob("objects/*/*.xlsx")))
        if name == "template":  # the data page alone: it has the page frame; no workbook
            assert summary["incremental"] and written == 1 and workbooks == 0
        elif name == "and a figure":  # the form's record, source, tables and workbook alone
            assert summary["incremental"] and 1 < written < every - 10  # type: ignore[operator]
            assert workbooks == 1
        else:
            assert not summary["incremental"], name
        made = dict(tree_digests(work / "site"))
        expected = dict(tree_digests(tmp_path / f"full-{step}" / "site"))
        differ = sorted(p for p in made.keys() | expected.keys() if made.get(p) != expected.get(p))
        assert differ == [], name
        assert f"<!-- {step} -->" in (work / "site" / "index.html").read_text("utf-8")


# Builds as the preview makes them (`preview/rebuild.py`): one process, the manifest and the
# compiled templates kept in memory, no Pagefind, no tables on an edit; the templates changed
# between two builds. Run from a copy of the code, given the content and the work folder.
PREVIEW = """
import json, sys
from pathlib import Path
from builder.build import BuildOptions, build
from builder.publish.manifest import Manifest
from builder.site.render import TEMPLATES, make_environment

content, work = Path(sys.argv[1]), Path(sys.argv[2])
manifest, templates = Manifest(work / "cache", in_memory=True), make_environment()
reports = []
for mark in ("", "<!-- saved -->\\n"):
    base = TEMPLATES / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", mark + "</body>"), "utf-8")
    report = build(BuildOptions(
        content=content, site=work / "site", cache=work / "cache", jobs=2, pdf=False,
        search=False, manifest=manifest, tables=False, templates=templates,
    ))
    reports.append([report.incremental, report.checked, report.data_files])
full = build(BuildOptions(
    content=content, site=work / "full", cache=work / "full-cache", jobs=2, pdf=False,
    search=False, incremental=False,
))
print(json.dumps(reports + [[full.incremental, full.checked, full.data_files]]))
"""


def test_the_preview_keeps_the_open_data_when_a_template_is_saved(tmp_path: Path) -> None:
    """The preview, its manifest in memory, rebuilds after a template is saved: every page
    anew, the open data kept (the data page alone written), the bytes of a full build."""
    code, work = tmp_path / "code", tmp_path / "work"
    for name in ("builder", "templates"):
        shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    ran = subprocess.run(
        [sys.executable, "-c", PREVIEW, str(ROOT / "content"), str(work)],
        capture_output=True, text=True, cwd=code, env={**os.environ, "PYTHONPATH": str(code)},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    first, saved, full = json.loads(ran.stdout)
    assert first == [False, 6, full[2]] and full[:2] == [False, 6]
    assert saved == [True, 6, 1]
    made, expected = dict(tree_digests(work / "site")), dict(tree_digests(work / "full"))
    assert made == expected
    assert "<!-- saved -->" in (work / "site" / "index.html").read_text("utf-8")
