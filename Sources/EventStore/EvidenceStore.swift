import Crypto
import Foundation
import LedgerValues
import LMDB

/// The `evidence` database: the bytes of the files that return lines cite as evidence, keyed
/// by the SHA-256 of those bytes (32 bytes) and then the contract's stream id. Beside the
/// chain, never in it: an event records a file's hash, size, type and name, and its bytes are
/// written here in the same transaction, so that the two are recorded together or not at all,
/// and an administrator can erase the bytes (personal data) while the event, and the hash that
/// says what they were, stay. A file cited twice by one contract is kept once; the same bytes
/// sent for two contracts are kept for each, so that one contract's returns never reach the
/// other's file, and erasing it from one leaves the other's as it was.
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
    static func evidenceKey(_ digest: [UInt8], stream: String) -> [UInt8] { digest + Array(stream.utf8) }

    /// The bytes kept under `digest` (a SHA-256) for the contract whose stream is `stream`;
    /// `nil` when there are none (never stored, or erased).
    public func evidence(_ digest: [UInt8], stream: String) throws -> [UInt8]? {
        guard let database = store.evidence else { return nil }
        return try transaction.get(database, key: Self.evidenceKey(digest, stream: stream))
    }

    /// Whether bytes are kept under `digest` for `stream`'s contract, without copying them.
    public func hasEvidence(_ digest: [UInt8], stream: String) throws -> Bool {
        guard let database = store.evidence else { return false }
        return try transaction.withValue(in: database, key: Self.evidenceKey(digest, stream: stream)) { $0 != nil }
    }

    /// Keeps `bytes` under their SHA-256 for `stream`'s contract, in this write transaction; a
    /// file already kept is left as it is. Returns the digest.
    @discardableResult
    public func storeEvidence(_ bytes: [UInt8], stream: String) throws -> [UInt8] {
        guard let database = store.evidence else { preconditionFailure("a ledger opened for writing has the evidence database") }
        let digest = EventStore.evidenceDigest(bytes)
        if try !hasEvidence(digest, stream: stream) { try transaction.put(database, key: Self.evidenceKey(digest, stream: stream), value: bytes) }
        return digest
    }

    /// Removes the bytes kept under `digest` for `stream`'s contract, in this write
    /// transaction; false when there were none.
    @discardableResult
    public func eraseEvidence(_ digest: [UInt8], stream: String) throws -> Bool {
        guard let database = store.evidence else { preconditionFailure("a ledger opened for writing has the evidence database") }
        return try transaction.delete(database, key: Self.evidenceKey(digest, stream: stream))
    }
}
