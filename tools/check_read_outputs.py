#!/usr/bin/env python3
"""Check every read command's `--format json` output against its schema in Schemas/read/.

usage: tools/check_read_outputs.py LEDGER SVLEDGER_BINARY

Runs each read command (contracts, show and audit of every contract, reconcile, log, stats,
verify, prove inclusion, policy list/show, catalog list/show, import portal --dry-run, and apply on a copy of
the ledger) on LEDGER and validates what it prints against Schemas/read/<command>.schema.json,
with every Schemas/**/*.schema.json in one registry so that cross-file $refs resolve (as
tools/check_schemas.py does). NDJSON outputs (log, apply) are checked line by line.

The schemas are strict (additionalProperties false, every key required), so an output that
gains, loses or renames a key, or writes "£1,234.50" where a plain decimal belongs, fails
here. Exits 1 naming the command, the place in its output and the problem; LEDGER is only
read (apply runs on a copy).
"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "Schemas"
PERIOD = "2025-26-Q2"
PORTAL_TABLE = ROOT / "tools/demo-data/seed-003-pledge-table.txt"
# A command recorded on the copy of the ledger, to see what `apply --format json` prints.
APPLY_COMMAND = {
    "command": "contract.register", "contract": "READ-CHECK-1",
    "actor": {"id": "a.patel", "role": "Procurement Officer"}, "effectiveDate": "2025-02-01",
    "title": "Schema check", "buyerDepartment": "Highways", "category": "works",
    "estimatedWholeLifeValueGBP": "900000", "startDate": "2025-04-01", "endDate": "2026-03-31",
    "areasServed": ["Wyre"], "policyId": "lancashire-2024-28",
}


def registry():
    """Every schema under its $id, so that relative $refs between files resolve."""
    resources = []
    for path in sorted(SCHEMAS.rglob("*.schema.json")):
        schema = json.loads(path.read_text())
        uri = schema.get("$id") or path.resolve().as_uri()
        resources.append((uri, Resource.from_contents(schema, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


class Checker:
    def __init__(self, ledger, binary):
        self.ledger, self.binary = ledger, binary
        self.registry = registry()
        self.problems, self.checked = [], 0

    def run(self, args, ledger=None):
        command = [self.binary, *args, "--ledger", ledger or self.ledger]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            self.problems.append(f"{' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
            return None
        return done.stdout

    def validate(self, schema_name, label, document):
        schema = json.loads((SCHEMAS / "read" / f"{schema_name}.schema.json").read_text())
        validator = Draft202012Validator(
            {"$ref": schema["$id"]}, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = list(validator.iter_errors(document))
        self.checked += 1
        if errors:
            e = best_match(errors)
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            self.problems.append(
                f"{label}: does not match Schemas/read/{schema_name}.schema.json at {where}: {e.message[:300]}"
                + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""))

    def document(self, schema_name, args, ledger=None):
        """Runs a command that prints one JSON document; returns it, checked."""
        label = "svledger " + " ".join(args)
        out = self.run(args, ledger)
        if out is None:
            return None
        try:
            document = json.loads(out)
        except json.JSONDecodeError as error:
            self.problems.append(f"{label}: not one JSON document: {error}")
            return None
        self.validate(schema_name, label, document)
        return document

    def ndjson(self, schema_name, args, ledger=None):
        """Runs a command that prints NDJSON; checks every line."""
        label = "svledger " + " ".join(args)
        out = self.run(args, ledger)
        if out is None:
            return
        lines = [line for line in out.splitlines() if line.strip()]
        if not lines:
            self.problems.append(f"{label}: printed nothing")
        for number, line in enumerate(lines, 1):
            try:
                self.validate(schema_name, f"{label} line {number}", json.loads(line))
            except json.JSONDecodeError as error:
                self.problems.append(f"{label} line {number}: not JSON: {error}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    check = Checker(sys.argv[1], sys.argv[2])
    contracts = check.document("contracts", ["contracts", "--period", PERIOD, "--format", "json"]) or {}
    check.document("contracts", ["contracts", "--format", "json"])
    check.document("contracts", ["contracts", "--on", "2025-06-30", "--format", "json"])   # the effective-time view
    references = [row["contract"] for row in contracts.get("contracts", [])]
    if not references:
        check.problems.append("the ledger has no contracts, so show and audit went unchecked")
    for reference in references:
        check.document("show", ["show", reference, "--format", "json"])
        check.document("show", ["show", reference, "--on", "2026-03-31", "--format", "json"])
        check.document("audit", ["audit", reference, "--format", "json"])
    check.document("audit", ["audit", "--since", "20", "--format", "json"])          # every contract, after a position
    check.document("audit", ["audit", "--since", "2025-01-01", "--format", "json"])  # every contract, since a day
    reconciliation = check.document("reconcile", ["reconcile", "--period", PERIOD, "--format", "json"]) or {}
    check.document("reconcile", ["reconcile", "--on", "2025-06-30", "--format", "json"])
    for row in reconciliation.get("contracts", [])[:1]:
        check.document("reconcile", ["reconcile", "--period", PERIOD, "--contract", row["contract"], "--format", "json"])
    check.document("due", ["due", "--today", "2025-11-10", "--format", "json"])
    check.document("due", ["due", "--today", "2025-11-10", "--all", "--format", "json"])
    check.ndjson("log", ["log", "--format", "json"])
    check.document("stats", ["stats", "--format", "json"])
    check.document("verify", ["verify", "--format", "json"])
    check.document("prove-inclusion", ["prove", "inclusion", "1", "--format", "json"])
    policies = check.document("policy-list", ["policy", "list", "--format", "json"]) or {}
    for policy in policies.get("adopted", []):
        check.document("policy-show", ["policy", "show", policy["policyId"], "--format", "json"])
    catalogs = check.document("catalog-list", ["catalog", "list", "--format", "json"]) or {}
    for catalog in catalogs.get("published", []):
        check.document("catalog-show", ["catalog", "show", f"{catalog['catalogId']}@{catalog['version']}", "--format", "json"])
    if references:
        check.document("import-portal", [
            "import", "portal", str(PORTAL_TABLE), "--contract", references[0], "--catalog", "portal-003",
            "--dry-run", "--format", "json"])
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "ledger"
        shutil.copytree(check.ledger, copy)
        commands = Path(scratch) / "commands.ndjson"
        commands.write_text(json.dumps(APPLY_COMMAND) + "\n")
        check.ndjson("apply", ["apply", str(commands), "--format", "json"], ledger=str(copy))

    if check.problems:
        for problem in check.problems:
            print(f"check_read_outputs: FAIL: {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"check_read_outputs: OK: {check.checked} outputs of {len(list((SCHEMAS / 'read').glob('*.schema.json'))) - 1} read schemas validate")


if __name__ == "__main__":
    main()
