"""The project pages of forms kept on disk (`rules.spill`): their views made as they are read
back, and the render stage's tasks made of them, which read their forms where they run.

A build does not hold every checked form: `SpilledViews` is the `Sequence[ProjectView]` of
the forms it published, each view made again from its form as it is read back (a view costs
about 0.1 ms). `ProjectPages` is one task of the render stage, the pages of one batch of the
spill store: a local worker, forked from the build, reads that batch from the cache folder
itself, so the building process neither reads nor sends it; sent to another machine (a Dask
cluster), it is read here and travels as its pages (`__reduce__`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..rules.findings import Severity
from ..rules.spill import ReadBack, SpilledForms
from .project_view import ProjectView, project_view
from .views import ProjectSummary, summarise

if TYPE_CHECKING:
    from ..publish.dates import FormDates
    from ..rules.check import CheckedProject, CheckResult
    from ..rules.policies import SitePolicies
    from .views import SiteView


class SpilledViews(ReadBack[Any, ProjectView]):
    """The views of `forms` (each read and scored: every one has a page), made as each form
    is read back, under its policy among `policies`."""

    def __init__(self, forms: SpilledForms, policies: SitePolicies) -> None:
        super().__init__(forms)
        self.forms = forms
        self.policies = policies

    def _item(self, checked: Any) -> ProjectView:
        view = project_view(checked, self.policies.named(checked.policy))
        assert view is not None  # only forms read and scored are given
        return view

    def parts(self) -> Iterator[SpilledViews]:
        """The views a batch of the store at a time, in order."""
        keys = self.forms.keys
        first = 0
        for end in range(1, len(keys) + 1):
            if end == len(keys) or keys[end].batch != keys[first].batch:
                yield SpilledViews(self.forms.subset(keys[first:end]), self.policies)
                first = end


class ProjectPages:
    """A render task: the pages of `views` (one batch of the spill store), each made by
    `page_of(site, view)` (`render.project_page`) where the task is run; pickled, the pages
    are made here and the task travels as their list."""

    def __init__(
        self, site: SiteView, views: SpilledViews, page_of: Callable[[SiteView, ProjectView], Any]
    ) -> None:
        self.site = site
        self.views = views
        self.page_of = page_of

    def __iter__(self) -> Iterator[Any]:
        for view in self.views:
            yield self.page_of(self.site, view)
        self.views.forms.forget()

    def __len__(self) -> int:
        return len(self.views)

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))


@dataclass
class Summaries:
    """What a build keeps of each form as the check stage gives it (`check_content`'s
    `seen`): the summary of its page and the sha256 of the bytes checked, by its file. A form
    with an error (held back) has none; a form that gets one in the checks across forms
    (an id used twice) is held back later, and its summary left unused."""

    content: Path
    dates: Mapping[str, FormDates]
    policies: SitePolicies
    seen: dict[Path, tuple[ProjectSummary, str | None]] = field(default_factory=dict)

    def __call__(self, checked: CheckedProject) -> None:
        if checked.count(Severity.error):
            return
        view = project_view(checked, self.policies.named(checked.policy))
        if view is not None:
            self.add([view])

    def add(self, views: Iterable[ProjectView]) -> None:
        """Keep the summary of each of these pages and the digest of its form's bytes."""
        for view in views:
            read = view.checked.loaded.source.read()
            summary = summarise(view, self.content, self.dates)
            self.seen[view.checked.file] = (summary, read[1] if read is not None else None)


def page_views(result: CheckResult) -> tuple[Sequence[ProjectView], list[Path]]:
    """The pages of the forms of `result` read and scored, and their files, in order: made
    as each is read back (`SpilledViews`) for forms kept on disk, else made now."""
    forms = result.projects
    if isinstance(forms, SpilledForms):
        paged = [key for key in forms.keys if key.scored]
        return SpilledViews(forms.subset(paged), result.policies), [key.file for key in paged]
    views = [view for c in forms if (view := project_view(c, result.policy_of(c))) is not None]
    return views, [view.checked.file for view in views]


def form_ids(result: CheckResult) -> Iterator[tuple[int, str]]:
    """(year, id) of each form of `result` that was read, from the keys of forms on disk."""
    forms = result.projects
    if isinstance(forms, SpilledForms):
        return (key.ids[:2] for key in forms.keys if key.ids is not None)
    return ((c.project.year, c.project.id) for c in forms if c.project is not None)
