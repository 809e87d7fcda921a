"""Unit tests of tools/merkle_proofs.py (run: python3 -m unittest tools/test_merkle_proofs.py).

The expectations come from outside this project: the transparency-dev/merkle test vectors
and reference tree copied under shared/transparency (beside the repository), and the
example of the C2SP signed-note specification.
"""

import base64
import json
import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import merkle_proofs as mp  # noqa: E402

TESTDATA = Path(__file__).resolve().parent.parent.parent / "shared/transparency/testdata"

# The one vector whose "roots" are 12 opaque bytes, not hashes (two equal trees of size 1).
# The typed API refuses any hash that is not 32 bytes, as svledger's does, so it is skipped.
OPAQUE_ROOTS_VECTOR = "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"

# The RFC reference tree (testonly/constants.go: LeafInputs and RootHashes).
REFERENCE_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                    "606162636465666768696a6b6c6d6e6f"]
REFERENCE_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

# C2SP signed-note, "Example".
EXAMPLE_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
EXAMPLE_NOTE = ("This is an example message.\n\n"
                "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq"
                "6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n")


def have_ed25519():
    try:
        mp.ed25519_verify(bytes(32), bytes(64), b"")
        return True
    except mp.SignatureUnavailable:
        return False


def b64(text):
    return base64.b64decode(text or "")


def all_32_bytes(*hashes):
    return all(len(h) == mp.HASH_LEN for h in hashes)


class Vectors(unittest.TestCase):
    """Every inclusion and consistency vector gives the result it expects (wantErr)."""

    def run_folder(self, kind, check):
        files = sorted((TESTDATA / kind).rglob("*.json"))
        self.assertTrue(files, f"no vectors under {TESTDATA / kind}")
        skipped = []
        for path in files:
            name = str(path.relative_to(TESTDATA))
            vector = json.loads(path.read_text())
            with self.subTest(vector=name):
                try:
                    check(vector)
                    failed = None
                except mp.ProofError as exc:
                    failed = exc
                if vector["wantErr"]:
                    self.assertIsNotNone(failed, f"{name} ({vector['desc']}) was accepted")
                elif failed is not None:
                    skipped.append((name, failed))
        return len(files), skipped

    def test_inclusion(self):
        def check(v):
            mp.verify_inclusion(v["leafIdx"], v["treeSize"], b64(v["leafHash"]),
                                [b64(p) for p in v["proof"] or []], b64(v["root"]))
        count, refused = self.run_folder("inclusion", check)
        self.assertEqual(refused, [])
        self.assertGreater(count, 50)

    def test_consistency(self):
        def check(v):
            mp.verify_consistency(v["size1"], v["size2"], [b64(p) for p in v["proof"] or []],
                                  b64(v["root1"]), b64(v["root2"]))
        count, refused = self.run_folder("consistency", check)
        # Exactly one valid vector is refused, and only because its roots are not 32 bytes.
        self.assertEqual([name for name, _ in refused], [OPAQUE_ROOTS_VECTOR])
        vector = json.loads((TESTDATA / OPAQUE_ROOTS_VECTOR).read_text())
        self.assertFalse(all_32_bytes(b64(vector["root1"]), b64(vector["root2"])))
        self.assertIn("not a 32-byte", str(refused[0][1]))
        self.assertGreater(count, 50)


class ReferenceTree(unittest.TestCase):
    leaves = [mp.leaf_hash(bytes.fromhex(x)) for x in REFERENCE_LEAVES]

    def test_roots_for_sizes_0_to_8(self):
        for size, root in enumerate(REFERENCE_ROOTS):
            self.assertEqual(mp.root_of(self.leaves[:size]).hex(), root, f"size {size}")
        self.assertEqual(mp.EMPTY_ROOT.hex(), REFERENCE_ROOTS[0])

    def test_frontier_agrees_with_root_of(self):
        frontier = mp.Frontier()
        self.assertEqual(frontier.root().hex(), REFERENCE_ROOTS[0])
        for size, leaf in enumerate(self.leaves, start=1):
            frontier.append(leaf)
            self.assertEqual(frontier.root().hex(), REFERENCE_ROOTS[size])

    def test_frontier_completes_every_perfect_subtree_once(self):
        # §11.2: 2N - popcount(N) entries, and each node is MTH of the leaves under it.
        leaves = [mp.leaf_hash(bytes([i])) for i in range(70)]
        frontier, nodes = mp.Frontier(), {}
        for i, leaf in enumerate(leaves):
            nodes[(0, i)] = leaf
            for level, index, digest in frontier.append(leaf):
                nodes[(level, index)] = digest
            n = i + 1
            self.assertEqual(len(nodes), 2 * n - bin(n).count("1"))
            self.assertEqual(frontier.root(), mp.root_of(leaves[:n]))
        for (level, index), digest in nodes.items():
            under = leaves[index << level:(index + 1) << level]
            self.assertEqual(digest, mp.root_of(under))


