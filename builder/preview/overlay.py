"""The error panel laid over the preview's pages while a build fails, and the preview's own
notice pages. Everything shown is escaped; the styles are inline, so no stylesheet of the site
can hide the panel."""

from __future__ import annotations

import html
import re

from .problems import BuildProblem

ERROR_ELEMENT_ID = "jixiao-preview-error"

_PANEL_STYLE = (
    "position:sticky;top:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;"
    "padding:1rem 1.25rem;background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #c0262d;"
    "box-shadow:0 2px 8px rgba(0,0,0,.25);font:16px/1.6 system-ui,sans-serif;text-align:left"
)
_MONOSPACE = "font:14px/1.5 'Noto Sans Mono CJK SC','Noto Mono',ui-monospace,monospace"
# The message wraps; the quoted source line and its caret must not, or the caret would point
# elsewhere. One CJK monospace font first, so that a Chinese character is exactly two columns.
_MESSAGE_STYLE = f"margin:0;white-space:pre-wrap;overflow-wrap:anywhere;{_MONOSPACE}"
_SOURCE_STYLE = f"margin:.25rem 0 0;white-space:pre;overflow-x:auto;{_MONOSPACE}"
_ITEM_STYLE = "margin:0 0 .5rem;padding:.75rem;background:#fff;border:1px solid #e5b5b7"


def _item(message: str) -> str:
    """One message: its first line wraps, the quoted source line and caret beneath do not."""
    first, _, quoted = message.partition("\n")
    item = f'<li style="{_ITEM_STYLE}"><p style="{_MESSAGE_STYLE}">{html.escape(first)}</p>'
    if quoted:
        item += f'<pre style="{_SOURCE_STYLE}">{html.escape(quoted)}</pre>'
    return item + "</li>"


def problem_panel(problem: BuildProblem, over_last_build: bool) -> str:
    """The panel (an HTML `<section>`), laid over a page of the last good build (of this
    build, when it held forms back: `problem.published`) or, when there is none, standing on
    its own: one item for each located finding of the problem, as
    `jixiao check` words it, and one for a template's or the build's failure."""
    if problem.published:  # the pages are this build's, without the forms held back
        title = problem.headline
    else:
        title = problem.headline + (
            ",以下为上一次成功构建的页面" if over_last_build else ",尚无成功构建的页面"
        )
    items = "".join(_item(message) for message in problem.messages)
    return (
        f'<section id="{ERROR_ELEMENT_ID}" role="alert" lang="zh-CN" style="{_PANEL_STYLE}">'
        f'<h2 style="margin:0 0 .25rem;font-size:1.25rem;color:#a01c22">{html.escape(title)}</h2>'
        f'<p style="margin:0 0 .75rem">{html.escape(problem.detail)}</p>'
        f'<ol style="list-style:none;margin:0;padding:0">{items}</ol></section>'
    )


_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def with_problem(page: bytes, problem: BuildProblem) -> bytes:
    """A page (UTF-8 HTML) of the last good build with the panel first in its body."""
    panel = problem_panel(problem, over_last_build=True).encode("utf-8")
    match = _BODY_OPEN.search(page)
    at = match.end() if match else 0
    return page[:at] + panel + page[at:]


def notice_page(title: str, body: str) -> bytes:
    """A page of the preview's own (UTF-8 HTML); body is HTML, title plain text."""
    # A </head> for livereload's script, so that this page reloads itself too.
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} · jixiao 预览</title></head>"
        f'<body style="margin:0">{body}</body></html>'
    ).encode()


def building_page() -> bytes:
    """What is served before the first build has finished."""
    return notice_page(
        "正在构建",
        '<p style="margin:2rem;font:18px/1.6 system-ui,sans-serif">'
        "正在构建预览,完成后本页会自动刷新。</p>",
    )
