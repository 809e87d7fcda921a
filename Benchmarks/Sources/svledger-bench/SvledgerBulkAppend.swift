import EventStore
import LedgerValues
import Ledger
import SyntheticData

/// svledger's import path: `SyntheticPortfolio.populate` executes batches of domain commands
/// through `Ledger.execute` (read state, decide, append with expected versions), one contract
/// of ~100 events per synced commit.
enum SvledgerBulkAppend {
    struct Outcome {
        let ledger: Ledger
        let directory: TemporaryDirectory
        let events: Int
        let seconds: Double
    }

    /// Creates a ledger with svledger's defaults (1 GiB map, doubled when full) and fills it.
    static func run(events target: Int, seed: UInt64) throws -> Outcome {
        let directory = try TemporaryDirectory("ledger-\(target)")
        let ledgerPath = directory.file("ledger")
        let ledger = try Ledger(store: EventStore(path: ledgerPath, mode: .create))
        var nextReport = 100_000
        let (written, seconds) = try Stopwatch.time {
            try SyntheticPortfolio.populate(ledger, events: target, seed: seed) { written in
                if written >= nextReport {
                    Log.say("  appended \(written) events…")
                    nextReport += 100_000
                }
            }
        }
        return Outcome(ledger: ledger, directory: directory, events: written, seconds: seconds)
    }
}
