#!/usr/bin/env python3
"""Independent verifier for svledger ledgers (format `svledger/1`).

Written from Schemas/README.md alone: it does not read or trust any of svledger's
Swift code, so that a bug there cannot hide itself by also being here.

Usage:
    verify_ledger.py LEDGER_DIR [--expect-head HEAD] [--checkpoint FILE --vkey VKEY]
    verify_ledger.py --ndjson FILE [--expect-head HEAD] [--checkpoint FILE --vkey VKEY]
HEAD is POSITION:HASH or the hash alone; FILE a C2SP checkpoint (signed note) and VKEY the
log's verifier key, NAME+KEYID+KEY (section 11.4).

For an LMDB ledger it walks the `log` database in key order and checks, per event and
in this order (section 5 of the spec), stopping at the first failure:

     1. the key is 8 bytes and is the previous key + 1 (the first is 1);
     2. the value is >= 33 bytes, the bytes after the 32-byte hash are a JSON object
        with exactly the envelope fields of section 2 with the right types and formats,
        and re-encoding it canonically (section 3) gives back exactly those bytes;
     3. `position` equals the key;
     4. `previousHash` is the hex of the previous event's hash (32 zero bytes first);
     5. SHA-256(previous hash || canonical bytes) equals the stored hash;
     6. `recordedAt` does not go backwards;
     7. `streamVersion` is the stream's previous version + 1 (1 for its first event);
     8. `streams` maps (streamId, streamVersion) to the position;
     9. `event-ids` maps the eventId's 16 bytes to the position;
    and after the walk:
    10. `streams` and `event-ids` hold exactly as many entries as `log`;
    11. `meta`/`head` is (last position, last hash), or (0, 32 zero bytes) when empty;
    12. with --expect-head, the chain still has that hash at that position (found by the
        hash when no position is given), at the head or before it: the ledger may have grown;
    13. every entry of `merkle` (section 11.2) equals the hash recomputed from the log: leaf
        i is SHA-256(0x00 || canonical bytes of position i + 1), each perfect subtree's node
        SHA-256(0x01 || left || right) of its recomputed children. At each position of the
        walk its leaf, then the nodes ending there, lowest level first; the first entry
        that disagrees (or is missing) names that position: a leaf's own, a node's last
        position. No `merkle` database at all fails here, at position 1 (0 for an empty
        log): the tree is missing (svledger builds it when it opens the ledger for writing);
    14. `merkle` holds exactly 2N - popcount(N) entries for N events (no stray entry);
    15. `meta`/`checkpoint`, when present (a C2SP checkpoint, section 11.4), has a tree size
        S <= N and the root MTH(S) of this log; and with --checkpoint FILE --vkey VKEY, the
        file is a checkpoint signed by VKEY, whose name is its origin, with S <= N and the
        root MTH(S) of this log. The signature of `meta`/`checkpoint` itself is not checked
        (which keys may sign is recorded in the log's events, not in the format).
The tree is followed during the walk with a frontier of popcount(N) hashes: each leaf and
each node it completes is compared with its `merkle` entry as it is made, and the root at
a checkpoint's size is taken when the walk reaches it, so no leaf is kept in memory.
Before the walk it also requires `meta`/`format` to be `svledger/1` (section 1);
databases other than log, streams, event-ids, meta and merkle are ignored.

For an exported NDJSON file (section 6) line N must be event N; its `hash` field is
removed, the rest encoded canonically, and checks 1-7 and 12 are applied, and with
--checkpoint the file's root at the checkpoint's size is compared as in check 15. Each line
must itself be canonical JSON (the export writes it that way). Event-id uniqueness is not
checked in this mode (without the index it would need memory per event).

Output: on success two lines on stdout, `verified N events in S streams` and
`head P HEX`, and with --expect-head a third, `head matches the expected head at position P`
or `the ledger has grown from position P (hash still matches there) to Q`, and with
--checkpoint one more, `checkpoint S ROOT_BASE64 holds: the ledger extends it`; exit
status 0. On the first failure one line on stderr, `FAIL position P: check K (...): ...`,
exit status 1. P is the first position found wrong;
for check 1 the first missing position (the previous key + 1, never the next key found);
for check 10 the lowest position a stray entry of the first index with strays points to,
existing or not (the last position of the log for a value that is not a position); for
check 11 the first position the head and the log disagree on (min(head, last) + 1 when
the positions differ, else the last position); for check 12 the expected head's position,
the first missing position when it is past the log, or the last position when the hash is
at no position; for check 13 the lowest position at which an entry disagrees (above);
for check 14 the last position (the general rule for failures after the walk: a stray
entry has no position of its own); for check 15, like check 12, the first missing position N + 1 when the checkpoint's size is past the log,
the checkpoint's size S when the root differs, the last position when `meta`/`checkpoint`
is not a checkpoint. A ledger or file that cannot be opened or read, a --checkpoint FILE
that VKEY did not sign, or bad arguments: one line `error: ...` on stderr, exit status 2.

Memory grows with the number of streams (the last version and nothing else per stream),
and with log2 of the number of events (the tree's frontier), not with the number of
events. The LMDB environment is opened read-only and without the lock file, so run it on
a ledger no process is writing (or on an `mdb_copy` of one).
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import struct
import sys

import merkle_proofs as mp  # beside this file: the tree, proofs and checkpoints of section 11

try:
    import lmdb  # PyPI `lmdb`; only the LMDB mode needs it
except ImportError:
    lmdb = None

GENESIS = bytes(32)
HASH_LEN = 32
MAX_INT = 2**53 - 1  # section 3, rule 4: integer magnitude at most 2^53 - 1
MAX_STREAM_ID_BYTES = 200
FORMAT = b"svledger/1"

# The envelope's fields (section 2). `hash` is not one of them: it is only added on export.
ENVELOPE_FIELDS = frozenset({
    "position", "eventId", "streamId", "streamVersion", "eventType", "schemaVersion",
    "recordedAt", "effectiveDate", "actor", "reason", "correlationId", "causationId",
    "payload", "previousHash",
})

# [0-9] rather than \d: in Python \d also matches non-ASCII digits such as "٣".
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HEX64_RE = re.compile(r"[0-9a-f]{64}")
RECORDED_AT_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z")
DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
STREAM_ID_FORBIDDEN_RE = re.compile(r"[\x00-\x1f\x7f]")


class Failure(Exception):
    """A check failed: the ledger is not intact. Reported as `FAIL position P: ...`."""

    def __init__(self, position, check, message):
        super().__init__(message)
        self.position = position
        self.check = check
        self.message = message

    def line(self):
        return f"FAIL position {self.position}: check {self.check}: {self.message}"


class UsageError(Exception):
    """The ledger cannot be read at all, or the arguments are wrong. Reported as `error: ...`."""


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def show(value, limit=80):
    """Render a value (str or bytes) safely on one line, shortened to `limit` characters."""
    if isinstance(value, (bytes, bytearray)):
        text = "0x" + bytes(value).hex()
    else:
        # ensure_ascii keeps control characters and odd code points from reaching the terminal.
        try:
            text = json.dumps(value, ensure_ascii=True)
        except (ValueError, RecursionError):
            text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit] + "…"


def show_text(raw):
    """Render a slice of (mostly UTF-8) JSON text readably; undecodable bytes as \\xNN."""
    return show(raw.decode("utf-8", "backslashreplace"))


def u64(number):
    """8-byte big-endian unsigned encoding used for positions and stream versions."""
    return number.to_bytes(8, "big")


def decode_u64(raw):
    """Decode an 8-byte big-endian integer, or None when the bytes are not 8 long."""
    if raw is None or len(raw) != 8:
        return None
    return int.from_bytes(raw, "big")


def is_int(value):
    # bool is a subclass of int in Python, but JSON true/false are not integers.
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------------------
# Canonical JSON (section 3)
# ---------------------------------------------------------------------------

class NotCanonical(ValueError):
    """The bytes are not JSON of the subset that section 3 allows."""


def _reject_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise NotCanonical(f"duplicate key {show(key)}")
        obj[key] = value
    return obj


def _reject_float(text):
    raise NotCanonical(f"non-integer number {show(text)} (rule 4: integers only)")


def _reject_constant(text):
    raise NotCanonical(f"{text} is not JSON (rule 4: integers only)")


def _bounded_int(text):
    # Python's own limit on long digit strings raises ValueError, caught as a parse error.
    number = int(text)
    if abs(number) > MAX_INT:
        raise NotCanonical(f"integer {show(text)} exceeds 2^53-1 in magnitude (rule 4)")
    return number


def parse_json(raw):
    """Parse UTF-8 JSON bytes strictly: no duplicate keys, integers only, within 2^53-1."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotCanonical(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicates,
                          parse_float=_reject_float, parse_constant=_reject_constant,
                          parse_int=_bounded_int)
    except NotCanonical:
        raise
    except RecursionError:
        raise NotCanonical("JSON nested too deeply to parse") from None
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise NotCanonical(f"not valid JSON ({exc})") from None


