"""Merkle tree hashes, proof checks and signed checkpoints for svledger (Schemas/README.md §11).

Written from the specification alone, like tools/verify_ledger.py, so that it is a second
opinion on svledger's own code rather than a copy of it:

- the tree and its proofs: RFC 9162 §2.1 (MTH §2.1.1, inclusion §2.1.3.2, consistency
  §2.1.4.2);
- signed notes, verifier keys (vkeys) and checkpoints: C2SP signed-note, tlog-checkpoint and
  tlog-cosignature (v1, Ed25519).

Standard library only, except Ed25519 signature checks, which import the PyPI package
`cryptography` (or else PyNaCl) when a signature is actually checked; without either,
only that raises SignatureUnavailable and everything else here still works.
"""

import base64
import hashlib
import re
from dataclasses import dataclass

HASH_LEN = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()   # MTH({}), e3b0c442…b855


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n):
    """The largest power of 2 smaller than n (n > 1): where MTH splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes):
    """MTH over a list of leaf hashes, by the RFC's recursive definition."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = _split(n)
    return node_hash(root_of(leaf_hashes[:k]), root_of(leaf_hashes[k:]))


class Frontier:
    """The right edge of a tree grown one leaf at a time: the roots of its perfect subtrees,
    largest first, as (level, hash). A tree of n leaves has popcount(n) of them, so a
    verifier can follow a log of any length in O(log n) memory."""

    def __init__(self):
        self.size = 0
        self.stack = []

    def append(self, leaf):
        """Add a leaf hash; return the nodes it completes as (level, index, hash), lowest
        level first (the same nodes svledger writes with the event: §11.2)."""
        index, level, digest = self.size, 0, leaf
        completed = []
        while self.stack and self.stack[-1][0] == level:
            _, left = self.stack.pop()
            digest, level = node_hash(left, digest), level + 1
            completed.append((level, index >> level, digest))
        self.stack.append((level, digest))
        self.size += 1
        return completed

    def root(self):
        """MTH of the leaves so far: the perfect subtrees folded from the right, which is
        how the RFC's split at the largest power of 2 decomposes the tree."""
        if not self.stack:
            return EMPTY_ROOT
        digest = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            digest = node_hash(left, digest)
        return digest


# ---------------------------------------------------------------------------
# Proof checks (RFC 9162 §2.1.3.2 and §2.1.4.2)
# ---------------------------------------------------------------------------

class ProofError(ValueError):
    """A proof does not prove what it is said to prove."""


def _require_hash(value, what):
    if not isinstance(value, (bytes, bytearray)) or len(value) != HASH_LEN:
        size = len(value) if isinstance(value, (bytes, bytearray)) else type(value).__name__
        raise ProofError(f"{what} is {size} bytes, not a {HASH_LEN}-byte SHA-256 hash")


def _require_hashes(proof, what):
    for i, value in enumerate(proof):
        _require_hash(value, f"{what}[{i}]")


def verify_inclusion(leaf_index, tree_size, leaf, proof, root):
    """Raise ProofError unless `proof` shows the leaf hash `leaf` at `leaf_index` in the
    tree of `tree_size` leaves whose root is `root`."""
    _require_hash(leaf, "the leaf hash")
    _require_hash(root, "the root")
    _require_hashes(proof, "the proof")
    if not 0 <= leaf_index < tree_size:  # step 1
        raise ProofError(f"leaf index {leaf_index} is not below the tree size {tree_size}")
    fn, sn, r = leaf_index, tree_size - 1, bytes(leaf)  # steps 2-3
    for p in proof:  # step 4
        if sn == 0:
            raise ProofError(f"the proof has {len(proof)} hashes, more than a leaf at index "
                             f"{leaf_index} of a tree of size {tree_size} needs")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # step 5
        raise ProofError(f"the proof has {len(proof)} hashes, fewer than a leaf at index "
                         f"{leaf_index} of a tree of size {tree_size} needs")
    if r != root:
        raise ProofError(f"the proof leads to root {r.hex()}, not the given {bytes(root).hex()}")


