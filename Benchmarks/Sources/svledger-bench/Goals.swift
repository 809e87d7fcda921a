/// The targets of issue 6, each judged from the ratios of one run. Ratio goals must hold at
/// every size measured; the goals stated "at 1M" are judged at the largest size measured, and
/// say so when that is not 1M (a quick run).
struct Goal: Codable, Sendable {
    let name: String
    let target: String
    let figures: String
    let met: Bool
}

enum Goals {
    static func evaluate(_ results: [SizeResult]) -> [Goal] {
        guard let smallest = results.first, let largest = results.last else { return [] }
        let largestLabel = Format.size(largest.requestedEvents)
        let atLargest = largest.requestedEvents >= 1_000_000 ? "at 1M" : "at \(largestLabel) (1M not run)"
        func perSize(_ value: (SizeResult) -> Double) -> String {
            results.map { "\(Format.size($0.requestedEvents)): \(Format.ratio(value($0)))" }.joined(separator: ", ")
        }
        func growth(_ value: (SizeResult) -> Double) -> Double { value(largest) / value(smallest) }
        let growthLabel = "\(largestLabel)/\(Format.size(smallest.requestedEvents))"

        return [
            Goal(
                name: "bulk append vs raw LMDB", target: "≥ 0.5× at every size",
                figures: perSize(\.bulkVersusRaw), met: results.allSatisfy { $0.bulkVersusRaw >= 0.5 }),
            Goal(
                name: "durable single append (state remembered) vs raw one-per-commit", target: "≥ 0.8× at every size",
                figures: perSize(\.singleVersusRaw), met: results.allSatisfy { $0.singleVersusRaw >= 0.8 }),
            Goal(
                name: "fold rate", target: "≥ 300,000 events/s \(atLargest)",
                figures: "\(Format.rate(largest.foldEventsPerSecond)) events/s",
                met: largest.foldEventsPerSecond >= 300_000),
            Goal(
                name: "fold peak anonymous memory", target: "< 256 MiB \(atLargest)",
                figures: "\(Format.mib(largest.foldPeakAnonymousMiB)) RssAnon (VmHWM \(Format.mib(largest.foldPeakResidentMiB)))",
                met: largest.foldPeakAnonymousMiB < 256),
            Goal(
                name: "verify vs raw scan + SHA-256", target: "≥ 0.5× at every size",
                figures: perSize(\.verifyVersusRawScan), met: results.allSatisfy { $0.verifyVersusRawScan >= 0.5 }),
            Goal(
                name: "Merkle inclusion and consistency proof, p99", target: "< 1 ms \(atLargest)",
                figures: String(format: "%.1f µs and %.1f µs", largest.inclusionProofP99Microseconds, largest.consistencyProofP99Microseconds),
                met: max(largest.inclusionProofP99Microseconds, largest.consistencyProofP99Microseconds) < 1000),
            Goal(
                name: "bulk append vs SQLite bulk", target: "≥ 2× at every size",
                figures: perSize(\.bulkVersusSQLite), met: results.allSatisfy { $0.bulkVersusSQLite >= 2 }),
            Goal(
                name: "fold vs SQLite replay", target: "≥ 2× at every size",
                figures: perSize(\.foldVersusSQLiteReplay), met: results.allSatisfy { $0.foldVersusSQLiteReplay >= 2 }),
            Goal(
                name: "Cabinet report (snapshot + reconciliation + HTML)", target: "< 2 s \(atLargest)",
                figures: Format.milliseconds(largest.cabinetTotalMilliseconds), met: largest.cabinetTotalMilliseconds < 2000),
            Goal(
                name: "per-event cost growth, bulk append", target: "\(growthLabel) ≤ 1.5×",
                figures: Format.ratio(growth(\.bulkMicrosecondsPerEvent)), met: growth(\.bulkMicrosecondsPerEvent) <= 1.5),
            Goal(
                name: "per-event cost growth, fold", target: "\(growthLabel) ≤ 1.5×",
                figures: Format.ratio(growth(\.foldMicrosecondsPerEvent)), met: growth(\.foldMicrosecondsPerEvent) <= 1.5),
            Goal(
                name: "per-event cost growth, verify", target: "\(growthLabel) ≤ 1.5×",
                figures: Format.ratio(growth(\.verifyMicrosecondsPerEvent)), met: growth(\.verifyMicrosecondsPerEvent) <= 1.5),
        ]
    }
}
