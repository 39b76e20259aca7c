"""Named points where a test can make a build fail or die, deterministically.

A build that is killed or fails half-way must leave the published site as it was, and the next
build must recover. Tests prove it by naming a point: `JIXIAO_FAULT=<point>` raises
`InjectedFault` there, `JIXIAO_FAULT=<point>:kill` kills the process with SIGKILL there (as a
power cut or an OOM killer would). Without the variable a point costs one dictionary look-up.

Points are plain strings such as `"stage:render"` or `"commit:moved-one"`; each is named where
it stands in the code, and the tests that use them list them.
"""

from __future__ import annotations

import os
import signal

ENVIRONMENT_VARIABLE = "JIXIAO_FAULT"


class InjectedFault(RuntimeError):
    """Raised at a named point because a test asked for it (never in normal use)."""


def point(name: str) -> None:
    """Fail here if `JIXIAO_FAULT` names this point: raise `InjectedFault`, or with `:kill`
    end the process at once with SIGKILL. Does nothing otherwise."""
    wanted = os.environ.get(ENVIRONMENT_VARIABLE)
    if not wanted:
        return
    # Point names hold colons themselves ("stage:render"): only a trailing ":kill" is an action.
    target = wanted.removesuffix(":kill")
    if target != name:
        return
    if target != wanted:
        os.kill(os.getpid(), signal.SIGKILL)
    raise InjectedFault(f"fault injected at {name!r} ({ENVIRONMENT_VARIABLE}={wanted})")
