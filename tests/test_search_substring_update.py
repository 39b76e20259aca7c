"""An edit's substring index updated in place (`search/substring_update.py`): the files it
writes over the published index give, file by file, the bytes of the whole index of the new
projects; whatever it cannot patch (the records reordered, another bucket count, a published
file missing or not as the last build wrote it) is left to a whole index."""

from __future__ import annotations

import dataclasses
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.search.substring import BUCKET_BYTES, FOLDER, Record, index_files, ordered
from builder.search.substring_update import updated_files

from .test_search_substring import Summary

DEPARTMENTS = ["人社局", "民政局", "教育局", "卫健局", "财政局"]
UNITS = ["社会保险事业局", "养老服务中心", "第一中学", "疾控中心", "国库支付中心", "就业局"]
WORDS = ["养老", "保险", "津贴", "增发", "运维", "校舍", "改造", "补助", "资金", "平台", "服务"]
GRADES = ["优秀", "良好", "中", "差"]


@dataclasses.dataclass
class Form(Summary):
    """A summary with the content-relative file the plan knows it by."""

    @property
    def file(self) -> str:
        return f"{self.year}/{self.unit_slug}/{self.id}.yaml"


def _money(chance: random.Random) -> Decimal | None:
    if chance.random() < 0.1:
        return None
    return Decimal(chance.randrange(10_000, 90_000_000)) / 100


def _figures(chance: random.Random) -> dict[str, object]:
    return {
        "budget": _money(chance),
        "executed": _money(chance),
        "rate": Decimal(chance.randrange(0, 10_001)) / 100,
        "total": Decimal(chance.randrange(400, 1001)) / 10,
        "declared_total": Decimal(chance.randrange(4000, 10_001)) / 100,
        "grade": chance.choice(GRADES),
        "in_review": chance.random() < 0.2,
    }


def projects(count: int = 300, seed: int = 15) -> list[Form]:
    """`count` projects over three years, five departments and six units."""
    chance = random.Random(seed)
    forms = []
    for n in range(count):
        unit = chance.randrange(len(UNITS))
        name = "".join(chance.sample(WORDS, chance.randrange(2, 6)))
        forms.append(
            Form(
                year=2021 + n % 3,
                name=f"{name}{n}号",
                unit=UNITS[unit],
                department=DEPARTMENTS[unit % len(DEPARTMENTS)],
                id=f"p{n:04d}",
                unit_slug=f"u{unit}",
                department_code=str(unit % len(DEPARTMENTS)),
                **_figures(chance),  # type: ignore[arg-type]
            )
        )
    return forms


def _edited(form: Form, kind: str, seed: int) -> Form:
    """The form after one edit of `kind`: its figures, its name (a word added or dropped,
    which may or may not move it), its unit's name (likewise)."""
    chance = random.Random(seed)
    if kind == "figure":
        return dataclasses.replace(form, **_figures(chance))  # type: ignore[arg-type]
    if kind == "name":
        words = chance.sample(WORDS, chance.randrange(1, 4))
        return dataclasses.replace(form, name=form.name[: chance.randrange(6)] + "".join(words))
    return dataclasses.replace(form, unit=chance.choice([form.unit + "分局", chance.choice(UNITS)]))


def _apply(forms: list[Form], changes: list[tuple[int, str, int]]) -> list[Form]:
    """The projects after the edits: a unit's name changes in every form of the unit and
    year (one 实施单位 renamed: its forms keep their order), or in one form (which moves)."""
    now = list(forms)
    for number, kind, seed in changes:
        if kind != "unit" or seed % 2:
            now[number] = _edited(now[number], kind, seed)
            continue
        form = now[number]
        for n, other in enumerate(now):
            if (other.unit_slug, other.year) == (form.unit_slug, form.year):
                now[n] = dataclasses.replace(other, unit=form.unit + "分局")
    return now


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Form], Path, dict]:
    """The projects and a site folder holding their whole index, as a build publishes it."""
    forms = projects()
    site = tmp_path_factory.mktemp("site")
    files = index_files(forms)
    _write(site, files)
    assert json.loads(files[f"{FOLDER}/meta.json"])["buckets"] >= 8
    return forms, site, files


def _write(site: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)


def _pages(forms: list[Form]) -> list[str]:
    return [record.page for record in ordered(Record.of(form) for form in forms)]


def _buckets(files: dict[str, bytes]) -> int:
    return json.loads(files[f"{FOLDER}/meta.json"])["buckets"]


