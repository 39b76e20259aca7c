"""The PDF links' facts (`PDF, 103 KB, 2 页`) known without opening the PDFs again, and the
pages rendered once when their PDFs come from the cache (`outputs/links.py`, `pdf/facts.py`).

Every build here is compared with the same build made the way every PDF link used to be made:
from a copy of its cache without the facts memo, so that every PDF is opened and every page
linking one is rendered again once the PDFs exist. The sites must be byte-identical (pages,
PDFs, search index, open data), and every link must say the facts of the file it links.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from posixpath import dirname, normpath

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from builder.build import BuildOptions, BuildReport, build
from builder.formats import size_text
from builder.outputs.links import LINKING
from builder.pdf.facts import MEMO_FILE
from builder.site.render import TEMPLATES, make_environment

from .sitebuild import link_example_fonts
from .test_incremental import tree as _tree

ROOT = Path(__file__).resolve().parent.parent
EDITED = "2023/lps-sbj/shebao-pingtai-yunwei.yaml"
FACTS = re.compile(r"PDF, \d+(\.\d)? (字节|KB|MB), \d+ 页")


def _content(tmp_path: Path) -> Path:
    """The bundled forms, and one more in a unit of its own: a year and a department with
    two units' booklets in their tables."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    text = (content / EDITED).read_text(encoding="utf-8")
    text = text.replace("id: shebao-pingtai-yunwei", "id: qita-yunwei")
    text = re.sub(r"(?m)^unit: .*$", "unit: 六盘水市其他单位", text)
    (content / "2023" / "qita").mkdir()
    (content / "2023" / "qita" / "qita-yunwei.yaml").write_text(text, encoding="utf-8")
    return content


def _build(content: Path, work: Path, **options: object) -> BuildReport:
    return build(
        BuildOptions(
            content=content, site=work / "site", cache=work / "cache", jobs=2, pdf=True, **options
        )
    )


def _without_memo(work: Path, oracle: Path) -> None:
    """`oracle` as `work` is, its PDF cache without the memo: its build reads every PDF."""
    shutil.copytree(work, oracle, symlinks=True)
    (oracle / "cache" / "pdf" / MEMO_FILE).unlink()


