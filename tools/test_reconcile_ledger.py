"""Unit tests of tools/reconcile_ledger.py (run: python3 -m unittest tools/test_reconcile_ledger.py).

The expected figures come from the documents: Schemas/README.md §7 and §10, docs/rules.md
("The money rule", "Reconciliation, defined", "Rating"). The end-to-end tests build small
logs as NDJSON exports (Schemas/README.md §6) with a correct hash chain, so no ledger or
svledger binary is needed.
"""

import base64
import datetime
import hashlib
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reconcile_ledger as rl  # noqa: E402

D = Decimal
day = datetime.date.fromisoformat


class Pricing(unittest.TestCase):
    """The worked examples of docs/rules.md and Schemas/README.md §7."""

    def test_worked_examples(self):
        cases = [("24", "30782", "738768.00"),
                 ("0.25", "16420", "4105.00"),
                 ("50", "16.09", "804.50"),
                 ("250000", "0.963812", "240953.00"),
                 ("0.5", "16.09", "8.05"),
                 ("650000", "0.963812", "626477.80")]
        for quantity, proxy, value in cases:
            with self.subTest(quantity=quantity, proxy=proxy):
                result = rl.line_value(D(quantity), D(proxy))
                self.assertEqual(rl.format_money(result), value)

    def test_record_only(self):
        self.assertIsNone(rl.line_value(D("5000"), None))
        self.assertIsNone(rl.line_value(D("5000"), D("0")))

    def test_exact_products_never_float(self):
        # 12-decimal quantity × long proxy: exact, then one rounding.
        self.assertEqual(rl.line_value(D("0.000000000001"), D("5000")), D("0.00"))
        self.assertEqual(rl.line_value(D("123456789.123456789012"), D("0.963812")),
                         D("118989134.84"))  # exactly 118989134.838657134731233744

    def test_total_is_sum_of_rounded_lines(self):
        lines = [rl.line_value(D("0.5"), D("16.09")), rl.line_value(D("0.5"), D("16.09"))]
        self.assertEqual(sum(lines, D(0)), D("16.10"))  # not round(16.09) = 16.09


class Rounding(unittest.TestCase):
    def test_half_away_from_zero(self):
        self.assertEqual(rl.round_half_away(D("8.045"), 2), D("8.05"))
        self.assertEqual(rl.round_half_away(D("-8.045"), 2), D("-8.05"))
        self.assertEqual(rl.round_half_away(D("0.005"), 2), D("0.01"))
        self.assertEqual(rl.round_half_away(D("-0.005"), 2), D("-0.01"))
        self.assertEqual(rl.round_half_away(D("0.0049999"), 2), D("0.00"))
        self.assertEqual(rl.round_half_away(D("2.5"), 0), D("3"))
        self.assertEqual(rl.round_half_away(D("3.5"), 0), D("4"))  # not banker's rounding

    def test_fractions_rounded_once(self):
        from fractions import Fraction
        self.assertEqual(rl.round_half_away(Fraction(1, 3), 2), D("0.33"))
        self.assertEqual(rl.round_half_away(Fraction(2, 3), 4), D("0.6667"))
        self.assertEqual(rl.round_half_away(Fraction(1, 8), 2), D("0.13"))
        self.assertEqual(rl.round_half_away(Fraction(-1, 8), 2), D("-0.13"))
        # 0.1249999... must not round up through a double rounding
        self.assertEqual(rl.round_half_away(Fraction(12499999, 10 ** 8), 2), D("0.12"))

    def test_scale_kept(self):
        self.assertEqual(str(rl.round_half_away(D("3"), 2)), "3.00")
        self.assertEqual(str(rl.round_half_away(D("0"), 4)), "0.0000")
        self.assertEqual(str(rl.round_half_away(D("-0.001"), 2)), "0.00")  # no -0.00


class Rating(unittest.TestCase):
    def test_boundaries(self):
        self.assertEqual(rl.rate(D("95"), D("100")), "good")
        self.assertEqual(rl.rate(D("94.99"), D("100")), "approaching target")
        self.assertEqual(rl.rate(D("80"), D("100")), "approaching target")
        self.assertEqual(rl.rate(D("79.99"), D("100")), "requires improvement")
        self.assertEqual(rl.rate(D("50"), D("100")), "requires improvement")
        self.assertEqual(rl.rate(D("49.99"), D("100")), "inadequate")
        self.assertEqual(rl.rate(D("0"), D("100")), "inadequate")
        self.assertEqual(rl.rate(D("250"), D("100")), "good")

    def test_expected_zero_is_not_yet_due(self):
        self.assertEqual(rl.rate(D("0"), D("0")), "not yet due")
        self.assertEqual(rl.rate(D("10"), D("0.00")), "not yet due")

    def test_ratio_worked_to_six_decimals_half_away(self):
        # 0.9499995 rounds to 0.950000: good; 0.9499994999 rounds to 0.949999.
        self.assertEqual(rl.rate(D("0.9499995"), D("1")), "good")
        self.assertEqual(rl.rate(D("0.9499994999"), D("1")), "approaching target")
        self.assertEqual(rl.rate(D("0.7999995"), D("1")), "approaching target")
        self.assertEqual(rl.rate(D("0.4999995"), D("1")), "requires improvement")
        self.assertEqual(rl.rate(D("0.4999994"), D("1")), "inadequate")
        # in pounds: 189999.99 of 200000.00 is 0.94999995 -> 0.950000
        self.assertEqual(rl.rate(D("189999.99"), D("200000.00")), "good")


