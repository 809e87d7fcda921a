import EventStore
import Ledger

/// What `svledger verify` does: the chain, canonical form, indexes and head
/// (`store.verify()`), then the stored projections against a fresh replay.
enum SvledgerVerify {
    struct Outcome {
        let events: UInt64
        let chainSeconds: Double
        let projectionSeconds: Double
        var seconds: Double { chainSeconds + projectionSeconds }
    }

    static func run(_ ledger: Ledger) throws -> Outcome {
        let (report, chainSeconds) = try Stopwatch.time { try ledger.store.verify() }
        let (_, projectionSeconds) = try Stopwatch.time { try ledger.projections.verifyAgainstReplay() }
        return Outcome(events: report.eventCount, chainSeconds: chainSeconds, projectionSeconds: projectionSeconds)
    }
}
