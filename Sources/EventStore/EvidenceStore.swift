import Crypto
import Foundation
import LedgerValues
import LMDB

/// The `evidence` database: the bytes of the files that return lines cite as evidence, keyed
/// by the SHA-256 of those bytes (32 bytes). Beside the chain, never in it: an event records a
/// file's hash, size, type and name, and its bytes are written here in the same transaction,
/// so that the two are recorded together or not at all, and an administrator can erase the
/// bytes (personal data) while the event, and the hash that says what they were, stay.
/// Content-addressed, so a file cited twice is kept once.
extension EventStore {
    /// Opens the `evidence` database, making it when a ledger is created or opened for
    /// writing; a read-only ledger written before it has none (and holds no files).
    static func openEvidence(_ environment: Environment, mode: OpenMode) throws -> Database? {
        do {
            return try environment.openDatabase("evidence", flags: mode == .create ? [.create] : [])
        } catch LMDBError.notFound {
            guard mode == .readWrite else { return nil }
        }
        return try environment.write { txn in try txn.openDatabase("evidence", flags: [.create]) }
    }

    /// The SHA-256 of `bytes`, as the evidence database keys them.
    public static func evidenceDigest(_ bytes: some ContiguousBytes) -> [UInt8] {
        bytes.withUnsafeBytes { Array(SHA256.hash(data: $0)) }
    }
}

extension LedgerReader {
    /// The bytes kept under `digest` (a SHA-256); `nil` when there are none (never stored, or
    /// erased).
    public func evidence(_ digest: [UInt8]) throws -> [UInt8]? {
        guard let database = store.evidence else { return nil }
        return try transaction.get(database, key: digest)
    }

    /// Whether bytes are kept under `digest`, without copying them.
    public func hasEvidence(_ digest: [UInt8]) throws -> Bool {
        guard let database = store.evidence else { return false }
        return try transaction.withValue(in: database, key: digest) { $0 != nil }
    }

    /// Keeps `bytes` under their SHA-256, in this write transaction; a file already kept is
    /// left as it is. Returns the digest.
    @discardableResult
    public func storeEvidence(_ bytes: [UInt8]) throws -> [UInt8] {
        guard let database = store.evidence else { preconditionFailure("a ledger opened for writing has the evidence database") }
        let digest = EventStore.evidenceDigest(bytes)
        if try !hasEvidence(digest) { try transaction.put(database, key: digest, value: bytes) }
        return digest
    }

    /// Removes the bytes kept under `digest`, in this write transaction; false when there were none.
    @discardableResult
    public func eraseEvidence(_ digest: [UInt8]) throws -> Bool {
        guard let database = store.evidence else { preconditionFailure("a ledger opened for writing has the evidence database") }
        return try transaction.delete(database, key: digest)
    }
}
