#!/usr/bin/env python3
"""A second, independent implementation of svledger's reconciliation figures.

Written from the documents alone (Schemas/README.md §1-§8 and §10, the event, policy and
catalog schemas, docs/rules.md "The money rule", "Reconciliation, defined" and "Rating",
docs/domain.md), without svledger's code, so that an auditor can recompute the figures file
`svledger-figures/4` (Schemas/README.md §10) and its digest from the log alone. The root of
the Merkle tree that the figures state (§11) comes from merkle_proofs.py, beside it.

    python3 tools/reconcile_ledger.py LEDGER_DIR --period 2025-26-Q2
    python3 tools/reconcile_ledger.py --ndjson FILE --period 2025-26-Q2 --digest
    options: [--reporting-date YYYY-MM-DD] [--through POSITION | --as-of YYYY-MM-DD] [--digest]

It reads the log (an LMDB ledger, opened read-only, or an export of it, one envelope per
line, §6) up to a position, checks that each event's stored hash is the chain hash of §4
(figures are only worth their head if the head holds), folds the catalogs and every
contract's stream, and prints the figures file, or with --digest the line `sha256:<hex>`.

The reporting date is the period's last day, or, if earlier, the --as-of date, else
--reporting-date, else today (UTC), as the documents say. --as-of DATE reads the log up to
the last position recorded at or before the end of that UTC day. On bad input it prints one
line on stderr and exits 2.

Every number is an exact decimal (decimal.Decimal with an exact context that traps any
inexact operation); divisions are done on exact fractions and rounded once, half away from
zero. No binary floating point is used anywhere.

Readings where the documents are silent (each also tested in test_reconcile_ledger.py):
- a refresh's `lines` (the whole commitment after it) replace the commitment in force, so
  the last refresh in log order among those in force wins, whatever it was built on;
- the measure rows are every line of the pledge or of a refresh in force; one missing from
  the current commitment is withdrawn (current £0, expected 0, not yet due);
- a line added at a review and withdrawn since has no originally pledged proxy: its delivery
  is valued at £0 and it is rated on quantities (docs/rules.md says so since);
- a current line with no proxy is record-only even if it was priced before: delivered £0,
  rated on quantities; a record-only line's £ columns are 0.00;
- a record-only line is rated on the rated quantity (delivered, or validated when the policy
  in force rates validated delivery) against the expected quantity as printed (four decimals);
- a pledged delivery of a measure with no commitment line in force has no row and counts
  nowhere; the figure in force for a quarter and measure is the last in log order, and it
  counts only if that figure is marked pledged;
- the supplier is the pledge's; the theme and priorities come from the catalog version named
  by the last commitment in force (pledge or refresh);
- a figure's validation status is that of the last event of the contract naming its quarter
  and measure (a return or correction line, pledged or not, a query, an answer, or a decision
  listing the measure): validated only when that is a DeliveryValidated; a decision naming a
  figure that has not been returned yet is overtaken by the return itself; the quantity a
  decision states is not used (the figure counts in full at its quantity in force);
- `validated` counts only what `delivered` counts (pledged figures of a line in force, up to
  the period), accrued per quarter as delivered is and priced with one rounding per line.
"""

import argparse
import base64
import datetime
import decimal
import hashlib
import json
import os
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

from merkle_proofs import Frontier, leaf_hash

FORMAT_LINE = "svledger-figures/4"
GENESIS = bytes(32)

# Exact arithmetic: any addition or multiplication that would have to round raises, so a
# figure is never silently rounded except by the explicit roundings below.
EXACT = decimal.Context(prec=200, rounding=ROUND_HALF_UP,
                        traps=[decimal.Inexact, decimal.InvalidOperation,
                               decimal.DivisionByZero, decimal.Overflow])
decimal.setcontext(EXACT)
# For quantize: Python's ROUND_HALF_UP on Decimal rounds halves away from zero.
ROUNDING = decimal.Context(prec=200, rounding=ROUND_HALF_UP,
                           traps=[decimal.InvalidOperation, decimal.Overflow])

ZERO = Decimal(0)
PENNY = Decimal("0.01")

RATING_GOOD = "good"
RATING_APPROACHING = "approaching target"
RATING_REQUIRES = "requires improvement"
RATING_INADEQUATE = "inadequate"
RATING_NOT_YET_DUE = "not yet due"

UNKNOWN_THEME = "(unknown theme)"
NO_SUPPLIER = "(no supplier)"

HEADER = ("level,key,measure,original,current,delivered,validated,capped,expected,variance,"
          "rating,deliveredQuantity,validatedQuantity,expectedQuantity")

DECIMAL_RE = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
QUARTER_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-Q([1-4])$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")


class BadInput(Exception):
    """Anything that makes the figures impossible to compute: one line, exit status 2."""


# --------------------------------------------------------------------------------------
# Exact values and rounding (Schemas/README.md §7, docs/rules.md "The money rule")
# --------------------------------------------------------------------------------------

