"""The shape of builder/ stays what docs/architecture.md describes: no import cycles (lazy
imports included), modules of at most about 400 lines and functions of at most about 60, and
no module-level state changed at run time except the worker processes' documented singletons.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "builder"
MODULE_LINES = 400
FUNCTION_LINES = 60
# (module, global name): state a worker process sets once for itself, documented where it
# is declared. The building process never assigns them.
WORKER_SINGLETONS = {
    ("builder.executor_local", "_SHARED"),
    ("builder.pdf.worker", "_PROCESS"),
}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imported(modules: dict[str, Path], name: str, node: ast.ImportFrom) -> list[str]:
    """The modules of builder an `from … import …` statement in module `name` imports."""
    package = name if modules[name].name == "__init__.py" else name.rpartition(".")[0]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    found = []
    for alias in node.names:
        if f"{target}.{alias.name}" in modules:
            found.append(f"{target}.{alias.name}")
        elif target in modules:
            found.append(target)
    return found


def _import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                graph[name] |= {t for t in _imported(modules, name, node) if t != name}
            elif isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycles() -> None:
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_size(name: str) -> None:
    lines = len(_modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MODULE_LINES, f"{name} has {lines} lines: does it do two things?"


def test_function_size() -> None:
    long = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert long == []


def test_no_module_level_state_is_changed_at_run_time() -> None:
    """A `global` statement assigns module state from a function: only the worker processes'
    documented singletons may."""
    assigned = set()
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Global):
                assigned |= {(name, variable) for variable in node.names}
    assert assigned <= WORKER_SINGLETONS, sorted(assigned - WORKER_SINGLETONS)


def _module_state(name: str, tree: ast.Module) -> set[tuple[str, str]]:
    """Module-level names bound to something meant to change: an empty dict, list or set (to be
    filled), or an instance of a class of the module itself."""
    classes = {
        node.name for node in tree.body if isinstance(node, ast.ClassDef) and _stateful(node)
    }
    state = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        empty = isinstance(value, ast.Dict | ast.List | ast.Set) and not (
            getattr(value, "keys", None) or getattr(value, "elts", None)
        )
        called = (
            value.func.id
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            else ""
        )
        if empty or called in {"dict", "list", "set", "defaultdict"} | classes:
            state |= {(name, t.id) for t in targets if isinstance(t, ast.Name)}
    return state


def _stateful(cls: ast.ClassDef) -> bool:
    """Whether instances of a class can change: a dataclass that is not frozen and has fields,
    or a class whose methods assign attributes of `self`."""
    for decorator in cls.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = call.func if call else decorator
        if isinstance(name, ast.Name) and name.id == "dataclass":
            frozen = call is not None and any(
                k.arg == "frozen" and getattr(k.value, "value", False) for k in call.keywords
            )
            fields = any(isinstance(node, ast.AnnAssign) for node in cls.body)
            return fields and not frozen
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and isinstance(node.ctx, ast.Store)
        for node in ast.walk(cls)
    )


def test_no_mutable_module_state() -> None:
    found = set()
    for name, path in _modules().items():
        found |= _module_state(name, ast.parse(path.read_text(encoding="utf-8")))
    assert found <= WORKER_SINGLETONS, sorted(found - WORKER_SINGLETONS)


def test_the_state_finder_finds_state() -> None:
    source = (
        "class Box:\n    def put(self, x):\n        self.x = x\n\n"
        "class Rule:\n    name = 'r'\n\n"
        "CACHE = {}\nBOX = Box()\nRULE = Rule()\nNAMES = ('a',)\n"
    )
    assert _module_state("m", ast.parse(source)) == {("m", "CACHE"), ("m", "BOX")}
