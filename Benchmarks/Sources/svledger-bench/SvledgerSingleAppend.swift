import EventStore
import LedgerValues
import Ledger
import SocialValue

/// Durable single append: one `delivery.correct` command per `Ledger.execute`, so one event
/// per synced commit, as a supplier's portal would record corrections one at a time. The
/// corrections go round-robin over 200 of the portfolio's contracts, so each reads a stream of
/// ordinary length (~100 events) rather than one stream growing through the run.
///
/// Two passes, because a long-running process remembers each contract's decision state after
/// its first command (`Ledger`'s decision cache): the first command on each contract replays
/// the contract's stream, later ones read only the stream's tip.
enum SvledgerSingleAppend {
    static let supplier = ActorIdentity(id: "bench.supplier", role: "Supplier Social Value Lead")
    static let today = CalendarDate("2026-11-22")!

    struct Rates {
        /// The first command on each contract: its stream is replayed to decide.
        var firstTouch: Double
        /// Later commands: the state is remembered from the first.
        var remembered: Double
    }

    /// Commits per second: over one command per contract (up to 200 contracts), then over
    /// `count` commands round-robin over the same contracts.
    static func run(_ ledger: Ledger, commands count: Int) throws -> Rates {
        // A new Ledger on the same store: nothing remembered from the bulk append before.
        let ledger = try Ledger(store: ledger.store)
        let commands = try corrections(ledger, count: count)
        let contracts = Set(commands.map { command -> String in
            guard case .contract(let contract) = command else { return "" }
            return contract.contract
        }).count
        let firstTouch = try rate(ledger, Array(commands.prefix(contracts)))
        let later = try corrections(ledger, count: count, startingAt: count)
        return Rates(firstTouch: firstTouch, remembered: try rate(ledger, later))
    }

    static func rate(_ ledger: Ledger, _ commands: [LedgerCommand]) throws -> Double {
        let (_, seconds) = try Stopwatch.time {
            for command in commands {
                let outcome = try ledger.execute([command], today: today)
                guard outcome.recorded.count == 1 else { throw BenchError("a correction recorded \(outcome.recorded.count) events") }
            }
        }
        return Double(commands.count) / seconds
    }

    /// Builds the commands first (untimed): each corrects one line of a contract's earliest return.
    static func corrections(_ ledger: Ledger, count: Int, startingAt first: Int = 0) throws -> [LedgerCommand] {
        let contracts = try ledger.store.read { try $0.streamIds(withPrefix: "contract/") }.map { String($0.dropFirst("contract/".count)) }
        guard !contracts.isEmpty else { throw BenchError("no contracts to correct") }
        var targets: [(contract: String, corrected: RecordedReturn)] = []
        // No more contracts than the ledger's decision cache remembers, so that the second
        // pass measures remembered state rather than a cache turning over.
        for contract in contracts.prefix(min(count, 200)) {
            let returns = try ledger.contractState(contract).state.returns.values
            guard let earliest = returns.filter({ $0.corrects == nil }).min(by: { ($0.quarter, $0.eventId) < ($1.quarter, $1.eventId) }) else { continue }
            targets.append((contract, earliest))
        }
        guard !targets.isEmpty else { throw BenchError("no returns to correct") }
        return (first..<first + count).map { index in
            let (contract, corrected) = targets[index % targets.count]
            let line = corrected.lines[index / targets.count % corrected.lines.count]
            return .contract(ContractCommand(
                contract: contract, actor: supplier, reason: "bench correction \(index)",
                effectiveDate: corrected.quarter.lastDay.adding(days: 30),
                action: .correctDelivery(corrects: corrected.eventId, lines: [
                    QuantityLine(measure: line.measure, quantity: ExactDecimal(units: Int128(index % 4000 + 1), scale: 1), evidence: "EV-bench-\(index)")
                ])))
        }
    }
}
