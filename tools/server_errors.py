#!/usr/bin/env python3
"""List the requests a `svledger serve` log answered with a server error (5xx).

usage: tools/server_errors.py LOG          print each 5xx request line; exit 1 if there is one
       tools/server_errors.py --self-test  check that planted 5xx lines are found, and others not

The log is JSON lines (svledger's JSONLogHandler), whose metadata values are strings: a
status is logged as "status":"500", not as a number, so a pattern looking for a bare number
never matches. Each line is parsed, and its status read as a number whichever way it was written.
"""
import json
import sys


def server_errors(lines):
    found = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue          # not a log record (a line some library printed)
        status = entry.get("status") if isinstance(entry, dict) else None
        try:
            code = int(str(status))
        except ValueError:
            continue
        if 500 <= code <= 599:
            found.append((number, line))
    return found


def self_test():
    planted = [
        '{"level":"info","message":"request","route":"/commands","status":"201"}',
        '{"level":"info","message":"request","route":"/contracts","status":"500"}',
        '{"level":"info","message":"request","route":"/verify","status":503}',
        '{"level":"info","message":"request","route":"/reconcile","status":"499"}',
        'not json at all, "status":"500" inside',
        '{"level":"error","message":"commit failed","status":"507"}',
    ]
    found = [number for number, _ in server_errors(planted)]
    assert found == [2, 3, 6], found
    assert server_errors(planted[:1] + planted[3:5]) == []
    print("tools/server_errors.py: self-test passed (a quoted and a bare 5xx found; 201, 499 and a non-JSON line not)")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return 0
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
        found = server_errors(log)
    for number, line in found[:20]:
        print(f"{sys.argv[1]}:{number}: {line}")
    if len(found) > 20:
        print(f"… and {len(found) - 20} more")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