def canonical_bytes(value):
    """Section 3's canonical encoding; for its subset it equals this json.dumps call."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # A "\ud800" escape parses to a lone surrogate, which has no UTF-8 encoding.
        raise NotCanonical("a string holds a lone UTF-16 surrogate") from None
    except RecursionError:
        raise NotCanonical("JSON nested too deeply to encode") from None


def first_difference(a, b):
    """Index of the first byte where a and b differ (or the shorter length)."""
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return index
    return min(len(a), len(b))


def require_canonical(raw, value, what):
    """Raise NotCanonical unless `raw` is exactly the canonical encoding of `value`."""
    expected = canonical_bytes(value)
    if raw != expected:
        at = first_difference(raw, expected)
        raise NotCanonical(
            f"{what} is not canonical: differs from the canonical encoding at byte {at} "
            f"(stored {show_text(raw[at:at + 24])}, canonical {show_text(expected[at:at + 24])})")


# ---------------------------------------------------------------------------
# Envelope fields (section 2)
# ---------------------------------------------------------------------------

def _valid_date(year, month, day):
    try:
        datetime.date(int(year), int(month), int(day))
        return True
    except ValueError:
        return False


def envelope_problem(env):
    """Return what is wrong with the envelope's field set, types or formats, or None."""
    if not isinstance(env, dict):
        return f"the envelope is a JSON {type(env).__name__}, not an object"
    missing = ENVELOPE_FIELDS - env.keys()
    if missing:
        return "missing field(s) " + ", ".join(sorted(missing))
    extra = env.keys() - ENVELOPE_FIELDS
    if extra:
        return "unexpected field(s) " + ", ".join(show(k) for k in sorted(extra))
    for field, check in FIELD_CHECKS:
        problem = check(env[field])
        if problem:
            return f"field {field}: {problem}"
    return None