def parse_decimal(text, what):
    """A non-negative exact decimal written as a string (digits, optional point+digits)."""
    if not isinstance(text, str) or not DECIMAL_RE.match(text):
        raise BadInput(f"{what}: not a plain non-negative decimal: {text!r}")
    return Decimal(text)


def round_half_away(value, places):
    """Round an exact value (Decimal, int or Fraction) to `places` decimals, halves away
    from zero; returns a Decimal with exactly `places` decimals (never -0)."""
    scaled = Fraction(value) * (10 ** places)
    negative = scaled < 0
    numerator, denominator = abs(scaled.numerator), scaled.denominator
    whole, rest = divmod(numerator, denominator)
    if 2 * rest >= denominator:
        whole += 1
    if negative:
        whole = -whole
    return Decimal(whole).scaleb(-places, context=ROUNDING)


def round_money(value):
    return round_half_away(value, 2)


def line_value(quantity, proxy):
    """quantity × proxy, exactly, rounded once to the penny half away from zero; None for
    a record-only line (no proxy, or a proxy of 0)."""
    if proxy is None or proxy == 0:
        return None
    return round_money(quantity * proxy)


# svledger's default cut-offs (good, approaching target, requires improvement), for a policy
# that states none and for a group whose contracts' policies state different ones.
DEFAULT_CUT_OFFS = (Decimal("0.95"), Decimal("0.80"), Decimal("0.50"))


def rate(delivered, expected, cut_offs=DEFAULT_CUT_OFFS):
    """The rating of docs/rules.md: capped delivered ÷ expected worked to six decimals, halves
    away from zero, against the cut-offs (the council's, from its policy; svledger's
    defaults 0.95, 0.80 and 0.50); expected zero is not yet due."""
    if expected == 0:
        return RATING_NOT_YET_DUE
    ratio = round_half_away(Fraction(delivered) / Fraction(expected), 6)
    good, approaching, requires = cut_offs
    if ratio >= good:
        return RATING_GOOD
    if ratio >= approaching:
        return RATING_APPROACHING
    if ratio >= requires:
        return RATING_REQUIRES
    return RATING_INADEQUATE


class Agreement:
    """The cut-offs a group is rated on: those all its lines share, or the defaults."""
    __slots__ = ("cut_offs", "mixed")

    def __init__(self):
        self.cut_offs, self.mixed = None, False

    def add(self, cut_offs):
        if self.cut_offs is None:
            self.cut_offs = cut_offs
        elif cut_offs != self.cut_offs:
            self.mixed = True

    def result(self):
        return DEFAULT_CUT_OFFS if self.mixed or self.cut_offs is None else self.cut_offs


def spread_days(term_start, term_end, pledge_effective, reporting_date):
    """(E, D) of docs/rules.md: S is the later of the term start and the pledge's effective
    date; D = (end − S) + 1, at least 1; E = (reporting date − S) + 1, held in [0, D]."""
    s = max(term_start, pledge_effective)
    d = max((term_end - s).days + 1, 1)
    e = min(max((reporting_date - s).days + 1, 0), d)
    return e, d


def expected_money(current_value, e, d):
    return round_money(Fraction(current_value) * e / d)


def expected_quantity(current_quantity, e, d):
    return round_half_away(Fraction(current_quantity) * e / d, 4)


# How a measure's returns make up a period's figure (docs/rules.md "Levels and flows"): a
# flow's returns add up; a level's return is what was held during the quarter, turned into
# delivery by the quarter's share of the unit's period.
ACCRUALS = ("add-up", "level-per-year", "level-over-term")


def quarter_days_in_spread(quarter, spread_start, d):
    """The days of `quarter` in the spread, 0…92: the D days from its first day (to the term
    end, or the one first day when the pledge took effect after the term ended)."""
    first = max(quarter_first_day(quarter), spread_start)
    last = min(quarter_last_day(quarter), spread_start + datetime.timedelta(days=d - 1))
    return max((last - first).days + 1, 0)


def accrued(quantity, accrual, quarter, spread_start, d):
    if accrual == "level-per-year":
        return quantity * Decimal("0.25")
    if accrual == "level-over-term":
        return round_half_away(Fraction(quantity) * quarter_days_in_spread(quarter, spread_start, d) / d, 4)
    return quantity


# --------------------------------------------------------------------------------------
# Formatting (Schemas/README.md §10)
# --------------------------------------------------------------------------------------

def format_money(value):
    """Pounds with exactly two decimals, a leading '-' when negative, never '-0.00'."""
    value = round_money(value)  # already pence everywhere; this only fixes the scale
    if value == 0:
        return "0.00"
    return format(value, "f")


