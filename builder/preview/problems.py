"""What went wrong in a build, said for the terminal and for the page laid over the preview.

Errors in the content come from the reporter that `jixiao check` uses
(`report.located.reported_findings`): the same located text, with the line of the file. A
template or build failure is no finding of the content: it is kept as one located message of
its own.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateSyntaxError

from ..build import BuildFailed
from ..report.holdback import held_back_findings, held_back_lines
from ..report.located import ReportedFinding, reported_findings
from ..rules.check import CheckResult
from ..rules.findings import Severity
from ..rules.holdback import HeldBack
from ..site.render import TEMPLATES
from .options import shown_path


@dataclass(frozen=True)
class BuildProblem:
    """Why the last build published nothing, or (`published`) which forms it held back.

    `headline` and `detail` are Chinese, for the page (内容有错误 / 模板有错误 / 构建失败, and how
    many, and what to do); `summary` is the line for the terminal, Chinese as `jixiao build`
    speaks by default.
    `findings` are the content's errors as the CLI's reporter gives them
    (`report.located.reported_findings`), in the checker's order. `failure` is a template's or
    the build's own failure, located when it can be ("file:line: 错误[template]: ..." and the
    line beneath). `published`: the build published the site without the forms `findings`
    are about (`rules.holdback`): the pages beneath the panel are this build's.
    """

    headline: str
    detail: str
    summary: str
    findings: tuple[ReportedFinding, ...] = ()
    failure: str | None = None
    published: bool = False

    @property
    def messages(self) -> tuple[str, ...]:
        """Each error as the terminal shows it: one line, then its source line and caret."""
        worded = [finding.text for finding in self.findings]
        return (*worded, *([self.failure] if self.failure is not None else []))

    def terminal_text(self) -> str:
        """Every message, then the summary line."""
        return "\n".join([*self.messages, self.summary])


def describe_failure(error: BaseException, templates: Path = TEMPLATES) -> BuildProblem:
    """The problem behind an exception raised by `build()`: the content's errors for
    `BuildFailed`, the template and line for an error raised in a template (in this process or
    in a worker), else the exception's type and message."""
    if isinstance(error, BuildFailed):
        return content_problem(error.result)
    location = template_location(error, templates)
    if location is not None:
        file, line = location
        message = error.message if isinstance(error, TemplateSyntaxError) else str(error)
        text = f"{shown_path(file)}:{line}: 错误[template]: {type(error).__name__}: {message}"
        source = _line_of(file, line)
        if source is not None and source.strip():
            text += f"\n    {source.strip()}"
        return BuildProblem(
            headline="模板有错误",
            detail="模板渲染失败。修改并保存模板后,页面会自动刷新。",
            summary="构建失败:模板有错误;仍在提供上一次成功构建的页面",
            failure=text,
        )
    return BuildProblem(
        headline="构建失败",
        detail="构建过程出错。问题解决后保存任一文件即可重新构建。",
        summary="构建失败;仍在提供上一次成功构建的页面",
        failure=f"错误[build]: {type(error).__name__}: {error}",
    )


def content_problem(result: CheckResult) -> BuildProblem:
    """The errors of a check of the content (warnings and notes are left out)."""
    errors = tuple(reported_findings(result, severities={Severity.error}))
    unreadable = result.config is None and not errors
    count = max(1, len(errors))
    return BuildProblem(
        headline="内容有错误",
        detail=f"共 {count} 处错误。修改并保存文件后,页面会自动刷新。",
        summary=f"构建失败:{count} 个错误;仍在提供上一次成功构建的页面",
        findings=errors,
        failure="错误[config]: site.yaml 无法读取" if unreadable else None,
    )


def held_back_problem(held: list[HeldBack], site: Path) -> BuildProblem:
    """The forms a build held back, each error located as `jixiao check` words it; the
    summary is what `jixiao build` prints of them (`report.holdback.held_back_lines`)."""
    lines = held_back_lines(held, site)
    return BuildProblem(
        headline=f"{len(held)} 份表单有错误,暂未公开",
        detail="其余表单已发布,这些表单没有页面。修改并保存文件后,页面会自动刷新。",
        summary="\n".join(lines[len(lines) - len(held) - 1 :]),
        findings=tuple(held_back_findings(held)),
        published=True,
    )


_REMOTE_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def template_location(error: BaseException, templates: Path = TEMPLATES) -> tuple[Path, int] | None:
    """The template file and line (1-based) an exception was raised from, or None when it
    was not raised in a template below `templates`."""
    if isinstance(error, TemplateSyntaxError) and (error.filename or error.name):
        return Path(error.filename or templates / str(error.name)), error.lineno
    # Jinja2 rewrites tracebacks so that template code appears as frames of the template file.
    frames = [(f.filename, f.lineno or 0) for f in traceback.extract_tb(error.__traceback__)]
    # Pages rendered in worker processes come back with the worker's traceback as text.
    cause = error.__cause__
    if cause is not None and type(cause).__name__ == "RemoteTraceback":
        frames += [(name, int(line)) for name, line in _REMOTE_FRAME.findall(str(cause))]
    root = templates.resolve()
    in_templates = [
        (Path(name), n) for name, n in frames if Path(name).resolve().is_relative_to(root)
    ]
    return in_templates[-1] if in_templates else None


def _line_of(file: Path, line: int) -> str | None:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None