def _positive_int(value):
    if not is_int(value):
        return f"{show(value)} is not an integer"
    if value < 1:
        return f"{value} is less than 1"
    return None


def _uuid(value):
    if not isinstance(value, str) or not UUID_RE.fullmatch(value):
        return f"{show(value)} is not a lowercase 8-4-4-4-12 UUID"
    return None


def _optional_uuid(value):
    return None if value is None else _uuid(value)


def _string(value):
    return None if isinstance(value, str) else f"{show(value)} is not a string"


def _optional_string(value):
    return None if value is None else _string(value)


def _stream_id(value):
    if not isinstance(value, str):
        return f"{show(value)} is not a string"
    # surrogatepass: a lone surrogate is caught by the canonical check; only count here.
    size = len(value.encode("utf-8", "surrogatepass"))
    if not 1 <= size <= MAX_STREAM_ID_BYTES:
        return f"is {size} bytes of UTF-8, not 1 to {MAX_STREAM_ID_BYTES}"
    if STREAM_ID_FORBIDDEN_RE.search(value):
        return f"{show(value)} contains a control character"
    return None


def _recorded_at(value):
    match = isinstance(value, str) and RECORDED_AT_RE.fullmatch(value)
    if not match:
        return f"{show(value)} is not YYYY-MM-DDTHH:MM:SS.mmmZ"
    year, month, day, hour, minute, second, _ = match.groups()
    if not _valid_date(year, month, day) or int(hour) > 23 or int(minute) > 59 \
            or int(second) > 59:
        return f"{show(value)} is not a valid UTC time"
    return None


def _effective_date(value):
    match = isinstance(value, str) and DATE_RE.fullmatch(value)
    if not match or not _valid_date(*match.groups()):
        return f"{show(value)} is not a valid YYYY-MM-DD date"
    return None


def _actor(value):
    if not isinstance(value, dict):
        return f"{show(value)} is not an object"
    if set(value) != {"id", "role"}:
        return "must have exactly the members id and role, has " + \
            ", ".join(show(k) for k in sorted(value))
    for member in ("id", "role"):
        if not isinstance(value[member], str):
            return f"{member} {show(value[member])} is not a string"
    return None


def _object(value):
    return None if isinstance(value, dict) else f"{show(value)} is not an object"


def _hex64(value):
    if not isinstance(value, str) or not HEX64_RE.fullmatch(value):
        return f"{show(value)} is not 64 lowercase hex digits"
    return None


FIELD_CHECKS = (
    ("position", _positive_int),
    ("eventId", _uuid),
    ("streamId", _stream_id),
    ("streamVersion", _positive_int),
    ("eventType", _string),
    ("schemaVersion", _positive_int),
    ("recordedAt", _recorded_at),
    ("effectiveDate", _effective_date),
    ("actor", _actor),
    ("reason", _optional_string),
    ("correlationId", _optional_uuid),
    ("causationId", _optional_uuid),
    ("payload", _object),
    ("previousHash", _hex64),
)


# ---------------------------------------------------------------------------
# The chain walk shared by both modes (checks 2-7)
# ---------------------------------------------------------------------------