def path(m, leaves):
    """RFC 9162 §2.1.3.1 PATH(m, D[n]), to make proofs for every (index, size)."""
    if len(leaves) <= 1:
        return []
    k = mp._split(len(leaves))
    if m < k:
        return path(m, leaves[:k]) + [mp.root_of(leaves[k:])]
    return path(m - k, leaves[k:]) + [mp.root_of(leaves[:k])]


def subproof(m, leaves, whole):
    """RFC 9162 §2.1.4.1 SUBPROOF(m, D[n], b)."""
    n = len(leaves)
    if m == n:
        return [] if whole else [mp.root_of(leaves)]
    k = mp._split(n)
    if m <= k:
        return subproof(m, leaves[:k], whole) + [mp.root_of(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mp.root_of(leaves[:k])]


class AllSmallTrees(unittest.TestCase):
    """Every proof the RFC defines for trees up to 20 leaves verifies, and a changed one not."""

    leaves = [mp.leaf_hash(b"leaf %d" % i) for i in range(20)]

    def test_inclusion(self):
        for n in range(1, 21):
            root = mp.root_of(self.leaves[:n])
            for m in range(n):
                proof = path(m, self.leaves[:n])
                mp.verify_inclusion(m, n, self.leaves[m], proof, root)
                with self.assertRaises(mp.ProofError):
                    mp.verify_inclusion(m, n, self.leaves[(m + 1) % 20], proof, root)
                for i in range(len(proof)):
                    changed = proof[:i] + [bytes([proof[i][0] ^ 1]) + proof[i][1:]] + proof[i + 1:]
                    with self.assertRaises(mp.ProofError):
                        mp.verify_inclusion(m, n, self.leaves[m], changed, root)

    def test_consistency(self):
        for n in range(1, 21):
            root2 = mp.root_of(self.leaves[:n])
            for m in range(1, n + 1):
                root1 = mp.root_of(self.leaves[:m])
                proof = subproof(m, self.leaves[:n], True)
                mp.verify_consistency(m, n, proof, root1, root2)
                if m < n:
                    with self.assertRaises(mp.ProofError):
                        mp.verify_consistency(m, n, proof, root1, root1)
                    with self.assertRaises(mp.ProofError):
                        mp.verify_consistency(m, n, proof[:-1], root1, root2)

    def test_edge_cases_name_what_fails(self):
        h = mp.EMPTY_ROOT
        cases = [
            (lambda: mp.verify_consistency(0, 0, [], h, h), "empty tree proves nothing"),
            (lambda: mp.verify_consistency(0, 3, [h], h, h), "empty tree proves nothing"),
            (lambda: mp.verify_consistency(2, 1, [], h, h), "larger than the second"),
            (lambda: mp.verify_consistency(1, 2, [], h, h), "empty proof"),
            (lambda: mp.verify_consistency(2, 2, [h], h, h), "must be empty"),
            (lambda: mp.verify_inclusion(2**64 - 1, 5, h, [], h), "not below the tree size"),
            (lambda: mp.verify_inclusion(0, 1, h[:31], [], h), "31 bytes"),
        ]
        for call, words in cases:
            with self.assertRaisesRegex(mp.ProofError, words):
                call()
        mp.verify_consistency(3, 3, [], h, h)  # equal sizes, equal roots, empty proof


class SignedNotes(unittest.TestCase):

    def test_example_vkey(self):
        v = mp.parse_vkey(EXAMPLE_VKEY)
        self.assertEqual((v.name, v.key_id.hex(), v.key_type), ("example.com/foo", "530d903a", 1))
        self.assertEqual(v.vkey(), EXAMPLE_VKEY)

    def test_vkey_base64_may_hold_plus(self):
        key = b"\xf8" * 32
        encoded = base64.b64encode(b"\x01" + key).decode()
        self.assertIn("+", encoded)
        vkey = f"log.example/a+{mp.key_id('log.example/a', 1, key).hex()}+{encoded}"
        self.assertEqual(mp.parse_vkey(vkey).key, key)

    def test_bad_vkeys(self):
        good = EXAMPLE_VKEY.split("+")
        for vkey, words in [
            ("example.com/foo+530d903b+" + good[2], "not the one its name and key give"),
            ("example.com/bar+530d903a+" + good[2], "not the one its name and key give"),
            ("example.com/foo+530D903A+" + good[2], "lowercase"),
            ("example.com/foo+530d903a+" + good[2][:-4], "type 0x01"),
            ("example.com/foo+530d903a", "NAME"),
            ("+530d903a+" + good[2], "empty"),
        ]:
            with self.assertRaisesRegex(mp.NoteError, words, msg=vkey):
                mp.parse_vkey(vkey)

    def test_parse_note_splits_at_last_blank_line(self):
        note = mp.parse_note("a\n\nb\n\n— k/1 AAAAAAE=\n— k/2 AAAAAAI=\n")
        self.assertEqual(note.text, "a\n\nb\n")
        self.assertEqual([s.name for s in note.signatures], ["k/1", "k/2"])
        self.assertEqual(note.signatures[1].key_id, b"\0\0\0\0")
        for bad in ["a\n— k AAAAAAE=\n", "a\n\n— k AAAAAAE=", "a\n\n- k AAAAAAE=\n",
                    "a\n\n— k AAAA\n", "a\n\n— k x AAAAAAE=\n", "a\tb\n\n— k AAAAAAE=\n",
                    "a\n\n— k AAAAAAE\n", b"\xff\n\n\xe2\x80\x94 k AAAAAAE=\n"]:
            with self.assertRaises(mp.NoteError, msg=repr(bad)):
                mp.parse_note(bad)

    @unittest.skipUnless(have_ed25519(), "no Ed25519 package (cryptography or PyNaCl)")
    def test_example_note_verifies_and_a_changed_one_does_not(self):
        verifier = mp.parse_vkey(EXAMPLE_VKEY)
        self.assertEqual(mp.verify_note(EXAMPLE_NOTE, verifier).text,
                         "This is an example message.\n")
        with self.assertRaisesRegex(mp.NoteError, "does not verify"):
            mp.verify_note(EXAMPLE_NOTE.replace("example message", "example massage"), verifier)
        other = mp.Verifier("example.com/bar", verifier.key_id, 1, verifier.key)
        with self.assertRaisesRegex(mp.NoteError, "no signature by example.com/bar"):
            mp.verify_note(EXAMPLE_NOTE, other)

    def test_checkpoint_text(self):
        root = base64.b64encode(mp.EMPTY_ROOT).decode()
        cp = mp.parse_checkpoint(f"example.com/log\n0\n{root}\n")
        self.assertEqual((cp.origin, cp.size, cp.root), ("example.com/log", 0, mp.EMPTY_ROOT))
        self.assertEqual(mp.parse_checkpoint(f"o\n12\n{root}\next\n").extensions, ("ext",))
        for bad in [f"o\n012\n{root}\n", f"o\n-1\n{root}\n", f"o\n1\n{root}",
                    f"o\n1\n{root[:-4]}\n", f"o\n1\n\n{root}\n", "o\n1\n",
                    f"o\n١\n{root}\n", f"o\n1\n{root}\n\n"]:
            with self.assertRaises(mp.NoteError, msg=repr(bad)):
                mp.parse_checkpoint(bad)


@unittest.skipUnless(have_ed25519(), "no Ed25519 package (cryptography or PyNaCl)")
class SignedCheckpoints(unittest.TestCase):
    """Round trips with a fresh key: a checkpoint and a tlog-cosignature v1."""

    def setUp(self):
        try:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
            from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
        except ImportError:
            self.skipTest("signing in the test needs cryptography")
        self.private = Ed25519PrivateKey.generate()
        self.public = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def verifier(self, name, key_type):
        return mp.Verifier(name, mp.key_id(name, key_type, self.public), key_type, self.public)

    def line(self, verifier, signature):
        return f"— {verifier.name} {base64.b64encode(verifier.key_id + signature).decode()}\n"

    def test_checkpoint(self):
        log = self.verifier("council.example/svledger", mp.ED25519)
        text = f"{log.name}\n8\n{base64.b64encode(bytes.fromhex(REFERENCE_ROOTS[8])).decode()}\n"
        note = text + "\n" + self.line(log, self.private.sign(text.encode()))
        cp = mp.verify_checkpoint(note, mp.parse_vkey(log.vkey()))
        self.assertEqual((cp.size, cp.root.hex()), (8, REFERENCE_ROOTS[8]))
        stranger = self.verifier("other.example/log", mp.ED25519)
        note = text + "\n" + self.line(stranger, self.private.sign(text.encode()))
        with self.assertRaisesRegex(mp.NoteError, "origin"):
            mp.verify_checkpoint(note, stranger)

    def test_cosignature_v1(self):
        witness = self.verifier("witness.example/w1", mp.COSIGNATURE_V1)
        text = f"council.example/svledger\n1\n{base64.b64encode(mp.EMPTY_ROOT).decode()}\n"
        when = 1_700_000_000
        signed = f"cosignature/v1\ntime {when}\n{text}".encode()
        note = text + "\n" + self.line(witness, when.to_bytes(8, "big") + self.private.sign(signed))
        mp.verify_note(note, witness)
        forged = text + "\n" + self.line(witness, (when + 1).to_bytes(8, "big")
                                         + self.private.sign(signed))
        with self.assertRaisesRegex(mp.NoteError, "does not verify"):
            mp.verify_note(forged, witness)


if __name__ == "__main__":
    unittest.main()
