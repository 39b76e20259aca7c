"""The PDF stage: every project's 项目支出绩效目标自评表, and a booklet per unit and year.

The PDFs are what a finance bureau prints, stamps and archives, and what a citizen downloads:
the paper form's layout, the declared figures as submitted, the computed figures and findings in
an annex, PDF/A-3b with the project's JSON record embedded.

Speed comes from three things: the CJK font is subset once per build (`pdf_fonts`), each
worker process keeps its font configuration and stylesheet (`pdf_render`), and a PDF is only
laid out when something it is made from changed. Every document has a key, the hash of its
HTML (the project's data through the templates), its attachments, the stylesheet, the font
files, the settings and the versions of the tools; finished PDFs live in the cache under that
key and are linked into the site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import shutil
import stat
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .. import urls
from ..config import PdfOrientation, PdfSettings, ScoringPolicy, SiteConfig
from ..executor import ExecutorSpec, dask_client
from ..rules.check import CheckedProject, CheckResult, project_record
from .fonts import (
    ALWAYS_KEPT,
    BASE_REPERTOIRE,
    GB2312_COMMON,
    GENERIC_FAMILIES,
    FontSetup,
    PdfEnvironmentError,
    SubsetFace,
    check_environment,
    subset_faces,
    subset_family,
)
from .jobs import (
    BookletJob,
    EmbeddedFile,
    Job,
    RenderJob,
    RenderResult,
    RenderSetup,
    WarmWorkers,
    run,
)
from .templates import (
    TEMPLATE_DIR,
    BookletCover,
    FormView,
    PdfTemplates,
    booklet_cover,
    form_view,
)

__all__ = [
    "PdfEnvironmentError",
    "PdfOrientation",
    "PdfReport",
    "PdfSettings",
    "write_pdfs",
]

LOGGER = logging.getLogger(__name__)

# Bump when a change to this package changes the PDFs in a way their inputs do not show.
RENDERING_VERSION = "3"

# Workers are replaced after this many documents: Pango and fontconfig keep caches that only
# grow, and a fresh process gives the memory back. A worker that has rendered 500 synthetic
# forms peaks at about 235 MB (bench/pdf_bench.py reports it).
TASKS_PER_WORKER = 500


@dataclass
class PdfReport:
    """What `write_pdfs` did."""

    rendered: int = 0  # project PDFs laid out in this build
    reused: int = 0  # project PDFs taken from the cache unchanged
    skipped: int = 0  # projects that could not be read: no PDF
    booklets_rendered: int = 0
    booklets_reused: int = 0
    seconds: float = 0.0  # wall time of the whole stage
    layout_seconds: float = 0.0  # WeasyPrint layout time, summed over the rendered documents
    render_seconds: float = 0.0  # layout and PDF writing, summed over the rendered documents
    written: list[str] = field(default_factory=list)  # site paths, projects then booklets
    linked: bool = True  # every PDF in the site is a hard link to its cached file
    # Site path -> characters no font of the stack has, drawn as empty boxes. Such PDFs are
    # written but not cached, so the next build reports them again until a font is installed.
    missing_glyphs: dict[str, str] = field(default_factory=dict)


@dataclass
class _Document:
    site_path: str
    html: str  # a booklet's: its cover and contents with the forms' start pages unknown
    attachments: tuple[EmbeddedFile, ...]
    date: dt.date
    booklet: BookletCover | None = None
    members: tuple[_Document, ...] = ()  # a booklet's forms
    key: str = ""

    @property
    def is_booklet(self) -> bool:
        return self.booklet is not None


# ---------------------------------------------------------------------------------------------
# Stylesheet


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _css_family(family: str) -> str:
    return family if family.casefold() in GENERIC_FAMILIES else _css_string(family)


def settings_css(settings: PdfSettings) -> str:
    """The part of the stylesheet that the settings decide: page and fonts."""
    families = [subset_family(settings.font_stack[0]), *settings.font_stack]
    if not any(f.casefold() in GENERIC_FAMILIES for f in families):
        families.append("serif")
    return (
        f"@page {{ size: A4 {settings.orientation.value}; }}\n"
        f"html {{ font-family: {', '.join(_css_family(f) for f in families)}; }}\n"
    )


def font_face_css(faces: Iterable[SubsetFace]) -> str:
    return "".join(
        f"@font-face {{ font-family: {_css_string(face.family)}; "
        f"src: url({_css_string(face.file.resolve().as_uri())}); "
        f"font-weight: {face.css_weight}; font-style: normal; }}\n"
        for face in faces
    )


# ---------------------------------------------------------------------------------------------
# Keys and cache


def _tool_versions() -> str:
    def version(package: str) -> str:
        # From the installed metadata: importing WeasyPrint here would cost half a second
        # that the worker processes pay alongside the build instead.
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "unknown"

    return (
        f"jixiao {version('jixiao')} pdf {RENDERING_VERSION} "
        f"weasyprint {version('weasyprint')} pydyf {version('pydyf')}"
    )


def _document_key(shared: str, document: _Document) -> str:
    digest = hashlib.sha256(shared.encode())
    digest.update(b"\0html\0" + document.html.encode())
    for embedded in document.attachments:
        digest.update(b"\0file\0" + embedded.name.encode() + b"\0" + embedded.data)
    digest.update(f"\0date\0{document.date}".encode())
    if document.is_booklet:  # made of its forms' PDFs, joined by qpdf
        digest.update(f"\0binder\0{metadata.version('pikepdf')}".encode())
    for member in document.members:
        digest.update(f"\0member\0{member.key}".encode())
    return digest.hexdigest()


def _cached_pdf(cache_dir: Path, key: str) -> Path:
    return cache_dir / "objects" / key[:2] / f"{key}.pdf"


def _place(source: Path, target: Path) -> bool:
    """Put a cached PDF at its site path: a hard link where possible, else a copy. Returns
    whether it is a link.

    Cached files are read-only, so a tool that edits a site PDF in place fails instead of
    quietly changing the cache behind it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        try:
            if target.samefile(source):
                return True
        except OSError:
            pass
        target.unlink()
    try:
        os.link(source, target)
        return True
    except OSError:
        shutil.copyfile(source, target)
        return False


