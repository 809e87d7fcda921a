#!/usr/bin/env python3
"""Checks that svledger's figures and the independent recomputation agree byte for byte.

    check_figures_agree.py SVLEDGER LEDGER [--periods P1,P2,...] [--as-of D1,...] [--at N1,...] [--on D1,...]
                          [--suppliers S1|S2] [--contracts C1|C2]

For each period (default: every quarter from 2024-25-Q1 to 2027-28-Q4), and each as-of date
or position given (and the head), runs `svledger figures` and `tools/reconcile_ledger.py`
and compares the two figures files (Schemas/README.md section 10). Prints one summary line;
on the first difference prints both files' differing lines and exits 1.
"""

import argparse
import difflib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def quarters(first_year, last_year):
    return [f"{year}-{(year + 1) % 100:02d}-Q{number}"
            for year in range(first_year, last_year + 1) for number in (1, 2, 3, 4)]


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("svledger")
    parser.add_argument("ledger")
    parser.add_argument("--periods", default=",".join(quarters(2024, 2027)))
    parser.add_argument("--as-of", default="")
    parser.add_argument("--at", default="")
    parser.add_argument("--on", default="", help="effective-time views, D1,D2,...")
    parser.add_argument("--suppliers", default="",
                        help="also each view scoped to each of these suppliers (--supplier), S1|S2|...")
    parser.add_argument("--contracts", default="",
                        help="also each view of each of these contracts alone (--contract), C1|C2|...")
    args = parser.parse_args()

    views = [[]]
    views += [["--as-of", date] for date in args.as_of.split(",") if date]
    views += [["--at", position] for position in args.at.split(",") if position]
    views += [["--on", day] for day in args.on.split(",") if day]
    whole = list(views)
    views += [view + ["--supplier", name] for name in args.suppliers.split("|") if name for view in whole]
    views += [view + ["--contract", name] for name in args.contracts.split("|") if name for view in whole]
    compared = 0
    for period in args.periods.split(","):
        for view in views:
            swift = run([args.svledger, "figures", "--ledger", args.ledger, "--period", period] + view)
            python = run([sys.executable, os.path.join(HERE, "reconcile_ledger.py"), args.ledger,
                          "--period", period] + view)
            if swift[0] != 0 or python[0] != 0 or swift[1] != python[1]:
                print(f"FAIL: the figures differ for {period} {' '.join(view)} "
                      f"(svledger exit {swift[0]}, reconcile_ledger.py exit {python[0]})")
                print(swift[2] + python[2], end="")
                sys.stdout.writelines(list(difflib.unified_diff(
                    swift[1].splitlines(True), python[1].splitlines(True),
                    "svledger figures", "tools/reconcile_ledger.py", n=0))[:40])
                return 1
            compared += 1
    print(f"check_figures_agree: OK: {compared} figures files identical "
          f"({len(args.periods.split(','))} periods x {len(views)} views) on {args.ledger}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
