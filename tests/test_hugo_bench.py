"""The Hugo side of bench/hugo_bench.py holds the same forms: one page per form with its
funding rows and every indicator row under its 一级 and 二级, and a listing per year and unit.
Hugo itself is not needed here (the bench installs it)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bench.corpus import generate
from bench.hugo_bench import _mark_frame, edit_form, write_hugo_content


def _front_matter(page: Path) -> dict[str, object]:
    text = page.read_text("utf-8")
    matter, _, _ = text.partition("\n\n###")
    return json.loads(matter)


def test_every_form_is_a_page_with_its_tables(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "content", projects=12, seed=3)
    write_hugo_content(corpus.root, tmp_path / "hugo")
    pages = sorted((tmp_path / "hugo" / "content").glob("*/*/*.md"))
    forms = [p for p in pages if p.name != "_index.md"]
    assert len(forms) == len(corpus.files)
    for form_file in corpus.files:
        form = yaml.safe_load(form_file.read_text("utf-8"))
        year, unit = form_file.parent.parent.name, form_file.parent.name
        matter = _front_matter(tmp_path / "hugo" / "content" / year / unit / f"{form_file.stem}.md")
        assert matter["title"] == form["name"] and matter["project_id"] == form["id"]
        rows = [row for level in matter["levels"] for g in level["groups"] for row in g["rows"]]
        assert [row["name"] for row in rows] == [str(i["name"]) for i in form["indicators"]]
        assert sum(level["rowspan"] for level in matter["levels"]) == len(rows)
        assert matter["funding"][0]["label"] == "年度资金总额"
        assert (tmp_path / "hugo" / "content" / year / unit / "_index.md").exists()
        assert (tmp_path / "hugo" / "content" / year / "_index.md").exists()


def test_an_edit_and_a_template_change_reach_both_sides(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "content", projects=4, seed=1)
    edited = edit_form(corpus.root, 5)
    assert "contact: 编辑5" in edited.read_text("utf-8")
    write_hugo_content(corpus.root, tmp_path / "hugo", [edited])
    page = tmp_path / "hugo" / "content" / edited.parent.parent.name / edited.parent.name
    assert _front_matter(page / f"{edited.stem}.md")["contact"] == "编辑5"
    frame = tmp_path / "base.html"
    frame.write_text("<body>\n</body>\n", encoding="utf-8")
    _mark_frame(frame, 1)
    _mark_frame(frame, 2)
    assert frame.read_text("utf-8") == "<body>\n<!-- bench round 2 -->\n</body>\n"
