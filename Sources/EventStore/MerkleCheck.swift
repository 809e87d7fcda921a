import LedgerValues
import LMDB
import Transparency

/// Checks 13–15 of Schemas/README.md §11.3, made during verify's one walk of the log: the
/// tree is recomputed from the events with a frontier of O(log n) hashes (the roots of the
/// perfect subtrees so far), and every stored node is compared as the walk completes it.
struct MerkleCheck {
    let database: Database?
    let txn: Transaction
    /// The last signed checkpoint (`meta`/`checkpoint`), when there is one that reads.
    let signed: Checkpoint?
    /// Why `meta`/`checkpoint` does not read, reported after the walk (check 15).
    let unreadable: String?
    /// The tree of the leaves so far, as its perfect subtrees.
    private var frontier = MerkleFrontier()
    /// The root at the signed checkpoint's size, once the walk passes it.
    private(set) var rootAtSignedSize: TreeHash?

    init(database: Database?, txn: Transaction, signedNote: [UInt8]?) {
        self.database = database
        self.txn = txn
        var signed: Checkpoint?, unreadable: String?
        if let signedNote {
            do {
                signed = try SignedCheckpoint(parsing: String(decoding: signedNote, as: UTF8.self)).checkpoint
            } catch {
                unreadable = "\(error)"
            }
        }
        self.signed = signed
        self.unreadable = unreadable
        if signed?.size == 0 { rootAtSignedSize = .empty }
    }

    /// Adds the event at `position`, checking its leaf and each node it completes.
    mutating func add(_ canonical: UnsafeRawBufferPointer, position: UInt64) throws {
        guard let database else {
            throw VerificationFailure(position: position, problem: "the ledger has no Merkle tree (database `merkle`): open it for writing once and svledger makes it (check 13)")
        }
        let index = position - 1
        let leaf = TreeHash.leaf(canonical)
        let txn = self.txn
        try Self.compare(leaf, level: 0, index: index, position: position, in: database, txn)
        try frontier.append(leaf) { level, index, hash in try Self.compare(hash, level: level, index: index, position: position, in: database, txn) }
        if position == signed?.size { rootAtSignedSize = frontier.root }
    }

    private static func compare(_ expected: TreeHash, level: Int, index: UInt64, position: UInt64, in database: Database, _ txn: Transaction) throws {
        // Read in place: verify compares two entries per event.
        let matches = try txn.withValue(in: database, key: MerkleKeys.key(level: level, index: index)) { value in
            value.map { stored in expected.withUnsafeBytes { $0.elementsEqual(stored) } } ?? false
        }
        guard !matches else { return }
        let stored = try txn.get(database, key: MerkleKeys.key(level: level, index: index))
        let what = level == 0 ? "the leaf hash of this event" : "the Merkle node (level \(level), index \(index)) ending at this event"
        let found = stored.map { $0.count == 32 ? TreeHash(bytes: $0)!.base64 : "\($0.count) bytes" } ?? "missing"
        throw VerificationFailure(position: position, problem: "\(what) is \(found), but the log gives \(expected.base64) (check 13)")
    }

    /// Checks 14 and 15, after the walk of `eventCount` events.
    func finish(eventCount: UInt64) throws {
        guard let database else {
            // Reached only for an empty log: otherwise the first event already failed check 13.
            throw VerificationFailure(position: eventCount, problem: "the ledger has no Merkle tree (database `merkle`): open it for writing once and svledger makes it (check 13)")
        }
        let entries = UInt64(try txn.statistics(database).entries)
        let expected = MerkleAppend.storedNodeCount(size: eventCount)
        guard entries == expected else {
            throw VerificationFailure(
                position: eventCount,
                problem: "the Merkle tree holds \(entries) nodes, but a log of \(eventCount) events has \(expected) (check 14): \(entries > expected ? "stray nodes were added" : "nodes were removed")")
        }
        if let unreadable {
            throw VerificationFailure(position: eventCount, problem: "meta/checkpoint is not a signed checkpoint: \(unreadable) (check 15)")
        }
        if let signed {
            guard signed.size <= eventCount else {
                throw VerificationFailure(
                    position: eventCount + 1,
                    problem: "the ledger signed a checkpoint at tree size \(signed.size), but the log ends at position \(eventCount): events it published are gone (check 15)")
            }
            guard rootAtSignedSize == signed.root else {
                throw VerificationFailure(
                    position: signed.size,
                    problem: "the ledger signed root \(signed.root.base64) at tree size \(signed.size), but its log gives \(rootAtSignedSize?.base64 ?? "none") there: the history it published has changed (check 15)")
            }
        }
    }
}

extension EventStore {
    /// `meta`/`checkpoint`: the last checkpoint this ledger signed, as its signed note.
    static let checkpointKey = Array("checkpoint".utf8)

    /// - Throws: ``EventStoreError/notALedger(path:reason:)`` when it does not read (verify
    ///   says so as check 15).
    func lastSignedCheckpoint(in txn: Transaction) throws -> SignedCheckpoint? {
        guard let bytes = try txn.get(meta, key: Self.checkpointKey) else { return nil }
        do {
            return try SignedCheckpoint(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw EventStoreError.notALedger(path: environment.path, reason: "meta/checkpoint is not a signed checkpoint (\(error)); run `svledger verify`")
        }
    }
}
