"""The render stage's tasks: pages rendered to bytes wherever the executor runs them.

The building process cuts the pages into batches (`page_batches`) and writes what comes back
through its `Staging`; a task (`render_pages`) only renders. What every page shares
(`RenderShared`: the compiled templates and the values every page is given) reaches a forked
local worker through fork as it is; sent to a Dask worker, it travels as the templates' text,
and the worker compiles them into an environment made as this one was, once per build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from jinja2 import DictLoader, Environment

# Below this many pages, one batch: handing them out costs more than it saves.
PARALLEL_FROM = 200


class PageLike(Protocol):
    """A page to render (`render.Page`): its site path, its template, its own values."""

    path: str
    template: str
    context: dict[str, Any]


class RenderShared:
    """What every page of a build shares: `env` (the Jinja2 environment, made by `factory`,
    a module-level function such as `render.make_environment`) and `common`, the values every
    template is given."""

    def __init__(
        self, env: Environment, common: dict[str, Any], factory: Callable[[], Environment]
    ) -> None:
        self.env = env
        self.common = common
        self.factory = factory

    def __reduce__(self) -> tuple[Any, ...]:
        # The environment holds filters that are lambdas and compiled code: it travels as the
        # text of its templates, and `factory` (pickled by name) makes its twin over there.
        env = self.env
        assert env.loader is not None
        sources = {name: env.loader.get_source(env, name)[0] for name in env.list_templates()}
        return (_rebuilt, (self.factory, sources, self.common))


def _rebuilt(
    factory: Callable[[], Environment], sources: dict[str, str], common: dict[str, Any]
) -> RenderShared:
    env = factory()
    env.loader = DictLoader(sources)
    return RenderShared(env, common, factory)


def render_pages(shared: RenderShared, pages: list[PageLike]) -> list[tuple[str, bytes]]:
    """A task of the render stage (`Executor.map`): each page's site path and its HTML as
    UTF-8 bytes. Raises what Jinja2 raises for a template error (a bug, not the content's)."""
    env, common = shared.env, shared.common
    return [
        (
            page.path,
            env.get_template(page.template)
            .render(page=page.path, **common, **page.context)
            .encode("utf-8"),
        )
        for page in pages
    ]


def page_batches(pages: list[PageLike], workers: int) -> Iterator[list[PageLike]]:
    """The pages in batches for `workers` at once: about eight batches each, at least 50
    pages a batch; one batch below `PARALLEL_FROM` pages."""
    if len(pages) <= PARALLEL_FROM:
        size = max(1, len(pages))
    else:
        size = max(50, len(pages) // (workers * 8))
    for first in range(0, len(pages), size):
        yield pages[first : first + size]
