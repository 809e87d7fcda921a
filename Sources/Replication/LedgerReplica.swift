import EventStore
import LedgerValues
import Ledger
import Transparency

/// A follower's own LMDB ledger: events appended byte for byte with the evidence files they
/// cite (``Ledger/appendReplicated(_:files:)``), the primary's checkpoints checked and kept.
public struct LedgerReplica: Replica {
    public let ledger: Ledger
    /// The ledger's folder, where ``FollowerStatus`` is written.
    public let directory: String
    /// A ledger that follows no primary may be made to follow this one (`follow --rejoin`).
    public let rejoining: Bool

    public init(ledger: Ledger, directory: String, rejoining: Bool = false) {
        self.ledger = ledger
        self.directory = directory
        self.rejoining = rejoining
    }

    public func head() async throws -> LedgerHead { try ledger.store.head() }

    public func append(_ page: [ReplicatedEvent], from primary: PrimaryClient) async throws -> LedgerHead {
        var files: [String: [UInt8]] = [:]
        for cited in try ledger.evidenceToFetch(page) where files[cited.file.sha256] == nil {
            if let bytes = try await primary.evidence(contract: cited.contract, sha256: cited.file.sha256) { files[cited.file.sha256] = bytes }
        }
        return try ledger.appendReplicated(page, files: files)
    }

    /// Names this primary as the one the ledger follows (`meta`/`follows`) once the primary has
    /// shown it holds the ledger's head: a primary that forks from it never becomes the one
    /// followed, and the ledger is left byte for byte as it was.
    /// Only a ledger that follows a primary already, or one rejoining, is: a ledger promoted
    /// while this follower ran is not made to follow again (``EventStore/adoptPrimary(_:takingOver:)``).
    public func adopt(_ primary: PrimaryClient) async throws {
        try ledger.store.adoptPrimary(primary.url.absoluteString, takingOver: rejoining)
    }

    /// Checks the primary's last checkpoint when this follower holds its size: its signature by
    /// a key the ledger registered, its root against the follower's own tree, and the
    /// primary's consistency proof from the last checkpoint kept. Then keeps it.
    public func caughtUp(with primary: PrimaryClient) async throws -> UInt64? {
        guard let signed = try await primary.checkpoint() else { return nil }
        let size = signed.checkpoint.size
        let held = try ledger.store.head().position
        guard size <= held else { return nil }
        let kept = try ledger.store.read { try $0.lastCheckpoint() }
        if let kept, kept.checkpoint.size >= size { return nil }
        do {
            _ = try ledger.check(signed)
        } catch {
            throw ReplicationStopped(position: size, problem: "the primary's checkpoint of \(size) events does not hold against this follower's ledger: \(error)")
        }
        if let kept, kept.checkpoint.size > 0 {
            let proof = try await primary.consistencyProof(from: kept.checkpoint.size, to: size)
            do {
                try ProofVerification.verifyConsistency(
                    proof, size1: kept.checkpoint.size, size2: size, root1: kept.checkpoint.root, root2: signed.checkpoint.root)
            } catch {
                throw ReplicationStopped(position: size, problem: "the primary's consistency proof from \(kept.checkpoint.size) to \(size) events does not verify: \(error)")
            }
        }
        try ledger.store.keepPrimaryCheckpoint(signed)
        return size
    }
}
