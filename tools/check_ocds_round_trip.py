#!/usr/bin/env python3
"""Each contract of a ledger, exported as OCDS and imported into a fresh ledger, comes back.

    tools/check_ocds_round_trip.py SVLEDGER LEDGER

For every contract in LEDGER (the demo's, in tools/test):
1. `svledger export ocds --contract C` from LEDGER;
2. a fresh ledger gets LEDGER's reference data (each policy, catalog and council description,
   rebuilt as commands from LEDGER's own events), then `svledger import ocds` of that export,
   acting as a procurement officer with the delivery attribution confirmed;
3. the copy's contract is exported again and compared with the first export release by release,
   masking only what names the ledger itself: release ids (event ids, and the event a
   correction cites), the times events were recorded, and the package's head and tree root.

The check does what the import's findings tell a user to do, as a user would: it gives
`--policy` and `--catalog` (the contract's own) when the fresh ledger holds several; for an
exemption (decided by the role the policy names, which an import does not act as) and for a
weighting set by a policy's matrix (whose answers a notice does not carry), it records the
contract up to that step by hand, from the original's events, and imports again.

A contract passes when it comes back the same, or when the import says why it does not: it is
refused with a blocking finding (an exempted contract is not imported, by design), or it comes
back with a `not-mapped`/`not-imported` finding naming a path in a release that differs. Any
other difference fails, naming the contract and the first release that differs.
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
OFFICER = ["--actor", "round.trip", "--role", "Procurement Officer"]
EXPLAINING = {"not-mapped", "not-imported"}


def run(svledger, ledger, args, check=True):
    done = subprocess.run([svledger, *args, "--ledger", str(ledger)], capture_output=True, text=True)
    if check and done.returncode != 0:
        sys.exit(f"check_ocds_round_trip: svledger {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done


def reference_commands(svledger, ledger):
    """LEDGER's policies, catalogs and councils as the commands that record them again."""
    actor = {"id": "round.trip", "role": "Head of Procurement"}
    commands = []
    for line in run(svledger, ledger, ["log", "--format", "json"]).stdout.splitlines():
        event = json.loads(line)
        kind, payload = event["eventType"], event["payload"]
        if kind == "PolicyAdopted":
            commands.append({"command": "policy.adopt", "actor": actor, "policy": payload["policy"]})
        elif kind == "CatalogPublished":
            commands.append({"command": "catalog.publish", "actor": actor, "catalog": payload["catalog"]})
        elif kind == "CouncilDescribed":
            commands.append({"command": "council.describe", "actor": actor, **payload["council"]})
    return commands


def by_hand(svledger, ledger, contract, through):
    """The contract's commissioning (registration, assessment, exemption, weighting) as the
    commands that recorded it, from its own events, up to and including the event `through`."""
    commands = []
    for line in run(svledger, ledger, ["log", "--stream", f"contract/{contract}", "--format", "json"]).stdout.splitlines():
        event = json.loads(line)
        kind, payload = event["eventType"], event["payload"]
        command = {"actor": event["actor"], "contract": contract, "effectiveDate": event["effectiveDate"]}
        if event.get("reason"):
            command["reason"] = event["reason"]
        if kind == "ContractRegistered":
            fields = {k: v for k, v in payload.items() if k not in ("reference", "effectiveDateDefaulted") and v is not None}
            commands.append({"command": "contract.register", **command, **fields})
        elif kind == "ThresholdAssessed":
            commands.append({"command": "threshold.assess", **command})
        elif kind == "ExemptionRequested":
            commands.append({"command": "exemption.request", **command, "businessCaseReference": payload["businessCaseReference"]})
        elif kind == "ExemptionDecided":
            commands.append({"command": "exemption.decide", **command, "businessCaseReference": payload["businessCaseReference"], "decision": payload["decision"]})
        elif kind == "WeightingDecided":
            fields = {k: payload[k] for k in ("percent", "basis", "matrixAnswers", "overrideReason") if payload.get(k) is not None}
            commands.append({"command": "weighting.decide", **command, **fields})
        if kind == through:
            return commands
    return commands


def contract_flags(svledger, ledger, contract):
    """--policy and --catalog naming the contract's own, for a ledger that holds several."""
    shown = json.loads(run(svledger, ledger, ["show", contract, "--format", "json"]).stdout)["contract"]
    flags = ["--policy", shown["policyId"]]
    if shown.get("commitmentCatalog"):
        flags += ["--catalog", shown["commitmentCatalog"]]
    return flags


def plan(svledger, copy, exported, flags):
    """The import's dry run: its exit status and findings."""
    dry = run(svledger, copy, ["import", "ocds", str(exported), "--dry-run", "--format", "json", "--confirm-attribution", *OFFICER, *flags], check=False)
    findings = json.loads(dry.stdout).get("findings", []) if dry.stdout.strip().startswith("{") else []
    return dry, findings