class Chain:
    """State carried from one event to the next: previous hash, time, stream versions."""

    def __init__(self, expect_head=None):
        self.position = 0            # last verified position
        self.hash = GENESIS          # its hash
        self.recorded_at = None      # its recordedAt
        self.versions = {}           # streamId -> last streamVersion seen
        self.expect = expect_head    # (position or None, 32 hash bytes), from --expect-head
        self.expect_seen = None      # (position, hash) of the link the expected head names
        # Recorded times later than this machine's clock by more than 5 minutes: a clock that
        # ran ahead wrote them (not a failure of the chain; reported after the head).
        now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
        self.clock_limit = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        self.ahead = None            # (first position, its recordedAt, how many)
        self.more_lines = []         # further success lines (a --checkpoint that holds)
        self._watch()

    def _watch(self):
        """Remember the current link if it is the one the expected head names (check 12):
        the one at its position, or without a position the first with its hash."""
        if self.expect is None or self.expect_seen is not None:
            return
        at, wanted = self.expect
        named = self.position == at if at is not None else self.hash == wanted
        if named:
            self.expect_seen = (self.position, self.hash)

    def parse_envelope(self, position, canonical):
        """Check 2 for bytes that must be a canonical envelope; return the envelope."""
        try:
            env = parse_json(canonical)
            problem = envelope_problem(env)
            if problem:
                raise NotCanonical(problem)
            require_canonical(canonical, env, "the envelope")
        except NotCanonical as exc:
            raise Failure(position, "2 (envelope)", str(exc)) from None
        return env

    def check_event(self, position, env, canonical, stored_hash):
        """Checks 3-7 for an envelope that passed check 2, then advance the chain."""
        if env["position"] != position:
            raise Failure(position, "3 (position)",
                          f"envelope says position {env['position']}, expected {position}")
        if env["previousHash"] != self.hash.hex():
            raise Failure(position, "4 (previousHash)",
                          f"previousHash {env['previousHash']}, "
                          f"hash of position {self.position} is {self.hash.hex()}")
        computed = hashlib.sha256(self.hash + canonical).digest()
        if computed != stored_hash:
            raise Failure(position, "5 (hash)",
                          f"hash mismatch: stored {stored_hash.hex()}, computed {computed.hex()}")
        # Same fixed-width format everywhere, so string order is time order.
        if self.recorded_at is not None and env["recordedAt"] < self.recorded_at:
            raise Failure(position, "6 (recordedAt)",
                          f"recordedAt {env['recordedAt']} is earlier than the previous "
                          f"event's {self.recorded_at}")
        stream = env["streamId"]
        expected_version = self.versions.get(stream, 0) + 1
        if env["streamVersion"] != expected_version:
            raise Failure(position, "7 (streamVersion)",
                          f"stream {show(stream)} has streamVersion {env['streamVersion']}, "
                          f"expected {expected_version}")
        self.position = position
        self.hash = computed
        self.recorded_at = env["recordedAt"]
        self.versions[stream] = expected_version
        if self.recorded_at > self.clock_limit:
            first, first_at, count = self.ahead or (position, self.recorded_at, 0)
            self.ahead = (first, first_at, count + 1)
        self._watch()

    def check_expected_head(self):
        """Check 12: the expected head's hash is the chain's at its position. The failure
        names that position; the first missing one when it is past the log; the last when
        the hash is at no position."""
        if self.expect is None:
            return
        at, wanted = self.expect
        last = self.position
        if at is not None and at > last:
            raise Failure(last + 1, "12 (expected head)",
                          f"the expected head is at position {at}, but the log ends at position "
                          f"{last}: events written before that head are gone")
        if self.expect_seen is None:
            raise Failure(last, "12 (expected head)",
                          f"the hash of every position from 0 to {last} differs from the expected "
                          f"{wanted.hex()}: the ledger has changed since that head was written "
                          f"down, or the head is another ledger's")
        position, digest = self.expect_seen
        if digest != wanted:
            raise Failure(position, "12 (expected head)",
                          f"the hash of position {position}, {digest.hex()}, differs from the "
                          f"expected {wanted.hex()}: the ledger has changed at or before position "
                          f"{position} (or that hash is not position {position}'s)")

    def summary(self):
        lines = [f"verified {self.position} events in {len(self.versions)} streams",
                 f"head {self.position} {self.hash.hex()}"]
        if self.expect is not None:
            found = self.expect_seen[0]
            lines.append(f"head matches the expected head at position {found}"
                         if found == self.position else
                         f"the ledger has grown from position {found} (hash still matches "
                         f"there) to {self.position}")
        lines.extend(self.more_lines)
        if self.ahead is not None:
            first, first_at, count = self.ahead
            lines.append(f"warning: {count} event{'' if count == 1 else 's'} recorded more than "
                         f"5 minutes ahead of this machine's clock, the first at position {first} "
                         f"({first_at}): see docs/operations.md, \"A clock that disagrees with the ledger\"")
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# The Merkle tree and checkpoints (section 11, checks 13-15)
# ---------------------------------------------------------------------------

def merkle_key(level, index):
    """Section 11.2: the node's post-order number, 2j - popcount(j) + level for the last
    leaf j under it, as 8 bytes big-endian."""
    last = ((index + 1) << level) - 1
    return u64(2 * last - bin(last).count("1") + level)


def tree_entries(n):
    """How many perfect subtrees a tree of n leaves has: 2n - popcount(n)."""
    return 2 * n - bin(n).count("1")


def describe_entry(value):
    if value is None:
        return "missing"
    if len(value) != HASH_LEN:
        return f"the {len(value)}-byte value {show(value)}"
    return value.hex()