def _frame_changed(tmp_path: Path) -> object:
    """The pages' templates with one line more in the frame of every page."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    base = folder / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("</body>", "<!-- frame changed -->\n</body>", 1), "utf-8")
    return make_environment(folder, auto_reload=False)


def _facts_of(pdf: Path) -> str:
    return f"PDF, {size_text(pdf.stat().st_size)}, {len(PdfReader(pdf).pages)} 页"


def _links_say_their_files(site: Path) -> int:
    """Check every PDF link that gives facts against its file; returns how many there are."""
    checked = 0
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", type="application/pdf"):
            said = FACTS.search(link.get_text())
            if said is None:
                continue
            folder = dirname(page.relative_to(site).as_posix())
            target = site / normpath(f"{folder}/{link['href']}")
            assert said.group(0) == _facts_of(target), (page, link["href"])
            checked += 1
    return checked


@pytest.fixture
def fonts(example_site: Path, tmp_path: Path) -> None:
    """The builds' PDF caches start with the example build's subset fonts."""
    link_example_fonts(example_site, tmp_path / "a" / "cache" / "pdf")


@pytest.mark.usefixtures("fonts")
def test_a_frame_change_over_a_site_with_pdfs_renders_each_page_once(tmp_path: Path) -> None:
    content = _content(tmp_path)
    first = _build(content, tmp_path / "a")
    pdfs = list((tmp_path / "a" / "site").rglob("*.pdf"))
    assert len(pdfs) == 9  # seven forms, two booklets
    assert first.facts_read == len(pdfs)  # made in this build: none known before
    # Each project page, each unit page, the department's and the year's.
    assert first.links_again == 7 + 2 + 1 + 1
    assert _links_say_their_files(tmp_path / "a" / "site") == 7 + 2 + 2 + 2
    _without_memo(tmp_path / "a", tmp_path / "b")

    frame = _frame_changed(tmp_path)
    again = _build(content, tmp_path / "a", incremental=False, templates=frame)
    assert again.pdfs_rendered == 0
    assert again.facts_read == 0 and again.links_again == 0
    oracle = _build(content, tmp_path / "b", incremental=False, templates=frame)
    assert oracle.facts_read == len(pdfs) and oracle.links_again == first.links_again
    site = tmp_path / "a" / "site"
    assert "<!-- frame changed -->" in (site / "2023" / "index.html").read_text("utf-8")
    assert _tree(site) == _tree(tmp_path / "b" / "site")


def _lengthen_goals(form: Path) -> None:
    """Both goals of `form` as one long text (the form keeps its one finding, that they are
    the same): its PDF gets more pages, and no listing shows anything else."""
    text = form.read_text(encoding="utf-8")
    long = "对社保各业务系统提供日常运维及需求调整改造," * 120 + "保障系统稳定运行。"
    text = re.sub(r"(?m)^(  (planned|achieved): >-\n)    .*$", rf"\g<1>    {long}", text)
    form.write_text(text, encoding="utf-8")


@pytest.mark.usefixtures("fonts")
@pytest.mark.parametrize("spill_from", [2_000, 1], ids=["in-memory", "spilled"])
def test_an_edit_that_adds_pages_shows_them_on_its_page_and_its_booklets(
    tmp_path: Path, spill_from: int
) -> None:
    content = _content(tmp_path)
    _build(content, tmp_path / "a", spill_from=spill_from)
    site = tmp_path / "a" / "site"
    form_pdf = site / "2023/lps-sbj/shebao-pingtai-yunwei/shebao-pingtai-yunwei.pdf"
    booklet = site / "2023/lps-sbj/lps-sbj-2023.pdf"
    before = (_facts_of(form_pdf), _facts_of(booklet))

    _lengthen_goals(content / EDITED)
    report = _build(content, tmp_path / "a", spill_from=spill_from)
    assert report.incremental and report.pdfs_rendered == 2  # the form and its booklet
    after = (_facts_of(form_pdf), _facts_of(booklet))
    assert [len(re.findall(r"\d+ 页", a)) for a in after] == [1, 1]
    assert before[0] != after[0] and before[1] != after[1]
    for page in ("2023/lps-sbj/shebao-pingtai-yunwei/index.html",):
        assert after[0] in (site / page).read_text("utf-8")
    for page in ("2023/lps-sbj/index.html", "2023/index.html", "2023/dept-502/index.html"):
        assert after[1] in (site / page).read_text("utf-8"), page
    # The edited form's page, its unit's, its department's and its year's; the facts of the
    # PDFs this build reused are known without opening them.
    assert report.links_again == 4 and report.facts_read == 2
    assert _links_say_their_files(site) == 7 + 2 + 2 + 2

    _without_memo(tmp_path / "a", tmp_path / "b")
    _build(content, tmp_path / "b", spill_from=spill_from, incremental=False)
    assert _tree(site) == _tree(tmp_path / "b" / "site")


@pytest.mark.usefixtures("fonts")
def test_an_edit_keeps_the_facts_of_the_booklets_it_did_not_make(tmp_path: Path) -> None:
    """An edit that rewrites its year's page: the other unit's booklet, neither made nor
    placed by this build, is published as it was, and the year page still says its facts
    (they were read from the staging folder alone, where only the folders of the search's
    re-indexed parts are linked: here no search, at 10,000 forms most units of a year)."""
    content = _content(tmp_path)
    _build(content, tmp_path / "a", search=False)
    site = tmp_path / "a" / "site"
    other = _facts_of(site / "2023/qita/qita-2023.pdf")
    year_before = (site / "2023" / "index.html").read_text("utf-8")
    form = content / EDITED
    form.write_text(
        form.read_text("utf-8").replace("executed: 200000}", "executed: 150000}", 1), "utf-8"
    )
    report = _build(content, tmp_path / "a", search=False)
    assert report.incremental and report.checked == 6  # lps-sbj's forms: qita's not made
    year = (site / "2023" / "index.html").read_text("utf-8")
    assert year != year_before  # its totals: in the edit's scope, rendered again
    assert other in year
    assert report.facts_read == 2  # the form and its booklet made anew: qita's is known
    assert _links_say_their_files(site) == 7 + 2 + 2 + 2
    _without_memo(tmp_path / "a", tmp_path / "b")
    _build(content, tmp_path / "b", search=False, incremental=False)
    assert _tree(site) == _tree(tmp_path / "b" / "site")


def _stale(memo: Path) -> None:
    """Every entry of the memo made for another file than the one cached: another size."""
    text = memo.read_text("utf-8")
    memo.write_text(
        re.sub(r"\[(\d+),(\d+)\]", lambda m: f"[{int(m[1]) + 1},{int(m[2]) + 5}]", text), "utf-8"
    )


def _misplaced(memo: Path) -> None:
    """The memo's site paths each given another path's key (a site published from elsewhere)."""
    text = memo.read_text("utf-8")
    keys = re.findall(r'"(\d{4}/[^"]+\.pdf)":"([0-9a-f]{64})"', text)
    for (path, key), (_, other) in zip(keys, [*keys[1:], keys[0]], strict=True):
        text = text.replace(f'"{path}":"{key}"', f'"{path}":"{other}"')
    memo.write_text(text, "utf-8")


@pytest.mark.usefixtures("fonts")
@pytest.mark.parametrize("damage", ["stale", "corrupt", "missing", "misplaced"])
def test_a_memo_that_is_wrong_gives_way_to_the_files(tmp_path: Path, damage: str) -> None:
    content = _content(tmp_path)
    _build(content, tmp_path / "a")
    site = tmp_path / "a" / "site"
    published = _tree(site)
    memo = tmp_path / "a" / "cache" / "pdf" / MEMO_FILE
    if damage == "stale":
        _stale(memo)
    elif damage == "corrupt":
        memo.write_bytes(memo.read_bytes()[:100])
    elif damage == "missing":
        memo.unlink()
    else:
        _misplaced(memo)
    report = _build(content, tmp_path / "a", incremental=False)
    assert report.pdfs_rendered == 0
    # A misplaced memo only predicts wrong: the facts it has are of the right files.
    assert report.facts_read == (0 if damage == "misplaced" else 9)
    assert report.links_again > 0
    assert _tree(site) == published
    assert _links_say_their_files(site) == 7 + 2 + 2 + 2
    # Mended: the next build knows them all again.
    report = _build(content, tmp_path / "a", incremental=False)
    assert report.facts_read == 0 and report.links_again == 0
    assert _tree(site) == published


def test_the_pages_that_show_facts_are_those_the_links_stage_knows() -> None:
    """`links.linked_pdfs` names what the templates ask `pdf_facts` for: a template that
    shows another PDF's facts must be taught to it, or its pages would keep old facts."""
    asked = {
        (path.name, match)
        for path in TEMPLATES.glob("*.html")
        for match in re.findall(r"pdf_facts\.get\(([^,)]+)", path.read_text("utf-8"))
    }
    assert asked == {
        ("project.html", "links.pdf"),
        ("group.html", "group.booklet"),
        ("_macros.html", "g.booklet"),
    }
    tables = {
        path.name
        for path in TEMPLATES.glob("*.html")
        if re.search(r"totals_table\([^)]*booklets=(?!false)", path.read_text("utf-8"))
    }
    assert tables <= LINKING and {"project.html", "group.html"} <= LINKING
