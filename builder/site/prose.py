"""A form's prose fields (goals, the portal's about text) as safe HTML: Markdown, sanitised.

Content is data, never markup to trust: the HTML Markdown makes is cleaned by nh3 to the tags
of `ALLOWED_TAGS`, and a link keeps its target only when `link_target` allows it.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "h3",
        "h4",
        "h5",
        "h6",
        "span",
    }
)

# The only links a form's Markdown may make: to a web address or an e-mail address.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def link_target(href: str) -> str | None:
    """`href` if it is an absolute http(s) address with a host, or a mailto: address; None
    for anything else: a relative path ("foo.html", "/etc/passwd", "//host/share", "#top"),
    which a PDF resolves against the build machine's folders as a file: link, and any other
    scheme (file:, javascript:, data:)."""
    parts = urlsplit(href.strip())
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES or (scheme != "mailto" and not parts.netloc):
        return None
    return href


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's `attribute_filter`: an `<a href>` only when `link_target` keeps it."""
    return link_target(value) if (tag, attribute) == ("a", "href") else value


def sanitised(html: str) -> Markup:
    """HTML made from a form's Markdown, cleaned to `ALLOWED_TAGS` and the links allowed."""
    return Markup(
        nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={"a": {"href", "title"}},
            attribute_filter=_keep_attribute,
            url_schemes=set(LINK_SCHEMES),
            link_rel="noopener noreferrer nofollow",
        )
    )


def markdown(text: str) -> Markup:
    """Markdown from a content field, then sanitised (`sanitised`); a parser made for this
    one call. A link keeps its target only when `link_target` allows it; otherwise its text
    stays, as text (an `<a>` without `href`), on the pages and in the PDFs alike."""
    return sanitised(markdown_lib.markdown(text, output_format="html"))


class MarkdownFilter:
    """The pages' `markdown` filter: `markdown` with one parser kept and reset between texts
    (Python-Markdown's `Markdown.reset()`), the same HTML as a new parser per text without
    building the parser's dozens of processors ten thousand times. One per Jinja2
    environment; a parser holds a text while converting it, so each thread that uses the
    filter has its own (a Dask worker's threads share one environment; a forked render
    process has its own copy)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def __call__(self, text: str) -> Markup:
        parser = getattr(self._local, "parser", None)
        if parser is None:
            parser = self._local.parser = markdown_lib.Markdown(output_format="html")
        return sanitised(parser.reset().convert(text))
