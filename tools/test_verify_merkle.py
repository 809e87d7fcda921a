"""Checks 13-15 of tools/verify_ledger.py (Schemas/README.md §11.3) on real ledgers.

Run: python3 -m unittest tools/test_verify_merkle.py

The ledger is made by the svledger binary (SVLEDGER, else .build/debug/svledger; the tests
skip when there is none). When that binary does not write the `merkle` database yet, the
test writes it from the log per §11.2; when it does, its own entries must equal the ones
recomputed here. Each test then tampers with a copy and runs the verifier as a user would.
"""

import base64
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import merkle_proofs as mp  # noqa: E402

try:
    import lmdb
except ImportError:
    lmdb = None

TOOLS = Path(__file__).resolve().parent
VERIFIER = TOOLS / "verify_ledger.py"
SVLEDGER = Path(os.environ.get("SVLEDGER", TOOLS.parent / ".build/debug/svledger"))
EVENTS = 7   # 2·7 − popcount(7) = 11 entries: leaves, nodes on levels 1 and 2, a ragged edge
ORIGIN = "council.example/svledger"


def key(level, index):
    """Section 11.2: the node's post-order number, 8 bytes big-endian."""
    last = ((index + 1) << level) - 1
    return (2 * last - bin(last).count("1") + level).to_bytes(8, "big")


def open_env(path):
    return lmdb.open(str(path), max_dbs=16, subdir=True)


def leaves_of(path):
    """The leaf hashes of the log (§11.1: the value after its 32-byte chain hash)."""
    env = open_env(path)
    try:
        with env.begin(db=env.open_db(b"log", create=False)) as txn:
            return [mp.leaf_hash(value[32:]) for _, value in txn.cursor()]
    finally:
        env.close()


def perfect_subtrees(leaves):
    """Every (level, index) -> hash of §11.2, level by level: pairs of the level below."""
    nodes, level, row = {}, 0, list(leaves)
    while row:
        nodes.update({key(level, i): digest for i, digest in enumerate(row)})
        row = [mp.node_hash(row[i], row[i + 1]) for i in range(0, len(row) - 1, 2)]
        level += 1
    return nodes


def merkle_entries(path):
    """The `merkle` database as a dict, or None when the ledger has none."""
    env = open_env(path)
    try:
        try:
            db = env.open_db(b"merkle", create=False)
        except lmdb.NotFoundError:
            return None
        with env.begin(db=db) as txn:
            return dict(txn.cursor())
    finally:
        env.close()


def write_merkle(path, entries):
    env = open_env(path)
    try:
        db = env.open_db(b"merkle")
        with env.begin(write=True, db=db) as txn:
            for k, v in entries.items():
                txn.put(k, v)
    finally:
        env.close()


def edit(path, db_name, change):
    """Run change(txn, db) in one write transaction on a database of the ledger."""
    env = open_env(path)
    try:
        db = env.open_db(db_name, create=db_name != b"merkle")
        with env.begin(write=True, db=db) as txn:
            change(txn, db)
    finally:
        env.close()


def svledger(*args):
    return subprocess.run([str(SVLEDGER), *args], check=True, capture_output=True, text=True)


def signing_key():
    """(private key, vkey) for a fresh Ed25519 key, or None without `cryptography`."""
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    except ImportError:
        return None
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    verifier = mp.Verifier(ORIGIN, mp.key_id(ORIGIN, mp.ED25519, public), mp.ED25519, public)
    return private, verifier


def checkpoint_note(size, root, signer=None, origin=ORIGIN):
    """A C2SP checkpoint; signed with `signer` (private, verifier), else a dummy signature."""
    text = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
    if signer is None:
        raw = b"\0\0\0\0" + bytes(64)
    else:
        private, verifier = signer
        raw = verifier.key_id + private.sign(text.encode())
    return f"{text}\n— {origin} {base64.b64encode(raw).decode()}\n"


