"""A write refused in a form-workbook worker process reaches the build as the located
`OutputWriteError` naming the file (made again from its fields when unpickled), not as an
internal error."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder import urls
from builder.opendata.records import exported_projects
from builder.publish.staging import Staging
from builder.publish.writing import OutputWriteError
from builder.rules.check import check_content
from builder.workbook.forms import FormWorkbooks
from tests.conftest import minimal_project, write_project
from tests.test_publish_integrity import small_disk

FORMS = 70


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system mounted at a folder (root only: skips where mounting is
    refused)."""
    with small_disk(tmp_path / "read-only", 64, read_only=True) as where:
        yield where


def test_a_write_refused_in_a_workbook_worker_names_the_file(
    tiny_content: Path, tmp_path: Path, read_only: Path
) -> None:
    """The first workbook a worker writes, refused (a read-only file system): the build is
    given `OutputWriteError` naming that file, as when this process writes it."""
    for index in range(FORMS):
        data = minimal_project(id=f"p{index:03d}", name=f"项目{index}")
        write_project(tiny_content, data, f"p{index:03d}.yaml", "danwei-a")
    result = check_content(tiny_content, jobs=1)
    jobs = [
        (urls.project_xlsx(item.project, item.unit_slug), item.project)
        for item in exported_projects(result)
    ]
    staging = Staging(read_only / "site")
    running = FormWorkbooks(staging, jobs, 2, tmp_path / "xlsx")
    assert running.pool is not None, "enough forms for the worker processes"
    with pytest.raises(OutputWriteError) as raised:
        running.written()
    assert raised.value.path == staging.shown(jobs[0][0])
    assert raised.value.errno == errno.EROFS
    assert str(raised.value).startswith(f"{staging.shown(jobs[0][0])}: 错误[write]")