def format_quantity(value):
    """A plain decimal: no exponent, no trailing zeros after the point, no point when whole."""
    if value == 0:
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def csv_field(text):
    """Quoted only when it contains a comma, a double quote, CR or LF; quotes doubled."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(fields):
    return ",".join(csv_field(f) for f in fields) + "\n"


def utf8_key(text):
    return text.encode("utf-8")


# --------------------------------------------------------------------------------------
# Dates and quarters
# --------------------------------------------------------------------------------------

def parse_date(text, what):
    if not isinstance(text, str) or not DATE_RE.match(text):
        raise BadInput(f"{what}: not a date YYYY-MM-DD: {text!r}")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{what}: not a real calendar date: {text!r}") from None


def parse_quarter(text, what):
    """YYYY-YY-QN -> (first year, quarter number); the second year must follow the first."""
    match = QUARTER_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise BadInput(f"{what}: not a quarter YYYY-YY-QN: {text!r}")
    year, second, number = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if (year + 1) % 100 != second:
        raise BadInput(f"{what}: the second year must be the one after the first: {text!r}")
    return (year, number)


def quarter_first_day(quarter):
    year, number = quarter
    return datetime.date(year + (number == 4), (4, 7, 10, 1)[number - 1], 1)


def quarter_last_day(quarter):
    year, number = quarter
    if number == 1:
        return datetime.date(year, 6, 30)
    if number == 2:
        return datetime.date(year, 9, 30)
    if number == 3:
        return datetime.date(year, 12, 31)
    return datetime.date(year + 1, 3, 31)


# --------------------------------------------------------------------------------------
# Reading the log (Schemas/README.md §1, §2, §4, §6)
# --------------------------------------------------------------------------------------

def canonical_bytes(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def _reject_float(text):
    raise BadInput(f"a JSON number that is not an integer: {text}")


def parse_envelope(raw, where):
    try:
        envelope = json.loads(raw, parse_float=_reject_float)
    except BadInput:
        raise
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(envelope, dict):
        raise BadInput(f"{where}: not a JSON object")
    return envelope


def read_lmdb(path):
    """Yield (position, stored hash, canonical bytes, None) in log order."""
    try:
        import lmdb  # PyPI `lmdb`
    except ImportError:
        raise BadInput("the Python module lmdb is not installed (pip install lmdb)") from None
    if not os.path.isdir(path):
        raise BadInput(f"{path}: not a directory (expected an LMDB environment)")
    if not os.path.isfile(os.path.join(path, "data.mdb")):
        raise BadInput(f"{path}: no data.mdb (not an LMDB environment)")
    try:
        env = lmdb.open(path, readonly=True, max_dbs=16, lock=False, subdir=True)
    except lmdb.Error as exc:
        raise BadInput(f"{path}: cannot open LMDB environment: {exc}") from None
    try:
        with env.begin(buffers=False) as txn:
            try:
                meta = env.open_db(b"meta", txn=txn, create=False)
                log = env.open_db(b"log", txn=txn, create=False)
            except lmdb.Error:
                raise BadInput(f"{path}: not an svledger/1 ledger (no meta or log database)") from None
            if txn.get(b"format", db=meta) != b"svledger/1":
                raise BadInput(f"{path}: not an svledger/1 ledger (meta/format)")
            with txn.cursor(db=log) as cursor:
                for key, value in cursor:
                    if len(key) != 8:
                        raise BadInput(f"{path}: a log key is not 8 bytes")
                    if len(value) < 33:
                        raise BadInput(f"{path}: log value at {int.from_bytes(key, 'big')} is too short")
                    yield int.from_bytes(key, "big"), value[:32], value[32:], None
    except lmdb.Error as exc:
        raise BadInput(f"{path}: cannot read LMDB environment: {exc}") from None
    finally:
        env.close()


def read_ndjson(path):
    """Yield (position, stored hash, canonical bytes, envelope) from an exported log (§6):
    the canonical bytes are the line's object without `hash`, encoded again (§3)."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise BadInput(f"{path}: cannot open: {exc.strerror}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.endswith(b"\n"):
                line = line[:-1]
            if not line.strip():
                raise BadInput(f"{path} line {number}: blank line")
            envelope = parse_envelope(line, f"{path} line {number}")
            stored = envelope.pop("hash", None)
            if not isinstance(stored, str) or not HEX64_RE.match(stored):
                raise BadInput(f"{path} line {number}: no hash field of 64 lowercase hex digits")
            position = envelope.get("position")
            yield position if isinstance(position, int) else number, \
                bytes.fromhex(stored), canonical_bytes(envelope), envelope