class Tree:
    """The tree over the log, grown during the walk from each event's canonical bytes.

    With a `merkle` database it compares each leaf, then each node the leaf completes
    (lowest level first), with the stored entry (check 13), in walk order, so the first
    disagreement found is at the lowest position. It keeps only the frontier, that first
    disagreement, and the root at each size a checkpoint names (check 15).
    """

    def __init__(self, txn=None, db=None, sizes=()):
        self.txn, self.db = txn, db
        self.frontier = mp.Frontier()
        self.first_bad = None   # (level, index, stored, recomputed) of the first disagreement
        self.roots = {size: mp.EMPTY_ROOT if size == 0 else None for size in sizes}

    def add(self, canonical):
        leaf = mp.leaf_hash(canonical)
        index = self.frontier.size
        completed = self.frontier.append(leaf)
        if self.db is not None:
            for level, at, digest in [(0, index, leaf)] + completed:
                self._compare(level, at, digest)
        if self.frontier.size in self.roots:
            self.roots[self.frontier.size] = self.frontier.root()

    def _compare(self, level, index, digest):
        if self.first_bad is not None:
            return  # only the first disagreement is reported: spare the reads after it
        stored = self.txn.get(merkle_key(level, index), db=self.db)
        if stored != digest:
            self.first_bad = (level, index, stored, digest)

    def check_entries(self, last):
        """Check 13, after the walk (the chain and indexes are reported first)."""
        if self.db is None:
            # Every leaf is missing, so the first position whose leaf disagrees is 1.
            raise Failure(min(last, 1), "13 (merkle)",
                          "the ledger has no merkle database: the Merkle tree is missing "
                          "(svledger builds it from the log the first time it opens the "
                          "ledger for writing)")
        if self.first_bad is None:
            return
        level, index, stored, digest = self.first_bad
        first, end = (index << level) + 1, (index + 1) << level
        if level == 0:
            raise Failure(first, "13 (merkle)",
                          f"the leaf of position {first} (level 0, index {index}) is "
                          f"{describe_entry(stored)}, but the event hashes to {digest.hex()}")
        raise Failure(end, "13 (merkle)",
                      f"the node over positions {first}-{end} (level {level}, index {index}) "
                      f"is {describe_entry(stored)}, but recomputed from the log it is "
                      f"{digest.hex()}")

    def check_count(self, last):
        """Check 14: no entry besides the 2N - popcount(N) that check 13 found."""
        count, expected = entry_count(self.txn, self.db), tree_entries(last)
        if count == expected:
            return
        stray = next((key for key, _ in iterate(self.txn, self.db)
                      if not self._expected_key(key, last)), None)
        if stray is None:
            what = "no single stray entry found"
        elif len(stray) != 9:
            what = f"stray key {show(stray)} is not 1 byte level and 8 bytes index"
        else:
            level, index = stray[0], decode_u64(stray[1:])
            what = (f"stray entry (level {level}, index {index}) would cover positions "
                    f"{(index << level) + 1}-{(index + 1) << level}, past the log's last "
                    f"position {last}")
        raise Failure(last, "14 (merkle count)",
                      f"merkle holds {count} entries, but a log of {last} events has "
                      f"{expected} (2N - popcount(N)); {what}")

    @staticmethod
    def _expected_key(key, last):
        if len(key) != 9:
            return False
        level, index = key[0], decode_u64(key[1:])
        return (index + 1) << level <= last

    def check_checkpoint(self, checkpoint, last, label, what):
        """Check 15: the checkpoint's size is at most the log's, its root this log's."""
        size, root = checkpoint.size, checkpoint.root
        if size > last:
            raise Failure(last + 1, label,
                          f"{what} is at tree size {size}, but the log ends at position "
                          f"{last}: events it signed are gone")
        computed = self.roots[size]
        if computed != root:
            raise Failure(size, label,
                          f"{what} has root {b64(root)} at tree size {size}, but this log's "
                          f"root there is {b64(computed)}: the history it signed has changed "
                          f"at or before position {size}")


def b64(raw):
    return base64.b64encode(raw).decode("ascii")


def read_meta_checkpoint(txn, dbs):
    """meta/checkpoint as a Checkpoint, None when absent, or the text of why it is not one."""
    raw = get(txn, dbs["meta"], b"checkpoint")
    if raw is None:
        return None
    try:
        return mp.parse_checkpoint(mp.parse_note(raw).text)
    except mp.NoteError as exc:
        return f"meta/checkpoint is not a signed checkpoint: {exc}"


def check_meta_checkpoint(tree, meta_checkpoint, last):
    if meta_checkpoint is None:
        return
    if isinstance(meta_checkpoint, str):
        raise Failure(last, "15 (checkpoint)", meta_checkpoint)
    tree.check_checkpoint(meta_checkpoint, last, "15 (checkpoint)", "meta/checkpoint")


def check_given_checkpoint(tree, chain, given):
    """--checkpoint: signed (checked before the walk) and held by this log."""
    if given is None:
        return
    tree.check_checkpoint(given, chain.position, "15 (expected checkpoint)",
                          "the given checkpoint")
    chain.more_lines.append(
        f"checkpoint {given.size} {b64(given.root)} holds: the ledger extends it")


def load_checkpoint(path, vkey):
    """--checkpoint FILE --vkey VKEY: the checkpoint, once its signature is verified."""
    try:
        verifier = mp.parse_vkey(vkey)
    except mp.NoteError as exc:
        raise UsageError(f"--vkey: {exc}") from None
    if verifier.key_type != mp.ED25519:
        raise UsageError(f"--vkey: a log signs its checkpoints with an Ed25519 key (type "
                         f"0x01); this vkey is type 0x{verifier.key_type:02x}")
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return mp.verify_checkpoint(raw, verifier)
    except mp.NoteError as exc:
        raise UsageError(f"{path} is not a checkpoint signed by {verifier.name}: {exc}") from None
    except mp.SignatureUnavailable as exc:
        raise UsageError(str(exc)) from None


# ---------------------------------------------------------------------------
# LMDB ledger (section 5)
# ---------------------------------------------------------------------------

