"""A form's Markdown as the pages and the PDFs show it: converted, then sanitised, since a
form's text is data, never markup to trust (`markdown`); the only links kept are to web and
e-mail addresses (`link_target`)."""

from __future__ import annotations

from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from markupsafe import Markup

_ALLOWED_TAGS = {
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


def markdown(text: str) -> Markup:
    """Markdown from a content field, then sanitised: content is data, never markup to trust.
    A link keeps its target only when `link_target` allows it; otherwise its text stays, as
    text (an `<a>` without `href`), on the pages and in the PDFs alike."""
    html = markdown_lib.markdown(text, output_format="html")
    return Markup(
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            attribute_filter=_keep_attribute,
            url_schemes=set(LINK_SCHEMES),
            link_rel="noopener noreferrer nofollow",
        )
    )