def read_log(source, through=None, as_of=None):
    """Yield (position, envelope) for the prefix of the log asked for, checking positions
    and the chain; afterwards `result` holds the head (position, hash) of that prefix and
    the root of the Merkle tree of its events (§11)."""
    tree = Frontier()
    result = {"position": 0, "hash": GENESIS, "tree": tree}
    as_of_text = as_of.isoformat() if as_of else None

    def events():
        previous = GENESIS
        expected = 1
        last_recorded = ""
        for position, stored_hash, canonical, envelope in source:
            if through is not None and expected > through:
                break
            if position != expected:
                raise BadInput(f"position {expected}: the log has position {position} there")
            if envelope is None:
                envelope = parse_envelope(canonical, f"position {position}")
            if envelope.get("position") != position:
                raise BadInput(f"position {position}: the envelope says position "
                               f"{envelope.get('position')!r}")
            if hashlib.sha256(previous + canonical).digest() != stored_hash:
                raise BadInput(f"position {position}: the stored hash is not the chain hash "
                               f"(run svledger verify)")
            recorded = envelope.get("recordedAt")
            if not isinstance(recorded, str) or len(recorded) != 24:
                raise BadInput(f"position {position}: recordedAt is not a UTC time")
            if recorded < last_recorded:
                raise BadInput(f"position {position}: recordedAt goes back in time")
            last_recorded = recorded
            if as_of_text is not None and recorded[:10] > as_of_text:
                break
            previous = stored_hash
            result["position"], result["hash"] = position, stored_hash
            tree.append(leaf_hash(canonical))
            expected += 1
            yield position, envelope
        if through is not None and result["position"] < through:
            raise BadInput(f"--through {through}: the log ends at position {result['position']}")

    return events(), result


# --------------------------------------------------------------------------------------
# Folding (docs/rules.md "Reconciliation, defined"; Schemas/README.md §10)
# --------------------------------------------------------------------------------------

class Contract:
    __slots__ = ("reference", "policy", "start", "end", "pledge_effective", "supplier",
                 "original", "current", "catalog", "last_proxy", "deliveries", "validated",
                 "version")

    def __init__(self, reference):
        self.reference = reference
        self.policy = None   # the policy id the contract was registered under
        self.start = None
        self.end = None
        self.pledge_effective = None  # None: no pledge in force on the reporting date
        self.supplier = None
        self.original = {}   # measure -> (quantity, proxy) of the pledge
        self.current = {}    # measure -> (quantity, proxy) of the commitment in force
        self.catalog = None  # (catalogId, version) named by the commitment in force
        self.last_proxy = {}  # measure -> proxy of the last commitment in force holding it
        self.deliveries = {}  # (quarter, measure) -> (quantity, pledged): the figure in force
        # (quarter, measure) -> True when the last event naming the figure is a DeliveryValidated
        self.validated = {}
        self.version = 0      # the stream version of the last event folded in


def priced_lines(lines, where):
    if not isinstance(lines, list):
        raise BadInput(f"{where}: lines is not a list")
    result = {}
    for index, line in enumerate(lines):
        if not isinstance(line, dict):
            raise BadInput(f"{where}: lines[{index}] is not an object")
        measure = line.get("measure")
        if not isinstance(measure, str) or not measure:
            raise BadInput(f"{where}: lines[{index}].measure is missing")
        quantity = parse_decimal(line.get("quantity"), f"{where}: lines[{index}].quantity")
        proxy = line.get("proxyGBP")
        proxy = None if proxy is None else parse_decimal(proxy, f"{where}: lines[{index}].proxyGBP")
        if proxy == 0:
            proxy = None
        if measure in result:
            raise BadInput(f"{where}: measure {measure} twice in one list")
        result[measure] = (quantity, proxy)
    return result


def catalog_entry(payload, where):
    catalog = payload.get("catalog")
    if not isinstance(catalog, dict):
        raise BadInput(f"{where}: no catalog document")
    key = (catalog.get("catalogId"), catalog.get("version"))
    if not all(isinstance(k, str) for k in key):
        raise BadInput(f"{where}: catalog without catalogId or version")
    measures = {}
    for index, measure in enumerate(catalog.get("measures") or []):
        if not isinstance(measure, dict) or not isinstance(measure.get("code"), str):
            raise BadInput(f"{where}: measures[{index}] has no code")
        theme = measure.get("theme")
        if not isinstance(theme, str):
            raise BadInput(f"{where}: measure {measure['code']} has no theme")
        priorities = []
        for framework, names in (measure.get("priorities") or {}).items():
            if not isinstance(names, list):
                raise BadInput(f"{where}: measure {measure['code']}: priorities of {framework}")
            for name in names:
                text = f"{framework}: {name}"
                if text not in priorities:
                    priorities.append(text)
        accrual = measure.get("returns", "add-up")
        if accrual not in ACCRUALS:
            raise BadInput(f"{where}: measure {measure['code']}: returns {accrual!r} is not one of {', '.join(ACCRUALS)}")
        measures[measure["code"]] = (theme, tuple(priorities), accrual)
    return key, measures


# Which delivery a policy's ratings rate (its `ratedDelivery`, policy.schema.json): every
# figure returned, or only the validated ones. Absent means claimed.
RATED_CLAIMED = "claimed"
RATED_VALIDATED = "validated"
RATED_DELIVERIES = (RATED_CLAIMED, RATED_VALIDATED)


