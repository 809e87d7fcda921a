import EventStore
import LedgerValues
import Reports
import Transparency

/// Inclusion and consistency proofs as documents, the same for `svledger prove` and the
/// server's `/proofs/…` routes: hashes only, never an event's contents (Schemas/README.md §11).
public enum Proofs {
    /// The proof that the event at `position` is in the tree of `size` events (the head's
    /// when `nil`).
    public static func inclusion(_ reader: LedgerReader, position: UInt64, size: UInt64? = nil) throws -> InclusionProof {
        let (tree, size) = try tree(reader, size: size)
        guard position >= 1, position <= size else {
            throw PlainError(.input, kind: "proof-out-of-range", "position \(position) is not in a tree of \(size) events (positions 1 to \(size))")
        }
        let proof = try tree.inclusionProof(leaf: position - 1, size: size)
        let leafHash = try tree.source.perfectSubtree(level: 0, index: position - 1)
        let root = try tree.root(size: size)
        // Checked as a client would before it is handed out: a proof that does not verify
        // means the stored tree is damaged, which `svledger verify` then names.
        do {
            try ProofVerification.verifyInclusion(proof, leafIndex: position - 1, size: size, leafHash: leafHash, root: root)
        } catch {
            throw PlainError(.integrity, kind: "merkle-tree-damaged", "the ledger's Merkle tree gives a proof that does not verify (\(error)); run `svledger verify`")
        }
        return InclusionProof(position: position, size: size, leafHash: leafHash, root: root, proof: proof)
    }

    /// The proof that the tree of `from` events is a prefix of the tree of `to` events (the
    /// head's when `nil`).
    public static func consistency(_ reader: LedgerReader, from: UInt64, to: UInt64? = nil) throws -> ConsistencyProof {
        let (tree, to) = try tree(reader, size: to)
        guard from >= 1, from <= to else {
            throw PlainError(.input, kind: "proof-out-of-range", "a consistency proof goes from a tree of 1 to \(to) events to a larger or equal one, not from \(from) to \(to)")
        }
        let proof = try tree.consistencyProof(from: from, to: to)
        return ConsistencyProof(from: from, to: to, fromRoot: try tree.root(size: from), toRoot: try tree.root(size: to), proof: proof)
    }

    /// The snapshot's tree, and the size asked for (the head's when `nil`), which it must hold.
    private static func tree(_ reader: LedgerReader, size: UInt64?) throws -> (MerkleTree<StoredSubtrees>, UInt64) {
        let tree = try reader.merkleTree()
        let size = size ?? tree.size
        guard size <= tree.size else {
            throw PlainError(.input, kind: "proof-out-of-range", "the ledger holds \(tree.size) events; a tree of \(size) cannot be proved")
        }
        return (tree, size)
    }
}

extension TreeStatement {
    /// The tree's root at `position` and the last checkpoint the ledger signed, as a report
    /// states them; `nil` for a ledger without a tree (written before it, opened read-only).
    public static func read(_ reader: LedgerReader, position: UInt64) throws -> TreeStatement? {
        guard let tree = try? reader.merkleTree(), position <= tree.size else { return nil }
        let checkpoint = try reader.lastCheckpoint().map { signed in
            TreeStatement.SignedCheckpointFacts(
                origin: signed.checkpoint.origin, size: signed.checkpoint.size, root: signed.checkpoint.root.base64,
                cosignatures: signed.note.signatures.count - 1)
        }
        return TreeStatement(root: try tree.root(size: position).base64, checkpoint: checkpoint)
    }
}

/// That one event is in a tree of a given size.
public struct InclusionProof: Sendable, Equatable {
    public let position: UInt64
    public let size: UInt64
    public let leafHash: TreeHash
    public let root: TreeHash
    public let proof: [TreeHash]

    public var json: JSONValue {
        [
            "position": .integer(Int64(position)), "leafIndex": .integer(Int64(position - 1)), "treeSize": .integer(Int64(size)),
            "leafHash": .string(leafHash.base64), "root": .string(root.base64), "proof": .array(proof.map { .string($0.base64) }),
        ]
    }

    /// Lines a person reads.
    public var lines: [String] {
        ["event at position \(position) (leaf \(position - 1)) is in the tree of \(size) events",
         "leaf hash \(leafHash.base64)", "root \(root.base64)"] + proof.enumerated().map { "proof[\($0.offset)] \($0.element.base64)" }
    }
}

/// That a tree of `from` events is a prefix of a tree of `to` events.
public struct ConsistencyProof: Sendable, Equatable {
    public let from: UInt64
    public let to: UInt64
    public let fromRoot: TreeHash
    public let toRoot: TreeHash
    public let proof: [TreeHash]

    public var json: JSONValue {
        [
            "fromSize": .integer(Int64(from)), "toSize": .integer(Int64(to)), "fromRoot": .string(fromRoot.base64),
            "toRoot": .string(toRoot.base64), "proof": .array(proof.map { .string($0.base64) }),
        ]
    }

    public var lines: [String] {
        ["the tree of \(from) events is a prefix of the tree of \(to) events", "root at \(from) \(fromRoot.base64)", "root at \(to) \(toRoot.base64)"]
            + proof.enumerated().map { "proof[\($0.offset)] \($0.element.base64)" }
    }
}