PRUNE_AFTER = 200  # PDFs rendered since the cache was last pruned
_RENDERED_SINCE_PRUNE = "rendered-since-prune"


def prune_cache_when_due(cache_dir: Path, rendered: int, now: bool = False) -> int:
    """Prune the cache (`prune_cache`) once `PRUNE_AFTER` PDFs were rendered since the last
    time, or `now`: scanning ten thousand cached PDFs is a tenth of a second that an edit
    need not pay every time. Returns the PDFs removed."""
    counter = cache_dir / _RENDERED_SINCE_PRUNE
    try:
        since = int(counter.read_text(encoding="ascii"))
    except (OSError, ValueError):
        since = 0
    since += rendered
    if now or since >= PRUNE_AFTER:
        removed = prune_cache(cache_dir)
        since = 0
    else:
        removed = 0
    cache_dir.mkdir(parents=True, exist_ok=True)
    counter.write_text(str(since), encoding="ascii")
    return removed


def prune_cache(cache_dir: Path) -> int:
    """Remove the cached PDFs that no site links to any more (an edited form's old version,
    a booklet before its unit changed); returns how many. A PDF in a site is a hard link to
    its cached file, so a cached file with one link is nobody's. Call only after a build
    whose PDFs were all linked, once its site is published."""
    removed = 0
    for folder in (cache_dir / "objects").glob("??"):
        for entry in os.scandir(folder):
            if entry.name.endswith(".pdf") and entry.stat().st_nlink == 1:
                os.unlink(entry.path)
                removed += 1
    return removed