def policy_entry(payload, where):
    """(policy id, effective date, cut-offs, rated delivery) of a PolicyAdopted payload's
    document."""
    policy = payload.get("policy")
    if not isinstance(policy, dict) or not isinstance(policy.get("policyId"), str):
        raise BadInput(f"{where}: no policy document with a policyId")
    effective = parse_date(policy.get("effectiveDate"), f"{where}: effectiveDate")
    rated = policy.get("ratedDelivery", RATED_CLAIMED)
    if rated not in RATED_DELIVERIES:
        raise BadInput(f"{where}: ratedDelivery {rated!r} is not one of {', '.join(RATED_DELIVERIES)}")
    stated = policy.get("ratingCutOffs")
    if stated is None:
        return policy["policyId"], effective, DEFAULT_CUT_OFFS, rated
    if not isinstance(stated, dict):
        raise BadInput(f"{where}: ratingCutOffs is not an object")
    cut_offs = tuple(parse_decimal(stated.get(k), f"{where}: ratingCutOffs.{k}")
                     for k in ("good", "approachingTarget", "requiresImprovement"))
    return policy["policyId"], effective, cut_offs, rated


def policy_in_force(policies, policy_id, day):
    """(cut-offs, rated delivery) of the version of `policy_id` in force on `day`: the latest
    effective date on or before it, the one adopted later between equal dates; else its first
    version; the defaults (and claimed delivery) for a policy the log does not hold."""
    versions = policies.get(policy_id) or []
    in_force = [v for v in versions if v[0] <= day]
    if in_force:
        chosen = max(enumerate(in_force), key=lambda pair: (pair[1][0], pair[0]))[1]
    elif versions:
        chosen = versions[0]
    else:
        return DEFAULT_CUT_OFFS, RATED_CLAIMED
    return chosen[1], chosen[2]


def cut_offs_in_force(policies, policy_id, day):
    """The cut-offs of the version of `policy_id` in force on `day` (policy_in_force)."""
    return policy_in_force(policies, policy_id, day)[0]


def rated_delivery_in_force(policies, policy_id, day):
    """Which delivery the version of `policy_id` in force on `day` rates (policy_in_force)."""
    return policy_in_force(policies, policy_id, day)[1]


# The check of delivered figures (Schemas/README.md §8 and §10): a query or an answer names one
# figure; a decision (validated or rejected) names several figures of one quarter.
FIGURE_EVENTS = ("DeliveryQueried", "QueryAnswered")
DECISION_EVENTS = ("DeliveryValidated", "DeliveryRejected")

FOLDED = {"PolicyAdopted", "CatalogPublished", "ContractRegistered", "PledgeRecorded", "CommitmentsRefreshed",
          "DeliveryReported", "DeliveryCorrected", *FIGURE_EVENTS, *DECISION_EVENTS}