class Spread(unittest.TestCase):
    def test_start_is_later_of_term_start_and_pledge(self):
        # term 2025-04-01..2026-03-31 (365 days), pledge earlier: S = term start
        self.assertEqual(rl.spread_days(day("2025-04-01"), day("2026-03-31"), day("2025-03-20"),
                                        day("2025-09-30")), (183, 365))
        # pledge mid-term: S = pledge date 2025-07-01, D = 274
        self.assertEqual(rl.spread_days(day("2025-04-01"), day("2026-03-31"), day("2025-07-01"),
                                        day("2025-09-30")), (92, 274))

    def test_clamping(self):
        # reporting date before S: E = 0
        self.assertEqual(rl.spread_days(day("2025-04-01"), day("2026-03-31"), day("2025-10-01"),
                                        day("2025-09-30")), (0, 182))
        # reporting date on S: E = 1
        self.assertEqual(rl.spread_days(day("2025-04-01"), day("2026-03-31"), day("2025-04-01"),
                                        day("2025-04-01")), (1, 365))
        # reporting date after the term end: E = D
        self.assertEqual(rl.spread_days(day("2025-04-01"), day("2025-09-30"), day("2025-01-01"),
                                        day("2026-03-31")), (183, 183))
        # pledge after the term end: D at least 1, E held in [0, 1]
        self.assertEqual(rl.spread_days(day("2025-04-01"), day("2025-09-30"), day("2025-12-01"),
                                        day("2026-03-31")), (1, 1))
        self.assertEqual(rl.spread_days(day("2025-04-01"), day("2025-09-30"), day("2025-12-01"),
                                        day("2025-11-30")), (0, 1))

    def test_expected_figures(self):
        self.assertEqual(rl.expected_money(D("738768.00"), 183, 730), D("185198.01"))
        self.assertEqual(rl.expected_money(D("0.01"), 1, 2), D("0.01"))  # 0.005 -> 0.01
        self.assertEqual(rl.expected_quantity(D("24"), 183, 730), D("6.0164"))
        self.assertEqual(rl.expected_quantity(D("1"), 1, 3), D("0.3333"))
        self.assertEqual(rl.expected_quantity(D("0.00015"), 1, 1), D("0.0002"))  # half away
        self.assertEqual(rl.expected_money(D("100.00"), 0, 10), D("0.00"))


class Formatting(unittest.TestCase):
    def test_money(self):
        self.assertEqual(rl.format_money(D("1234.5")), "1234.50")
        self.assertEqual(rl.format_money(D("-0.07")), "-0.07")
        self.assertEqual(rl.format_money(D("0")), "0.00")
        self.assertEqual(rl.format_money(D("-0.00")), "0.00")
        self.assertEqual(rl.format_money(D("1E+7")), "10000000.00")
        self.assertEqual(rl.format_money(D("123239.15")), "123239.15")

    def test_quantity(self):
        self.assertEqual(rl.format_quantity(D("2.50")), "2.5")
        self.assertEqual(rl.format_quantity(D("3.0000")), "3")
        self.assertEqual(rl.format_quantity(D("0.0000")), "0")
        self.assertEqual(rl.format_quantity(D("0")), "0")
        self.assertEqual(rl.format_quantity(D("120000.50")), "120000.5")
        self.assertEqual(rl.format_quantity(D("1E+3")), "1000")
        self.assertEqual(rl.format_quantity(D("100")), "100")
        self.assertEqual(rl.format_quantity(D("0.000000000001")), "0.000000000001")
        self.assertEqual(rl.format_quantity(D("1.0E-12")), "0.000000000001")

    def test_csv_quoting(self):
        self.assertEqual(rl.csv_field("plain text"), "plain text")
        self.assertEqual(rl.csv_field("a,b"), '"a,b"')
        self.assertEqual(rl.csv_field('say "hi"'), '"say ""hi"""')
        self.assertEqual(rl.csv_field("line\nbreak"), '"line\nbreak"')
        self.assertEqual(rl.csv_field("cr\rhere"), '"cr\rhere"')
        # no formula guard in the figures file: only the four characters quote
        self.assertEqual(rl.csv_field("=HYPERLINK(x)"), "=HYPERLINK(x)")
        self.assertEqual(rl.csv_field("-67389.82"), "-67389.82")
        self.assertEqual(rl.csv_line(["theme", "Social: Healthier, Safer", ""]),
                         'theme,"Social: Healthier, Safer",\n')

    def test_utf8_order(self):
        keys = ["b", "B", "a", "é", "z", "Z", "a b", "a,"]
        self.assertEqual(sorted(keys, key=rl.utf8_key), ["B", "Z", "a", "a b", "a,", "b", "z", "é"])


class Quarters(unittest.TestCase):
    def test_parse_and_last_day(self):
        self.assertEqual(rl.parse_quarter("2025-26-Q2", "p"), (2025, 2))
        self.assertEqual(rl.quarter_last_day((2025, 1)), day("2025-06-30"))
        self.assertEqual(rl.quarter_last_day((2025, 2)), day("2025-09-30"))
        self.assertEqual(rl.quarter_last_day((2025, 3)), day("2025-12-31"))
        self.assertEqual(rl.quarter_last_day((2025, 4)), day("2026-03-31"))
        self.assertEqual(rl.parse_quarter("1999-00-Q4", "p"), (1999, 4))

    def test_refused(self):
        for text in ("2025-27-Q1", "2025-26-Q5", "2025-26", "2025/26-Q1", ""):
            with self.assertRaises(rl.BadInput):
                rl.parse_quarter(text, "p")


# ------------------------------------------------------------------------------------------
# End to end, on small exported logs
# ------------------------------------------------------------------------------------------

CATALOG = {
    "catalogId": "cat", "version": "1", "title": "Test catalog", "effectiveDate": "2024-04-01",
    "source": "test", "priorityFrameworks": ["F", "G"],
    "measures": [
        {"code": "A1", "theme": "Jobs, local", "description": "a", "unit": "FTE",
         "proxyValueGBP": "30782", "proxySource": "t", "outcome": None,
         "priorities": {"F": ["One", "Two"], "G": ["Three"]}},
        {"code": "B2", "theme": "Growth", "description": "b", "unit": "hours",
         "proxyValueGBP": "16.09", "proxySource": "t", "outcome": None,
         "priorities": {"F": ["Two"], "G": []}},
        {"code": "C3", "theme": "Growth", "description": "c", "unit": "t", "proxyValueGBP": None,
         "proxySource": None, "outcome": None, "priorities": {"F": [], "G": []}},
        {"code": "D4", "theme": "Say \"green\"", "description": "d", "unit": "£",
         "proxyValueGBP": "0.963812", "proxySource": "t", "outcome": None,
         "priorities": {"F": [], "G": ["Three"]}},
    ],
}


def priced(measure, quantity, proxy):
    value = rl.line_value(D(quantity), D(proxy) if proxy else None)
    return {"measure": measure, "quantity": quantity, "unit": "u", "proxyGBP": proxy,
            "valueGBP": None if value is None else format(value, "f")}


