/// The right edge of a tree grown one leaf at a time: the roots of its perfect subtrees,
/// largest first. A tree of n leaves has popcount(n) of them, so a reader can follow a log
/// of any length with O(log n) hashes, and knows the tree's root at every size it passes.
public struct MerkleFrontier: Sendable {
    /// The perfect subtrees so far, largest first: (level, hash).
    public private(set) var subtrees: [(level: Int, hash: TreeHash)] = []
    /// How many leaves were added.
    public private(set) var size: UInt64 = 0

    public init() {}

    /// Adds a leaf hash, calling `completed` with each node it completes, lowest level
    /// first, as (level, index in that level, hash): the nodes a writer stores with the leaf.
    public mutating func append(_ leaf: TreeHash, completed: (Int, UInt64, TreeHash) throws -> Void) rethrows {
        let index = size
        var hash = leaf
        var level = 0
        while let last = subtrees.last, last.level == level {
            subtrees.removeLast()
            hash = .node(last.hash, hash)
            level += 1
            try completed(level, index >> UInt64(level), hash)
        }
        subtrees.append((level, hash))
        size += 1
    }

    /// Adds a leaf hash.
    public mutating func append(_ leaf: TreeHash) { append(leaf) { _, _, _ in } }

    /// MTH of the leaves so far: the perfect subtrees folded from the right, which is how
    /// RFC 9162's split at the largest power of two decomposes the tree.
    public var root: TreeHash {
        guard var hash = subtrees.last?.hash else { return .empty }
        for subtree in subtrees.dropLast().reversed() { hash = .node(subtree.hash, hash) }
        return hash
    }
}
