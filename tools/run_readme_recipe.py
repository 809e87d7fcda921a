#!/usr/bin/env python3
"""Runs a README recipe word for word: the `svledger` lines of the code block after the marker
`<!-- NAME -->`, with `svledger` replaced by the built executable. Each must exit 0 and print
something. Used by tools/test on the demo ledger (SVLEDGER_LEDGER names it).

    run_readme_recipe.py README.md NAME SVLEDGER
    run_readme_recipe.py --shell README.md NAME SVLEDGER [--expect TEXT …]

With --shell the whole block runs as one bash script (`set -euo pipefail`), as a reader pastes
it: in a new temporary folder that sees the repository's tools/ (so `tools/demo-data/…` is
found and `./ledger` is made there), with the executable's folder first on the PATH. It must
exit 0 within 10 minutes, and what it prints must hold every --expect TEXT.
"""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile


def recipe(readme, name):
    lines = open(readme, encoding="utf-8").read().splitlines()
    start = lines.index(f"<!-- {name} -->")
    if not lines[start + 1].startswith("```"):
        sys.exit(f"run_readme_recipe: no code block after <!-- {name} -->")
    block = []
    for line in lines[start + 2:]:
        if line.startswith("```"):
            return block
        block.append(line)
    sys.exit(f"run_readme_recipe: the code block after <!-- {name} --> does not end")


def run_shell(readme, name, svledger, expected):
    script = "set -euo pipefail\n" + "\n".join(recipe(readme, name)) + "\n"
    folder = tempfile.mkdtemp(prefix="svledger-readme-")
    try:
        os.symlink(os.path.join(os.path.dirname(os.path.abspath(readme)), "tools"), os.path.join(folder, "tools"))
        env = {k: v for k, v in os.environ.items() if k != "SVLEDGER_LEDGER"}
        env["PATH"] = os.path.dirname(os.path.abspath(svledger)) + os.pathsep + env.get("PATH", "")
        try:
            result = subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            print(f"FAIL: README {name}: still running after 10 minutes")
            return 1
        output = result.stdout + result.stderr
        missing = [text for text in expected if text not in output]
        if result.returncode != 0 or missing:
            print(output[-4000:])
            print(f"FAIL: README {name}: exit {result.returncode}" + (f", output lacks {missing}" if missing else ""))
            return 1
        print(f"run_readme_recipe: OK: the README's {name} ran as a script, word for word "
              f"({len(recipe(readme, name))} lines; it printed {', '.join(repr(t) for t in expected)})")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    if sys.argv[1] == "--shell":
        readme, name, svledger = sys.argv[2:5]
        rest = sys.argv[5:]
        expected = [rest[i + 1] for i in range(0, len(rest) - 1, 2) if rest[i] == "--expect"]
        return run_shell(readme, name, svledger, expected)
    readme, name, svledger = sys.argv[1:4]
    commands = [line for line in recipe(readme, name) if line.startswith("svledger ")]
    if not commands:
        sys.exit(f"run_readme_recipe: no svledger lines in the {name} recipe")
    for line in commands:
        words = shlex.split(line, comments=True)
        result = subprocess.run([svledger] + words[1:], capture_output=True, text=True, env=os.environ)
        if result.returncode != 0 or not result.stdout.strip():
            print(f"FAIL: README {name}: `{line}` exited {result.returncode}: {result.stderr.strip()}")
            return 1
    print(f"run_readme_recipe: OK: the {len(commands)} lines of the README's {name} ran on {os.environ.get('SVLEDGER_LEDGER')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