@unittest.skipIf(lmdb is None, "the Python module lmdb is not installed")
@unittest.skipUnless(os.access(SVLEDGER, os.X_OK), f"no svledger binary at {SVLEDGER}")
class MerkleChecks(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.scratch = Path(tempfile.mkdtemp())
        cls.pristine = cls.scratch / "pristine"
        svledger("init", "--ledger", str(cls.pristine))
        for n in range(1, EVENTS + 1):
            svledger("append", "--ledger", str(cls.pristine), "--stream", f"s-{n % 2}",
                     "--type", "NoteRecorded", "--actor", "a", "--role", "Contract Manager",
                     "--reason", "r", "--payload", f'{{"n": {n}}}')
        cls.leaves = leaves_of(cls.pristine)
        cls.expected = perfect_subtrees(cls.leaves)
        cls.written_by_svledger = merkle_entries(cls.pristine) is not None
        if not cls.written_by_svledger:
            write_merkle(cls.pristine, cls.expected)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def setUp(self):
        self.ledger = Path(tempfile.mkdtemp(dir=self.scratch)) / "ledger"
        shutil.copytree(self.pristine, self.ledger)

    def verify(self, *args, ledger=None):
        result = subprocess.run([sys.executable, str(VERIFIER), str(ledger or self.ledger), *args],
                                capture_output=True, text=True)
        return result.returncode, result.stdout, result.stderr.strip()

    def assert_fails(self, position, check, *args):
        code, _, err = self.verify(*args)
        self.assertEqual(code, 1, err)
        self.assertTrue(err.startswith(f"FAIL position {position}: check {check}"), err)
        return err

    def root(self, size):
        return mp.root_of(self.leaves[:size])

    # -- the tree as written ------------------------------------------------------------

    def test_tree_holds_every_perfect_subtree(self):
        self.assertEqual(len(self.expected), 2 * EVENTS - bin(EVENTS).count("1"))
        self.assertEqual(merkle_entries(self.ledger), self.expected,
                         "svledger's merkle entries differ from §11.2"
                         if self.written_by_svledger else "the test's own tree")

    def test_tree_written_from_the_spec_passes(self):
        # Whoever wrote the pristine tree, one made here from §11.2 alone must pass too.
        edit(self.ledger, b"merkle", lambda txn, db: txn.drop(db, delete=True))
        write_merkle(self.ledger, self.expected)
        self.assertEqual(self.verify()[0], 0)

    def test_intact_ledger_passes(self):
        code, out, err = self.verify()
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out.splitlines()[0], f"verified {EVENTS} events in 2 streams")
        self.assertEqual(len(out.splitlines()), 2)

    # -- check 13 -----------------------------------------------------------------------

    def test_changed_leaf_names_its_position(self):
        def flip(txn, db):
            value = bytearray(txn.get(key(0, 2), db=db))
            value[0] ^= 1
            txn.put(key(0, 2), bytes(value), db=db)
        edit(self.ledger, b"merkle", flip)
        self.assert_fails(3, "13 (merkle)")

    def test_deleted_node_names_the_last_position_under_it(self):
        edit(self.ledger, b"merkle", lambda txn, db: txn.delete(key(1, 1), db=db))
        err = self.assert_fails(4, "13 (merkle)")
        self.assertIn("positions 3-4 (level 1, index 1) is missing", err)

    def test_the_lowest_position_is_named(self):
        # A bad leaf at 6 and a bad node over positions 1-4: the node ends first. At one
        # position the leaf comes before the nodes that end there.
        def tamper(txn, db):
            txn.put(key(0, 5), b"short", db=db)
            txn.put(key(2, 0), bytes(32), db=db)
        edit(self.ledger, b"merkle", tamper)
        err = self.assert_fails(4, "13 (merkle)")
        self.assertIn("(level 2, index 0)", err)
        edit(self.ledger, b"merkle", lambda txn, db: txn.put(key(0, 3), bytes(32), db=db))
        err = self.assert_fails(4, "13 (merkle)")
        self.assertIn("the leaf of position 4", err)

    def test_missing_tree(self):
        edit(self.ledger, b"merkle", lambda txn, db: txn.drop(db, delete=True))
        err = self.assert_fails(1, "13 (merkle)")
        self.assertIn("the Merkle tree is missing", err)

    # -- check 14 -----------------------------------------------------------------------

    def test_stray_entries(self):
        for stray in (key(0, EVENTS), key(1, 3), key(3, 0), b"\x00\x01"):
            with self.subTest(stray=stray.hex()):
                self.setUp()
                edit(self.ledger, b"merkle", lambda txn, db: txn.put(stray, bytes(32), db=db))
                err = self.assert_fails(EVENTS, "14 (merkle count)")
                self.assertIn(f"merkle holds {len(self.expected) + 1} entries", err)

    # -- check 15: meta/checkpoint --------------------------------------------------------

    def put_meta_checkpoint(self, note):
        raw = note.encode() if isinstance(note, str) else note
        edit(self.ledger, b"meta", lambda txn, db: txn.put(b"checkpoint", raw, db=db))

    def test_meta_checkpoint_that_holds(self):
        for size in (0, 5, EVENTS):
            with self.subTest(size=size):
                self.setUp()
                self.put_meta_checkpoint(checkpoint_note(size, self.root(size)))
                code, out, err = self.verify()
                self.assertEqual((code, err, len(out.splitlines())), (0, "", 2))

    def test_meta_checkpoint_with_another_root(self):
        self.put_meta_checkpoint(checkpoint_note(5, self.root(4)))
        self.assert_fails(5, "15 (checkpoint)")

    def test_meta_checkpoint_past_the_log(self):
        self.put_meta_checkpoint(checkpoint_note(EVENTS + 2, self.root(EVENTS)))
        self.assert_fails(EVENTS + 1, "15 (checkpoint)")

    def test_meta_checkpoint_that_is_not_one(self):
        self.put_meta_checkpoint(f"{ORIGIN}\n05\n{base64.b64encode(self.root(5)).decode()}\n")
        self.assert_fails(EVENTS, "15 (checkpoint)")

    # -- --checkpoint FILE --vkey VKEY ----------------------------------------------------

    def given(self, note, vkey):
        path = self.ledger.parent / "checkpoint"
        path.write_text(note)
        return "--checkpoint", str(path), "--vkey", vkey

    def test_given_checkpoint(self):
        signer = signing_key()
        if signer is None:
            self.skipTest("signing needs the Python package cryptography")
        vkey = signer[1].vkey()
        for size in (1, 4, EVENTS):
            with self.subTest(size=size):
                code, out, err = self.verify(*self.given(
                    checkpoint_note(size, self.root(size), signer), vkey))
                self.assertEqual((code, err), (0, ""))
                self.assertEqual(out.splitlines()[-1],
                                 f"checkpoint {size} {base64.b64encode(self.root(size)).decode()}"
                                 f" holds: the ledger extends it")
        self.assert_fails(4, "15 (expected checkpoint)",
                          *self.given(checkpoint_note(4, self.root(3), signer), vkey))
        self.assert_fails(EVENTS + 1, "15 (expected checkpoint)",
                          *self.given(checkpoint_note(EVENTS + 1, self.root(4), signer), vkey))

    def test_given_checkpoint_on_an_export(self):
        signer = signing_key()
        if signer is None:
            self.skipTest("signing needs the Python package cryptography")
        export = self.ledger.parent / "log.ndjson"
        svledger("export", "ndjson", "--ledger", str(self.ledger), "--out", str(export))
        args = self.given(checkpoint_note(5, self.root(5), signer), signer[1].vkey())
        result = subprocess.run([sys.executable, str(VERIFIER), "--ndjson", str(export), *args],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("checkpoint 5 ", result.stdout)

    def test_given_checkpoint_not_signed_by_the_key(self):
        signer, stranger = signing_key(), signing_key()
        if signer is None:
            self.skipTest("signing needs the Python package cryptography")
        note = checkpoint_note(3, self.root(3), signer)
        for vkey in (stranger[1].vkey(), "not a vkey"):
            code, out, err = self.verify(*self.given(note, vkey))
            self.assertEqual((code, out), (2, ""))
            self.assertTrue(err.startswith("error: "), err)
        code, _, err = self.verify("--checkpoint", "x")
        self.assertEqual(code, 2, err)


if __name__ == "__main__":
    unittest.main()
