import LedgerValues
import LMDB
import Transparency

extension EventStore {
    /// Signs the tree head at the ledger's head with `key`, for log `origin`, and keeps it as
    /// the last signed checkpoint (`meta`/`checkpoint`), in one write transaction.
    ///
    /// The ledger never signs two inconsistent checkpoints: a size at or below the last one
    /// signed is refused, and so is a tree whose root at that size is no longer the one signed.
    /// - Parameter authorize: runs first, in the same transaction, with the reader (the
    ///   ledger checks there that the key is one it registered).
    /// - Throws: ``EventStoreError/checkpointNotNewer(signedSize:headSize:)``,
    ///   ``EventStoreError/checkpointInconsistent(size:signed:now:)``, or what `authorize` throws.
    public func signCheckpoint(
        origin: String, key: NoteSigningKey, authorize: (LedgerReader) throws -> Void = { _ in }
    ) throws -> SignedCheckpoint {
        try environment.write { txn in
            let reader = LedgerReader(store: self, transaction: txn)
            try authorize(reader)
            return try reader.signCheckpoint(origin: origin, key: key)
        }
    }

    /// Keeps witnesses' cosignatures with the last signed checkpoint, if it is still the one
    /// they cosigned (its text unchanged).
    /// - Returns: the checkpoint as now kept, or `nil` when a newer one was signed meanwhile.
    @discardableResult
    public func addCosignatures(_ cosignatures: [NoteSignature], to checkpoint: Checkpoint) throws -> SignedCheckpoint? {
        try environment.write { txn in
            guard var last = try lastSignedCheckpoint(in: txn), last.checkpoint == checkpoint else { return nil }
            last.add(cosignatures: cosignatures)
            try txn.put(meta, key: Self.checkpointKey, value: Array(last.serialized.utf8))
            return last
        }
    }
}

extension LedgerReader {
    /// The last checkpoint this ledger signed, with any cosignatures kept beside it.
    public func lastCheckpoint() throws -> SignedCheckpoint? { try store.lastSignedCheckpoint(in: transaction) }

    /// Signs the tree head this write transaction sees and keeps it as the last signed: how a
    /// commit signs its own head in its own transaction (one signature per commit, no extra
    /// sync). Only in a write transaction (the append's `within`).
    /// - Throws: as ``EventStore/signCheckpoint(origin:key:authorize:)``.
    public func signCheckpoint(origin: String, key: NoteSigningKey) throws -> SignedCheckpoint {
        // A follower's checkpoints are its primary's, kept as they were checked.
        if let primary = try followedPrimary() { throw EventStoreError.followerRecordsNothing(primary: primary) }
        let tree = try merkleTree()
        if let last = try lastCheckpoint()?.checkpoint {
            guard last.size < tree.size else { throw EventStoreError.checkpointNotNewer(signedSize: last.size, headSize: tree.size) }
            let rootThen = try tree.root(size: last.size)
            guard rootThen == last.root else {
                throw EventStoreError.checkpointInconsistent(size: last.size, signed: last.root.base64, now: rootThen.base64)
            }
        }
        let signed = try SignedCheckpoint(try Checkpoint(origin: origin, size: tree.size, root: try tree.root(size: tree.size)), signedBy: key)
        try transaction.put(store.meta, key: EventStore.checkpointKey, value: Array(signed.serialized.utf8))
        return signed
    }
}
