import Foundation
import LedgerValues
import LMDB
import Transparency

/// The `merkle` database: every perfect subtree of the RFC 9162 tree over the log
/// (Schemas/README.md §11.2), keyed by its node's post-order number (8 bytes, big-endian).
///
/// Kept beside the chain, written in the same transaction as each event, so that a tree head
/// or a proof at any size costs O(log n) reads instead of a pass over the log. In post-order
/// a node is numbered after both its halves, so a new leaf and the nodes it completes take the
/// next numbers in turn: every key is written after every key there is (`MDB_APPEND`), pages
/// fill completely, and a tree of N leaves holds exactly the keys 0 to 2N − popcount(N) − 1.
enum MerkleKeys {
    /// 2j − popcount(j) + level, where j is the last leaf under the node: leaf j's own number
    /// is 2j − popcount(j) (the nodes of the j leaves before it come first), and the node that
    /// ends at leaf j on a level comes right after the one below it.
    static func key(level: Int, index: UInt64) -> Key {
        let last = ((index + 1) << UInt64(level)) - 1
        return Key(number: 2 * last - UInt64(last.nonzeroBitCount) + UInt64(level))
    }

    /// The stored hash of node (`level`, `index`), read in place; `nil` when there is none
    /// (or the value is not 32 bytes).
    static func hash(level: Int, index: UInt64, in database: Database, _ txn: Transaction) throws -> TreeHash? {
        try txn.withValue(in: database, key: key(level: level, index: index)) { value in
            value.flatMap { $0.count == 32 ? TreeHash(raw: $0) : nil }
        }
    }

    /// The 8 key bytes, on the stack: two are written per event appended.
    struct Key: ContiguousBytes {
        let bigEndian: UInt64
        init(number: UInt64) { bigEndian = number.bigEndian }
        func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try Swift.withUnsafeBytes(of: bigEndian, body)
        }
    }
}

extension EventStore {
    /// Opens the `merkle` database, making it from the log when a ledger written before it
    /// existed is opened for writing (one pass, one transaction). A read-only ledger without
    /// it has none, and proofs then say so.
    static func openMerkle(_ environment: Environment, mode: OpenMode, log: Database) throws -> Database? {
        do {
            return try environment.openDatabase("merkle", flags: mode == .create ? [.create] : [])
        } catch LMDBError.notFound {
            guard mode == .readWrite else { return nil }
        }
        return try environment.write { txn in
            let database = try txn.openDatabase("merkle", flags: [.create])
            try txn.withCursor(log) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    guard let position = Bytes.readBigEndian(current.key), current.value.count > 32 else {
                        throw EventStoreError.notALedger(path: environment.path, reason: "the log holds an entry that is not a position and an event")
                    }
                    try addLeaf(UnsafeRawBufferPointer(rebasing: current.value[32...]), position: position, to: database, in: txn)
                    entry = try cursor.next()
                }
            }
            return database
        }
    }

    /// Writes the leaf of the event at `position` and every node it completes.
    static func addLeaf(_ canonical: UnsafeRawBufferPointer, position: UInt64, to database: Database, in txn: Transaction) throws {
        let index = position - 1
        var hash = TreeHash.leaf(canonical)
        try txn.put(database, key: MerkleKeys.key(level: 0, index: index), value: hash, flags: .append)
        // The levels leaf `index` completes: one for each trailing 1 bit of the index.
        var level = 0
        while (index >> UInt64(level)) & 1 == 1 {
            let node = index >> UInt64(level + 1)
            // The right child is the node just made; the left one was written earlier.
            guard let left = try MerkleKeys.hash(level: level, index: 2 * node, in: database, txn) else { throw EventStoreError.notALedger(path: "", reason: "the Merkle tree lacks node (\(level), \(2 * node))") }
            level += 1
            hash = .node(left, hash)
            try txn.put(database, key: MerkleKeys.key(level: level, index: node), value: hash, flags: .append)
        }
    }
}

/// The tree's perfect subtrees, read from one snapshot.
public struct StoredSubtrees: PerfectSubtrees {
    let reader: LedgerReader
    let database: Database

    public func perfectSubtree(level: Int, index: UInt64) throws -> TreeHash {
        guard let hash = try MerkleKeys.hash(level: level, index: index, in: database, reader.transaction) else { throw TreeRangeError("the ledger's Merkle tree has no node (\(level), \(index)): run `svledger verify`") }
        return hash
    }
}

extension LedgerReader {
    /// The Merkle tree of this snapshot, its size the number of events.
    /// - Throws: ``EventStoreError/noMerkleTree(path:)`` for a ledger written before the tree
    ///   and opened read-only.
    public func merkleTree() throws -> MerkleTree<StoredSubtrees> {
        guard let database = store.merkle else { throw EventStoreError.noMerkleTree(path: store.environment.path) }
        return MerkleTree(source: StoredSubtrees(reader: self, database: database), size: try head().position)
    }

    /// The root of the tree of the first `size` events: from the stored tree, or, for a ledger
    /// written before the tree and opened read-only, from the events themselves (one walk of
    /// the log, until the ledger is next opened for writing and the tree is made).
    public func treeRoot(size: UInt64) throws -> TreeHash {
        if store.merkle != nil { return try merkleTree().root(size: size) }
        var frontier = MerkleFrontier()
        try transaction.withCursor(store.log) { cursor in
            var entry = try cursor.first()
            while frontier.size < size, let current = entry {
                guard current.value.count > 32 else { throw TreeRangeError("the log entry after position \(frontier.size) is not an event: run `svledger verify`") }
                frontier.append(.leaf(UnsafeRawBufferPointer(rebasing: current.value[32...])))
                entry = try cursor.next()
            }
        }
        guard frontier.size == size else { throw TreeRangeError("the log holds \(frontier.size) events; a tree of \(size) has no root") }
        return frontier.root
    }

    /// The leaf hash of the event at `position` (1, 2, …).
    public func leafHash(position: UInt64) throws -> TreeHash {
        let tree = try merkleTree()
        guard position >= 1, position <= tree.size else { throw TreeRangeError("position \(position) is not in the log (1 to \(tree.size))") }
        return try tree.source.perfectSubtree(level: 0, index: position - 1)
    }
}
