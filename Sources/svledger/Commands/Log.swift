import ArgumentParser
import EventStore
import LedgerValues
import Projections
import SocialValue

extension Root {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "List events in log order.",
            discussion: """
                A table by default, with each event's id shortened to its last 12 hex digits
                (the random part; `svledger audit` and --format json give it whole); --format
                json prints one exported envelope per line (NDJSON), each with its hash, in the
                form Schemas/README.md specifies. A contract's stream is contract/ and its
                reference.

                  svledger log --stream contract/LCC-2025-014
                  svledger log --from 100 --limit 20
                  svledger log --format json > log.ndjson
                """)

        @OptionGroup var options: LedgerOptions

        @Option(help: "Start at this position.")
        var from: UInt64 = 1

        @Option(help: "Only this stream's events, e.g. contract/LCC-2025-014 or policy/lancashire-2024-28.")
        var stream: String?

        @Option(help: "At most this many events.")
        var limit: Int?

        @Option(help: "text or json (NDJSON envelopes).")
        var format: OutputFormat = .text

        @OptionGroup var asOf: AsOfOptions

        func validate() throws {
            if from < 1 { throw ValidationError("--from must be 1 or more") }
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
        }

        func run() throws {
            let store = try options.open(.readOnly)
            let through = try asOf.at ?? asOf.date.map { try Snapshot.position(asOf: $0, store: store) }
            var printed = 0
            if let stream {
                try store.read { reader in
                    guard try reader.streamTip(stream) == nil else { return }
                    // The domain's streams, and any that start as this one does (an empty prefix is not a key).
                    let candidates = try (["contract/", "policy/", "catalog/"] + (stream.first.map { [String($0)] } ?? []))
                        .flatMap { try reader.streamIds(withPrefix: $0) }
                    var hint = Suggestion.phrase(for: stream, among: Set(candidates))
                    if hint.isEmpty, !stream.contains("/") {
                        hint = try reader.streamTip(ContractEvent.stream(contract: stream)) != nil
                            ? " (did you mean \(ContractEvent.stream(contract: stream))?)" : "; a contract's stream is contract/REFERENCE"
                    }
                    throw CLIError(.notFound, "stream-not-found", "no stream \(DisplayText.quoted(stream)) in the ledger\(hint)")
                }
            }
            if format == .text { Terminal.print(LogTable.header) }
            try store.read { reader in
                let emit: (RecordedEvent) -> Bool = { event in
                    guard event.position >= from else { return true }
                    switch format {
                    case .text: Terminal.print(LogTable.row(event))
                    case .json: print(event.exportedEnvelope.canonicalText)
                    }
                    printed += 1
                    return limit.map { printed < $0 } ?? true
                }
                if let stream {
                    try reader.forEachEvent(inStream: stream, through: through, emit)
                } else {
                    try reader.forEachEvent(from: from, through: through, emit)
                }
            }
            if format == .text && printed == 0 { Terminal.print("(no events)") }
        }
    }
}

/// Fixed-width columns, so that rows print as they stream instead of after the whole log.
enum LogTable {
    static let columns: [(title: String, width: Int)] = [
        ("POS", 7), ("RECORDED AT (UTC)", 24), ("EFFECTIVE", 10), ("STREAM", 22), ("VER", 4), ("TYPE", 24),
        ("ACTOR (ROLE)", 32), ("EVENT ID", 13), ("HASH", 12),
    ]

    static var header: String { line(columns.map(\.title)) }

    static func row(_ event: RecordedEvent) -> String {
        line([
            String(event.position), event.recordedAt.description, event.event.effectiveDate.description, event.streamId,
            String(event.streamVersion), event.eventType, "\(event.event.actor.id) (\(event.event.actor.role))",
            shortId(event.eventId), String(event.hash.hex.prefix(12)),
        ])
    }

    /// An event id by its last 12 hex digits, after "…": a UUIDv7 starts with its time, so the ids of
    /// events recorded together share their first digits and differ in the random last ones.
    static func shortId(_ id: EventID) -> String { "…" + String(id.description.suffix(12)) }

    private static func line(_ cells: [String]) -> String {
        zip(cells.map { DisplayText.escaped($0) }, columns).map { cell, column in
            let fitted = cell.count > column.width ? String(cell.prefix(column.width - 1)) + "…" : cell
            return column.title == "POS" || column.title == "VER"
                ? String(repeating: " ", count: column.width - fitted.count) + fitted
                : fitted + String(repeating: " ", count: column.width - fitted.count)
        }.joined(separator: "  ").trimmingTrailingSpaces()
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