def verify_consistency(size1, size2, proof, root1, root2):
    """Raise ProofError unless `proof` shows that the tree of `size2` leaves with root
    `root2` extends the tree of `size1` leaves with root `root1`."""
    _require_hash(root1, "the first root")
    _require_hash(root2, "the second root")
    _require_hashes(proof, "the proof")
    if not 0 <= size1 <= size2:
        raise ProofError(f"the first tree size {size1} is larger than the second {size2}")
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing "
                         "(every tree extends it)")
    if size1 == size2:
        if proof:
            raise ProofError(f"the trees are the same size {size1}, so the proof must be "
                             f"empty, but it has {len(proof)} hashes")
        if root1 != root2:
            raise ProofError(f"the trees are the same size {size1} but their roots differ")
        return
    if not proof:  # step 1
        raise ProofError(f"an empty proof cannot show that size {size2} extends size {size1}")
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # step 2: the first tree is itself a perfect subtree
        path.insert(0, bytes(root1))
    fn, sn = size1 - 1, size2 - 1  # step 3
    while fn & 1:  # step 4
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:
            raise ProofError(f"the proof has {len(proof)} hashes, more than sizes "
                             f"{size1} and {size2} need")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # step 7
        raise ProofError(f"the proof has {len(proof)} hashes, fewer than sizes "
                         f"{size1} and {size2} need")
    if fr != root1:
        raise ProofError(f"the proof leads to first root {fr.hex()}, not the given "
                         f"{bytes(root1).hex()}")
    if sr != root2:
        raise ProofError(f"the proof leads to second root {sr.hex()}, not the given "
                         f"{bytes(root2).hex()}")


# ---------------------------------------------------------------------------
# Signed notes, vkeys and checkpoints (C2SP)
# ---------------------------------------------------------------------------

class NoteError(ValueError):
    """A note, vkey or checkpoint is malformed, or its signature does not verify."""


class SignatureUnavailable(RuntimeError):
    """No Ed25519 implementation is installed; raised only when a signature must be checked."""


ED25519 = 0x01          # signed-note: Ed25519 over the note text
COSIGNATURE_V1 = 0x04   # tlog-cosignature: timestamped Ed25519 over a checkpoint
EM_DASH = "\u2014"
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f]")   # every control character but newline
_SPACE_RE = re.compile(r"\s")                        # Unicode spaces too (str patterns)
_SIZE_RE = re.compile(r"0|[1-9][0-9]*")             # [0-9], not \d: ASCII digits only


