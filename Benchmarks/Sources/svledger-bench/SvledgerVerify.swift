import EventStore
import LedgerValues
import Ledger

/// What `svledger verify` does, in its one pass (`Ledger.verifyAll`): the chain, canonical form,
/// indexes and head, with every contract event folded on the way.
enum SvledgerVerify {
    struct Outcome {
        let events: UInt64
        let seconds: Double
    }

    static func run(_ ledger: Ledger) throws -> Outcome {
        let (report, seconds) = try Stopwatch.time { try ledger.verifyAll() }
        return Outcome(events: report.eventCount, seconds: seconds)
    }
}
