#!/usr/bin/env python3
"""Check that Package.swift's module graph says exactly what the sources do.

usage: tools/check_module_graph.py [ROOT]   (ROOT: the package, default the repository root;
       env SWIFT_SCRATCH: a --scratch-path for `swift package`, whose checkouts/ are read)

The manifest is the architecture's documentation ("data flowing one way"), so it must not
drift from the code. From `swift package describe --type json` (of ROOT and of each checkout
of its dependencies) and the `import` lines of every target's Swift sources (comments and
string literals ignored), it fails on:

1. an undeclared import: a target imports a module of this package, or of a dependency
   package, that it does not declare directly (it compiles today only because some other
   dependency drags the module in);
2. a dead edge: a declared dependency (target or product) none of whose modules any source
   of the target imports. Not counted: a system-library target imported by another of the
   target's declared dependencies (reached through its wrapper), and a test target's edge to
   an executable target (it makes the binary the tests run get built); both are printed as
   notes;
3. domain reaches storage: the transitive closure of the declared dependencies of the
   DOMAIN targets below contains a STORAGE module, i.e. `swift build --target SocialValue`
   would link liblmdb or swift-crypto.

System modules (SYSTEM) and modules unknown to the package and its dependencies are
ignored (unknown ones are listed as a note). On success prints the module graph.
"""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOMAIN = ["SocialValue", "LedgerValues", "Access"]  # edit freely; names not in the package are skipped
STORAGE = {"LMDB", "CLMDB", "EventStore", "Crypto", "_CryptoExtras", "CCryptoBoringSSL"}
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Darwin",
          "Dispatch", "Synchronization", "Testing", "XCTest", "os", "_Concurrency", "Musl",
          "PackageDescription", "PackagePlugin"}

TOKEN = re.compile(r'/\*|\*/|//|(#*)"""|#*"(?:\\.|[^"\\\n])*"#*')
COMMENT = re.compile(r"/\*|\*/")
IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|"
                    r"private|open)\s+)?(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:typealias|struct|"
                    r"class|enum|protocol|let|var|func)\s+)?(\w+)")


def code_lines(text):
    """The lines of Swift source with comments (nested /* */ too) and string literals removed."""
    depth, close, out = 0, None, []
    for line in text.splitlines():
        kept, i = [], 0
        while i < len(line):
            if close:  # inside a multi-line string literal
                j = line.find(close, i)
                if j < 0:
                    break
                i, close = j + len(close), None
            elif depth:  # inside a block comment
                m = COMMENT.search(line, i)
                if not m:
                    break
                depth += 1 if m.group() == "/*" else -1
                i = m.end()
            else:
                m = TOKEN.search(line, i)
                kept.append(line[i:m.start()] if m else line[i:])
                if not m or m.group() == "//":
                    break
                i = m.end()
                if m.group() == "/*":
                    depth = 1
                elif m.group().endswith('"""'):
                    close = '"""' + m.group(1)
        out.append("".join(kept))
    return out


def describe(package_dir, scratch):
    cmd = ["swift", "package", "--scratch-path", scratch, "describe", "--type", "json"]
    run = subprocess.run(cmd, cwd=package_dir, capture_output=True, text=True)
    if run.returncode != 0 or "{" not in run.stdout:
        sys.exit(f"`swift package describe` failed in {package_dir}: {run.stderr.strip()[:500]}")
    return json.loads(run.stdout[run.stdout.index("{"):])


README_ROW = re.compile(r"^\| ((?:`[A-Za-z]+`(?:, )?)+) \| (\d+) \|")


