#!/usr/bin/env python3
"""Runs a README recipe word for word: the `svledger` lines of the code block after the marker
`<!-- NAME -->`, with `svledger` replaced by the built executable. Each must exit 0 and print
something. Used by tools/test on the demo ledger (SVLEDGER_LEDGER names it).

    run_readme_recipe.py README.md NAME SVLEDGER
"""

import os
import shlex
import subprocess
import sys


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


def main():
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
