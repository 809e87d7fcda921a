#!/usr/bin/env python3
"""Check that every svledger command names itself in its CommandConfiguration.

usage: tools/check_command_names.py [ROOT]   (ROOT: the repository, default this one)

Why: a command without `commandName:` is named by ArgumentParser from its type, with
`String(describing:)`, and the Swift runtime answers that by scanning every protocol
conformance in the binary, for each command type, at every start. With the 99 commands of
svledger that was 19 ms of the 57 ms a `svledger show` took at 1M events (2026-12-07, by
`perf record`), before the command had read anything. So every `CommandConfiguration(` call
under Sources/svledger must pass `commandName:`. A name typed by hand must still be the one
the type gave: compare `svledger --experimental-dump-help` before and after a rename.
"""
import pathlib
import re
import sys


def calls(text):
    """Yields (offset, arguments) for each `CommandConfiguration(` call in `text`."""
    for match in re.finditer(r"\bCommandConfiguration\(", text):
        depth, index, in_string = 1, match.end(), False
        while depth and index < len(text):
            character = text[index]
            if character == '"' and text[index - 1] != "\\":
                in_string = not in_string
            elif not in_string:
                depth += {"(": 1, ")": -1}.get(character, 0)
            index += 1
        yield match.start(), text[match.end():index - 1]


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    unnamed, seen = [], 0
    for path in sorted((root / "Sources" / "svledger").rglob("*.swift")):
        text = path.read_text()
        for offset, arguments in calls(text):
            seen += 1
            if not re.match(r"\s*commandName:", arguments):
                unnamed.append(f"{path.relative_to(root)}:{text.count(chr(10), 0, offset) + 1}")
    if seen == 0:
        sys.exit("check_command_names: no CommandConfiguration found under Sources/svledger")
    if unnamed:
        print("check_command_names: these commands do not pass commandName: first, so every start of", file=sys.stderr)
        print("svledger scans the binary's conformances to name them (see this script's docstring):", file=sys.stderr)
        for place in unnamed:
            print(f"  {place}", file=sys.stderr)
        sys.exit(1)
    print(f"check_command_names: all {seen} commands name themselves")


if __name__ == "__main__":
    main()
