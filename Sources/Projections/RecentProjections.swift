import Synchronization

/// The contract projections this process last committed, so that a run of appends to the
/// same contract does not decode its stored projection every time. Bounded like the
/// ledger's decision cache, the least recently used forgotten first.
final class RecentProjections: Sendable {
    static let limit = 256
    private let projections = Mutex(RecentlyUsed<String, ContractProjection>(limit: RecentProjections.limit))

    func projection(_ reference: String, version: UInt64) -> ContractProjection? {
        projections.withLock { $0.value(reference).flatMap { $0.version == version ? $0 : nil } }
    }

    func remember(_ written: [ContractProjection]) {
        projections.withLock { projections in
            for projection in written { projections.insert(projection, for: projection.reference) }
        }
    }

    func forget() { projections.withLock { $0.removeAll() } }
}
