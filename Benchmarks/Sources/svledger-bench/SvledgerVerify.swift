import EventStore
import LedgerValues
import Ledger

/// What `svledger verify` does, in its one pass (`Ledger.verifyAll`): the chain, canonical form,
/// indexes and head, with the projections folded on the way and compared with the stored ones.
enum SvledgerVerify {
    struct Outcome {
        let events: UInt64
        let chainSeconds: Double
        let projectionSeconds: Double
        var seconds: Double { chainSeconds + projectionSeconds }
    }

    static func run(_ ledger: Ledger) throws -> Outcome {
        // One pass now: the whole time is reported as the chain's, the projection part as 0.
        let (report, seconds) = try Stopwatch.time { try ledger.verifyAll() }
        return Outcome(events: report.eventCount, chainSeconds: seconds, projectionSeconds: 0)
    }
}