def _b64decode(text, what):
    """Strict standard base64: the alphabet, padding, and nothing a re-encoding would change."""
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise NoteError(f"{what} is not base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise NoteError(f"{what} is not canonical base64")
    return raw


def _check_key_name(name, what):
    if not name or _SPACE_RE.search(name) or "+" in name:
        raise NoteError(f"{what} {name!r} is empty or holds a space or '+'")


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes    # 4 bytes
    signature: bytes


@dataclass(frozen=True)
class Note:
    text: str        # up to and including the newline before the last blank line
    signatures: tuple


def parse_note(note):
    """Split a signed note (str or UTF-8 bytes) into its text and signature lines."""
    if isinstance(note, (bytes, bytearray)):
        try:
            note = bytes(note).decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("the note is not UTF-8") from None
    if _CONTROL_RE.search(note):
        raise NoteError("the note holds a control character other than newline")
    cut = note.rfind("\n\n")   # the text ends at the last blank line
    if cut < 0:
        raise NoteError("the note has no blank line before its signatures")
    text, block = note[:cut + 1], note[cut + 2:]
    if not block.endswith("\n"):
        raise NoteError("the note does not end with a newline after its signature lines")
    signatures = []
    for line in block[:-1].split("\n"):
        if not line.startswith(EM_DASH + " "):
            raise NoteError(f"signature line {line!r} does not start with an em dash and a space")
        parts = line[2:].split(" ")
        if len(parts) != 2:
            raise NoteError(f"signature line {line!r} is not '— NAME BASE64'")
        name, encoded = parts
        _check_key_name(name, "the signature's key name")
        raw = _b64decode(encoded, f"the signature of {name}")
        if len(raw) < 5:
            raise NoteError(f"the signature of {name} is {len(raw)} bytes: no key id and signature")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    return Note(text, tuple(signatures))


def key_id(name, key_type, key):
    """The 4-byte key id: SHA-256(name || 0x0A || type || public key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([key_type]) + key).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    key_type: int
    key: bytes       # the 32-byte Ed25519 public key

    def vkey(self):
        encoded = base64.b64encode(bytes([self.key_type]) + self.key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"


_HEX8_RE = re.compile(r"[0-9a-f]{8}")


def parse_vkey(vkey):
    """Parse `NAME+HEX8+BASE64(type || key)`. Only the first two '+' separate: base64
    has '+' in its alphabet. The key id must be the one the name and key give."""
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError(f"vkey {vkey!r} is not NAME+KEYID+KEY")
    name, hex_id, encoded = parts
    _check_key_name(name, "the vkey's name")
    if not _HEX8_RE.fullmatch(hex_id):
        raise NoteError(f"the vkey's key id {hex_id!r} is not 8 lowercase hex digits")
    raw = _b64decode(encoded, "the vkey's key")
    if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError("the vkey's key is not type 0x01 (Ed25519) or 0x04 (cosignature/v1) "
                        "followed by a 32-byte Ed25519 public key")
    verifier = Verifier(name, bytes.fromhex(hex_id), raw[0], raw[1:])
    expected = key_id(name, verifier.key_type, verifier.key)
    if verifier.key_id != expected:
        raise NoteError(f"the vkey's key id {hex_id} is not the one its name and key give, "
                        f"{expected.hex()}")
    return verifier


def ed25519_verify(public_key, signature, message):
    """True when `signature` is a valid Ed25519 signature of `message`. The import is here,
    not at the top, so that only signature checks need the package."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        pass
    else:
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
            return True
        except (InvalidSignature, ValueError):
            return False
    try:
        from nacl.exceptions import BadSignatureError
        from nacl.signing import VerifyKey
    except ImportError:
        raise SignatureUnavailable(
            "checking an Ed25519 signature needs the Python package cryptography "
            "(pip install cryptography) or PyNaCl (pip install pynacl)") from None
    try:
        VerifyKey(public_key).verify(message, signature)
        return True
    except (BadSignatureError, ValueError):
        return False


def verify_note(note, verifier):
    """Check that `verifier` signed the note (a Note, str or bytes); return the Note.

    Per signed-note, lines whose (name, key id) is not the verifier's are ignored; the
    note is refused when no line is the verifier's or one of its lines does not verify.
    """
    if not isinstance(note, Note):
        note = parse_note(note)
    mine = [s for s in note.signatures if (s.name, s.key_id) == (verifier.name, verifier.key_id)]
    if not mine:
        raise NoteError(f"the note has no signature by {verifier.name} "
                        f"(key id {verifier.key_id.hex()})")
    for sig in mine:
        message, signature = note.text.encode("utf-8"), sig.signature
        if verifier.key_type == COSIGNATURE_V1:
            # timestamped_signature: 8-byte big-endian time T, then the 64-byte signature
            # over "cosignature/v1\ntime T\n" followed by the checkpoint text.
            if len(signature) != 8 + 64:
                raise NoteError(f"the cosignature of {verifier.name} is {len(signature)} "
                                f"bytes, not 72")
            when = int.from_bytes(signature[:8], "big")
            message = f"cosignature/v1\ntime {when}\n".encode("ascii") + message
            signature = signature[8:]
        if len(signature) != 64 or not ed25519_verify(verifier.key, signature, message):
            raise NoteError(f"the signature of {verifier.name} does not verify over the note text")
    return note


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple = ()


def parse_checkpoint(text):
    """Parse a checkpoint's note text (signature lines already split off by parse_note)."""
    if not text.endswith("\n"):
        raise NoteError("the checkpoint text does not end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or any(not line for line in lines):
        raise NoteError("the checkpoint text is not at least three non-empty lines "
                        "(origin, tree size, root)")
    origin, size, root, *extensions = lines
    if not _SIZE_RE.fullmatch(size):
        raise NoteError(f"the tree size {size!r} is not a decimal without leading zeros")
    digest = _b64decode(root, "the root hash")
    if len(digest) != HASH_LEN:
        raise NoteError(f"the root hash is {len(digest)} bytes, not {HASH_LEN}")
    return Checkpoint(origin, int(size), digest, tuple(extensions))


def verify_checkpoint(note, verifier):
    """A checkpoint signed by `verifier`, whose name must be the checkpoint's origin."""
    parsed = verify_note(note, verifier)
    checkpoint = parse_checkpoint(parsed.text)
    if checkpoint.origin != verifier.name:
        raise NoteError(f"the checkpoint's origin {checkpoint.origin!r} is not the key's name "
                        f"{verifier.name!r}")
    return checkpoint