def fold(events, period, reporting_date, on=None):
    """Fold the log into the catalogs and the contracts' compact states. With `on` (the
    effective-time view of section 10), a contract's events effective after that day are
    left out, and a contract whose registration is left out does not exist."""
    catalogs = {}
    policies = {}  # policy id -> [(effective date, cut-offs, rated delivery)] in the order adopted
    contracts = {}
    unregistered = set()
    for position, envelope in events:
        kind = envelope.get("eventType")
        stream = envelope.get("streamId")
        payload = envelope.get("payload")
        where = f"position {position} ({kind})"
        if not isinstance(stream, str) or not isinstance(payload, dict):
            raise BadInput(f"{where}: no streamId or payload")
        if kind in FOLDED and envelope.get("schemaVersion") != 1:
            raise BadInput(f"{where}: schemaVersion {envelope.get('schemaVersion')!r} "
                           f"(this tool reads the version 1 payloads of Schemas/events/)")
        if kind == "CatalogPublished":
            key, measures = catalog_entry(payload, where)
            catalogs[key] = measures
            continue
        if kind == "PolicyAdopted":
            policy_id, effective, cut_offs, rated = policy_entry(payload, where)
            policies.setdefault(policy_id, []).append((effective, cut_offs, rated))
            continue
        if not stream.startswith("contract/"):
            continue
        reference = stream[len("contract/"):]
        if on is not None:
            effective_on = parse_date(envelope.get("effectiveDate"), f"{where}: effectiveDate")
            if effective_on > on:
                if kind == "ContractRegistered":
                    unregistered.add(reference)
                continue
            if reference in unregistered:
                continue
        contract = contracts.get(reference)
        if contract is None:
            contract = contracts[reference] = Contract(reference)
        version = envelope.get("streamVersion")
        if isinstance(version, int):
            contract.version = version
        if kind == "ContractRegistered":
            contract.policy = payload.get("policyId")
            contract.start = parse_date(payload.get("startDate"), f"{where}: startDate")
            contract.end = parse_date(payload.get("endDate"), f"{where}: endDate")
        elif kind == "PledgeRecorded":
            effective = parse_date(envelope.get("effectiveDate"), f"{where}: effectiveDate")
            if effective > reporting_date:
                continue  # not in force on the reporting date: the contract is left out
            lines = priced_lines(payload.get("lines"), where)
            supplier = payload.get("supplier")
            contract.pledge_effective = effective
            contract.supplier = supplier if isinstance(supplier, str) and supplier else None
            contract.original = lines
            contract.current = dict(lines)
            contract.catalog = (payload.get("catalogId"), payload.get("catalogVersion"))
            contract.last_proxy = {m: p for m, (_, p) in lines.items()}
        elif kind == "CommitmentsRefreshed":
            if contract.pledge_effective is None:
                continue
            effective = parse_date(envelope.get("effectiveDate"), f"{where}: effectiveDate")
            if effective > reporting_date:
                continue  # a refresh effective after the reporting date is ignored
            lines = priced_lines(payload.get("lines"), where)
            contract.current = lines
            contract.catalog = (payload.get("catalogId"), payload.get("catalogVersion"))
            for measure, (_, proxy) in lines.items():
                contract.last_proxy[measure] = proxy
        elif kind in ("DeliveryReported", "DeliveryCorrected"):
            quarter = parse_quarter(payload.get("quarter"), f"{where}: quarter")
            if quarter > period:
                continue  # only quarters up to and including the period count
            lines = payload.get("lines")
            if not isinstance(lines, list):
                raise BadInput(f"{where}: lines is not a list")
            for index, line in enumerate(lines):
                if not isinstance(line, dict) or not isinstance(line.get("measure"), str):
                    raise BadInput(f"{where}: lines[{index}] has no measure")
                quantity = parse_decimal(line.get("quantity"), f"{where}: lines[{index}].quantity")
                pledged = line.get("pledged")
                if not isinstance(pledged, bool):
                    raise BadInput(f"{where}: lines[{index}].pledged is not true or false")
                # One figure per quarter and measure: a later one replaces the earlier, and
                # is submitted to be checked again (no longer validated).
                contract.deliveries[(quarter, line["measure"])] = (quantity, pledged)
                contract.validated[(quarter, line["measure"])] = False
        elif kind in FIGURE_EVENTS:
            quarter = parse_quarter(payload.get("quarter"), f"{where}: quarter")
            measure = payload.get("measure")
            if not isinstance(measure, str) or not measure:
                raise BadInput(f"{where}: no measure")
            if quarter > period:
                continue
            # A query or its answer: the figure is being checked, not validated.
            contract.validated[(quarter, measure)] = False
        elif kind in DECISION_EVENTS:
            quarter = parse_quarter(payload.get("quarter"), f"{where}: quarter")
            figures = payload.get("figures")
            if not isinstance(figures, list):
                raise BadInput(f"{where}: figures is not a list")
            measures = []
            for index, figure in enumerate(figures):
                if not isinstance(figure, dict) or not isinstance(figure.get("measure"), str) \
                        or not figure["measure"]:
                    raise BadInput(f"{where}: figures[{index}] has no measure")
                # the quantity the figure stood at then: checked, not used
                parse_decimal(figure.get("quantity"), f"{where}: figures[{index}].quantity")
                measures.append(figure["measure"])
            if quarter > period:
                continue
            for measure in measures:
                contract.validated[(quarter, measure)] = kind == "DeliveryValidated"
    return catalogs, policies, contracts


# --------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------

class Sums:
    __slots__ = ("original", "current", "delivered", "validated", "capped", "expected",
                 "agreement")

    def __init__(self):
        self.original = self.current = self.delivered = self.validated = ZERO
        self.capped = self.expected = ZERO
        self.agreement = Agreement()

    def add(self, row):
        self.original += row["original"]
        self.current += row["current"]
        self.delivered += row["delivered"]
        self.validated += row["validated"]
        self.capped += row["capped"]
        self.expected += row["expected"]
        self.agreement.add(row["cutOffs"])


