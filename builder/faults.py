"""Named points where a test can make a build fail or die, deterministically.

A build that is killed or fails half-way must leave the published site as it was, and the next
build must recover. Tests prove it by naming a point: `JIXIAO_FAULT=<point>` raises
`InjectedFault` there, `JIXIAO_FAULT=<point>:kill` kills the process with SIGKILL there (as a
power cut or an OOM killer would), `JIXIAO_FAULT=<point>:sleep` pauses there for
`JIXIAO_FAULT_SECONDS` seconds (default 2) and goes on (two builds overlapping, on purpose).
Without the variable a point costs one dictionary look-up.

Points are plain strings, each named where it stands in the code:

- `stage:<name>`, at the start of each stage of `jixiao build` (builder/build.py and the
  outputs it walks): `stage:hash`, `stage:plan`, `stage:check`, `stage:render`,
  `stage:search`, `stage:pdf`, `stage:export`, `stage:publish`, `stage:record`;
- `commit:moved-one`, in an incremental build's commit, once the published files it keeps
  are linked into its staging folder and before that is swapped in (builder/publish/staging.py,
  `commit_overlay`);
- `publish:moved-aside`, in any build's publish, right after the exchange that put the new
  site in place and moved the old one into the staging folder's name, before that is removed
  (or, where the file system cannot exchange, after the old site was moved aside and before
  the new one is moved in) (builder/publish/staging.py, `publish`).
"""

from __future__ import annotations

import os
import signal
import time

ENVIRONMENT_VARIABLE = "JIXIAO_FAULT"
SECONDS_VARIABLE = "JIXIAO_FAULT_SECONDS"


class InjectedFault(RuntimeError):
    """Raised at a named point because a test asked for it (never in normal use)."""


def point(name: str) -> None:
    """Fail here if `JIXIAO_FAULT` names this point: raise `InjectedFault`, or with `:kill`
    end the process at once with SIGKILL, or with `:sleep` pause `JIXIAO_FAULT_SECONDS`
    seconds and return. Does nothing otherwise."""
    wanted = os.environ.get(ENVIRONMENT_VARIABLE)
    if not wanted:
        return
    if wanted == f"{name}:sleep":
        time.sleep(float(os.environ.get(SECONDS_VARIABLE, "2")))
        return
    # Point names hold colons themselves: only a last `:kill` is an action.
    target, kill = (wanted[: -len(":kill")], True) if wanted.endswith(":kill") else (wanted, False)
    if target != name:
        return
    if kill:
        os.kill(os.getpid(), signal.SIGKILL)
    raise InjectedFault(f"fault injected at {name!r} ({ENVIRONMENT_VARIABLE}={wanted})")