class LogBuilder:
    def __init__(self):
        self.lines = []
        self.previous = bytes(32)
        self.versions = {}

    def add(self, stream, kind, payload, effective, recorded="2025-12-01T10:00:00.000Z"):
        position = len(self.lines) + 1
        version = self.versions.get(stream, 0) + 1
        self.versions[stream] = version
        envelope = {
            "position": position, "eventId": f"00000000-0000-7000-8000-{position:012x}",
            "streamId": stream, "streamVersion": version, "eventType": kind,
            "schemaVersion": 1, "recordedAt": recorded, "effectiveDate": effective,
            "actor": {"id": "t", "role": "Tester"}, "reason": None, "correlationId": None,
            "causationId": None, "payload": payload, "previousHash": self.previous.hex()}
        digest = hashlib.sha256(self.previous + rl.canonical_bytes(envelope)).digest()
        self.previous = digest
        exported = dict(envelope, hash=digest.hex())
        self.lines.append(rl.canonical_bytes(exported).decode("utf-8"))
        return envelope["eventId"]

    def register(self, ref, start, end, effective="2025-01-01", **kw):
        self.add(f"contract/{ref}", "ContractRegistered", {
            "reference": ref, "title": "t", "buyerDepartment": "d", "category": "services",
            "estimatedWholeLifeValueGBP": "1000000.00", "startDate": start, "endDate": end,
            "areasServed": [], "policyId": kw.get("policy", "p"), "existingSupplier": kw.get("supplier")},
            effective, **{k: v for k, v in kw.items() if k == "recorded"})

    def pledge(self, ref, supplier, lines, effective, catalog=("cat", "1"), **kw):
        self.add(f"contract/{ref}", "PledgeRecorded", {
            "supplier": supplier, "catalogId": catalog[0], "catalogVersion": catalog[1],
            "lines": lines, "totalGBP": "0.00", "statedValues": {}}, effective, **kw)

    def refresh(self, ref, lines, effective, catalog=("cat", "1"), **kw):
        self.add(f"contract/{ref}", "CommitmentsRefreshed", {
            "catalogId": catalog[0], "catalogVersion": catalog[1], "revised": [], "added": [],
            "withdrawn": [], "repriced": False, "lines": lines, "totalGBP": "0.00"},
            effective, **kw)

    def report(self, ref, quarter, lines, effective="2025-12-01", **kw):
        return self.add(f"contract/{ref}", "DeliveryReported", {
            "quarter": quarter, "attributionConfirmed": True,
            "lines": [{"measure": m, "quantity": q, "evidence": "e", "pledged": p}
                      for m, q, p in lines]}, effective, **kw)

    def correct(self, ref, cites, quarter, lines, effective="2025-12-01", **kw):
        return self.add(f"contract/{ref}", "DeliveryCorrected", {
            "correctsEventId": cites, "quarter": quarter,
            "lines": [{"measure": m, "quantity": q, "evidence": "e", "pledged": p}
                      for m, q, p in lines]}, effective, **kw)

    def query(self, ref, quarter, measure, effective="2025-12-01", **kw):
        return self.add(f"contract/{ref}", "DeliveryQueried", {
            "quarter": quarter, "measure": measure, "question": "q?",
            "effectiveDateDefaulted": False}, effective, **kw)

    def answer(self, ref, quarter, measure, effective="2025-12-01", **kw):
        return self.add(f"contract/{ref}", "QueryAnswered", {
            "quarter": quarter, "measure": measure, "answer": "a"}, effective, **kw)

    def decide(self, ref, kind, quarter, figures, effective="2025-12-01", **kw):
        """A DeliveryValidated or DeliveryRejected of `figures` [(measure, quantity)]."""
        return self.add(f"contract/{ref}", kind, {
            "quarter": quarter, "figures": [{"measure": m, "quantity": q} for m, q in figures],
            "effectiveDateDefaulted": True}, effective, **kw)

    def validate(self, ref, quarter, figures, effective="2025-12-01", **kw):
        return self.decide(ref, "DeliveryValidated", quarter, figures, effective, **kw)

    def reject(self, ref, quarter, figures, effective="2025-12-01", **kw):
        return self.decide(ref, "DeliveryRejected", quarter, figures, effective, **kw)

    def policy(self, document, effective="2024-04-01"):
        self.add(f"policy/{document['policyId']}", "PolicyAdopted", {"policy": document},
                 effective)

    def write(self, directory):
        path = os.path.join(directory, "log.ndjson")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in self.lines))
        return path


def catalog_log():
    log = LogBuilder()
    log.add("catalog/cat", "CatalogPublished", {"catalog": CATALOG}, "2024-04-01",
            recorded="2024-04-01T00:00:00.000Z")
    return log


