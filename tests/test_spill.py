"""A build keeps its checked forms on disk, not in memory (`rules/spill.py`), and the open
data's shares beside them (`opendata/stored.py`): the same findings, the same held-back forms
and the same data as forms kept in memory, and nothing left behind (docs/architecture.md,
"What a build holds")."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

from builder.build import BuildOptions, build
from builder.opendata.records import exported_projects, project_data
from builder.opendata.stored import DataStore
from builder.rules.check import check_content
from builder.rules.spill import FOLDER, SpilledForms, SpillStore, clean_spills
from tests.conftest import minimal_project, write_project

FORMS = 70  # one process checks them in batches of 8: nine batches


def _content(content: Path, duplicate: bool = False) -> list[Path]:
    """FORMS forms in two units; with `duplicate`, the last claims the first one's id."""
    paths = []
    for index in range(FORMS):
        same = duplicate and index == FORMS - 1
        data = minimal_project(id=f"p{0 if same else index:03d}", name=f"项目{index}")
        unit = "danwei-a" if index < FORMS // 2 else "danwei-b"
        paths.append(write_project(content, data, f"p{index:03d}.yaml", unit))
    return paths


def _findings(result: object) -> list[tuple[str, int, int, str]]:
    return [
        (f.file.name, f.line, f.column, f.finding.code)
        for f in result.all_findings()  # type: ignore[attr-defined]
    ]


def test_forms_on_disk_give_the_findings_of_forms_in_memory(
    tiny_content: Path, tmp_path: Path
) -> None:
    """An id used twice, its two forms in different batches: the form read back is given
    its finding and placed again, as in memory."""
    _content(tiny_content, duplicate=True)
    in_memory = check_content(tiny_content, jobs=1)
    spilled = check_content(tiny_content, jobs=1, spill=SpillStore(tmp_path / "spill"))
    assert isinstance(spilled.projects, SpilledForms)
    assert len({key.batch for key in spilled.projects.keys}) > 1
    assert _findings(spilled) == _findings(in_memory)
    duplicates = [f[0] for f in _findings(spilled) if f[3] == "duplicate-id"]
    assert duplicates == ["p000.yaml", f"p{FORMS - 1:03d}.yaml"]
    # Read back, each form is the one checked in memory.
    for kept, read in zip(in_memory.projects, spilled.projects, strict=True):
        assert read.file == kept.file
        assert read.project == kept.project
        assert read.score == kept.score
        assert read.located == kept.located


def test_a_build_holds_forms_back_from_disk_and_leaves_no_spill(
    tiny_content: Path, tmp_path: Path
) -> None:
    _content(tiny_content, duplicate=True)
    cache = tmp_path / "cache"
    report = build(
        BuildOptions(
            content=tiny_content,
            site=tmp_path / "site",
            cache=cache,
            pdf=False,
            jobs=1,
            spill_from=0,
        )
    )
    assert sorted(held.file for held in report.held_back) == [
        "2023/danwei-a/p000.yaml",
        f"2023/danwei-b/p{FORMS - 1:03d}.yaml",
    ]
    assert report.projects == FORMS - 2
    forms = report.result.projects
    assert isinstance(forms, SpilledForms)
    folder = forms.store.folder
    assert folder.parent == cache / FOLDER and any(folder.iterdir())
    # The report reads them back while it is kept; dropped, the folder goes.
    assert [checked.file for checked in forms] == [key.file for key in forms.keys]
    del report, forms
    gc.collect()
    assert not folder.exists()


def test_a_kept_share_pickles_as_the_share_itself(tiny_content: Path, tmp_path: Path) -> None:
    """The manifest pickles a stored share as the `ProjectData` it stands for."""
    _content(tiny_content)
    result = check_content(tiny_content, jobs=1)
    store = DataStore(tmp_path)
    for item in list(exported_projects(result))[:3]:
        data = project_data(item, "https://example.org/")
        kept = store.put(data)
        assert pickle.loads(pickle.dumps(kept)) == data
        assert kept.findings_csv == data.findings_csv
        assert [kept.rows(t) for t in range(3)] == [data.rows(t) for t in range(3)]
        assert [kept.sheets[t] for t in range(3)] == list(data.sheets)


def test_a_killed_build_spill_is_removed_by_the_next(tmp_path: Path) -> None:
    """A folder named after a process no longer running goes; this process's stays (the
    preview keeps its last report)."""
    mine = SpillStore(tmp_path / FOLDER)
    dead = tmp_path / FOLDER / "999999999-x"
    dead.mkdir()
    clean_spills(tmp_path)
    assert not dead.exists()
    assert mine.folder.exists()
    mine.remove()
    assert not mine.folder.exists()


def test_a_small_build_keeps_its_forms_in_memory(tiny_content: Path, tmp_path: Path) -> None:
    """Below `spill_from` forms to check (an edit, a small site) nothing is spilled: the
    round trip through the disk costs about 2 ms a form."""
    _content(tiny_content)
    cache = tmp_path / "cache"
    options = BuildOptions(content=tiny_content, site=tmp_path / "site", cache=cache, pdf=False)
    report = build(options)
    assert isinstance(report.result.projects, list)
    assert not (cache / FOLDER).exists()


def _tree(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_a_spilled_build_and_its_edit_are_the_builds_in_memory(tmp_path: Path) -> None:
    """Both example sites' forms (every layout family, findings, held-back none), built with
    every form spilled and then with none: the same files, byte for byte; and so after one form
    is edited and the site built again incrementally."""
    import shutil

    root = Path(__file__).resolve().parent.parent
    trees = {}
    for spill_from in (0, 10**9):
        content = tmp_path / f"content-{spill_from}"
        shutil.copytree(root / "docs" / "examples" / "families", content)
        site, cache = tmp_path / f"site-{spill_from}", tmp_path / f"cache-{spill_from}"
        options = BuildOptions(
            content=content, site=site, cache=cache, pdf=False, spill_from=spill_from
        )
        build(options)
        first = _tree(site)
        edited = sorted(content.rglob("*.yaml"))[-1]
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("name: ", "name: 改", 1), encoding="utf-8")
        build(options)
        trees[spill_from] = (first, _tree(site))
        assert not (cache / FOLDER).exists() or not any((cache / FOLDER).iterdir())
    assert trees[0][0] == trees[10**9][0]
    assert trees[0][1] == trees[10**9][1]
    assert trees[0][0] != trees[0][1]  # the edit was published


class _Watched:
    """Says, once unpickled, whether the collector was on while it was."""

    def __init__(self) -> None:
        self.collecting: bool | None = None

    def __setstate__(self, state: dict[str, object]) -> None:
        self.collecting = gc.isenabled()


def test_a_batch_is_read_back_with_the_collector_paused(tmp_path: Path) -> None:
    """A batch is unpickled with the collector paused (`memory.collector_paused`: the
    read-back makes many objects and no garbage), and the collector is then on again, or
    still off when it was off."""
    store = SpillStore(tmp_path)
    number = store.dump([_Watched(), _Watched()])
    try:
        for enabled in (True, False):
            gc.enable() if enabled else gc.disable()
            assert [item.collecting for item in store.load(number)] == [False, False]
            assert gc.isenabled() is enabled
    finally:
        gc.enable()
        store.remove()