def check_data_file_length(path):
    """A data.mdb shorter than the pages its newest meta page names is a copy cut short;
    mapping it would end in SIGBUS on the first read past its end, so it is refused before
    LMDB opens it. The two meta pages (pages 0 and 1) each hold, after the 16-byte page
    header: magic 0xBEEFC0DE (u32), version (u32), address and map size (8 bytes each), the
    free and main database records (48 bytes each, the first's first u32 being the page size),
    the last page number and the transaction id (u64 each), all in the machine's byte order
    (little-endian here). The meta with the larger transaction id is the newest."""
    data_file = os.path.join(path, "data.mdb")
    try:
        size = os.path.getsize(data_file)
        with open(data_file, "rb") as handle:
            head = handle.read(2 * 65536)
    except OSError:
        return  # LMDB reports a missing or unreadable file in its own words
    metas = []
    offset = 0
    for _ in range(2):
        if len(head) < offset + 152:
            break
        magic, = struct.unpack_from("<I", head, offset + 16)
        page_size, = struct.unpack_from("<I", head, offset + 40)
        last_page, txn_id = struct.unpack_from("<QQ", head, offset + 136)
        if magic != 0xBEEFC0DE or page_size < 512:
            break
        metas.append((txn_id, last_page, page_size))
        offset = page_size
    if not metas:
        return
    _, last_page, page_size = max(metas)
    needed = (last_page + 1) * page_size
    if size < needed:
        raise Failure(0, "0 (file length)",
                      f"{data_file} is cut short: it has {size} bytes but its meta page names "
                      f"pages up to byte {needed}; it is an incomplete copy")


def open_ledger(path):
    """Open the environment read-only; return (env, txn, dbs) or raise UsageError."""
    if lmdb is None:
        raise UsageError("the Python module lmdb is not installed (pip install lmdb)")
    if not os.path.isdir(path):
        raise UsageError(f"{path}: not a directory (expected an LMDB environment)")
    check_data_file_length(path)
    try:
        env = lmdb.open(path, readonly=True, max_dbs=16, lock=False, subdir=True)
        txn = env.begin(buffers=False)
    except lmdb.Error as exc:
        raise UsageError(f"{path}: cannot open LMDB environment: {exc}") from None
    dbs = {}
    for name in ("log", "streams", "event-ids", "meta", "merkle"):
        try:
            dbs[name] = env.open_db(name.encode(), txn=txn, create=False)
        except lmdb.NotFoundError:
            # A missing database is reported by the check that needs it (8, 9, 11 or 13).
            dbs[name] = None
        except lmdb.Error as exc:
            raise UsageError(f"{path}: cannot open database {name}: {exc}") from None
    fmt = get(txn, dbs["meta"], b"format")
    if fmt != FORMAT:
        found = "missing" if fmt is None else show(fmt)
        raise UsageError(f"{path}: not an svledger/1 ledger (meta/format is {found})")
    return env, txn, dbs


def get(txn, db, key):
    """txn.get that treats a missing database as empty."""
    return None if db is None else txn.get(key, db=db)


def iterate(txn, db):
    """All (key, value) pairs of a database in key order; none for a missing database."""
    if db is None:
        return
    with txn.cursor(db=db) as cursor:
        yield from cursor


def entry_count(txn, db):
    return 0 if db is None else txn.stat(db)["entries"]


def check_log_key(chain, key):
    """Check 1: keys run 1, 2, 3, ... with no gap."""
    expected = chain.position + 1
    found = decode_u64(key)
    if found is None:
        raise Failure(expected, "1 (log key)",
                      f"log key {show(key)} is {len(key)} bytes, not the 8-byte position {expected}")
    if found != expected:
        # LMDB keeps keys sorted, so a larger key means the expected one is absent.
        raise Failure(expected, "1 (log key)",
                      f"position {expected} is missing from the log (next key is {found})")
    return expected


def check_indexes(txn, dbs, position, env):
    """Checks 8 and 9: the two indexes point at this event."""
    stream_key = env["streamId"].encode("utf-8") + b"\x00" + u64(env["streamVersion"])
    value = get(txn, dbs["streams"], stream_key)
    if value != u64(position):
        raise Failure(position, "8 (streams index)",
                      f"streams entry for ({show(env['streamId'])}, version "
                      f"{env['streamVersion']}) is {describe_pointer(value)}, expected {position}")
    event_key = bytes.fromhex(env["eventId"].replace("-", ""))
    value = get(txn, dbs["event-ids"], event_key)
    if value != u64(position):
        raise Failure(position, "9 (event-ids index)",
                      f"event-ids entry for {env['eventId']} is {describe_pointer(value)}, "
                      f"expected {position}")


def describe_pointer(value):
    if value is None:
        return "missing"
    number = decode_u64(value)
    return f"position {number}" if number is not None else f"the {len(value)}-byte value {show(value)}"


