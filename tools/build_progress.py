#!/usr/bin/env python3
"""Run a build and say what it is doing, without its hundreds of lines.

usage: tools/build_progress.py WHAT -- COMMAND [ARGUMENT …]

Runs COMMAND (a `swift build`), reads its output, and prints instead: one line when it fetches
the dependencies (how many), then a progress line at most every 20 s ("WHAT: 412 of 860 build
steps, 3 min so far"), every error in full with the lines that explain it, and the last line.
Warnings are counted, and shown in full once each (a warning repeated for each architecture or
each compile of a file is shown once); a dependency's own packaging warnings are left out. Exits with COMMAND's exit code.
"""
import re
import subprocess
import sys
import time

STEP = re.compile(r"^\[(\d+)/(\d+)\]")


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    what, command = sys.argv[1], sys.argv[3:]
    started = last_said = time.time()
    fetched = 0
    said_fetch = False
    warnings = set()
    showing = 0          # lines still to show after an error or a new warning
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    last_line = ""
    for line in process.stdout:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        last_line = line
        if line.startswith(("Fetching ", "Fetched ", "Computing version", "Computed ", "Cloning ", "Cloned ",
                            "Working copy", "Creating working copy", "Updating ", "Updated ")):
            if line.startswith("Fetched "):
                fetched += 1
            if not said_fetch:
                print(f"{what}: fetching the dependencies (once, from the local mirrors)", flush=True)
                said_fetch = True
            continue
        if ": error: " in line or line.startswith("error:"):
            print(line, flush=True)
            showing = 6
            continue
        if line.startswith("warning: '") or "/.build/checkouts/" in line:
            # A dependency's own packaging warning (and the paths it lists): not svledger's to fix.
            showing = 0
            continue
        if ": warning: " in line or line.startswith("warning:"):
            key = re.sub(r"^.*?: warning: ", "", line)
            if key not in warnings:
                warnings.add(key)
                print(line, flush=True)
                showing = 4
            continue
        if showing and not STEP.match(line):
            print(line, flush=True)
            showing -= 1
            continue
        showing = 0
        step = STEP.match(line)
        if step and time.time() - last_said >= 20:
            minutes = (time.time() - started) / 60
            print(f"{what}: {step.group(1)} of {step.group(2)} build steps, {minutes:.0f} min so far", flush=True)
            last_said = time.time()
    code = process.wait()
    took = time.time() - started
    summary = f"{what}: done in {took:.0f} s" if code == 0 else f"{what}: failed after {took:.0f} s ({last_line})"
    if warnings:
        summary += f", {len(warnings)} distinct warning(s) shown above"
    print(summary, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