edits = st.lists(
    st.tuples(st.integers(0, 299), st.sampled_from(["figure", "name", "unit"]), st.integers()),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(edits)
def test_an_update_gives_the_bytes_of_the_whole_index(
    published: tuple[list[Form], Path, dict], changes: list[tuple[int, str, int]]
) -> None:
    forms, site, before = published
    now = _apply(forms, changes)
    edited = {form.file: form for form, after in zip(forms, now, strict=True) if form is not after}
    files = updated_files(site, now, edited, set(edited), 0)
    whole = index_files(now)
    if _pages(now) != _pages(forms) or _buckets(whole) != _buckets(before):
        assert files is None
        return
    assert files is not None
    assert all(before[path] != data for path, data in files)  # only what changed is written
    assert {**before, **dict(files)} == whole


def test_figures_of_several_records_are_patched_not_written_whole(
    published: tuple[list[Form], Path, dict],
) -> None:
    forms, site, before = published
    now = [_edited(form, "figure", n) if n % 60 == 0 else form for n, form in enumerate(forms)]
    edited = {form.file: form for n, form in enumerate(forms) if n % 60 == 0}
    files = updated_files(site, now, edited, set(edited), 0)
    assert files is not None
    shards = [path for path in before if "/records/" in path]
    assert 0 < len([path for path, _ in files if "/records/" in path]) < len(shards)
    assert {**before, **dict(files)} == index_files(now)


def _one_figure_edit(forms: list[Form]) -> tuple[list[Form], dict[str, Form]]:
    now = list(forms)
    now[5] = dataclasses.replace(forms[5], budget=Decimal("12345678.90"), grade="差")
    return now, {forms[5].file: forms[5]}


@pytest.mark.parametrize(
    "damage",
    [
        "bucket missing",
        "bucket not JSON",
        "bucket of another shape",
        "pairs not the last build's",
        "record file not the last build's",
        "meta without size",
        "meta of another layout",
    ],
)
def test_a_published_index_not_as_expected_is_written_whole(
    tmp_path: Path, published: tuple[list[Form], Path, dict], damage: str
) -> None:
    forms, _, before = published
    now, edited = _one_figure_edit(forms)
    assert updated_files(published[1], now, edited, set(edited), 0)  # undamaged: patched
    files = dict(before)
    patched = dict(updated_files(published[1], now, edited, set(edited), 0) or [])
    bucket = next(path for path in patched if "/keys/" in path)
    meta = json.loads(before[f"{FOLDER}/meta.json"])
    if damage == "bucket missing":
        del files[bucket]
    elif damage == "bucket not JSON":
        files[bucket] = before[bucket][:-1]
    elif damage == "bucket of another shape":
        files[bucket] = json.dumps({key: [str(n) for n in value] for key, value in json.loads(before[bucket]).items()}).encode()  # fmt: skip
    elif damage == "pairs not the last build's":  # the buckets of another budget
        other = list(forms)
        other[5] = dataclasses.replace(forms[5], budget=Decimal("55555555.55"))
        other_files = index_files(other)
        files.update({path: other_files[path] for path in patched if "/keys/" in path})
    elif damage == "record file not the last build's":
        files[f"{FOLDER}/records/0.json"] = before[f"{FOLDER}/records/1.json"]
    elif damage == "meta without size":
        del meta["size"]
        files[f"{FOLDER}/meta.json"] = json.dumps(meta).encode()
    else:
        meta["per_shard"] = 64
        files[f"{FOLDER}/meta.json"] = json.dumps(meta).encode()
    _write(tmp_path, files)
    assert updated_files(tmp_path, now, edited, set(edited), 0) is None


def test_a_size_that_crosses_a_power_of_two_is_written_whole(
    tmp_path: Path, published: tuple[list[Form], Path, dict]
) -> None:
    """The bucket count follows the written size: the meta says the index is as large as its
    buckets allow, and an edit that adds keys would need twice as many."""
    forms, _, before = published
    files = dict(before)
    meta = json.loads(before[f"{FOLDER}/meta.json"])
    meta["size"] = meta["buckets"] * BUCKET_BYTES
    files[f"{FOLDER}/meta.json"] = json.dumps(
        meta, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode()
    _write(tmp_path, files)
    now = list(forms)
    now[9] = dataclasses.replace(forms[9], name=forms[9].name[:2] + "一个很长的新名字" * 3)
    edited = {forms[9].file: forms[9]}
    assert _pages(now) == _pages(forms)
    assert updated_files(tmp_path, now, edited, set(edited), 0) is None
    shrunk = [dataclasses.replace(forms[9], name=forms[9].name[:2])]
    assert updated_files(tmp_path, [*now[:9], *shrunk, *now[10:]], edited, set(edited), 0)


def test_a_form_added_removed_or_held_back_is_written_whole(
    published: tuple[list[Form], Path, dict],
) -> None:
    forms, site, _ = published
    now, edited = _one_figure_edit(forms)
    assert updated_files(site, now, edited, set(edited), 1) is None  # one removed
    added = {*edited, "2023/u1/new.yaml"}
    assert updated_files(site, now, edited, added, 0) is None
    assert updated_files(site, now[:5] + now[6:], edited, set(edited), 0) is None