def walk_log(txn, dbs, chain, tree):
    """Checks 1-9 for every log entry, in key order, feeding the tree (checks 13, 15)."""
    for key, value in iterate(txn, dbs["log"]):
        position = check_log_key(chain, key)
        if len(value) < HASH_LEN + 1:
            raise Failure(position, "2 (envelope)",
                          f"value is {len(value)} bytes, fewer than 33 (hash + envelope)")
        stored_hash, canonical = value[:HASH_LEN], value[HASH_LEN:]
        env = chain.parse_envelope(position, canonical)
        chain.check_event(position, env, canonical, stored_hash)
        check_indexes(txn, dbs, position, env)
        tree.add(canonical)


def stray_streams_entry(chain, key, value):
    """Why a streams entry is not one of the log's (streamId, version) keys, or None.

    The walk proved every (stream, 1..last version) key present and correct, so any entry
    outside that set is stray, and the set is known from the per-stream versions alone.
    """
    sep = key.find(b"\x00")
    if sep < 0 or len(key) - sep - 1 != 8:
        return f"malformed key {show(key)}"
    try:
        stream = key[:sep].decode("utf-8")
    except UnicodeDecodeError:
        return f"key {show(key)} is not UTF-8"
    version = decode_u64(key[sep + 1:])
    last = chain.versions.get(stream)
    if last is None:
        return f"({show(stream)}, version {version}) names a stream with no events"
    if not 1 <= version <= last:
        return f"({show(stream)}, version {version}) is past the stream's last version {last}"
    return None


def stray_event_ids_entry(txn, dbs, chain, key, value):
    """Why an event-ids entry does not belong to the event it points at, or None."""
    position = decode_u64(value)
    if len(key) != 16:
        return f"key {show(key)} is not 16 bytes"
    if position is None:
        return f"value {show(value)} is not an 8-byte position"
    if not 1 <= position <= chain.position:
        return f"{show(key)} points to position {position}, past the end of the log"
    # Every log event was verified above, so its envelope parses.
    stored = txn.get(u64(position), db=dbs["log"])
    event_id = json.loads(stored[HASH_LEN:].decode("utf-8"))["eventId"]
    if bytes.fromhex(event_id.replace("-", "")) != key:
        return f"{show(key)} points to position {position}, whose eventId is {event_id}"
    return None


def find_stray(entries, chain, why_stray):
    """The stray entry pointing at the lowest position: (position, reason).

    Malformed values that do not decode to a position are reported at the head position.
    """
    best = None
    for key, value in entries:
        reason = why_stray(key, value)
        if reason is None:
            continue
        pointed = decode_u64(value)
        position = pointed if pointed is not None else chain.position
        if best is None or position < best[0]:
            best = (position, reason)
    return best or (chain.position, "no single stray entry found")


def check_index_counts(txn, dbs, chain):
    """Check 10: no index entry without its event."""
    indexes = (
        ("streams", lambda k, v: stray_streams_entry(chain, k, v)),
        ("event-ids", lambda k, v: stray_event_ids_entry(txn, dbs, chain, k, v)),
    )
    for name, why_stray in indexes:
        count = entry_count(txn, dbs[name])
        if count == chain.position:
            continue
        # Checks 8 and 9 found one distinct entry per event, so there are extra entries.
        position, reason = find_stray(iterate(txn, dbs[name]), chain, why_stray)
        raise Failure(position, f"10 ({name} count)",
                      f"{name} holds {count} entries but the log holds {chain.position}; "
                      f"stray entry: {reason}")


def check_head(txn, dbs, chain):
    """Check 11: meta/head records the last position and its hash."""
    head = get(txn, dbs["meta"], b"head")
    expected = u64(chain.position) + chain.hash
    if head == expected:
        return
    # The position named is the first one the head and the log disagree on: past the
    # shorter of the two (for a log truncated with its index entries, the first missing
    # position), or the last position when only the hash differs or the head is unreadable.
    position = chain.position
    if head is None:
        found = "missing"
    elif len(head) != 8 + HASH_LEN:
        found = f"{len(head)} bytes, not 40"
    else:
        recorded = decode_u64(head[:8])
        found = f"(position {recorded}, hash {head[8:].hex()})"
        if recorded != chain.position:
            position = min(recorded, chain.position) + 1
    raise Failure(position, "11 (head)",
                  f"meta/head is {found}, but the log ends at "
                  f"(position {chain.position}, hash {chain.hash.hex()})")


def verify_ledger(path, expect_head, checkpoint=None):
    env, txn, dbs = open_ledger(path)
    chain = Chain(expect_head)
    try:
        meta_checkpoint = read_meta_checkpoint(txn, dbs)
        sizes = [c.size for c in (meta_checkpoint, checkpoint) if isinstance(c, mp.Checkpoint)]
        tree = Tree(txn, dbs["merkle"], sizes)
        walk_log(txn, dbs, chain, tree)
        check_index_counts(txn, dbs, chain)
        check_head(txn, dbs, chain)
        chain.check_expected_head()
        tree.check_entries(chain.position)
        tree.check_count(chain.position)
        check_meta_checkpoint(tree, meta_checkpoint, chain.position)
        check_given_checkpoint(tree, chain, checkpoint)
    except lmdb.Error as exc:
        raise UsageError(f"{path}: cannot read the LMDB environment after position "
                         f"{chain.position}: {exc}") from None
    finally:
        txn.abort()
        env.close()
    return chain


