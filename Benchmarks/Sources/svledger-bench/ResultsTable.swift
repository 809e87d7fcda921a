import Foundation

/// The one table: a row per figure, a column per size, and for per-event costs a last column
/// with the growth from the smallest size to the largest.
enum ResultsTable {
    static func render(_ results: [SizeResult], goals: [Goal], machine: Machine, wallSeconds: Double) -> String {
        let sizes = results.map { Format.size($0.requestedEvents) }
        let growthHeader = results.count > 1 ? "\(sizes.last!)/\(sizes.first!)" : ""
        var rows: [[String]] = []
        func section(_ title: String) { rows.append(["**\(title)**"] + Array(repeating: "", count: results.count + 1)) }
        func row(_ label: String, _ cell: (SizeResult) -> String) { rows.append([label] + results.map(cell) + [""]) }
        func growthRow(_ label: String, _ value: (SizeResult) -> Double) {
            let growth = results.count > 1 ? Format.ratio(value(results.last!) / value(results.first!)) : ""
            rows.append([label] + results.map { Format.microseconds(value($0)) } + [growth])
        }

        section("the portfolio")
        row("events in the log") { Format.grouped($0.events) }
        row("contracts") { Format.grouped($0.contracts) }
        row("average envelope (bytes)") { Format.grouped(Int($0.averageEnvelopeBytes.rounded())) }
        row("ledger file") { Format.mib($0.ledgerFileMiB) }
        section("1. limit: raw LMDB, same bytes, MDB_APPEND + SHA-256 chain")
        row("bulk append, batches of 10,000 (events/s)") { Format.rate($0.rawBulkEventsPerSecond) }
        row("one event per synced commit (commits/s)") { "\(Format.rate($0.rawSingleCommitsPerSecond)) (\(Format.grouped($0.singleCommits)))" }
        row("scan + SHA-256 (events/s)") { Format.rate($0.rawScanHashEventsPerSecond) }
        row("scan + SHA-256 + decode envelope (events/s)") { Format.rate($0.rawReplayEventsPerSecond) }
        section("2. svledger bulk append (Ledger.execute, ~100 events per commit)")
        row("events/s") { Format.rate($0.bulkEventsPerSecond) }
        row("÷ raw LMDB bulk (goal ≥ 0.5)") { Format.ratio($0.bulkVersusRaw) }
        section("3. svledger durable single append (one delivery.correct per commit)")
        row("commits/s, contract state remembered by the process") { Format.rate($0.singleAppendCommitsPerSecond) }
        row("÷ raw one-per-commit (goal ≥ 0.8)") { Format.ratio($0.singleVersusRaw) }
        row("commits/s, first command on each contract (stream replayed)") { Format.rate($0.singleAppendFirstTouchCommitsPerSecond) }
        row("÷ raw one-per-commit") { Format.ratio($0.singleFirstTouchVersusRaw) }
        section("4. fold of the whole log (every read of the portfolio; the server at start)")
        row("events/s (goal ≥ 300,000)") { Format.rate($0.foldEventsPerSecond) }
        row("peak RssAnon (goal < 256 MiB at 1M)") { Format.mib($0.foldPeakAnonymousMiB) }
        row("RssAnon before the fold") { Format.mib($0.foldBaselineAnonymousMiB) }
        row("peak VmHWM (incl. mapped ledger pages)") { Format.mib($0.foldPeakResidentMiB) }
        section("5. verify (Ledger.verifyAll: chain, indexes and projections in one pass)")
        row("events/s") { Format.rate($0.verifyEventsPerSecond) }
        row("seconds (one pass)") { String(format: "%.2f", $0.verifySeconds) }
        row("÷ raw scan + SHA-256 (goal ≥ 0.5)") { Format.ratio($0.verifyVersusRawScan) }
        row("Merkle inclusion proof, median / p99 (goal p99 < 1 ms at 1M)") {
            String(format: "%.1f / %.1f µs", $0.inclusionProofMicroseconds, $0.inclusionProofP99Microseconds)
        }
        row("Merkle consistency proof with both roots, median / p99 (goal p99 < 1 ms at 1M)") {
            String(format: "%.1f / %.1f µs", $0.consistencyProofMicroseconds, $0.consistencyProofP99Microseconds)
        }
        section("6. reports")
        row("snapshot (ledger.snapshot)") { Format.milliseconds($0.snapshotMilliseconds) }
        row("Reconciliation.compute, whole portfolio") { Format.milliseconds($0.reconciliationMilliseconds) }
        row("Cabinet report model + HTML render") { Format.milliseconds($0.cabinetRenderMilliseconds) }
        row("Cabinet end to end (goal < 2 s at 1M)") { Format.milliseconds($0.cabinetTotalMilliseconds) }
        row("the read before it (FigureView: fold the log, in force, reconcile)") { Format.milliseconds($0.checkedViewMilliseconds) }
        section("7. peer: SQLite (WAL, synchronous=FULL, same bytes and chain)")
        row("bulk append, batches of 10,000 (events/s)") { Format.rate($0.sqliteBulkEventsPerSecond) }
        row("replay: scan + SHA-256 + decode (events/s)") { Format.rate($0.sqliteReplayEventsPerSecond) }
        row("one event per synced commit (commits/s)") { Format.rate($0.sqliteSingleCommitsPerSecond) }
        row("svledger bulk ÷ SQLite bulk (goal ≥ 2)") { Format.ratio($0.bulkVersusSQLite) }
        row("svledger fold ÷ SQLite replay (goal ≥ 2)") { Format.ratio($0.foldVersusSQLiteReplay) }
        row("storage alone: EventStore.append, pre-decided, batches of 10,000 (events/s)") { Format.rate($0.storeBulkEventsPerSecond) }
        row("storage alone ÷ SQLite bulk") { Format.ratio($0.storeBulkVersusSQLite) }
        row("storage alone: one event per synced commit (commits/s)") { Format.rate($0.storeSingleCommitsPerSecond) }
        row("storage alone one-per-commit ÷ SQLite one-per-commit") { Format.ratio($0.storeSingleVersusSQLite) }
        section("8. per-event cost (flat is the aim: ≤ 1.5× growth)")
        growthRow("bulk append") { $0.bulkMicrosecondsPerEvent }
        growthRow("fold") { $0.foldMicrosecondsPerEvent }
        growthRow("verify") { $0.verifyMicrosecondsPerEvent }
        section("the run")
        row("wall time of this size (s)") { String(format: "%.0f", $0.wallSeconds) }
        row("load average at start / end (\(machine.cores) cores)") { String(format: "%.1f / %.1f", $0.loadAverageAtStart, $0.loadAverageAtEnd) }

        var text = "svledger-bench on \(machine.summary)\n\n"
        text += markdownTable(header: ["measure"] + sizes + [growthHeader], rows: rows)
        text += "\n\nGoals\n\n"
        text += markdownTable(
            header: ["goal", "target", "measured", "verdict"],
            rows: goals.map { [$0.name, $0.target, $0.figures, $0.met ? "MET" : "NOT MET"] })
        text += "\n\n\(goals.filter(\.met).count) of \(goals.count) goals met; whole run \(String(format: "%.0f", wallSeconds)) s.\n"
        return text
    }

    /// A Markdown table, so that the output pastes into RESULTS.md and reads in a terminal.
    static func markdownTable(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { index, width in
            index == 0 ? String(repeating: "-", count: width + 2) : String(repeating: "-", count: width + 1) + ":"
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
