"""What a download link says of a PDF: its size and pages, read from the file as built.

`PDF, 103 KB, 2 页` beside the link, so that a reader on a phone knows what a tap costs.
Read from the built files (pikepdf opens a file lazily: a few milliseconds a PDF), never
guessed, and kept with the PDF cache (`FactsMemo`): a PDF reused from the cache is not opened
again. The pages are first rendered with the facts the last build's PDFs had, and those whose
PDFs' facts turn out otherwise are rendered again once the PDFs exist (`outputs/links.py`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..formats import size_text


@dataclass(frozen=True)
class PdfFacts:
    """A PDF's size in bytes and its number of pages."""

    size: int
    pages: int

    @property
    def text(self) -> str:
        """`PDF, 103 KB, 2 页`."""
        return f"PDF, {size_text(self.size)}, {self.pages} 页"


def pdf_facts(file: Path) -> PdfFacts | None:
    """The size and page count of the PDF at `file`; None when there is no such file or it
    cannot be read as a PDF (the link then says only `PDF`)."""
    import pikepdf

    try:
        with pikepdf.open(file) as pdf:
            return PdfFacts(file.stat().st_size, len(pdf.pages))
    except (OSError, pikepdf.PdfError):
        return None


MEMO_FILE = "facts.json"  # in the PDF cache folder (`.cache/pdf`)
_MEMO_FORMAT = 1


@dataclass
class FactsMemo:
    """What the PDF cache knows of its files without opening them: `facts`, a cached PDF's
    size in bytes and pages by its document key (the facts of a PDF are fixed by its bytes,
    and the bytes by the key), and `placed`, the key of the PDF at each site path as the last
    builds placed it (what the published pages' links say, before this build's PDFs exist).

    Kept in the cache folder as `facts.json`, loaded once a build and saved whole
    (`save`). An entry is trusted only for the file it was made from (`FactsReader`)."""

    facts: dict[str, tuple[int, int]] = field(default_factory=dict)
    placed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, cache_dir: Path) -> FactsMemo:
        """The memo of the PDF cache `cache_dir`; an empty one when it is missing, unreadable
        or not of this format (the facts are then read from the files)."""
        try:
            data = json.loads((cache_dir / MEMO_FILE).read_bytes())
            if data["format"] != _MEMO_FORMAT:
                return cls()
            facts = {
                str(key): (int(size), int(pages)) for key, (size, pages) in data["facts"].items()
            }
            placed = {str(path): str(key) for path, key in data["placed"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()
        return cls(facts, placed)

    def predicted(self) -> dict[str, str]:
        """Site path -> the link text (`PDF, 103 KB, 2 页`) of the PDF the last build placed
        there, where its facts are known: what the pages are first rendered with."""
        texts = {}
        for path, key in self.placed.items():
            known = self.facts.get(key)
            if known is not None:
                texts[path] = PdfFacts(*known).text
        return texts

    def save(self, cache_dir: Path, placed: dict[str, str], whole: bool) -> None:
        """Keep `placed` (site path -> key of this build's PDFs; over the last builds' unless
        `whole`, a build that placed every PDF) and the facts of the keys placed, in
        `cache_dir/facts.json`, whole or not at all. A refused write leaves the last memo
        (the next build then reads more files): never an error of the build."""
        self.placed = dict(placed) if whole else {**self.placed, **placed}
        keys = set(self.placed.values())
        self.facts = {key: known for key, known in self.facts.items() if key in keys}
        data = {
            "format": _MEMO_FORMAT,
            "facts": {key: list(known) for key, known in sorted(self.facts.items())},
            "placed": dict(sorted(self.placed.items())),
        }
        target = cache_dir / MEMO_FILE
        temporary = target.with_name(target.name + ".tmp")
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, target)
        except OSError:
            temporary.unlink(missing_ok=True)


class FactsReader:
    """The facts of the PDFs a build publishes, each read once: from the memo when the file
    is the one its entry was made from, else with pikepdf (and then kept in the memo).

    `roots`: where a site path's file is looked for, first to last (the staging folder, then
    the published site of an incremental build); `placed`: this build's PDFs, site path ->
    document key (each a link to, or a copy of, its cached file); `cache_dir`: the PDF cache.
    A memo entry is trusted for a file when its size is the file's and the file is that key's:
    placed there by this build, or the cached file of the key itself (a PDF a build placed
    before, as its link in the published site)."""

    def __init__(
        self, roots: list[Path], placed: dict[str, str], memo: FactsMemo, cache_dir: Path
    ) -> None:
        self.roots = roots
        self.placed = placed
        self.memo = memo
        self.cache_dir = cache_dir
        self.opened = 0  # PDFs read with pikepdf
        self._known: dict[str, PdfFacts | None] = {}

    def facts(self, site_path: str) -> PdfFacts | None:
        """The facts of the PDF published at `site_path`; None without one (or one that is
        not a PDF)."""
        if site_path not in self._known:
            self._known[site_path] = self._read(site_path)
        return self._known[site_path]

    def text(self, site_path: str) -> str | None:
        """`PDF, 103 KB, 2 页` for the PDF published at `site_path`; None without one."""
        found = self.facts(site_path)
        return None if found is None else found.text

    def _read(self, site_path: str) -> PdfFacts | None:
        for root in self.roots:
            file = root / site_path
            try:
                size = file.stat().st_size
            except OSError:
                continue
            key = self._key_of(site_path, file)
            known = None if key is None else self.memo.facts.get(key)
            if known is not None and known[0] == size:
                return PdfFacts(*known)
            self.opened += 1
            found = pdf_facts(file)
            if found is not None and key is not None:
                self.memo.facts[key] = (found.size, found.pages)
            return found
        return None

    def _key_of(self, site_path: str, file: Path) -> str | None:
        """The document key whose PDF `file` is, when that is known for sure."""
        key = self.placed.get(site_path)
        if key is not None:
            return key
        key = self.memo.placed.get(site_path)
        if key is None:
            return None
        from .cache import cached_pdf

        try:
            return key if file.samefile(cached_pdf(self.cache_dir, key)) else None
        except OSError:
            return None
