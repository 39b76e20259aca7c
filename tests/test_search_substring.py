"""The substring index's files: what a query finds through them (read here as search.js reads
them), its sizes, and that the same projects give the same bytes."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from builder import urls
from builder.search import substring
from builder.search.substring import FOLDER, bucket_of, index_files, normalise


@dataclass
class Summary:
    """The fields of a ProjectSummary the index reads."""

    year: int
    name: str
    unit: str
    department: str
    id: str
    budget: Decimal | None = Decimal("86870000.00")
    executed: Decimal | None = Decimal("17461600.00")
    rate: Decimal | None = Decimal("20.10")
    total: Decimal = Decimal("92.01")
    declared_total: Decimal | None = Decimal("100")
    grade: str = "优秀"
    in_review: bool = False
    unit_slug: str = "u"
    department_code: str = ""

    @property
    def department_key(self) -> str:
        return urls.department_key(self.department_code, self.department)

    @property
    def page(self) -> str:
        return f"{self.year}/{self.unit_slug}/{self.id}/index.html"


def find(files: dict[str, bytes], query: str, filters: dict[str, str] | None = None) -> list[str]:
    """The pages a query finds, best first: the reading of templates/static/search.js."""
    meta = json.loads(files[f"{FOLDER}/meta.json"])
    query = normalise(query)

    def postings(key: str) -> list[int]:
        bucket = json.loads(files[f"{FOLDER}/keys/{bucket_of(key, meta['buckets'])}.json"])
        return bucket.get(key, [])

    def places(flat: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        record = 0
        for i in range(0, len(flat), 2):
            record += flat[i]
            out.setdefault(record, set()).add(flat[i + 1])
        return out

    if len(query) == 1:
        offsets = [0]
    else:
        offsets = list(range(0, len(query) - 1, 2))
        if len(query) % 2:
            offsets.append(len(query) - 2)
    size = 1 if len(query) == 1 else 2
    first, *rest = [places(postings(query[i : i + size])) for i in offsets]
    kept = None
    for name, value in (filters or {}).items():
        record, these = 0, set()
        for delta in postings(f"{meta['filter_key']}{name}={value}"):
            record += delta
            these.add(record)
        kept = these if kept is None else kept & these
    found = []
    for record, starts in first.items():
        good = [
            p
            for p in starts
            if all(p + offsets[n + 1] in o.get(record, ()) for n, o in enumerate(rest))
        ]
        if good and (kept is None or record in kept):
            found.append(
                (min(good) // meta["field_span"], min(good) % meta["field_span"] != 0, record)
            )
    pages = []
    for _, _, record in sorted(found):
        shard = json.loads(files[f"{FOLDER}/records/{record // meta['per_shard']}.json"])
        pages.append(shard[record % meta["per_shard"]][0])
    return pages


def corpus() -> list[Summary]:
    return [
        Summary(
            2023,
            "六盘水市80周岁以上老年人高龄津贴增发资金",
            "六盘水市民政局",
            "六盘水市民政局",
            "gaoling",
        ),
        Summary(
            2023,
            "城乡居民养老保险65岁以上增发基础养老金",
            "六盘水市社会保险事业局",
            "人社局",
            "zengfa",
            budget=Decimal("950500"),
        ),
        Summary(
            2022,
            "社会保险综合服务平台运维费",
            "六盘水市社会保险事业局",
            "人社局",
            "yunwei",
            rate=Decimal("100"),
            in_review=True,
        ),
        Summary(
            2023,
            "机关事业单位养老保险缺口资金补助",
            "社保局",
            "人社局",
            "quekou",
            budget=None,
            rate=None,
        ),
    ]


def test_what_a_reader_types_is_found_exactly() -> None:
    files = index_files(corpus())
    page = {s.id: s.page for s in corpus()}
    assert find(files, "津贴增发") == [page["gaoling"]]
    # both in the name, not at its start: in the records' order (year, department, unit …)
    assert find(files, "增发") == [page["zengfa"], page["gaoling"]]
    assert find(files, "养 老") == find(files, "养老") == [page["zengfa"], page["quekou"]]
    assert find(files, "xyz不存在的词") == []
    assert find(files, "医疗保险") == []
    assert find(files, "20.10%") == [page["zengfa"], page["gaoling"]]  # their rate
    assert find(files, "８６８７００００") == [page["gaoling"], page["yunwei"]]  # full-width digits
    assert find(files, "8,687.00") == find(files, "8687") == [page["gaoling"], page["yunwei"]]
    assert find(files, "95.05") == [page["zengfa"]]  # 950500 元 as 万元
    assert find(files, "YUNWEI") == [page["yunwei"]]
    # a name match before a unit match
    assert find(files, "社会保险")[:2] == [page["yunwei"], page["zengfa"]]


def test_a_function_character_alone_is_not_a_key() -> None:
    files = index_files(corpus())
    for character in "的和及与等":
        assert find(files, character) == []
    assert find(files, "以上") != []  # inside a word it is found


def test_filters_are_keys_too() -> None:
    files = index_files(corpus())
    page = {s.id: s.page for s in corpus()}
    assert find(files, "社会保险", {"year": "2022"}) == [page["yunwei"]]
    assert find(files, "六盘水", {"mismatch": substring.MISMATCH}) == [page["yunwei"]]
    dept = urls.department_key("", "人社局")
    assert find(files, "六盘水", {"dept": dept, "year": "2023"}) == [page["zengfa"]]


def test_the_department_filter_tells_namesakes_apart() -> None:
    """Old code: the filter's value was the name, so 县教育局(401), (402) and the one without a
    code were one choice that found all three."""
    projects = [
        Summary(2023, f"校舍维修{i}", "某中学", "县教育局", f"xiao-{i}", department_code=code)
        for i, code in enumerate(("401", "402", "", ""))
    ]
    projects.append(Summary(2022, "校舍维修", "某中学", "县教育局", "xiao-old"))
    files = index_files(projects)
    page = {s.id: s.page for s in projects}
    assert find(files, "校舍", {"dept": "401"}) == [page["xiao-0"]]
    assert find(files, "校舍", {"dept": "402"}) == [page["xiao-1"]]
    # Without a code, the department is its name: the same one in both years.
    no_code = urls.department_key("", "县教育局")
    assert sorted(find(files, "校舍", {"dept": no_code})) == sorted(
        [page["xiao-2"], page["xiao-3"], page["xiao-old"]]
    )
    assert find(files, "校舍", {"dept": "县教育局"}) == []


def test_the_same_projects_give_the_same_bytes_in_any_order() -> None:
    projects = corpus()
    shuffled = projects[::-1]
    random.Random(1).shuffle(shuffled)
    assert index_files(projects) == index_files(shuffled)


def test_a_large_corpus_is_cut_into_buckets_and_record_files() -> None:
    projects = [
        Summary(2020 + n % 4, f"项目{n}号养老保险资金", f"单位{n % 50}", f"部门{n % 9}", f"p{n}")
        for n in range(3000)
    ]
    files = index_files(projects)
    meta = json.loads(files[f"{FOLDER}/meta.json"])
    assert meta["buckets"] >= 16 and meta["records"] == 3000
    sizes = sorted(len(data) for path, data in files.items() if "/keys/" in path)
    assert sizes[len(sizes) // 2] < 4 * substring.BUCKET_BYTES
    assert max(len(d) for p, d in files.items() if "/records/" in p) < 16_000
    assert find(files, "项目2999号") == [projects[2999].page]
    assert len(find(files, "项目299")) == 11  # 299 and 2990-2999


names = st.text(alphabet="养老保险资金增发津贴运维费六盘水市的和 abc0123", min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(names, min_size=1, max_size=12), st.data())
def test_every_substring_of_a_name_finds_it(given_names: list[str], data: st.DataObject) -> None:
    projects = [Summary(2023, name, "单位", "部门", f"p{n}") for n, name in enumerate(given_names)]
    files = index_files(projects)
    which = data.draw(st.integers(0, len(projects) - 1))
    text = normalise(projects[which].name)
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = text[start:end]
    if len(query) == 1 and query in substring.FUNCTION_CHARACTERS:
        return
    found = set(find(files, query))
    expected = {
        p.page for p in projects if any(query in field for field in substring.Record.of(p).fields())
    }
    assert found == expected


def test_the_department_choices_name_namesakes_with_their_codes() -> None:
    from builder.site.departments import department_choices

    projects = [
        Summary(2023, "甲", "某中学", "县教育局", "a", department_code="401"),
        Summary(2022, "乙", "某中学", "县教育局", "b"),  # another year: still a namesake
        Summary(2023, "丙", "某中学", "县教育局", "c"),
        Summary(2023, "丁", "某医院", "县卫生局", "d", department_code="403"),
        Summary(2023, "戊", "某单位", "", "e"),  # no department: no choice
    ]
    assert department_choices(projects) == [  # in the order of the words' characters
        ("403", "县卫生局"),
        ("401", "县教育局(401)"),
        (urls.department_key("", "县教育局"), "县教育局(无代码)"),
    ]