def _seal(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


# ---------------------------------------------------------------------------------------------
# Documents


def _record_file(checked: CheckedProject) -> tuple[str, bytes]:
    project = checked.project
    assert project is not None
    record = project_record(checked)
    # The path inside content/, never the path of the machine that built it.
    record["file"] = "/".join(checked.file.parts[-3:])
    data = json.dumps(record, ensure_ascii=False, indent=2).encode() + b"\n"
    return f"{project.id}.json", data


def _documents(
    result: CheckResult,
    policy: ScoringPolicy,
    settings: PdfSettings,
    templates: PdfTemplates,
) -> tuple[list[_Document], int]:
    documents: list[_Document] = []
    skipped = 0
    units: dict[tuple[int, str], list[tuple[FormView, EmbeddedFile]]] = {}
    for checked in result.projects:
        project = checked.project
        if project is None or checked.score is None:
            skipped += 1
            continue
        unit = urls.unit_slug(checked.file)
        view = form_view(checked, policy, with_annex=settings.annex)
        name, data = _record_file(checked)
        record = EmbeddedFile(name, f"{project.name}:申报数据、复核计算结果与复核发现(JSON)", data)
        documents.append(
            _Document(
                site_path=urls.project_pdf(project, unit),
                html=templates.form(view),
                attachments=(record,),
                date=project.filled_on,
            )
        )
        units.setdefault((project.year, unit), []).append((view, record))
    if not settings.booklets:
        return documents, skipped
    by_path = {d.site_path: d for d in documents}
    for (year, unit), members in sorted(units.items()):
        forms = [view for view, _ in members]
        cover = booklet_cover(year, forms, templates.site_title)
        documents.append(
            _Document(
                site_path=urls.unit_booklet(year, unit),
                html=templates.booklet(cover, [0] * len(forms)),
                attachments=tuple(record for _, record in members),
                date=max(view.project.filled_on for view in forms),
                booklet=cover,
                members=tuple(by_path[urls.project_pdf(view.project, unit)] for view in forms),
            )
        )
    return documents, skipped


def _render(
    jobs: list[Job],
    setup: RenderSetup,
    workers: int,
    warm: WarmWorkers | None = None,
) -> Iterator[RenderResult]:
    """Render `jobs`: in `warm` worker processes started with the build when there are any,
    else in this process for a couple of documents, else in pools of forked workers."""
    round_size = workers * TASKS_PER_WORKER
    if warm is not None:
        futures = [warm.pool.submit(run, setup, job) for job in jobs[:round_size]]
        for future in as_completed(futures):
            yield future.result()
        jobs = jobs[round_size:]
        if not jobs:
            return
    elif workers <= 1 or len(jobs) <= 2:
        for job in jobs:
            yield run(setup, job)
        return
    # Workers are recycled after TASKS_PER_WORKER documents each. max_tasks_per_child would
    # need the spawn or forkserver start method, which re-imports the caller's main module in
    # every worker; a fresh forked pool per round keeps fork, whose workers start at once with
    # WeasyPrint already imported.
    from .render import init_worker  # imports WeasyPrint: only where this process forks

    context = multiprocessing.get_context("fork")
    for first in range(0, len(jobs), round_size):
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(setup,),
        ) as pool:
            futures = [pool.submit(run, setup, job) for job in jobs[first : first + round_size]]
            for future in as_completed(futures):
                yield future.result()


def _render_remote(
    jobs: list[RenderJob], setup: RenderSetup, spec: ExecutorSpec, faces: Iterable[SubsetFace]
) -> Iterator[RenderResult]:
    """Render on a Dask cluster. Each task carries the subset fonts it needs and returns the
    PDF's bytes, so the workers share no files with this machine."""
    from .render import RemoteSetup, render_remote

    fonts = tuple((face.file.resolve().as_uri(), face.file.read_bytes()) for face in faces)
    client = dask_client(spec)
    try:
        shared = client.scatter(RemoteSetup(setup, fonts), broadcast=True)
        futures = [client.submit(render_remote, shared, job, pure=False) for job in jobs]
        for future, job in zip(futures, jobs, strict=True):
            result, data = future.result()
            target = Path(job.target)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(".part")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            yield result
    finally:
        client.close()


def _render_setup(
    settings: PdfSettings, templates: PdfTemplates, font_setup: FontSetup, cache_dir: Path
) -> tuple[RenderSetup, list[SubsetFace]]:
    # A fixed repertoire and the templates' own text: the same subset for every build.
    template_text = set(templates.source_text())
    characters = BASE_REPERTOIRE | template_text
    leading = sorted((template_text | ALWAYS_KEPT) & characters) + list(GB2312_COMMON)
    faces = subset_faces(font_setup, characters, cache_dir / "fonts", leading)
    setup = RenderSetup(
        stylesheet=font_face_css(faces) + settings_css(settings) + templates.stylesheet(),
        base_url=TEMPLATE_DIR.as_uri() + "/",
        pdf_variant="pdf/a-3b" if settings.pdfa else None,
    )
    return setup, faces


def render_setup(config: SiteConfig, cache_dir: Path) -> RenderSetup:
    """What every document of a build with this configuration shares; known before any
    document is, so that worker processes can get ready early (`pdf_jobs.warm_workers`)."""
    font_setup = check_environment(config.pdf.font_stack, weasyprint=False)
    return _render_setup(config.pdf, PdfTemplates(config.title), font_setup, cache_dir)[0]


