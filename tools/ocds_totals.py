#!/usr/bin/env python3
"""Pledged and delivered £ per contract, read back from an `svledger export ocds --format records`
file, the way the reconciliation counts them for a reporting period:

    python3 tools/ocds_totals.py RECORDS.json --period 2025-26-Q2 [--reporting-date 2025-09-30]

- pledged: the values of the `target` observations of the social value metrics
  (`socialValue/<measure>` in `implementation.metrics`), as merged from the releases effective
  on or before the reporting date (the commitments then in force);
- delivered: the values of the same metrics' observations of the quarters up to the period,
  whenever their returns took effect (a quarter's return comes after its end); their ids are
  the quarters, so a correction has replaced what it corrects.
The measures' own metrics are left alone: a money measure's `value` is the £ it counts (local
spend, say), not social value.
Prints one JSON object: {"<contract id>": {"pledged": "1.23", "delivered": "4.56"}, ...}.
Amounts are read as exact decimals, never binary floats.
"""
import argparse, decimal, json, sys


SOCIAL_VALUE = "socialValue/"


def effective_day(release):
    """The day a release's event took effect: a pledge's `commitments` milestone, a review's
    amendment (docs/open-contracting.md); else the day of the release's `date`. The day is as
    the date-time writes it, in its own offset."""
    for contract in release.get("contracts", []):
        for amendment in contract.get("amendments", []):
            return amendment["date"][:10]
        for milestone in contract.get("milestones", []):
            if milestone.get("id") == "commitments":
                return milestone["dateMet"][:10]
    return release["date"][:10]


def quarter_end(period):
    """The last day of a financial quarter like 2025-26-Q2."""
    start_year, number = int(period[:4]), int(period[-1])
    return {1: f"{start_year}-06-30", 2: f"{start_year}-09-30", 3: f"{start_year}-12-31", 4: f"{start_year + 1}-03-31"}[number]


def totals(records, period, reporting_date):
    result = {}
    for record in records["records"]:
        targets, delivered, contract_id = {}, {}, None
        for release in record["releases"]:   # in merge order: by date, then the log's order
            in_force = effective_day(release) <= reporting_date
            for contract in release.get("contracts", []):
                contract_id = contract["id"]
                for metric in contract.get("implementation", {}).get("metrics", []):
                    if not metric["id"].startswith(SOCIAL_VALUE):
                        continue
                    for observation in metric.get("observations", []):
                        if "value" not in observation:
                            continue
                        if observation["id"] == "target":
                            if in_force:
                                targets[metric["id"]] = observation["value"]["amount"]
                        elif observation["id"] <= period:
                            delivered[(metric["id"], observation["id"])] = observation["value"]["amount"]
        if contract_id is not None:
            result[contract_id] = {"pledged": f"{sum(targets.values(), decimal.Decimal(0)):.2f}",
                                   "delivered": f"{sum(delivered.values(), decimal.Decimal(0)):.2f}"}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records")
    parser.add_argument("--period", required=True)
    parser.add_argument("--reporting-date")
    args = parser.parse_args()
    with open(args.records) as f:
        records = json.load(f, parse_float=decimal.Decimal)
    print(json.dumps(totals(records, args.period, args.reporting_date or quarter_end(args.period)), sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