def measure_rows(contract, period, reporting_date, catalog, cut_offs, rated=RATED_CLAIMED):
    """The measure rows of one contract with a commitment in force, by measure code.
    `catalog` holds the measures of the catalog the commitment in force names ({} if unknown);
    `cut_offs` and `rated` (its ratedDelivery) are those of the contract's policy in force on
    the reporting date."""
    if contract.start is None or contract.end is None:
        raise BadInput(f"contract {contract.reference}: pledged but never registered")
    e, d = spread_days(contract.start, contract.end, contract.pledge_effective, reporting_date)
    spread_start = max(contract.start, contract.pledge_effective)
    delivered_quantity = {}
    validated_quantity = {}
    for (quarter, measure), (quantity, pledged) in contract.deliveries.items():
        if pledged and quarter <= period:
            accrual = catalog[measure][2] if measure in catalog else "add-up"
            quantity = accrued(quantity, accrual, quarter, spread_start, d)
            delivered_quantity[measure] = delivered_quantity.get(measure, ZERO) + quantity
            # A validated figure counts in full, accrued as delivered is; any other not at all.
            validated = quantity if contract.validated.get((quarter, measure)) else ZERO
            validated_quantity[measure] = validated_quantity.get(measure, ZERO) + validated
    measures = set(contract.original) | set(contract.last_proxy)
    rows = []
    for measure in sorted(measures, key=utf8_key):
        if measure in contract.original:
            quantity, proxy = contract.original[measure]
            original = line_value(quantity, proxy) or ZERO
        else:
            original = ZERO  # a line added at a review
        if measure in contract.current:
            current_quantity, proxy = contract.current[measure]
            current_value = line_value(current_quantity, proxy)
            record_only = current_value is None
            current = current_value or ZERO
        else:
            # Withdrawn: current £0; delivery priced at the originally pledged proxy. A line
            # added at a review and withdrawn since was never pledged: no proxy, £0.
            current_quantity, current = ZERO, ZERO
            proxy = contract.original[measure][1] if measure in contract.original else None
            record_only = proxy is None
        delivered_q = delivered_quantity.get(measure, ZERO)
        delivered = line_value(delivered_q, proxy) or ZERO
        validated_q = validated_quantity.get(measure, ZERO)
        validated = line_value(validated_q, proxy) or ZERO
        expected = expected_money(current, e, d)
        expected_q = expected_quantity(current_quantity, e, d)
        # One rating rule (docs/rules.md "Rating"): what is rated is the rated delivery
        # (claimed, or validated when the policy says so) capped at expected.
        if rated == RATED_VALIDATED:
            rated_value, rated_q = validated, validated_q
        else:
            rated_value, rated_q = delivered, delivered_q
        capped = min(rated_value, max(expected, ZERO))
        if record_only:
            rating = rate(min(rated_q, expected_q), expected_q, cut_offs)
        else:
            rating = rate(capped, expected, cut_offs)
        rows.append({"measure": measure, "original": original, "current": current,
                     "delivered": delivered, "validated": validated, "capped": capped,
                     "expected": expected, "rating": rating, "cutOffs": cut_offs,
                     "deliveredQuantity": delivered_q, "validatedQuantity": validated_q,
                     "expectedQuantity": expected_q})
    return rows


def figures_file(catalogs, policies, contracts, period, reporting_date, head_position, head_hash,
                 tree_root, period_text, supplier=None, contract=None):
    """The portfolio's figures state the head and the tree root there; with `supplier`, the
    figures of that supplier's contracts alone, which state the supplier and each contract's
    stream version instead; with `contract`, that contract's alone, stating its stream's
    version (section 10)."""
    in_force = [c for c in contracts.values() if c.pledge_effective is not None
                and (supplier is None or c.supplier == supplier)
                and (contract is None or c.reference == contract)]
    if contract is not None:
        version = contracts[contract].version if contract in contracts else 0
        scope = [csv_line(["contract", contract, str(version)])]
    elif supplier is None:
        scope = [csv_line(["head", str(head_position), head_hash.hex()]),
                 csv_line(["tree", base64.b64encode(tree_root).decode("ascii")])]
    else:
        scope = [csv_line(["supplier", supplier])] + [
            csv_line(["stream", "contract/" + c.reference, str(c.version)])
            for c in sorted(in_force, key=lambda c: utf8_key(c.reference))]
    out = [FORMAT_LINE + "\n"] + scope + [
           csv_line(["period", period_text, reporting_date.isoformat()]),
           HEADER + "\n"]
    contract_rows = []
    themes, priorities, suppliers = {}, {}, {}
    portfolio = Sums()
    for contract in sorted(in_force, key=lambda c: utf8_key(c.reference)):
        catalog = catalogs.get(contract.catalog, {})
        cut_offs, rated = policy_in_force(policies, contract.policy, reporting_date)
        rows = measure_rows(contract, period, reporting_date, catalog, cut_offs, rated)
        sums = Sums()
        supplier = contract.supplier if contract.supplier is not None else NO_SUPPLIER
        supplier_sums = suppliers.setdefault(supplier, Sums())
        for row in rows:
            out.append(csv_line([
                "measure", contract.reference, row["measure"],
                format_money(row["original"]), format_money(row["current"]),
                format_money(row["delivered"]), format_money(row["validated"]),
                format_money(row["capped"]), format_money(row["expected"]),
                format_money(row["delivered"] - row["expected"]), row["rating"],
                format_quantity(row["deliveredQuantity"]),
                format_quantity(row["validatedQuantity"]),
                format_quantity(row["expectedQuantity"])]))
            sums.add(row)
            portfolio.add(row)
            supplier_sums.add(row)
            theme, measure_priorities, _ = catalog.get(row["measure"], (UNKNOWN_THEME, (), "add-up"))
            themes.setdefault(theme, Sums()).add(row)
            for priority in measure_priorities:
                priorities.setdefault(priority, Sums()).add(row)
        contract_rows.append((contract.reference, sums))
    for reference, sums in contract_rows:
        out.append(rollup_line("contract", reference, sums))
    for level, table in (("theme", themes), ("priority", priorities), ("supplier", suppliers)):
        for key in sorted(table, key=utf8_key):
            out.append(rollup_line(level, key, table[key]))
    out.append(rollup_line("portfolio", "portfolio", portfolio))
    return "".join(out)