# ---------------------------------------------------------------------------
# Exported NDJSON (section 6)
# ---------------------------------------------------------------------------

def parse_export_line(chain, position, line):
    """Check 2 for one export line: return (envelope, canonical bytes, stored hash)."""
    try:
        obj = parse_json(line)
        if not isinstance(obj, dict):
            raise NotCanonical(f"the line is a JSON {type(obj).__name__}, not an object")
        if "hash" not in obj:
            raise NotCanonical("no hash field")
        problem = _hex64(obj["hash"])
        if problem:
            raise NotCanonical(f"field hash: {problem}")
        require_canonical(line, obj, "the line")
    except NotCanonical as exc:
        raise Failure(position, "2 (envelope)", str(exc)) from None
    stored_hash = bytes.fromhex(obj.pop("hash"))
    canonical = canonical_bytes(obj)
    env = chain.parse_envelope(position, canonical)
    return env, canonical, stored_hash


def verify_ndjson(path, expect_head, checkpoint=None):
    chain = Chain(expect_head)
    tree = Tree(sizes=[checkpoint.size] if checkpoint else [])  # no stored tree to compare
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise UsageError(f"{path}: cannot open: {exc.strerror}") from None
    try:
        with handle:
            # Line N is event N, so check 1 holds by construction and check 3 compares
            # each envelope's position with its line number.
            for position, line in enumerate(handle, start=1):
                if line.endswith(b"\n"):
                    line = line[:-1]
                env, canonical, stored_hash = parse_export_line(chain, position, line)
                chain.check_event(position, env, canonical, stored_hash)
                tree.add(canonical)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read after line {chain.position}: {exc.strerror}") from None
    chain.check_expected_head()
    check_given_checkpoint(tree, chain, checkpoint)
    return chain


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    def error(self, message):
        # One line, as promised, instead of argparse's usage block.
        raise UsageError(f"{message} (usage: verify_ledger.py LEDGER_DIR | --ndjson FILE "
                         f"[--expect-head HEAD] [--checkpoint FILE --vkey VKEY])")


# --expect-head: POSITION:HASH, or the hash alone (section 5, check 12). [0-9], not \d.
EXPECT_HEAD_RE = re.compile(r"(?:([0-9]{1,16}):)?([0-9a-fA-F]{64})")


def parse_expect_head(text):
    """(position or None, 32 hash bytes); UsageError, in svledger's words, for anything else."""
    match = EXPECT_HEAD_RE.fullmatch(text)
    if not match:
        raise UsageError(
            f"--expect-head needs a whole head, POSITION:HASH or the hash alone (64 hex digits), "
            f"got {json.dumps(text, ensure_ascii=False)}; a shortened hash such as the 12 digits "
            f"`svledger log` shows is not enough: `svledger verify` prints the head as "
            f"`head POSITION HASH`, and `svledger stats` shows it too")
    position = None if match.group(1) is None else int(match.group(1))
    return position, bytes.fromhex(match.group(2))


def parse_args(argv):
    parser = Parser(prog="verify_ledger.py",
                    description="Verify an svledger/1 ledger or NDJSON export "
                                "(Schemas/README.md, sections 4-6 and 11).")
    parser.add_argument("ledger", nargs="?", metavar="LEDGER_DIR",
                        help="LMDB environment directory (opened read-only)")
    parser.add_argument("--ndjson", metavar="FILE", help="verify an exported NDJSON log instead")
    parser.add_argument("--expect-head", metavar="HEAD",
                        help="a head written down earlier, POSITION:HASH or the 64-hex-digit "
                             "hash alone: the chain must still have that hash there")
    parser.add_argument("--checkpoint", metavar="FILE",
                        help="a checkpoint (C2SP signed note) the log signed: it must verify "
                             "with --vkey and the ledger must still extend it")
    parser.add_argument("--vkey", metavar="VKEY",
                        help="the log's verifier key, NAME+KEYID+KEY, for --checkpoint")
    args = parser.parse_args(argv)
    if (args.ledger is None) == (args.ndjson is None):
        parser.error("give exactly one of LEDGER_DIR or --ndjson FILE")
    if (args.checkpoint is None) != (args.vkey is None):
        parser.error("--checkpoint FILE and --vkey VKEY go together")
    if args.expect_head is not None:
        args.expect_head = parse_expect_head(args.expect_head)
    return args


def one_line(text):
    """Messages are promised to be one line; never let a path or OS message break that."""
    return " ".join(str(text).splitlines())


def main(argv=None):
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        # The signature is checked before the walk: a checkpoint the key did not sign
        # says nothing about the ledger, so there is no point walking it.
        checkpoint = None if args.checkpoint is None else load_checkpoint(args.checkpoint,
                                                                          args.vkey)
        if args.ndjson is not None:
            chain = verify_ndjson(args.ndjson, args.expect_head, checkpoint)
        else:
            chain = verify_ledger(args.ledger, args.expect_head, checkpoint)
    except Failure as failure:
        print(one_line(failure.line()), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(one_line(f"error: {exc}"), file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback: anything unforeseen is still one line
        print(one_line(f"error: unexpected {type(exc).__name__}: {exc}"), file=sys.stderr)
        return 2
    print(chain.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
