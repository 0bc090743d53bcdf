"""The import graph of the project reads top-down (issue 10):

    interface → graph_api → backends → queries → loaders → ontology → policykg

A module may import its own layer or any lower one, never a higher one; no two modules and no two
packages import each other (directly or around a cycle); no private name (``_x``) is imported from
another package. Every import counts, also the ones inside functions (a lazy import is still an
arrow). Built from the source with ``ast``; nothing is imported.
"""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

#: bottom (0) to top; a module's layer is its top-level package (or module, for graph_api)
LAYERS = ("policykg", "ontology", "loaders", "queries", "backends", "graph_api", "interface")
RANK = {name: i for i, name in enumerate(LAYERS)}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_files() -> dict[str, Path]:
    files: dict[str, Path] = {}
    for top in LAYERS:
        if (ROOT / f"{top}.py").is_file():
            files[top] = ROOT / f"{top}.py"
        for p in sorted((ROOT / top).rglob("*.py")) if (ROOT / top).is_dir() else ():
            files[_module_name(p)] = p
    return files


def _resolve(name: str, modules: set[str]) -> str | None:
    """The project module ``name`` means (a package's ``__init__`` for a package), or None if outside."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """({module: modules it imports}, [(importer, imported module, private name)])."""
    files = _project_files()
    modules = set(files)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    private: list[tuple[str, str, str]] = []
    for mod, path in files.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [(a.name, None) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [(f"{base}.{a.name}" if _resolve(f"{base}.{a.name}", modules) == f"{base}.{a.name}"
                            else base, a.name) for a in node.names]
            else:
                continue
            for target, imported_name in targets:
                dst = _resolve(target, modules)
                if dst is None or dst == mod:
                    continue
                edges[mod].add(dst)
                if (imported_name and imported_name.startswith("_") and not imported_name.startswith("__")
                        and _package(dst, files) != package):
                    private.append((mod, dst, imported_name))
    return edges, private


def _package(module: str, files: dict[str, Path]) -> str:
    return module if files[module].name == "__init__.py" else module.rpartition(".")[0]


def _layer(module: str) -> str:
    return module.split(".")[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_sees_the_project():
    edges, _ = import_graph()
    assert {"graph_api", "loaders.pipeline", "queries.loader", "policykg.errors", "interface.cli"} <= set(edges)
    assert "loaders.pipeline" in edges["graph_api"]


def test_no_arrow_points_up():
    edges, _ = import_graph()
    up = sorted(f"{a} → {b}" for a, targets in edges.items() for b in targets
                if RANK[_layer(b)] > RANK[_layer(a)])
    assert not up, "lower layers import higher ones:\n  " + "\n  ".join(up)


def test_no_module_cycles():
    edges, _ = import_graph()
    assert not _cycles(edges), _cycles(edges)


def test_no_package_cycles():
    """Between sub-packages too (loaders.extract ↔ loaders.text would be one)."""
    edges, _ = import_graph()
    pkgs: dict[str, set[str]] = {}
    for a, targets in edges.items():
        pa = a.rpartition(".")[0] or a
        for b in targets:
            pb = b.rpartition(".")[0] or b
            if pa != pb and not pb.startswith(pa + ".") and not pa.startswith(pb + "."):
                pkgs.setdefault(pa, set()).add(pb)
    assert not _cycles(pkgs), _cycles(pkgs)


def test_no_private_name_crosses_a_package():
    _, private = import_graph()
    assert not private, "\n".join(f"{a} imports {name} from {b}" for a, b, name in private)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
