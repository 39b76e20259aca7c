"""PDFs rendered on a Dask distributed cluster: a LocalCluster started here, real workers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.build import BuildOptions, build
from builder.executor import ExecutorError, parse_executor

from .sitebuild import link_example_fonts

ROOT = Path(__file__).resolve().parent.parent


def pdfs(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.pdf"))}


def test_pdfs_from_a_dask_cluster_equal_the_local_ones(tmp_path: Path, example_site: Path) -> None:
    distributed = pytest.importorskip("distributed")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)

    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    ) as cluster:
        remote = tmp_path / "remote"
        link_example_fonts(example_site, remote / "cache" / "pdf")
        report = build(
            BuildOptions(
                content=content,
                site=remote / "site",
                cache=remote / "cache",
                jobs=2,
                executor=cluster.scheduler_address.replace("tcp://", "dask://"),
            )
        )
    assert report.pdfs_rendered == 7  # six forms and the unit's booklet, none from a cache
    # Built here from the same copy: the copy is outside git, so its date of the data (in
    # every form's footer) is the latest 填报日期, not the day content/ was committed.
    local = tmp_path / "local"
    link_example_fonts(example_site, local / "cache" / "pdf")
    build(BuildOptions(content=content, site=local / "site", cache=local / "cache", jobs=2))
    made_here, made_there = pdfs(local / "site"), pdfs(remote / "site")
    assert len(made_there) == 7
    assert made_there == made_here


@pytest.mark.parametrize(
    ("text", "kind", "address"),
    [
        (None, "local", ""),
        ("local", "local", ""),
        ("dask://10.1.2.3:8786", "dask", "tcp://10.1.2.3:8786"),
        ("tcp://scheduler:8786", "dask", "tcp://scheduler:8786"),
    ],
)
def test_executor_addresses(text: str | None, kind: str, address: str) -> None:
    spec = parse_executor(text)
    assert (spec.kind, spec.address) == (kind, address)


@pytest.mark.parametrize("text", ["dask://nohost", "ray://x:1", "dask://:8786"])
def test_a_wrong_executor_is_refused(text: str) -> None:
    with pytest.raises(ExecutorError, match="dask://HOST:PORT"):
        parse_executor(text)


def test_an_unreachable_scheduler_fails_before_anything_is_written(
    tmp_path: Path, example_site: Path
) -> None:
    pytest.importorskip("distributed")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    link_example_fonts(example_site, tmp_path / "cache" / "pdf")
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
        build(
            BuildOptions(
                content=content,
                site=tmp_path / "site",
                cache=tmp_path / "cache",
                executor="dask://127.0.0.1:9",
            )
        )
    assert not (tmp_path / "site").exists()
