import ArgumentParser
import EventStore
import LedgerValues
import Foundation
import Ledger
import Reports
import SocialValue

/// Who acts, why, and when: every domain command records them.
struct ActorOptions: ParsableArguments {
    @Option(help: "Who is acting (a person or system id).")
    var actor: String

    @Option(help: ArgumentHelp("The actor's role, e.g. \"Procurement Officer\", \"Head of Procurement\".", valueName: "role"))
    var role: String

    @Option(help: "Why: recorded in the event and shown in the audit trail.")
    var reason: String?

    @Option(help: ArgumentHelp("The day the action happened (default: today, and the event records that no date was given).", valueName: "YYYY-MM-DD"))
    var effectiveDate: String?

    /// The fields every command's JSON form carries.
    func fields(_ command: String) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["command": .string(command), "actor": ["id": .string(actor), "role": .string(role)]]
        if let reason { fields["reason"] = .string(reason) }
        // A value that is not a day is refused by the command's reader, as `invalid-input` naming --effective-date.
        if let effectiveDate { fields["effectiveDate"] = .string(effectiveDate) }
        return fields
    }
}

/// Runs domain commands given in their JSON form and reports what was recorded.
enum DomainCommand {
    static var today: CalendarDate { Timestamp.now().date }

    /// Parses, decides and records `commands` as one all-or-nothing batch.
    /// - Parameter evidence: the bytes of the evidence files the commands' lines cite.
    static func run(_ commands: [JSONValue], ledger options: LedgerOptions, format: OutputFormat = .text, evidence: [[UInt8]] = []) throws {
        var parsed: [AnyLedgerCommand] = []
        for (index, json) in commands.enumerated() {
            do {
                parsed.append(try AnyLedgerCommand.parse(json, today: today, builtin: BuiltinReference.document))
            } catch {
                throw commands.count == 1 ? InputLine.categorized(error) : InputLine.error(error, at: "command \(index + 1)")
            }
        }
        let ledger = try options.openLedger()
        let outcome = try ledger.execute(commands: parsed, today: today, evidence: evidence)
        switch format {
        case .text:
            for event in outcome.recorded {
                Terminal.print("recorded \(event.eventType) at position \(event.position) (\(event.streamId), version \(event.streamVersion))")
                Terminal.print("  " + EventSummary.describe(type: event.eventType, payload: event.payload))
            }
            Terminal.print(outcome.head)
        case .json:
            for event in outcome.recorded { print(event.exportedEnvelope.canonicalText) }
        }
    }

    /// Records one command built from a subcommand's flags; its errors name those flags.
    static func run(_ fields: [String: JSONValue], ledger options: LedgerOptions, flags: FlagNames = FlagNames(), evidence: [[UInt8]] = []) throws {
        do {
            try run([.object(JSONObject(fields))], ledger: options, evidence: evidence)
        } catch {
            throw flags.translate(error)
        }
    }
}

/// Line items from repeated flags or a CSV file.
enum LineInput {
    /// `NT1=24` → measure and quantity; with `evidence`, `NT1=3@HR-2025-Q1-009`. Spaces around
    /// each part are dropped: `"NT10 = 12 @ E2"` is `NT10=12@E2`.
    static func parse(_ flags: [String], evidence: Bool = false) throws -> [JSONValue] {
        try flags.map { flag in
            let parts = flag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--line \(DisplayText.quoted(flag)) must look like \(evidence ? "NT1=3@EVIDENCE-REF" : "NT1=24")")
            }
            var line: [String: JSONValue] = ["measure": .string(parts[0])]
            if evidence {
                let quantityAndEvidence = parts[1].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard quantityAndEvidence.count == 2 else {
                    throw ValidationError("--line \(DisplayText.quoted(flag)) needs an evidence reference after @, like NT1=3@HR-2025-Q1-009")
                }
                line["quantity"] = .string(quantityAndEvidence[0])
                line["evidence"] = .string(quantityAndEvidence[1])
            } else {
                line["quantity"] = .string(parts[1])
            }
            return .object(JSONObject(line))
        }
    }

    /// Rows of a CSV file with a header naming the columns (e.g. `measure,quantity,evidence`).
    static func csv(_ path: String, columns: [String]) throws -> [JSONValue] {
        let rows = try CSVFile.read(path)
        guard let header = rows.first else { throw CLIError(.input, "invalid-lines-file", "\(path) is empty") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var indexes: [String: Int] = [:]
        for column in columns {
            guard let index = names.firstIndex(of: column.lowercased()) else {
                throw CLIError(.input, "invalid-lines-file", "\(path): the header must name the columns \(columns.joined(separator: ", ")); it has \(header.joined(separator: ", "))")
            }
            indexes[column] = index
        }
        return try rows.dropFirst().enumerated().compactMap { offset, row in
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { return nil }
            guard row.count == header.count else {
                throw CLIError(.input, "invalid-lines-file", "\(path) line \(offset + 2): \(row.count) fields, but the header has \(header.count)")
            }
            return .object(JSONObject(Dictionary(uniqueKeysWithValues: columns.map { ($0, JSONValue.string(row[indexes[$0]!].trimmingCharacters(in: .whitespaces))) })))
        }
    }

    /// Lines from `--line` flags and/or a `--lines` CSV file.
    static func gather(flags: [String], file: String?, evidence: Bool = false) throws -> [JSONValue] {
        var lines = try parse(flags, evidence: evidence)
        if let file { lines += try csv(file, columns: evidence ? ["measure", "quantity", "evidence"] : ["measure", "quantity"]) }
        return lines
    }
}

/// Reads a CSV file of line items with the one CSV reader (`Reports.CSVText`).
enum CSVFile {
    static func read(_ path: String) throws -> [[String]] {
        let (rows, unclosed) = CSVText.parse(try InputFile.text(path))
        if let unclosed { throw CLIError(.input, "invalid-lines-file", "\(path) line \(unclosed): a quoted field is not closed") }
        return rows
    }
}

/// Errors met while reading a user's input line by line, in the error contract.
enum InputLine {
    /// An error as the contract's: a categorized one as it is, anything else as invalid input.
    static func categorized(_ error: any Error) -> any CategorizedError {
        (error as? any CategorizedError) ?? PlainError(.input, kind: "invalid-input", "\(error)")
    }

    /// The error with the line or command it came from in front of its message.
    static func error(_ error: any Error, at context: String) -> any CategorizedError {
        categorized(error).inContext(context)
    }
}
