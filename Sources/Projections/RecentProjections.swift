import Synchronization

/// The contract projections this process last committed, so that a run of appends to the
/// same contract does not decode its stored projection every time. Bounded like the
/// ledger's decision cache; past the bound an arbitrary entry goes.
final class RecentProjections: Sendable {
    static let limit = 256
    private let projections = Mutex<[String: ContractProjection]>([:])

    func projection(_ reference: String, version: UInt64) -> ContractProjection? {
        projections.withLock { $0[reference].flatMap { $0.version == version ? $0 : nil } }
    }

    func remember(_ written: [ContractProjection]) {
        projections.withLock { projections in
            for projection in written {
                if projections.count >= Self.limit, projections[projection.reference] == nil {
                    projections.remove(at: projections.startIndex)
                }
                projections[projection.reference] = projection
            }
        }
    }

    func forget() { projections.withLock { $0.removeAll() } }
}
