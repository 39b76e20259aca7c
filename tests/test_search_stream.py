"""The search stage holds a bounded share of the site: a year's merge reads its parts' words
as a stream (`search/partread.py`), the substring index is made a bucket at a time, and both
give the bytes they gave when everything was held."""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace

import cbor2
import pytest

from builder.search import merge
from builder.search import pagefind as search
from builder.search.substring import index_files, index_pieces

from .test_search_merge import _pages


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """The PART_FILEs of 60 pages over several parts, as the build indexes them: each page
    of 200 words, some shared by every page, some its own, as a project's are."""
    site = tmp_path_factory.mktemp("stream") / "site"
    _pages(site, 60)
    for n, page in enumerate(sorted(site.rglob("index.html"))):
        words = " ".join([f"shared{k}" for k in range(100)] + [f"own{n}x{k}" for k in range(100)])
        html = page.read_text(encoding="utf-8").replace("<p>", f"<p>{words} ", 1)
        page.write_text(html, encoding="utf-8")
    written: dict[str, bytes] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PART_PAGES", 15)
        parts = search.parts_of_tree(site)
        search.write_search_index(site, parts, written.__setitem__, jobs=2)
    found = [written[f"{part.bundle}/{merge.PART_FILE}"] for part in parts]
    assert len(found) >= 2
    return found


def _held(records: list[bytes]) -> dict[str, bytes]:
    """The merge as it was: every part decoded at once, the words of all joined in a dict."""
    words: dict[str, list[tuple[int, list]]] = {}
    offset = 0
    for data in records:
        record = cbor2.loads(gzip.decompress(data))
        for word in record["words"]:
            words.setdefault(word[0], []).append((offset, word))
        offset += len(record["pages"])
    files: dict[str, bytes] = {}
    merge._chunks(sorted(words.items()), merge.LANGUAGE, files)
    return files


def test_the_streamed_merge_writes_the_chunks_the_held_merge_wrote(records: list[bytes]) -> None:
    for times in (1, 3):
        merged = merge.merge_parts(records * times, merge.LANGUAGE)
        chunks = {name: data for name, data in merged.items() if name.startswith("index/")}
        assert chunks == _held(records * times) and chunks


def _traced(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_merge_holds_a_bounded_share_of_its_parts(records: list[bytes]) -> None:
    """Traced, a merge of 16 times the parts holds less than a third of what the merge that
    decoded every part at once held, and grows less than half as fast with the pages."""
    streamed = [
        _traced(lambda n=n: merge.merge_parts(records * n, merge.LANGUAGE)) for n in (4, 16)
    ]
    held = [_traced(lambda n=n: _held(records * n)) for n in (4, 16)]
    assert streamed[1] < held[1] / 3, (streamed, held)
    assert streamed[1] - streamed[0] < (held[1] - held[0]) / 2, (streamed, held)


@pytest.mark.parametrize("cut", ["short", "disordered"])
def test_a_part_record_unlike_the_ones_written_is_a_merge_error(
    records: list[bytes], cut: str
) -> None:
    if cut == "short":
        broken = records[0][: len(records[0]) // 2]
    else:
        record = cbor2.loads(gzip.decompress(records[0]))
        record["words"] = record["words"][::-1]
        broken = gzip.compress(cbor2.dumps(record, canonical=True), mtime=0)
    with pytest.raises(merge.MergeError):
        merge.merge_parts([broken, *records[1:]], merge.LANGUAGE)


def _summaries(count: int) -> list[SimpleNamespace]:
    names = ("养老保险补助", "道路运维费用", "城乡低保专项资金", "孤儿基本生活保障")
    return [
        SimpleNamespace(
            page=f"2023/unit{n % 7}/p{n}/index.html",
            year=2021 + n % 3,
            name=f"{names[n % 4]}{n}号",
            unit=f"第{n % 7}单位",
            department=f"部门{n % 3}",
            department_key=f"d{n % 3}",
            id=f"p{n}",
            budget=Decimal(1000 * n + 7),
            executed=Decimal(900 * n),
            rate=Decimal("90.00"),
            total=Decimal(n % 100),
            declared_total=None,
            grade=None,
            in_review=n % 5 == 0,
        )
        for n in range(count)
    ]


def test_the_substring_index_is_made_a_file_at_a_time() -> None:
    summaries = _summaries(3000)
    pieces = index_pieces(summaries)
    first = next(pieces)
    assert first[0].endswith("/keys/0.json")
    files = dict([first, *pieces])
    assert files == index_files(summaries) and len(files) > 100
    peak = _traced(lambda: sum(1 for _ in index_pieces(summaries)))
    # held as lists of Python integers it took 6.5 KB a record
    assert peak / len(summaries) < 3072, peak / len(summaries)