def releases(package_text):
    """The package's releases, each with the ledger's own ids and recording times masked."""
    masked = []
    for release in json.loads(package_text)["releases"]:
        release = dict(release, date="<recorded>")
        masked.append(UUID.sub("<event>", json.dumps(release, sort_keys=True)))
    return masked


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    svledger, ledger = sys.argv[1], Path(sys.argv[2])
    listed = json.loads(run(svledger, ledger, ["contracts", "--format", "json"]).stdout)
    contracts = [row["contract"] for row in (listed["contracts"] if isinstance(listed, dict) else listed)]
    reference = reference_commands(svledger, ledger)
    failures, outcomes = [], {"complete": 0, "refused, said why": 0, "partial, said what": 0}
    with tempfile.TemporaryDirectory(prefix="ocds-round-trip-") as scratch:
        scratch = Path(scratch)
        setup = scratch / "reference.ndjson"
        setup.write_text("".join(json.dumps(c) + "\n" for c in reference))
        for contract in contracts:
            original = run(svledger, ledger, ["export", "ocds", "--contract", contract]).stdout
            exported = scratch / f"{contract}.json"
            exported.write_text(original)
            copy = scratch / f"copy-{contract}"
            run(svledger, copy, ["init"])
            run(svledger, copy, ["apply", str(setup)])
            flags, done_by_hand = [], set()
            dry, findings = plan(svledger, copy, exported, flags)
            for _ in range(3):
                said = " ".join(f.get("message", "") for f in findings if f.get("blocks"))
                if ("give --policy" in said or "give --catalog" in said) and not flags:
                    flags = contract_flags(svledger, ledger, contract)
                else:
                    step = "ExemptionDecided" if "exemption decide" in said else "WeightingDecided" if "weighting decide" in said else None
                    if step is None or step in done_by_hand:
                        break
                    done_by_hand.add(step)
                    steps = scratch / f"{contract}-by-hand.ndjson"
                    steps.write_text("".join(json.dumps(c) + "\n" for c in by_hand(svledger, ledger, contract, step)))
                    run(svledger, copy, ["apply", str(steps)])
                    print(f"  {contract}: recorded up to its {'exemption' if step == 'ExemptionDecided' else 'weighting'} by hand, as the import asks")
                dry, findings = plan(svledger, copy, exported, flags)
            blocking = [f for f in findings if f.get("blocks")]
            if dry.returncode != 0:
                if not blocking:
                    failures.append(f"{contract}: the import is refused with no blocking finding to say why:\n{dry.stdout}{dry.stderr}")
                else:
                    outcomes["refused, said why"] += 1
                    print(f"  {contract}: not imported: {blocking[0]['kind']} at {blocking[0]['path']}")
                continue
            run(svledger, copy, ["import", "ocds", str(exported), "--confirm-attribution", *OFFICER, *flags])
            again = run(svledger, copy, ["export", "ocds", "--contract", contract]).stdout
            before, after = releases(original), releases(again)
            if before == after:
                outcomes["complete"] += 1
                continue
            # Each exported release is matched, in order, with the one that came back: the same
            # (kept), one of the same tag that differs (changed), or none (dropped).
            def tag(text):
                return json.loads(text).get("tag")

            dropped, changed, j = [], [], 0
            for i, release in enumerate(before):
                if j < len(after) and after[j] == release:
                    j += 1
                elif j < len(after) and tag(after[j]) == tag(release) and after[j] not in before[i + 1:]:
                    changed.append(i)
                    j += 1
                else:
                    dropped.append(i)
            added = list(range(j, len(after)))

            def named(i):
                return [f for f in findings if f.get("kind") in EXPLAINING
                        and (f.get("path", "") == f"releases[{i}]" or f.get("path", "").startswith(f"releases[{i}]."))]

            # Every dropped release is one a finding names; a changed one too, unless a named
            # dropped release explains it (the bidders a not-mapped evaluation took with it).
            unexplained = [i for i in dropped if not named(i)] + [i for i in changed if not named(i) and not dropped] + added
            if not unexplained:
                first = named(dropped[0] if dropped else changed[0])[0]
                outcomes["partial, said what"] += 1
                print(f"  {contract}: comes back without what the import named: {first['kind']} at {first['path']}"
                      f" ({len(dropped)} release(s) not imported, {len(changed)} changed with them)")
            else:
                first = unexplained[0]
                failures.append(
                    f"{contract}: release {first} differs after the round trip and no finding names it\n"
                    f"    exported: {before[first] if first < len(before) else '(none)'}\n"
                    f"    came back: {after[first] if first < len(after) else '(none)'}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    summary = ", ".join(f"{count} {name}" for name, count in outcomes.items())
    if failures:
        sys.exit(f"check_ocds_round_trip: {len(failures)} of {len(contracts)} contracts did not come back ({summary})")
    print(f"check_ocds_round_trip: {len(contracts)} contracts exported and imported one by one: {summary}")


if __name__ == "__main__":
    main()