def write_pdfs(
    result: CheckResult,
    config: SiteConfig,
    pdf_settings: PdfSettings,
    site_dir: Path,
    cache_dir: Path,
    jobs: int,
    executor: ExecutorSpec | None = None,
    warm: WarmWorkers | None = None,
) -> PdfReport:
    """Write every project's PDF and every unit booklet under site_dir, reusing cache_dir.
    `warm` are worker processes started with the build (`pdf_jobs.warm_workers`): they
    render, and this process does not import WeasyPrint.

    Raises PdfEnvironmentError, naming the package to install, when a font or a native
    library the PDFs need is missing.
    """
    started = time.perf_counter()
    report = PdfReport()
    if not pdf_settings.enabled:
        return report
    font_setup: FontSetup = check_environment(pdf_settings.font_stack, weasyprint=warm is None)

    templates = PdfTemplates(config.title)
    base_css = settings_css(pdf_settings) + templates.stylesheet()
    documents, report.skipped = _documents(result, config.scoring, pdf_settings, templates)

    shared = "\0".join(
        [
            _tool_versions(),
            # Only the settings that change a document: turning booklets on must not make
            # every form look new.
            pdf_settings.model_dump_json(include={"orientation", "font_stack", "annex", "pdfa"}),
            font_setup.fingerprint(),
            base_css,
        ]
    )
    for document in documents:
        document.key = _document_key(shared, document)
    pending = [d for d in documents if not _cached_pdf(cache_dir, d.key).exists()]

    missing_by_key: dict[str, str] = {}
    if pending:
        setup, faces = _render_setup(pdf_settings, templates, font_setup, cache_dir)
        # The longest first: a pool ends sooner when they start early.
        forms = sorted((d for d in pending if not d.is_booklet), key=lambda d: -len(d.html))
        form_jobs = [
            RenderJob(
                key=d.key,
                html=d.html,
                target=str(_cached_pdf(cache_dir, d.key)),
                attachments=d.attachments,
                date=d.date,
            )
            for d in forms
        ]
        # A booklet joins its forms' PDFs, so it is bound once they are all made.
        booklets = sorted((d for d in pending if d.is_booklet), key=lambda d: -len(d.members))
        booklet_jobs = [
            BookletJob(
                key=d.key,
                target=str(_cached_pdf(cache_dir, d.key)),
                cover=d.booklet,
                members=tuple(str(_cached_pdf(cache_dir, m.key)) for m in d.members),
                attachments=d.attachments,
                date=d.date,
                stamps=str(cache_dir / "stamps"),
            )
            for d in booklets
            if d.booklet is not None
        ]
        workers = max(1, min(jobs, os.cpu_count() or 1, len(pending)))
        if executor is not None and executor.remote:
            # Binding is light and needs the forms' files: it stays on this machine.
            outcomes = itertools.chain(
                _render_remote(form_jobs, setup, executor, faces),
                _render(booklet_jobs, setup, workers, warm),
            )
        else:
            if warm is not None and warm.workers == 1:
                # One process takes its work in order: the booklets after their forms, with
                # no pause in between.
                outcomes = _render([*form_jobs, *booklet_jobs], setup, 1, warm)
            else:
                outcomes = itertools.chain(
                    _render(form_jobs, setup, workers, warm),
                    _render(booklet_jobs, setup, workers, warm),
                )
        for outcome in outcomes:
            report.layout_seconds += outcome.layout_seconds
            report.render_seconds += outcome.seconds
            if outcome.missing_glyphs:
                missing_by_key[outcome.key] = outcome.missing_glyphs
            else:
                _seal(_cached_pdf(cache_dir, outcome.key))

    pending_keys = {d.key for d in pending}
    for document in documents:
        cached = _cached_pdf(cache_dir, document.key)
        report.linked &= _place(cached, site_dir / document.site_path)
        report.written.append(document.site_path)
        fresh = document.key in pending_keys
        if document.is_booklet:
            report.booklets_rendered += fresh
            report.booklets_reused += not fresh
        else:
            report.rendered += fresh
            report.reused += not fresh
        if document.key in missing_by_key:
            report.missing_glyphs[document.site_path] = missing_by_key[document.key]
    for key in missing_by_key:
        # Kept out of the cache: the next build must lay it out (and report it) again.
        _cached_pdf(cache_dir, key).unlink(missing_ok=True)
    if report.missing_glyphs:
        LOGGER.error(
            "PDF: characters without a glyph in any font of pdf.font_stack, drawn as boxes: %s",
            "; ".join(f"{path}: {chars}" for path, chars in report.missing_glyphs.items()),
        )
    report.seconds = time.perf_counter() - started
    return report