def rollup_line(level, key, sums):
    return csv_line([level, key, "",
                     format_money(sums.original), format_money(sums.current),
                     format_money(sums.delivered), format_money(sums.validated),
                     format_money(sums.capped), format_money(sums.expected),
                     format_money(sums.delivered - sums.expected),
                     rate(sums.capped, sums.expected, sums.agreement.result()), "", "", ""])


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise BadInput(message)


def positive_position(text):
    if not re.match(r"^[0-9]{1,16}$", text or ""):
        raise BadInput(f"--through: not a position: {text!r}")
    return int(text)


def build_parser():
    parser = Parser(prog="reconcile_ledger.py",
                    description="Recompute svledger's figures file (svledger-figures/4) "
                                "from the log alone.")
    parser.add_argument("ledger", nargs="?", help="the ledger directory (LMDB environment)")
    parser.add_argument("--ndjson", metavar="FILE", help="an exported log instead of a ledger")
    parser.add_argument("--period", required=True, help="the financial quarter, YYYY-YY-QN")
    parser.add_argument("--reporting-date", metavar="YYYY-MM-DD",
                        help="stands for today (UTC) in the reporting date's definition")
    parser.add_argument("--through", "--at", dest="through", metavar="POSITION",
                        help="read the log up to this position (--at, as svledger names it)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="read the log as it stood at the end of this UTC day")
    parser.add_argument("--on", metavar="YYYY-MM-DD",
                        help="the effective-time view: leave out contract events effective "
                             "after this day (it is then the reporting date's limit)")
    parser.add_argument("--supplier", metavar="NAME",
                        help="only this supplier's contracts, with their stream versions in "
                             "place of the head (what svledger serve gives a supplier)")
    parser.add_argument("--contract", metavar="REFERENCE",
                        help="only this contract, with its stream version in place of the head "
                             "(what a read of one contract states)")
    parser.add_argument("--digest", action="store_true",
                        help="print only sha256:<hex> of the figures file")
    return parser


def run(argv, today=None):
    args = build_parser().parse_args(argv)
    if (args.ledger is None) == (args.ndjson is None):
        raise BadInput("give either LEDGER_DIR or --ndjson FILE")
    if args.supplier is not None and args.contract is not None:
        raise BadInput("--supplier and --contract cannot be combined")
    if args.through is not None and args.as_of is not None:
        raise BadInput("--through and --as-of cannot be combined")
    if args.reporting_date is not None and args.as_of is not None:
        raise BadInput("--reporting-date and --as-of cannot be combined "
                       "(the as-of date is the reporting date)")
    period = parse_quarter(args.period, "--period")
    through = positive_position(args.through) if args.through is not None else None
    as_of = parse_date(args.as_of, "--as-of") if args.as_of is not None else None
    on = parse_date(args.on, "--on") if args.on is not None else None
    if on is not None:
        limit = on
    elif as_of is not None:
        limit = as_of
    elif args.reporting_date is not None:
        limit = parse_date(args.reporting_date, "--reporting-date")
    else:
        limit = today or datetime.datetime.now(datetime.timezone.utc).date()
    reporting_date = min(quarter_last_day(period), limit)

    source = read_ndjson(args.ndjson) if args.ndjson is not None else read_lmdb(args.ledger)
    events, head = read_log(source, through=through, as_of=as_of)
    catalogs, policies, contracts = fold(events, period, reporting_date, on)
    text = figures_file(catalogs, policies, contracts, period, reporting_date,
                        head["position"], head["hash"], head["tree"].root(), args.period,
                        supplier=args.supplier,
                        contract=args.contract)
    data = text.encode("utf-8")
    if args.digest:
        return "sha256:" + hashlib.sha256(data).hexdigest() + "\n"
    return text


def main(argv=None):
    try:
        output = run(sys.argv[1:] if argv is None else argv)
        sys.stdout.buffer.write(output.encode("utf-8"))
        sys.stdout.flush()
    except BadInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): no traceback at interpreter exit either
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 2
    except (decimal.DecimalException, RecursionError, MemoryError, OSError) as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback: one line, exit 2
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
