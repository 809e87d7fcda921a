import EventStore
import LedgerValues
import Foundation
import Ledger
import Projections
import SyntheticData

/// One operation alone on a prepared ledger, for `valgrind --tool=callgrind`: preparing the
/// ledger natively first keeps the (slow, instrumented) profile to the operation itself.
enum Profile {
    static func run(_ operation: Options.ProfileOperation, options: Options) throws {
        let path = options.ledger!
        let exists = FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("data.mdb"))
        if operation == .bulk {
            // The import path from empty: a fresh ledger beside the prepared one.
            let fresh = path + "-bulk"
            try? FileManager.default.removeItem(atPath: fresh)
            let ledger = try Ledger(store: EventStore(path: fresh, mode: .create))
            let written = try SyntheticPortfolio.populate(ledger, events: options.events, seed: options.seed)
            Log.say("appended \(written) events in bulk")
            return
        }
        if operation == .prepare {
            guard !exists else { Log.say("\(path) already holds a ledger"); return }
            let ledger = try Ledger(store: EventStore(path: path, mode: .create))
            let written = try SyntheticPortfolio.populate(ledger, events: options.events, seed: options.seed)
            Log.say("prepared \(path) with \(written) events")
            return
        }
        guard exists else { throw BenchError("\(path) holds no ledger: run --profile prepare first") }
        let ledger = try Ledger(store: EventStore(path: path, mode: .readWrite))
        switch operation {
        case .fold:
            let (snapshot, seconds) = try Stopwatch.time { try Snapshot.folded(store: ledger.store) }
            Log.say("folded \(snapshot.position) events in \(String(format: "%.2f", seconds)) s")
        case .verify:
            let outcome = try SvledgerVerify.run(ledger)
            Log.say("verified \(outcome.events) events in \(String(format: "%.2f", outcome.seconds)) s")
        case .append:
            let rates = try SvledgerSingleAppend.run(ledger, commands: options.commits)
            Log.say("single corrections: \(Int(rates.firstTouch)) commits/s on first touch, \(Int(rates.remembered)) remembered")
        case .prepare, .bulk: break
        }
    }
}
