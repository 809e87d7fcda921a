/// Why a proof does not hold; the words name what was checked.
public struct ProofFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Checking proofs as a client does, from the hashes alone (RFC 9162 §2.1.3.2 and §2.1.4.2).
/// Written from the RFC's steps, not from the code that makes the proofs, so that one cannot
/// hide a mistake in the other.
public enum ProofVerification {
    /// The root that `proof` leads to from leaf `index`'s hash in a tree of `size` leaves.
    /// - Throws: ``ProofFailure`` when the index is not in the tree or the proof has the
    ///   wrong length for that position.
    public static func root(fromInclusion proof: [TreeHash], leafIndex index: UInt64, size: UInt64, leafHash: TreeHash) throws -> TreeHash {
        guard index < size else { throw ProofFailure("leaf index \(index) is beyond a tree of \(size) leaves") }
        var fn = index, sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { throw ProofFailure("the inclusion proof is longer than a tree of \(size) leaves needs for leaf \(index)") }
            if fn & 1 == 1 || fn == sn {
                r = .node(p, r)
                skipRightEdge(&fn, &sn)
            } else {
                r = .node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw ProofFailure("the inclusion proof is shorter than a tree of \(size) leaves needs for leaf \(index)") }
        return r
    }

    /// Checks that leaf `index` with hash `leafHash` is in the tree of `size` leaves whose
    /// root is `root`.
    public static func verifyInclusion(_ proof: [TreeHash], leafIndex index: UInt64, size: UInt64, leafHash: TreeHash, root: TreeHash) throws {
        let computed = try Self.root(fromInclusion: proof, leafIndex: index, size: size, leafHash: leafHash)
        guard computed == root else {
            throw ProofFailure("the inclusion proof for leaf \(index) leads to root \(computed.base64), not \(root.base64): the leaf is not in that tree, or the tree is not the one whose root was given")
        }
    }

    /// Checks that the tree of `size1` leaves with root `root1` is a prefix of the tree of
    /// `size2` leaves with root `root2`.
    public static func verifyConsistency(_ proof: [TreeHash], size1: UInt64, size2: UInt64, root1: TreeHash, root2: TreeHash) throws {
        guard size1 <= size2 else { throw ProofFailure("the first tree (\(size1) leaves) is larger than the second (\(size2)): a log never shrinks") }
        if size1 == size2 {
            guard proof.isEmpty else { throw ProofFailure("two trees of the same size need an empty proof, not \(proof.count) hashes") }
            guard root1 == root2 else {
                throw ProofFailure("two trees of \(size1) leaves have different roots, \(root1.base64) and \(root2.base64): the log forked")
            }
            return
        }
        // Every tree extends the empty one, so a proof from it shows nothing; the reference
        // implementation refuses it, and a witness treats an old size of 0 on its own.
        guard size1 > 0 else { throw ProofFailure("a consistency proof from the empty tree proves nothing: every tree extends it") }
        guard !proof.isEmpty else { throw ProofFailure("the consistency proof from \(size1) to \(size2) leaves is empty") }
        var path = proof
        // Step 2: a first tree that is a perfect subtree is its own first node.
        if size1 & (size1 - 1) == 0 { path.insert(root1, at: 0) }
        var fn = size1 - 1, sn = size2 - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0], sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { throw ProofFailure("the consistency proof from \(size1) to \(size2) leaves is longer than it should be") }
            if fn & 1 == 1 || fn == sn {
                fr = .node(c, fr)
                sr = .node(c, sr)
                skipRightEdge(&fn, &sn)
            } else {
                sr = .node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw ProofFailure("the consistency proof from \(size1) to \(size2) leaves is shorter than it should be") }
        guard fr == root1 else {
            throw ProofFailure("the consistency proof leads to \(fr.base64) for the tree of \(size1) leaves, not its root \(root1.base64): the earlier tree is not a prefix of the later one")
        }
        guard sr == root2 else {
            throw ProofFailure("the consistency proof leads to \(sr.base64) for the tree of \(size2) leaves, not its root \(root2.base64): the later tree does not extend the earlier one")
        }
    }

    /// The RFC's "if LSB(fn) is not set, right-shift both fn and sn equally until either
    /// LSB(fn) is set or fn is 0": on the tree's right edge a node has no sibling, so the path
    /// climbs past the levels where it is its parent's only child.
    private static func skipRightEdge(_ fn: inout UInt64, _ sn: inout UInt64) {
        while fn & 1 == 0, fn != 0 {
            fn >>= 1
            sn >>= 1
        }
    }
}