def readme_table_problems(root, targets):
    """The README's module table: every library and executable target in a row, with its
    number of Swift files, so that the table a new reader trusts cannot go stale."""
    problems, listed = [], set()
    for line in (root / "README.md").read_text(encoding="utf-8").splitlines():
        match = README_ROW.match(line)
        if not match:
            continue
        names = re.findall(r"`([A-Za-z]+)`", match.group(1))
        listed.update(names)
        files = sum(len(list((root / targets[n]["path"]).rglob("*.swift")))
                    for n in names if n in targets)
        unknown = [n for n in names if n not in targets]
        if unknown:
            problems.append(f"README module table: {', '.join(unknown)} is not a target")
        elif files != int(match.group(2)):
            problems.append(f"README module table: {', '.join(names)} has {files} Swift files, "
                            f"the table says {match.group(2)}")
    for name, target in targets.items():
        shipped = not target.get("path", "").startswith("Tests")
        if shipped and target["type"] in ("library", "executable", "system-target") and name not in listed:
            problems.append(f"README module table: no row for {name}")
    return problems


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent).resolve()
    scratch = os.environ.get("SWIFT_SCRATCH")
    tmp = tempfile.mkdtemp(prefix="module-graph-")  # scratch path nobody else uses
    atexit.register(shutil.rmtree, tmp, True)
    package = describe(root, scratch or tmp)
    targets = {t["name"]: t for t in package["targets"]}
    module = {name: t.get("c99name", name) for name, t in targets.items()}

    # Dependency packages: every checkout; node = (package identity, target name).
    checkouts = Path(scratch or root / ".build") / "checkouts"
    dep_graph, products, dep_module = {}, {}, {}
    for checkout in sorted(p for p in checkouts.glob("*") if (p / "Package.swift").exists()):
        d = describe(checkout, tmp)
        pkg = checkout.name
        for p in d.get("products", []):
            products.setdefault(p["name"], [(pkg, t) for t in p["targets"]])
        for t in d["targets"]:
            dep_module[(pkg, t["name"])] = t.get("c99name", t["name"])
            dep_graph[(pkg, t["name"])] = ([(pkg, x) for x in t.get("target_dependencies", [])],
                                           t.get("product_dependencies", []))
    notes = []
    if package.get("dependencies") and not dep_graph:
        notes.append(f"no dependency checkouts in {checkouts} (run `swift package resolve`): "
                     "products taken as modules of the same name")

    def product_nodes(name):
        return products.get(name, [("?", name)])

    def mod(node):  # module name of a node: root target name or (package, target)
        return module[node] if isinstance(node, str) else dep_module.get(node, node[1])

    # Declared edges: name -> the nodes it stands for.
    edges = {}
    for name, t in targets.items():
        edges[name] = {d: [d] if d in targets else product_nodes(d)
                       for d in t.get("target_dependencies", []) + t.get("product_dependencies", [])}
    known = set(module.values()) | set(dep_module.values())
    known |= {mod(n) for deps in edges.values() for ns in deps.values() for n in ns}

    problems, unknown = [], set()
    for name, t in sorted(targets.items()):
        if t["type"] in ("system-target", "binary"):
            continue
        imports = {}  # module -> first file importing it
        for source in t.get("sources", []):
            path = root / t["path"] / source
            if path.suffix != ".swift":
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for line in code_lines(text):
                m = IMPORT.match(line)
                if m:
                    imports.setdefault(m.group(1), path.relative_to(root).as_posix())
        declared = {mod(n) for ns in edges[name].values() for n in ns}
        for imported, where in sorted(imports.items()):
            if imported in SYSTEM or imported == module[name]:
                continue
            if imported not in known:
                unknown.add(imported)
            elif imported not in declared:
                problems.append(f"{name}: imports {imported} ({where}) without declaring it")
        for dep, nodes in edges[name].items():
            if any(mod(n) in imports for n in nodes):
                continue
            target = targets.get(dep, {})
            via = [d for d in edges[name] if d != dep and d in targets
                   and dep in targets[d].get("target_dependencies", [])]
            if target.get("type") == "system-target" and via:
                notes.append(f"{name} → {dep}: not imported, reached through {', '.join(via)}")
            elif target.get("type") == "executable" and t["type"] == "test":
                notes.append(f"{name} → {dep}: build edge (tests run the executable)")
            else:
                problems.append(f"{name}: declares {dep} but no source imports it (dead edge)")
    if unknown:
        notes.append("imports of modules neither in the package nor its dependencies "
                     f"(ignored): {', '.join(sorted(unknown))}")

    def successors(node):
        if isinstance(node, str):
            return [n for ns in edges.get(node, {}).values() for n in ns]
        deps, prods = dep_graph.get(node, ([], []))
        return deps + [n for p in prods for n in product_nodes(p)]

    for start in [d for d in DOMAIN if d in targets]:
        parent, queue = {start: None}, [start]
        while queue:
            node = queue.pop(0)
            for nxt in successors(node):
                if nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        for node in parent:
            if mod(node) in STORAGE:
                chain, n = [], node
                while n is not None:
                    chain.append(mod(n))
                    n = parent[n]
                problems.append(f"domain reaches storage: {' → '.join(reversed(chain))}")

    problems += readme_table_problems(root, targets)

    print(f"module graph of {package['name']} (target: direct dependencies):")
    rank = {"system-target": 0, "library": 1, "executable": 2, "test": 3}
    for name in sorted(targets, key=lambda n: (rank.get(targets[n]["type"], 4), n)):
        kind = {"system-target": " [system]", "executable": " [exe]", "test": " [test]"}.get(targets[name]["type"], "")
        print(f"  {name}{kind}: {', '.join(edges[name]) or '-'}")
    for note in notes:
        print(f"note: {note}")
    if problems:
        sys.stdout.flush()
        for p in problems:
            print(p, file=sys.stderr)
        sys.exit(f"check_module_graph: {len(problems)} problem(s)")
    domain = [d for d in DOMAIN if d in targets]
    print(f"check_module_graph: OK: {len(targets)} targets, every import declared, no dead edge, "
          f"{', '.join(domain) or 'no DOMAIN target'} free of {', '.join(sorted(STORAGE))}")


if __name__ == "__main__":
    main()
