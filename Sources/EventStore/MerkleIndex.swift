import LedgerValues
import LMDB
import Transparency

/// The `merkle` database: every perfect subtree of the RFC 9162 tree over the log
/// (Schemas/README.md §11.2), keyed by level (1 byte) and index (8 bytes, big-endian).
///
/// Kept beside the chain, written in the same transaction as each event, so that a tree head
/// or a proof at any size costs O(log n) reads instead of a pass over the log.
enum MerkleKeys {
    static func key(level: Int, index: UInt64) -> [UInt8] { [UInt8(level)] + Bytes.bigEndian(index) }
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
        try txn.put(database, key: MerkleKeys.key(level: 0, index: index), value: hash.bytes)
        for (level, node) in MerkleAppend.completedNodes(byLeaf: index) {
            // The right child is the node just made; the left one was written earlier.
            guard let left = try txn.get(database, key: MerkleKeys.key(level: level - 1, index: 2 * node)).flatMap(TreeHash.init(bytes:)) else {
                throw EventStoreError.notALedger(path: "", reason: "the Merkle tree lacks node (\(level - 1), \(2 * node))")
            }
            hash = .node(left, hash)
            try txn.put(database, key: MerkleKeys.key(level: level, index: node), value: hash.bytes)
        }
    }
}

/// The tree's perfect subtrees, read from one snapshot.
public struct StoredSubtrees: PerfectSubtrees {
    let reader: LedgerReader
    let database: Database

    public func perfectSubtree(level: Int, index: UInt64) throws -> TreeHash {
        guard let bytes = try reader.transaction.get(database, key: MerkleKeys.key(level: level, index: index)), let hash = TreeHash(bytes: bytes) else {
            throw TreeRangeError("the ledger's Merkle tree has no node (\(level), \(index)): run `svledger verify`")
        }
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

    /// The leaf hash of the event at `position` (1, 2, …).
    public func leafHash(position: UInt64) throws -> TreeHash {
        let tree = try merkleTree()
        guard position >= 1, position <= tree.size else { throw TreeRangeError("position \(position) is not in the log (1 to \(tree.size))") }
        return try tree.source.perfectSubtree(level: 0, index: position - 1)
    }
}
