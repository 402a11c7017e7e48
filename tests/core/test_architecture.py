"""The dependency rules of app/ (docs/architecture.md): layers, one direction, no cycle, no hidden import.

Domain modules (models, operations, queries, jobs, ...) of a package import only packages of their own
layer or below. Web modules (views and forms, the blueprint's adapter) may use any package's domain
modules, but never another package's views. No import between packages sits inside a function, except
where the application is assembled. Imports under ``if TYPE_CHECKING:`` are names for annotations, not
dependencies. PENDING lists the edges that still break a rule: it may only shrink.
"""

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

#: Packages from the lowest layer to the highest; a module may import its own layer and those below.
LAYERS: list[set[str]] = [
    {"core", "extensions", "config"},
    {"persons"},
    {"units"},
    {"audit"},
    {"users"},
    # The national list of subject areas (kept by administrators of a top unit).
    {"subjects"},
    {"flags"},
    {"search"},
    # One layer: the identity rule (privacy) reads petitions, and the petition search and export apply it.
    {"petitions", "privacy"},
    {"reception"},
    # Grassroots mediation records, linked to a later petition.
    {"mediation"},
    {"cases"},
    {"deadlines"},
    # Import of a unit's existing Excel registers (visits, petitions and their cases), with the desk's checks.
    {"imports"},
    # The case list filters and orders cases by their clocks.
    {"caselist"},
    {"notifications"},
    {"attachments"},
    # The documents a unit issues on petitions and cases (their drafts read the clocks and the identity rule).
    {"documents"},
    # The audit log page reads the events with their petitions, cases and users (app.audit, the writer, is low).
    {"auditlog"},
    {"scheduler"},
    # Assembly: the app factory, the CLI, the API, administration, demo and bulk data, backups.
    {"__init__", "cli", "models", "security", "demo", "api", "admin", "backup", "bulk"},
]
LAYER = {package: n for n, packages in enumerate(LAYERS) for package in packages}

#: Where the application is assembled: these may import inside functions (blueprints, CLI groups).
ASSEMBLY = {"app/__init__.py", "app/cli.py"}

#: Edges that still break a rule (importer module, imported module): to be removed, never added to.
PENDING: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _is_web(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last in ("views", "forms", "pages") or last.endswith(("_views", "_forms"))


def _resolve(path: Path, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = _module_name(path).split(".")
        if path.name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    if not prefix.startswith("app"):
        return []
    # "from . import models" imports the module app.<pkg>.models; "from .models import X" imports app.<pkg>.models
    found = []
    for alias in node.names:
        candidate = f"{prefix}.{alias.name}"
        if (APP.parent / Path(*candidate.split("."))).with_suffix(".py").exists() or (
            APP.parent / Path(*candidate.split(".")) / "__init__.py"
        ).exists():
            found.append(candidate)
        else:
            found.append(prefix)
    return found


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _imports_of(path: Path, module: str, node: ast.AST, in_function: bool, rows: list) -> None:
    for child in ast.iter_child_nodes(node):
        if _is_type_checking(child):
            continue  # names for annotations only (mypy): no import at run time
        if isinstance(child, ast.ImportFrom):
            rows.extend((module, target, child.lineno, in_function) for target in _resolve(path, child))
        elif isinstance(child, ast.Import):
            rows.extend((module, a.name, child.lineno, in_function) for a in child.names if a.name.startswith("app."))
        inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        _imports_of(path, module, child, inner, rows)


def imports() -> list[tuple[str, str, int, bool]]:
    """(importer, imported, line, inside a function) for every import of an app module by an app module."""
    rows: list = []
    for path in sorted(APP.rglob("*.py")):
        _imports_of(path, _module_name(path), ast.parse(path.read_text()), False, rows)
    return rows


def _where(importer: str, line: int) -> str:
    return f"{importer.replace('.', '/')}:{line}"


def violations() -> dict[tuple[str, str], str]:
    found = {}
    for importer, imported, line, in_function in imports():
        source, target = _package(importer), _package(imported)
        if source == target:
            continue
        path = importer.replace(".", "/") + (".py" if source != "__init__" else "/__init__.py")
        if in_function and path not in ASSEMBLY:
            found[(importer, imported)] = f"{_where(importer, line)} imports {imported} inside a function"
        elif _is_web(importer):
            if imported.rsplit(".", 1)[-1] == "views" or imported.endswith("_views"):
                found[(importer, imported)] = f"{_where(importer, line)}: a view imports another blueprint's views"
        elif LAYER[target] > LAYER[source]:
            found[(importer, imported)] = f"{_where(importer, line)}: {source} imports {target}, a higher layer"
    return found


def test_every_package_has_a_layer():
    packages = {p.name for p in APP.iterdir() if (p / "__init__.py").exists()} - {"translations", "static"}
    modules = {p.stem for p in APP.glob("*.py")}
    assert packages | modules <= set(LAYER), (packages | modules) - set(LAYER)


def test_imports_run_one_way():
    found = violations()
    new = {edge: why for edge, why in found.items() if edge not in PENDING}
    assert not new, "\n".join(sorted(new.values()))


def test_pending_only_shrinks():
    gone = PENDING - set(violations())
    assert not gone, f"fixed, remove from PENDING: {sorted(gone)}"


def test_no_import_cycle_between_modules():
    graph = defaultdict(set)
    for importer, imported, _line, in_function in imports():
        if not in_function and importer != imported:
            graph[importer].add(imported)
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def strongconnect(v):  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in list(graph):
        if v not in index:
            strongconnect(v)
    assert cycles == []
