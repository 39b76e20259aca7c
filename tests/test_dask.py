"""Every heavy stage (check, pages, search parts, PDFs) on a Dask distributed cluster: a
LocalCluster of two worker processes started here, and the site it builds compared with a
local build, file by file, byte for byte."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from dask.typing import Key
from dask.utils import key_split
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import SchedulerPlugin

from bench.corpus import generate
from builder.build import BuildOptions, BuildReport, build
from builder.cli import main
from builder.executor import ExecutorError, parse_executor

from .sitebuild import link_example_fonts

ROOT = Path(__file__).resolve().parent.parent


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by its site path."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


class TaskLog(SchedulerPlugin):
    """A scheduler plugin: which workers computed the tasks of each function (task prefix)."""

    def __init__(self) -> None:
        self.workers: dict[str, set[str]] = {}

    def transition(self, key: Key, start: str, finish: str, *args: Any, **kwargs: Any) -> None:
        """Called by the scheduler for every change of a task's state."""
        if start == "processing" and finish == "memory":
            self.workers.setdefault(key_split(key), set()).add(str(kwargs.get("worker")))


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """A Dask cluster of two worker processes on this machine, one thread each."""
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    ) as running:
        yield running


def on_cluster(cluster: LocalCluster, options: BuildOptions) -> tuple[BuildReport, TaskLog]:
    """Build `options` on `cluster`; the report and the log of the tasks its workers ran."""
    log = TaskLog()
    cluster.scheduler.add_plugin(log, name="jixiao-task-log")
    try:
        report = build(replace(options, executor=dask_address(cluster)))
    finally:
        cluster.scheduler.remove_plugin(name="jixiao-task-log")
    return report, log


def dask_address(cluster: LocalCluster) -> str:
    return cluster.scheduler_address.replace("tcp://", "dask://")


def test_the_bundled_site_built_on_a_dask_cluster_is_the_local_one_byte_for_byte(
    tmp_path: Path, example_site: Path, cluster: LocalCluster
) -> None:
    # The same content folder as the local build (its git history dates the pages).
    remote = tmp_path / "remote"
    link_example_fonts(example_site, remote / "cache" / "pdf")
    options = BuildOptions(
        content=ROOT / "content", site=remote / "site", cache=remote / "cache", jobs=2
    )
    report, log = on_cluster(cluster, options)

    assert report.pdfs_rendered == 7  # six forms and the unit's booklet, none from a cache
    made_here, made_there = site_files(example_site), site_files(remote / "site")
    assert sorted(made_there) == sorted(made_here)
    assert [path for path in made_here if made_there[path] != made_here[path]] == []
    assert sum(path.endswith(".pdf") for path in made_there) == 7
    # Every heavy stage ran on the cluster; the six forms' PDFs on both of its workers.
    for stage in ("check_chunk", "render_pages", "index_pages", "render_remote"):
        assert log.workers.get(stage), (stage, log.workers)
    assert len(log.workers["render_remote"]) == 2


def test_a_synthetic_corpus_built_on_a_dask_cluster_is_the_local_one_byte_for_byte(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    # Enough forms and pages that every stage cuts its work into several tasks: forms checked
    # in batches, pages rendered in batches, a search part per year.
    corpus = generate(tmp_path / "content", projects=160, seed=11)
    local = BuildOptions(
        content=corpus.root,
        site=tmp_path / "local" / "site",
        cache=tmp_path / "local" / "cache",
        jobs=2,
        pdf=False,
    )
    build(local)
    there = replace(local, site=tmp_path / "dask" / "site", cache=tmp_path / "dask" / "cache")
    report, log = on_cluster(cluster, there)

    assert report.projects == 160
    made_here, made_there = site_files(local.site), site_files(there.site)
    assert len(made_here) > 500
    assert sorted(made_there) == sorted(made_here)
    assert [path for path in made_here if made_there[path] != made_here[path]] == []
    for stage in ("check_chunk", "render_pages"):  # many tasks each: both workers
        assert len(log.workers.get(stage, ())) == 2, (stage, log.workers)
    # A search part per year (four here), sent a year after another: the scheduler may give
    # them all to one worker; what is asserted is that they ran on the cluster.
    assert log.workers.get("index_pages"), log.workers


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


@pytest.mark.parametrize(
    ("address", "located", "reason"),
    [
        ("dask://127.0.0.1:9", "tcp://127.0.0.1:9", "连接被拒绝"),
        ("tls://no-such-host.invalid:8786", "tls://no-such-host.invalid:8786", "主机名无法解析"),
    ],
)
def test_an_unreachable_scheduler_is_one_located_chinese_line_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, located: str, reason: str
) -> None:
    status = main(
        [
            "build",
            "--content",
            str(ROOT / "content"),
            "--output",
            str(tmp_path / "site"),
            "--cache",
            str(tmp_path / "cache"),
            "--executor",
            address,
        ]
    )
    printed = capsys.readouterr()
    assert status == 1
    assert printed.out == ""
    assert printed.err.startswith(
        f"构建失败: --executor {located}: 错误[executor]: 无法连接该地址上的 Dask 调度器({reason}"
    ), printed.err
    assert "(提示:先在调度器主机上运行 dask scheduler" in printed.err
    assert len(printed.err.strip().splitlines()) == 1  # no traceback, no stage timings
    assert "Traceback" not in printed.err
    # Before any stage (none printed its time): nothing read, checked or written.
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "cache").exists()


def test_a_worker_with_other_versions_of_what_makes_the_bytes_is_refused(
    tmp_path: Path, cluster: LocalCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    # A worker that sees another cbor2 (it writes the search index) than this machine.
    fake = tmp_path / "elsewhere"
    (fake / "cbor2-0.0.1.dist-info").mkdir(parents=True)
    (fake / "cbor2-0.0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: cbor2\nVersion: 0.0.1\n", encoding="utf-8"
    )
    with Client(cluster, set_as_default=False) as client:
        # Lambdas travel by value (a bound method of sys.path would travel as a copy of it).
        client.run(lambda: sys.path.insert(0, str(fake)))
        try:
            status = main(
                [
                    "build",
                    "--content",
                    str(ROOT / "content"),
                    "--output",
                    str(tmp_path / "site"),
                    "--cache",
                    str(tmp_path / "cache"),
                    "--executor",
                    dask_address(cluster),
                ]
            )
        finally:
            client.run(lambda: sys.path.remove(str(fake)))
    printed = capsys.readouterr().err
    assert status == 1
    assert re.match(
        r"构建失败: --executor tcp://127\.0\.0\.1:\d+: 错误\[executor\]: 工作节点 tcp://\S+ 的软件"
        r"版本与本机不同:cbor2 [\d.]+≠0\.0\.1 / ",
        printed,
    ), printed
    assert not (tmp_path / "site").exists()
