"""Pagefind's service mode, spoken directly: pages handed over one by one, files handed back.

`pagefind --service` reads requests on its standard input and answers on its standard output,
each a base64 JSON message followed by a comma (Pagefind's `service/requests.rs` and
`responses.rs`; its Python package speaks the same protocol, but merges the log into the
answers and polls them ten times a second). The indexer run on a folder numbers the pages in
the order the file system lists them, so the same pages gave other index bytes on another
file system; here the caller hands them over in its own (sorted) order. The index comes back
in memory, and the caller writes it with checked writes: Pagefind writing to disk itself loses
the error of a write the disk refused (a full disk left a 0-byte file and exit status 0).

One `Indexer` is one Pagefind process holding one index; the calls wait for each answer in
turn, and a watchdog ends a process that takes longer than its time.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
import threading
from typing import Any


class ServiceError(RuntimeError):
    """Pagefind answered with an error, or stopped answering: the message says which, with
    the end of what it printed."""


class Indexer:
    """One Pagefind service process with one index, configured as the indexer command was
    (`--force-language`, `--keep-index-url`). Use as a context manager; raises
    `ServiceError` when Pagefind fails or runs over `timeout` seconds in all, OSError when
    it cannot be started."""

    def __init__(self, executable: str, language: str, timeout: float) -> None:
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [executable, "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,  # apart from the answers: a warning never breaks one
        )
        self._watchdog = threading.Timer(timeout, self._process.kill)
        self._watchdog.daemon = True
        self._watchdog.start()
        self._sent = 0
        config = {"force_language": language, "keep_index_url": True}
        self._index = self._ask({"type": "NewIndex", "config": config}, "NewIndex")["index_id"]

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, url: str, html: str) -> None:
        """Index one page, its HTML `html`, published at `url` (`/2023/unit/id/index.html`)."""
        request = {"type": "AddFile", "index_id": self._index, "url": url}
        self._ask(request | {"file_contents": html}, "IndexedFile")

    def files(self) -> dict[str, bytes]:
        """The index built from the pages added: bundle-relative path -> bytes, every file
        Pagefind would write."""
        answer = self._ask({"type": "GetFiles", "index_id": self._index}, "GetFiles")
        return {item["path"]: base64.b64decode(item["content"]) for item in answer["files"]}

    def close(self) -> None:
        """End the process (its index with it)."""
        self._watchdog.cancel()
        if self._process.poll() is None:
            assert self._process.stdin is not None
            try:
                self._process.stdin.close()
                self._process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait()
        assert self._process.stdout is not None
        self._process.stdout.close()
        self._log.close()

    def _ask(self, payload: dict[str, Any], expected: str) -> dict[str, Any]:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}, ensure_ascii=False)
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self._process.stdin.flush()
        except OSError as error:  # it died (a broken pipe)
            raise self._failure(f"it stopped reading ({error})") from None
        answer = self._answer()
        reply = answer.get("payload") or {}
        if reply.get("type") != expected:
            raise self._failure(f"{payload['type']}: {reply.get('message') or reply}")
        return reply

    def _answer(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        chunks: list[bytes] = []
        while True:
            chunk = self._process.stdout.read1(1 << 20)
            if not chunk:
                raise self._failure("it stopped answering")
            chunks.append(chunk)
            if chunk.endswith(b","):
                break
        try:
            answer = json.loads(base64.b64decode(b"".join(chunks)[:-1]))
        except ValueError as error:
            raise self._failure(f"an answer that is not one ({error})") from None
        if not isinstance(answer, dict):
            raise self._failure(f"an answer that is not one ({answer!r:.200})")
        return answer

    def _failure(self, what: str) -> ServiceError:
        timed_out = not self._watchdog.is_alive()  # it fired: the process was killed
        if self._process.poll() is None:
            self._process.kill()
        self._log.seek(0)
        printed = self._log.read().decode("utf-8", "replace").strip()[-800:]
        note = " (it ran over its time)" if timed_out else ""
        tail = f": {printed}" if printed else ""
        return ServiceError(f"Pagefind's service failed{note}: {what}{tail}")
