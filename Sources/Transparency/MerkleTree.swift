/// Where a tree's perfect subtrees come from: the hash of the 2^level leaves starting at
/// leaf `index · 2^level`. The ledger reads them from its `merkle` database; a test keeps
/// them in memory. Every other hash of RFC 9162 is made from these.
public protocol PerfectSubtrees {
    func perfectSubtree(level: Int, index: UInt64) throws -> TreeHash
}

/// A size or position a tree cannot answer for.
public struct TreeRangeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Tree heads and proofs (RFC 9162 §2.1), made from perfect subtrees.
///
/// Every subtree the RFC's recursion names is aligned: it starts at a multiple of the largest
/// power of two below its size, so its left part is always a perfect subtree (one look-up)
/// and only the right edge is hashed on the fly. A head, an inclusion proof or a consistency
/// proof therefore costs O(log n) look-ups, whatever the size.
public struct MerkleTree<Source: PerfectSubtrees> {
    public let source: Source
    /// How many leaves the source holds.
    public let size: UInt64

    public init(source: Source, size: UInt64) {
        self.source = source
        self.size = size
    }

    /// MTH(D[0:n]): the root of the tree of the first `n` leaves.
    public func root(size n: UInt64) throws -> TreeHash {
        guard n <= size else { throw TreeRangeError("the tree has \(size) leaves, not \(n)") }
        return n == 0 ? .empty : try hash(start: 0, count: n)
    }

    /// PATH(m, D[n]) of RFC 9162 §2.1.3.1: the siblings from leaf `m` up to the root of the
    /// tree of size `n`, the leaf's first.
    public func inclusionProof(leaf m: UInt64, size n: UInt64) throws -> [TreeHash] {
        guard n <= size else { throw TreeRangeError("the tree has \(size) leaves; a tree of \(n) cannot be proved") }
        guard m < n else { throw TreeRangeError("leaf index \(m) is not in a tree of \(n) leaves (indexes 0 to \(n == 0 ? "none" : String(n - 1)))") }
        var proof: [TreeHash] = []
        try path(leaf: m, start: 0, count: n, into: &proof)
        return proof
    }

    private func path(leaf m: UInt64, start: UInt64, count n: UInt64, into path: inout [TreeHash]) throws {
        guard n > 1 else { return }
        let k = Self.splitPoint(n)
        if m < k {
            try self.path(leaf: m, start: start, count: k, into: &path)
            path.append(try hash(start: start + k, count: n - k))
        } else {
            try self.path(leaf: m - k, start: start + k, count: n - k, into: &path)
            path.append(try hash(start: start, count: k))
        }
    }

    /// PROOF(m, D[n]) of RFC 9162 §2.1.4.1: what shows that the tree of size `m` is a prefix
    /// of the tree of size `n`. Empty when m is 0 or m equals n.
    public func consistencyProof(from m: UInt64, to n: UInt64) throws -> [TreeHash] {
        guard n <= size else { throw TreeRangeError("the tree has \(size) leaves; a tree of \(n) cannot be proved") }
        guard m <= n else { throw TreeRangeError("a tree of \(m) leaves cannot be a prefix of one of \(n)") }
        guard m > 0, m < n else { return [] }
        var proof: [TreeHash] = []
        try subproof(m, start: 0, count: n, complete: true, into: &proof)
        return proof
    }

    private func subproof(_ m: UInt64, start: UInt64, count n: UInt64, complete: Bool, into proof: inout [TreeHash]) throws {
        if m == n {
            if !complete { proof.append(try hash(start: start, count: n)) }
            return
        }
        let k = Self.splitPoint(n)
        if m <= k {
            try subproof(m, start: start, count: k, complete: complete, into: &proof)
            proof.append(try hash(start: start + k, count: n - k))
        } else {
            try subproof(m - k, start: start + k, count: n - k, complete: false, into: &proof)
            proof.append(try hash(start: start, count: k))
        }
    }

    /// MTH(D[start:start+count]) for an aligned range.
    func hash(start: UInt64, count: UInt64) throws -> TreeHash {
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            return try source.perfectSubtree(level: level, index: start >> UInt64(level))
        }
        let k = Self.splitPoint(count)
        return TreeHash.node(try hash(start: start, count: k), try hash(start: start + k, count: count - k))
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func splitPoint(_ n: UInt64) -> UInt64 { 1 << UInt64(63 - (n - 1).leadingZeroBitCount) }
}

/// Which perfect subtrees are complete once a tree holds `size` leaves: those that a new leaf
/// at index `size − 1` closes, the leaf itself first. The writer stores exactly these.
public enum MerkleAppend {
    /// The levels (1, 2, …) of the interior nodes that leaf `index` completes, and each
    /// node's index in its level. Leaf `index` completes a node at level l when index + 1 is
    /// a multiple of 2^l.
    public static func completedNodes(byLeaf index: UInt64) -> [(level: Int, index: UInt64)] {
        let levels = (index + 1).trailingZeroBitCount
        return (0..<levels).map { level in (level + 1, index >> UInt64(level + 1)) }
    }

    /// How many perfect subtrees, leaves included, a tree of `size` leaves has: Σ ⌊size / 2^l⌋,
    /// which is 2·size − popcount(size).
    public static func storedNodeCount(size: UInt64) -> UInt64 { 2 * size - UInt64(size.nonzeroBitCount) }
}