class EndToEnd(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def figures(self, log, *args):
        path = log.write(self.tmp.name)
        return rl.run(["--ndjson", path, *args], today=day("2026-11-27"))

    def rows(self, text):
        lines = text.splitlines()
        return [line.split(",") for line in lines[lines.index(rl.HEADER) + 1:]]

    def test_empty_log(self):
        text = self.figures(LogBuilder(), "--period", "2025-26-Q2")
        # The empty tree's root is the SHA-256 of nothing (RFC 9162 §2.1.1).
        self.assertEqual(text, "svledger-figures/4\nhead,0," + "0" * 64 + "\n"
                         "tree,47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
                         "period,2025-26-Q2,2025-09-30\n" + rl.HEADER + "\n"
                         "portfolio,portfolio,,0.00,0.00,0.00,0.00,0.00,0.00,0.00,not yet due,,,\n")

    def test_header_lines_and_head(self):
        log = catalog_log()
        text = self.figures(log, "--period", "2025-26-Q2")
        lines = text.splitlines()
        self.assertEqual(lines[0], "svledger-figures/4")
        expected_hash = json.loads(log.lines[-1])["hash"]
        self.assertEqual(lines[1], f"head,1,{expected_hash}")
        # A tree of one event: its root is the leaf hash of the event's canonical bytes.
        envelope = json.loads(log.lines[-1])
        del envelope["hash"]
        leaf = hashlib.sha256(b"\x00" + rl.canonical_bytes(envelope)).digest()
        self.assertEqual(lines[2], "tree," + base64.b64encode(leaf).decode())
        self.assertTrue(text.endswith("\n"))

    def test_reporting_date_defaults(self):
        log = catalog_log()
        self.assertIn("period,2026-27-Q3,2026-11-27\n",
                      self.figures(log, "--period", "2026-27-Q3"))  # today is earlier
        self.assertIn("period,2025-26-Q2,2025-08-15\n",
                      self.figures(log, "--period", "2025-26-Q2", "--as-of", "2025-08-15"))
        self.assertIn("period,2025-26-Q2,2025-09-30\n",
                      self.figures(log, "--period", "2025-26-Q2", "--as-of", "2026-01-01"))
        self.assertIn("period,2025-26-Q2,2025-09-01\n",
                      self.figures(log, "--period", "2025-26-Q2", "--reporting-date", "2025-09-01"))

    def test_full_scenario(self):
        log = catalog_log()
        # K-1: term 2025-04-01..2027-03-31 (730 days), pledged before the term.
        log.register("K-1", "2025-04-01", "2027-03-31")
        log.pledge("K-1", "Acme, \"North\" Ltd",
                   [priced("A1", "24", "30782"), priced("B2", "70", "16.09"),
                    priced("C3", "5000", None), priced("D4", "650000", "0.963812")], "2025-03-20")
        q1 = log.report("K-1", "2025-26-Q1", [("A1", "3", True), ("B2", "26", True),
                                              ("D4", "1000", False)])
        log.correct("K-1", q1, "2025-26-Q1", [("A1", "4", True)])
        log.report("K-1", "2025-26-Q2", [("A1", "5", True), ("D4", "120000.50", True),
                                         ("C3", "1000", True)])
        log.report("K-1", "2025-26-Q3", [("A1", "100", True)])  # after the period
        # a refresh effective after the reporting date: ignored for 2025-26-Q2
        log.refresh("K-1", [priced("A1", "20", "30782"), priced("C3", "5000", None),
                            priced("D4", "650000", "0.963812"), priced("B2", "50", "16.09")],
                    "2025-11-01")
        # K-2: pledge effective after the reporting date: left out
        log.register("K-2", "2025-04-01", "2026-03-31")
        log.pledge("K-2", "Other", [priced("A1", "1", "30782")], "2025-10-01")
        text = self.figures(log, "--period", "2025-26-Q2")
        rows = self.rows(text)
        e, d = 183, 730
        # nothing validated: validated £0.00 and quantity 0, rated on the claimed delivery
        self.assertEqual(rows[0], ["measure", "K-1", "A1", "738768.00", "738768.00",
                                   "277038.00", "0.00", "185198.01", "185198.01", "91839.99",
                                   "good", "9", "0", "6.0164"])
        b2_expected = format(rl.expected_money(D("1126.30"), e, d), "f")
        self.assertEqual(rows[1], ["measure", "K-1", "B2", "1126.30", "1126.30", "418.34", "0.00",
                                   b2_expected, b2_expected, "135.99", "good", "26", "0",
                                   "17.5479"])
        # record-only: £0 figures, rated on quantities (1000 of 1253.4247: 0.797814)
        self.assertEqual(rows[2], ["measure", "K-1", "C3", "0.00", "0.00", "0.00", "0.00", "0.00",
                                   "0.00", "0.00", "requires improvement", "1000", "0",
                                   "1253.4247"])
        # unpledged Q1 D4 excluded; Q2 pledged 120000.50 × 0.963812 = 115657.92
        self.assertEqual(rows[3][:6], ["measure", "K-1", "D4", "626477.80", "626477.80",
                                       "115657.92"])
        self.assertEqual(rows[3][11], "120000.5")
        self.assertEqual(rows[4][:3], ["contract", "K-1", ""])
        total = D("738768.00") + D("1126.30") + D("626477.80")
        self.assertEqual(rows[4][3], format(total, "f"))
        levels = [r[0] for r in rows]
        self.assertEqual(levels, ["measure"] * 4 + ["contract"] + ["theme"] * 3
                         + ["priority"] * 3 + ["supplier"] + ["portfolio"])
        lines = text.splitlines()[5:]  # the rows, after format, head, tree, period and header
        # themes by UTF-8 bytes, quoted where needed
        self.assertEqual([l.split(",")[1] for l in lines[5:8]], ["Growth", '"Jobs', '"Say ""green"""'])
        self.assertTrue(lines[8].startswith("priority,F: One,,738768.00,"))
        self.assertTrue(lines[9].startswith("priority,F: Two,,739894.30,"))  # A1 + B2, in full
        self.assertTrue(lines[10].startswith("priority,G: Three,,1365245.80,"))  # A1 + D4
        self.assertTrue(lines[11].startswith('supplier,"Acme, ""North"" Ltd",,'))
        self.assertNotIn("K-2", text)
        # the refresh applies from its effective date on
        later = self.rows(self.figures(log, "--period", "2025-26-Q3"))
        self.assertEqual(later[0][:6], ["measure", "K-1", "A1", "738768.00", "615640.00",
                                        str(rl.line_value(D("109"), D("30782")))])
        self.assertEqual(later[1][4], "804.50")
        k2 = [r for r in later if r[1] == "K-2"]
        self.assertEqual(k2[0][:5], ["measure", "K-2", "A1", "30782.00", "30782.00"])

    def test_withdrawn_and_added_lines(self):
        log = catalog_log()
        log.register("K", "2025-04-01", "2026-03-31")
        log.pledge("K", "S", [priced("A1", "2", "30782"), priced("B2", "10", "16.09")],
                   "2025-04-01")
        log.report("K", "2025-26-Q1", [("A1", "1", True), ("B2", "0.5", True)])
        # withdraw B2, add D4; then re-price A1 (a new proxy in the refresh's lines)
        log.refresh("K", [priced("A1", "2", "30782"), priced("D4", "100", "0.963812")],
                    "2025-05-01")
        log.refresh("K", [priced("A1", "2", "40000"), priced("D4", "100", "0.963812")],
                    "2025-06-01")
        rows = self.rows(self.figures(log, "--period", "2025-26-Q1"))
        # A1: delivered at the current proxy 40000
        self.assertEqual(rows[0][:10], ["measure", "K", "A1", "61564.00", "80000.00",
                                        "40000.00", "0.00", "19945.21", "19945.21", "20054.79"])
        # B2 withdrawn: current £0, expected 0, delivery at the pledged proxy (capped at £0), not yet due
        self.assertEqual(rows[1], ["measure", "K", "B2", "160.90", "0.00", "8.05", "0.00", "0.00",
                                   "0.00", "8.05", "not yet due", "0.5", "0", "0"])
        # D4 added at review: original £0
        self.assertEqual(rows[2][:5], ["measure", "K", "D4", "0.00", "96.38"])

    def test_readings_where_the_documents_are_silent(self):
        """The choices listed in the report (each one line of the docs read literally)."""
        log = catalog_log()
        log.register("K", "2025-04-01", "2026-03-31")
        log.pledge("K", "S", [priced("A1", "1", "30782"), priced("B2", "10", "16.09")],
                   "2025-04-01")
        # D4 added at a review, delivered while committed, then withdrawn: its delivery is
        # priced at the proxy it was last committed at (no "originally pledged" proxy).
        log.refresh("K", [priced("A1", "1", "30782"), priced("B2", "10", "16.09"),
                          priced("D4", "1000", "0.963812")], "2025-04-15")
        log.report("K", "2025-26-Q1", [("D4", "500", True), ("B2", "4", True)])
        log.refresh("K", [priced("A1", "1", "30782"), priced("B2", "10", "16.09")], "2025-05-01")
        # B2 re-priced to record-only (no proxy): the current proxy is none, so delivered
        # has no £ value and the line is rated on quantities.
        log.refresh("K", [priced("A1", "1", "30782"), priced("B2", "10", None)], "2025-05-15")
        # a refresh recorded later but effective earlier: its `lines` (the whole commitment
        # after it) replace the commitment in force, in log order.
        log.refresh("K", [priced("A1", "2", "30782"), priced("B2", "10", None)], "2025-04-20")
        # a pledged delivery of a measure not in the commitments in force has no row
        log.report("K", "2025-26-Q2", [("C3", "7", True)])
        rows = self.rows(self.figures(log, "--period", "2025-26-Q2"))
        by_measure = {r[2]: r for r in rows if r[0] == "measure"}
        self.assertEqual(sorted(by_measure), ["A1", "B2", "D4"])
        # D4 was added at a review and withdrawn since: never pledged, so valued at £0.
        self.assertEqual(by_measure["D4"][3:11], ["0.00", "0.00", "0.00", "0.00", "0.00", "0.00",
                                                  "0.00", "not yet due"])
        self.assertEqual(by_measure["B2"][3:14], ["160.90", "0.00", "0.00", "0.00", "0.00", "0.00",
                                                  "0.00", "requires improvement", "4", "0",
                                                  "5.0137"])
        self.assertEqual(by_measure["A1"][4], "61564.00")

    def test_schema_version_and_at_alias(self):
        log = catalog_log()
        log.register("K", "2025-04-01", "2026-03-31")
        self.assertIn("head,1,", self.figures(log, "--period", "2025-26-Q1", "--at", "1"))
        bad = LogBuilder()
        bad.add("contract/K", "DeliveryReported", {}, "2025-04-01")
        envelope = json.loads(bad.lines[0])
        del envelope["hash"]
        envelope["schemaVersion"] = 2
        digest = hashlib.sha256(bytes(32) + rl.canonical_bytes(envelope)).digest()
        bad.lines[0] = rl.canonical_bytes(dict(envelope, hash=digest.hex())).decode()
        with self.assertRaisesRegex(rl.BadInput, "schemaVersion 2"):
            self.figures(bad, "--period", "2025-26-Q1")

    def test_correction_replaces_one_quarter_and_measure(self):
        log = catalog_log()
        log.register("K", "2025-04-01", "2026-03-31")
        log.pledge("K", "S", [priced("A1", "4", "30782"), priced("B2", "100", "16.09")],
                   "2025-04-01")
        r = log.report("K", "2025-26-Q1", [("A1", "1", True), ("B2", "10", True)])
        c = log.correct("K", r, "2025-26-Q1", [("B2", "12", True)])
        log.correct("K", c, "2025-26-Q1", [("B2", "11", True)])
        log.report("K", "2025-26-Q2", [("B2", "5", True)])
        rows = self.rows(self.figures(log, "--period", "2025-26-Q2"))
        self.assertEqual(rows[0][11], "1")
        self.assertEqual(rows[1][11], "16")
        self.assertEqual(rows[1][5], "257.44")  # 16 × 16.09, rounded once

    def test_levels_are_not_added_up_as_flows(self):
        """docs/rules.md "Levels and flows": FTE returns of 5 and 6 are 2.75 FTE-years."""
        catalog = json.loads(json.dumps(CATALOG))
        catalog["version"] = "2"
        catalog["measures"][0]["returns"] = "level-per-year"
        catalog["measures"][2]["returns"] = "level-over-term"
        log = LogBuilder()
        log.add("catalog/cat", "CatalogPublished", {"catalog": catalog}, "2024-04-01",
                recorded="2024-04-01T00:00:00.000Z")
        log.register("K", "2025-04-01", "2026-03-31")
        log.pledge("K", "S", [priced("A1", "4", "30782"), priced("C3", "100", None)],
                   "2025-04-01", catalog=("cat", "2"))
        log.report("K", "2025-26-Q1", [("A1", "5", True), ("C3", "100", True)])
        log.report("K", "2025-26-Q2", [("A1", "6", True), ("C3", "100", True)])
        rows = {r[2]: r for r in self.rows(self.figures(log, "--period", "2025-26-Q2"))
                if r[0] == "measure"}
        # (5 + 6) × 1/4 = 2.75 FTE-years × £30,782 = £84,650.50, not 11 × £30,782
        self.assertEqual(rows["A1"][5], "84650.50")
        self.assertEqual(rows["A1"][11], "2.75")
        # 100% held for Q1 (91 days) and Q2 (92) of 365: 24.9315 + 25.2055
        self.assertEqual(rows["C3"][11], "50.137")
        self.assertEqual(rows["C3"][13], "50.137")
        self.assertEqual(rows["C3"][10], "good")
        with self.assertRaisesRegex(rl.BadInput, "returns 'weekly' is not one of"):
            catalog["measures"][0]["returns"] = "weekly"
            catalog["version"] = "3"
            bad = LogBuilder()
            bad.add("catalog/cat", "CatalogPublished", {"catalog": catalog}, "2024-04-01")
            self.figures(bad, "--period", "2025-26-Q2")

    def test_cut_offs_come_from_the_contracts_policy(self):
        """docs/rules.md "Rating": a policy's ratingCutOffs rate its contracts; mixed: defaults."""
        log = catalog_log()
        policy = {"policyId": "p", "version": "1", "effectiveDate": "2024-04-01",
                  "ratingCutOffs": {"good": "0.60", "approachingTarget": "0.40",
                                    "requiresImprovement": "0.20", "source": "t"}}
        log.add("policy/p", "PolicyAdopted", {"policy": policy}, "2024-04-01")
        for ref, policy_id in (("K", "p"), ("L", "other")):
            log.register(ref, "2025-04-01", "2026-03-31", policy=policy_id)
            log.pledge(ref, "S", [priced("B2", "1000", "16.09")], "2025-04-01")
            log.report(ref, "2025-26-Q1", [("B2", "170", True)])
        rows = self.rows(self.figures(log, "--period", "2025-26-Q1"))
        rated = {(r[0], r[1]): r[10] for r in rows}
        # 170 of 249.3151 weeks expected: 68.2%, good from 60% under p, requires improvement
        # under svledger's defaults; the two together on the defaults.
        self.assertEqual(rated[("contract", "K")], "good")
        self.assertEqual(rated[("contract", "L")], "requires improvement")
        self.assertEqual(rated[("portfolio", "portfolio")], "requires improvement")

    def test_one_rating_rule_capped_everywhere(self):
        """A contract's over-delivery on one line never hides another line's shortfall."""
        log = catalog_log()
        log.register("K", "2025-04-01", "2026-03-31")
        log.pledge("K", "S", [priced("A1", "1", "30782"), priced("B2", "1000", "16.09")],
                   "2025-04-01")
        log.report("K", "2025-26-Q1", [("A1", "10", True), ("B2", "0", True)])
        rows = self.rows(self.figures(log, "--period", "2025-26-Q1"))
        contract = next(r for r in rows if r[0] == "contract")
        # 91 of 365 days: A1 expected £30,782 × 91/365 = £7,674.42, B2 £16,090 × 91/365 =
        # £4,011.48. Delivered £307,820.00 (uncapped 2634%, "good" had it been rated), capped
        # A1's £7,674.42 of £11,685.90 = 65.7%: requires improvement.
        self.assertEqual(contract[5:11], ["307820.00", "0.00", "7674.42", "11685.90", "296134.10",
                                          "requires improvement"])
        portfolio = next(r for r in rows if r[0] == "portfolio")
        self.assertEqual(portfolio[7], "7674.42")
        self.assertEqual(portfolio[10], "requires improvement")

    # --- svledger-figures/4: validated delivery (Schemas/README.md §10) ---------------------

    def test_validated_figures_count_in_validated(self):
        log = catalog_log()
        log.register("K", "2025-04-01", "2026-03-31")
        log.pledge("K", "S", [priced("A1", "4", "30782"), priced("B2", "1000", "16.09"),
                              priced("C3", "100", None)], "2025-04-01")
        log.report("K", "2025-26-Q1", [("A1", "1", True), ("B2", "100", True), ("C3", "10", True)],
                   effective="2025-07-05")
        log.validate("K", "2025-26-Q1", [("A1", "1"), ("C3", "10")], effective="2025-07-20")
        log.reject("K", "2025-26-Q1", [("B2", "100")], effective="2025-07-20")
        log.report("K", "2025-26-Q2", [("A1", "2", True), ("B2", "50", True)],
                   effective="2025-10-05")
        log.query("K", "2025-26-Q2", "B2", effective="2025-10-06")
        log.answer("K", "2025-26-Q2", "B2", effective="2025-10-07")
        log.validate("K", "2025-26-Q2", [("B2", "50")], effective="2025-10-20")
        # a validation of a quarter after the period counts nowhere in it
        log.report("K", "2025-26-Q3", [("A1", "7", True)], effective="2025-12-01")
        log.validate("K", "2025-26-Q3", [("A1", "7")], effective="2025-12-02")
        text = self.figures(log, "--period", "2025-26-Q2")
        self.assertIn("\n" + rl.HEADER + "\n", text)
        rows = self.rows(text)
        by_measure = {r[2]: r for r in rows if r[0] == "measure"}
        # A1: Q1's 1 validated, Q2's 2 not: delivered 3 × £30,782, validated 1 × £30,782
        self.assertEqual(by_measure["A1"][5:7], ["92346.00", "30782.00"])
        self.assertEqual([by_measure["A1"][11], by_measure["A1"][12]], ["3", "1"])
        # B2: Q1 rejected, Q2 queried, answered, then validated: 50 × £16.09
        self.assertEqual(by_measure["B2"][5:7], ["2413.50", "804.50"])
        self.assertEqual([by_measure["B2"][11], by_measure["B2"][12]], ["150", "50"])
        # C3 record-only: £0, its validated quantity shown
        self.assertEqual(by_measure["C3"][5:7], ["0.00", "0.00"])
        self.assertEqual([by_measure["C3"][11], by_measure["C3"][12]], ["10", "10"])
        # the policy (none here) rates claimed delivery: capped from delivered, as before
        self.assertEqual(by_measure["A1"][7:11], ["61732.67", "61732.67", "30613.33", "good"])
        # rollups sum validated as they sum delivered; no quantities
        for level in ("contract", "supplier", "portfolio"):
            row = next(r for r in rows if r[0] == level)
            self.assertEqual(row[5:7], ["94759.50", "31586.50"], level)
            self.assertEqual(row[11:], ["", "", ""], level)
        # the effective-time view: validation events are contract events like any other
        on = {r[2]: r for r in self.rows(self.figures(log, "--period", "2025-26-Q2",
                                                       "--on", "2025-10-10"))
              if r[0] == "measure"}
        self.assertEqual(on["B2"][5:7], ["2413.50", "0.00"])  # Q2's validation left out
        self.assertEqual(on["A1"][5:7], ["92346.00", "30782.00"])
        on = {r[2]: r for r in self.rows(self.figures(log, "--period", "2025-26-Q1",
                                                       "--on", "2025-07-10"))
              if r[0] == "measure"}
        self.assertEqual(on["A1"][5:7], ["30782.00", "0.00"])

    def test_validated_is_accrued_and_priced_as_delivered(self):
        catalog = json.loads(json.dumps(CATALOG))
        catalog["version"] = "2"
        catalog["measures"][0]["returns"] = "level-per-year"
        catalog["measures"][2]["returns"] = "level-over-term"
        log = LogBuilder()
        log.add("catalog/cat", "CatalogPublished", {"catalog": catalog}, "2024-04-01",
                recorded="2024-04-01T00:00:00.000Z")
        log.register("K", "2025-04-01", "2026-03-31")
        log.pledge("K", "S", [priced("A1", "4", "30782"), priced("B2", "10", "16.09"),
                              priced("C3", "100", None)], "2025-04-01", catalog=("cat", "2"))
        log.report("K", "2025-26-Q1", [("A1", "5", True), ("B2", "0.5", True), ("C3", "100", True)])
        log.report("K", "2025-26-Q2", [("A1", "6", True), ("B2", "0.5", True), ("C3", "100", True)])
        log.validate("K", "2025-26-Q1", [("B2", "0.5"), ("C3", "100")])
        log.validate("K", "2025-26-Q2", [("A1", "6"), ("B2", "0.5")])
        rows = {r[2]: r for r in self.rows(self.figures(log, "--period", "2025-26-Q2"))
                if r[0] == "measure"}
        # A1, a level per year: Q2's 6 FTE × 1/4 = 1.5 FTE-years validated, of 2.75 delivered
        self.assertEqual(rows["A1"][5:7], ["84650.50", "46173.00"])
        self.assertEqual(rows["A1"][11:13], ["2.75", "1.5"])
        # B2: 0.5 + 0.5 validated, priced once: 1 × £16.09, not £8.05 + £8.05
        self.assertEqual(rows["B2"][5:7], ["16.09", "16.09"])
        # C3, a level over the term: Q1's 100 × 91/365 = 24.9315 validated, of 50.137
        self.assertEqual(rows["C3"][11:14], ["50.137", "24.9315", "50.137"])

    def test_a_correction_after_validation_unvalidates(self):
        log = catalog_log()
        log.register("K", "2025-04-01", "2026-03-31")
        log.pledge("K", "S", [priced("A1", "4", "30782"), priced("B2", "1000", "16.09")],
                   "2025-04-01")
        returned = log.report("K", "2025-26-Q1", [("A1", "1", True), ("B2", "100", True)])
        log.validate("K", "2025-26-Q1", [("A1", "1"), ("B2", "100")])               # 5
        log.correct("K", returned, "2025-26-Q1", [("B2", "120", True)])              # 6
        log.validate("K", "2025-26-Q1", [("B2", "120")])                             # 7
        log.query("K", "2025-26-Q1", "A1")                                           # 8
        log.answer("K", "2025-26-Q1", "A1")                                          # 9
        log.validate("K", "2025-26-Q1", [("A1", "1")])                               # 10
        log.correct("K", returned, "2025-26-Q1", [("A1", "1", False)])               # 11
        log.validate("K", "2025-26-Q1", [("A1", "1")])                               # 12

        def validated(position):
            rows = self.rows(self.figures(log, "--period", "2025-26-Q1",
                                          "--through", str(position)))
            return {r[2]: (r[6], r[12]) for r in rows if r[0] == "measure"}

        self.assertEqual(validated(4), {"A1": ("0.00", "0"), "B2": ("0.00", "0")})  # claimed
        self.assertEqual(validated(5), {"A1": ("30782.00", "1"), "B2": ("1609.00", "100")})
        # the correction submits B2 again: no longer validated, A1 untouched
        self.assertEqual(validated(6), {"A1": ("30782.00", "1"), "B2": ("0.00", "0")})
        self.assertEqual(validated(7), {"A1": ("30782.00", "1"), "B2": ("1930.80", "120")})
        # a query (and its answer) un-validates until the figure is validated again
        self.assertEqual(validated(8)["A1"], ("0.00", "0"))
        self.assertEqual(validated(9)["A1"], ("0.00", "0"))
        self.assertEqual(validated(10)["A1"], ("30782.00", "1"))
        # corrected as not pledged: it counts neither as delivered nor as validated
        self.assertEqual(validated(12)["A1"], ("0.00", "0"))
        # a decision before the figure is returned is overtaken by the return itself
        log.validate("K", "2025-26-Q2", [("B2", "7")])                               # 13
        log.report("K", "2025-26-Q2", [("B2", "7", True)])                           # 14
        q2 = {r[2]: r for r in self.rows(self.figures(log, "--period", "2025-26-Q2"))}
        self.assertEqual(q2["B2"][11:13], ["127", "120"])
        # a validated figure counts at its quantity in force, whatever the decision states
        log.validate("K", "2025-26-Q2", [("B2", "6")])                               # 15
        q2 = {r[2]: r for r in self.rows(self.figures(log, "--period", "2025-26-Q2"))}
        self.assertEqual(q2["B2"][5:7], ["2043.43", "2043.43"])
        self.assertEqual(q2["B2"][11:13], ["127", "127"])
        self.assertEqual(self.rows(self.figures(log, "--period", "2025-26-Q1"))[0][5], "0.00")

    def test_rated_delivery_validated_changes_capped_and_rating(self):
        log = catalog_log()
        log.policy({"policyId": "v", "version": "1", "effectiveDate": "2024-04-01",
                    "ratedDelivery": "validated"})
        # a later version rates claimed delivery again: the version in force decides
        log.policy({"policyId": "v", "version": "2", "effectiveDate": "2025-10-01",
                    "ratedDelivery": "claimed"}, effective="2025-10-01")
        log.policy({"policyId": "c", "version": "1", "effectiveDate": "2024-04-01"})
        returns = {}
        for ref, policy_id in (("K", "v"), ("L", "c")):
            log.register(ref, "2025-04-01", "2026-03-31", policy=policy_id)
            log.pledge(ref, "S", [priced("A1", "1", "30782"), priced("C3", "100", None)],
                       "2025-04-01")
            returns[ref] = log.report(ref, "2025-26-Q1", [("A1", "1", True), ("C3", "30", True)])

        def rows(*args):
            return {(r[0], r[1], r[2]): r for r in self.rows(self.figures(log, *args))}

        q1 = rows("--period", "2025-26-Q1")
        # 91 of 365 days: A1 expected £7,674.42 and C3 24.9315. Nothing validated: under v,
        # capped £0.00 and inadequate; variance still delivered − expected.
        self.assertEqual(q1[("measure", "K", "A1")][5:11],
                         ["30782.00", "0.00", "0.00", "7674.42", "23107.58", "inadequate"])
        self.assertEqual(q1[("measure", "K", "C3")][10:14],
                         ["inadequate", "30", "0", "24.9315"])
        self.assertEqual(q1[("contract", "K", "")][7:11],
                         ["0.00", "7674.42", "23107.58", "inadequate"])
        # the same returns under a policy that rates claimed delivery
        self.assertEqual(q1[("measure", "L", "A1")][5:11],
                         ["30782.00", "0.00", "7674.42", "7674.42", "23107.58", "good"])
        self.assertEqual(q1[("measure", "L", "C3")][10], "good")
        self.assertEqual(q1[("portfolio", "portfolio", "")][5:11],
                         ["61564.00", "0.00", "7674.42", "15348.84", "46215.16",
                          "requires improvement"])
        # validated: K's figures count, capped at expected
        log.validate("K", "2025-26-Q1", [("A1", "1"), ("C3", "30")])
        q1 = rows("--period", "2025-26-Q1")
        self.assertEqual(q1[("measure", "K", "A1")][5:11],
                         ["30782.00", "30782.00", "7674.42", "7674.42", "23107.58", "good"])
        self.assertEqual(q1[("measure", "K", "C3")][10:14], ["good", "30", "30", "24.9315"])
        # a correction submits C3 again: rated on 0 validated of 70 claimed
        log.correct("K", returns["K"], "2025-26-Q1", [("C3", "70", True)])
        q1 = rows("--period", "2025-26-Q1")
        self.assertEqual(q1[("measure", "K", "C3")][10:14],
                         ["inadequate", "70", "0", "24.9315"])
        # Q3 (reporting date 2025-12-31): version 2 is in force and rates claimed delivery,
        # 70 of 100 × 275/365 = 75.3425 expected: 0.929102
        q3 = rows("--period", "2025-26-Q3")
        self.assertEqual(q3[("measure", "K", "C3")][10:14],
                         ["approaching target", "70", "0", "75.3425"])

    def test_rated_delivery_must_be_claimed_or_validated(self):
        log = catalog_log()
        log.policy({"policyId": "p", "version": "1", "effectiveDate": "2024-04-01",
                    "ratedDelivery": "checked"})
        with self.assertRaisesRegex(rl.BadInput, "ratedDelivery 'checked' is not one of"):
            self.figures(log, "--period", "2025-26-Q1")

    def test_through_and_as_of(self):
        log = catalog_log()
        log.register("K", "2025-04-01", "2026-03-31", recorded="2025-04-01T09:00:00.000Z")
        log.pledge("K", "S", [priced("A1", "4", "30782")], "2025-04-01",
                   recorded="2025-04-02T23:59:59.999Z")
        log.report("K", "2025-26-Q1", [("A1", "1", True)], recorded="2025-07-03T00:00:00.000Z")
        text = self.figures(log, "--period", "2025-26-Q1", "--through", "3")
        self.assertIn("head,3,", text)
        self.assertIn("measure,K,A1,123128.00,123128.00,0.00,", text)
        text = self.figures(log, "--period", "2025-26-Q1", "--as-of", "2025-04-02")
        self.assertIn("head,3,", text)
        self.assertIn("period,2025-26-Q1,2025-04-02\n", text)
        text = self.figures(log, "--period", "2025-26-Q1", "--as-of", "2025-04-01")
        self.assertIn("head,2,", text)
        self.assertNotIn("\nmeasure,", text)
        text = self.figures(log, "--period", "2025-26-Q1", "--through", "0")
        self.assertIn("head,0," + "0" * 64, text)

    def test_digest(self):
        log = catalog_log()
        text = self.figures(log, "--period", "2025-26-Q2")
        digest = self.figures(log, "--period", "2025-26-Q2", "--digest")
        self.assertEqual(digest, "sha256:" + hashlib.sha256(text.encode()).hexdigest() + "\n")

    def test_bad_input_is_one_line_and_status_2(self):
        log = catalog_log()
        path = log.write(self.tmp.name)
        broken = os.path.join(self.tmp.name, "broken.ndjson")
        with open(broken, "w") as handle:
            handle.write(log.lines[0].replace('"Jobs, local"', '"Jobs, locale"') + "\n")
        cases = [["--ndjson", path],                                   # no period
                 ["--ndjson", path, "--period", "2025-27-Q1"],
                 ["--ndjson", path, "--period", "2025-26-Q1", "--through", "9"],
                 ["--ndjson", path, "--period", "2025-26-Q1", "--as-of", "2025-02-30"],
                 ["--ndjson", path, "--period", "2025-26-Q1", "--as-of", "2025-01-01",
                  "--through", "1"],
                 ["--ndjson", os.path.join(self.tmp.name, "missing"), "--period", "2025-26-Q1"],
                 [self.tmp.name, "--period", "2025-26-Q1"],           # not a ledger
                 ["--ndjson", broken, "--period", "2025-26-Q1"],      # hash does not match
                 ["--bogus"]]
        for argv in cases:
            with self.subTest(argv=argv):
                err, out = io.StringIO(), io.StringIO()
                with redirect_stderr(err), redirect_stdout(out):
                    status = rl.main(argv)
                self.assertEqual(status, 2)
                self.assertEqual(err.getvalue().count("\n"), 1, err.getvalue())
                self.assertTrue(err.getvalue().startswith("error: "))
                self.assertEqual(out.getvalue(), "")


if __name__ == "__main__":
    unittest.main()
