import ArgumentParser
import EventStore
import Ledger
import LedgerValues
import SocialValue

extension Root {
    struct Pledge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pledge", abstract: "Record the supplier's social value pledge.", subcommands: [Record.self])

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "record",
                abstract: "Record the pledge: measures and quantities, priced under a catalog version.",
                discussion: """
                  svledger pledge record --contract LCC-2025-014 --catalog portal-003@003.2 \\
                      --line NT1=24 --line NT10=70 --line NT18=650000 --actor ... --role ...
                  or --lines pledge.csv with the header measure,quantity.

                Each line's value is quantity × proxy, exact, rounded to the penny (halves away
                from zero); record-only measures (no proxy, or 0) carry a quantity and no £
                value.
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "The catalog version used to price the pledge, id@version.") var catalog: String
            @Option(help: "MEASURE=QUANTITY (repeat).") var line: [String] = []
            @Option(help: "CSV file with the header measure,quantity.") var lines: String?

            func run() throws {
                let items = try LineInput.gather(flags: line, file: lines)
                guard !items.isEmpty else { throw ValidationError("give the pledge lines with --line or --lines") }
                var fields = who.fields("pledge.record")
                fields.merge(["contract": .string(contract), "catalog": .string(catalog), "lines": .array(items)]) { $1 }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["catalog": "--catalog", "lines": "--line"]))
            }
        }
    }

    struct Delivery: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delivery",
            abstract: "Report quarterly delivery, correct it, and check it (query, answer, validate, reject).",
            subcommands: [Report.self, Correct.self, Query.self, Answer.self, Validate.self, Reject.self])

        struct Report: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "report",
                abstract: "Report a quarter's delivery against the pledged measures.",
                discussion: """
                  svledger delivery report --contract LCC-2025-014 --quarter 2025-26-Q1 \\
                      --line NT1=3@HR-2025-Q1-009 --line NT10=26@APP-004 \\
                      --confirm-attribution ...

                Quarters follow the UK financial year: 2025-26-Q1 is April to June 2025. A
                quarter's return is made once it has ended, and for a quarter from the award on
                (for a running contract, from its registration; registered --migrated, from its
                term start). A second return for the same quarter and measure is refused:
                correct the first instead. Delivery against a measure that was never pledged is
                kept, and shown apart.

                A line may carry files as its evidence (PDF, PNG, JPEG, CSV, XLSX or DOCX, up
                to 25 MiB each): --evidence-file NT1=starters-q1.pdf. The ledger keeps each
                file's bytes by their SHA-256, beside the chain; the return records the hash,
                size, type and name. `svledger evidence list|get` reads them back
                (docs/evidence.md).
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "The financial quarter, e.g. 2025-26-Q1.") var quarter: String
            @Option(help: "MEASURE=QUANTITY@EVIDENCE (repeat).") var line: [String] = []
            @Option(help: "CSV file with the header measure,quantity,evidence.") var lines: String?
            @Option(help: ArgumentHelp("A file kept as a line's evidence (repeat).", valueName: "measure=path")) var evidenceFile: [String] = []
            @Flag(help: "The supplier confirms the figures are attributed to this contract, for this period only.")
            var confirmAttribution = false

            func run() throws {
                let files = try evidenceFile.map(EvidenceFileInput.read)
                let items = try EvidenceFileInput.attach(files, to: try LineInput.gather(flags: line, file: lines, evidence: true))
                guard !items.isEmpty else { throw ValidationError("give the delivered lines with --line or --lines") }
                var fields = who.fields("delivery.report")
                fields.merge([
                    "contract": .string(contract), "quarter": .string(quarter), "lines": .array(items),
                    "attributionConfirmed": .bool(confirmAttribution),
                ]) { $1 }
                try DomainCommand.run(
                    fields, ledger: ledger,
                    flags: FlagNames(["quarter": "--quarter", "lines": "--line", "attributionConfirmed": "--confirm-attribution"]),
                    evidence: files.map(\.bytes))
            }
        }

        struct Correct: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "correct",
                abstract: "Correct an earlier return: a new event that references it, with a reason.",
                discussion: """
                  Name the return by its quarter (and measure), or by its event id:
                    svledger delivery correct --contract LCC-2025-014 --quarter 2025-26-Q1 \\
                        --measure NT1 --line NT1=5@HR-Q1-009b \\
                        --reason "One starter was on another contract" ...
                    svledger delivery correct --contract LCC-2025-014 --corrects EVENT-ID \\
                        --line ... --reason ...
                The quarter's return is the one holding the measure (--measure, else the
                measures of the lines); if none does, or they are in more than one return, the
                correction is refused. Event ids are in `svledger audit LCC-2025-014` and
                `svledger log --stream contract/LCC-2025-014`.
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "The event id of the return (or correction) being corrected.") var corrects: String?
            @Option(help: "The quarter of the return being corrected, e.g. 2025-26-Q1 (instead of --corrects).") var quarter: String?
            @Option(help: "With --quarter: the measure whose return is corrected (default: the lines' measures).") var measure: String?
            @Option(help: "MEASURE=QUANTITY@EVIDENCE: the corrected figure (repeat).") var line: [String] = []
            @Option(help: "CSV file with the header measure,quantity,evidence.") var lines: String?
            @Option(help: ArgumentHelp("A file kept as a corrected line's evidence (repeat).", valueName: "measure=path")) var evidenceFile: [String] = []

            func validate() throws {
                switch (corrects, quarter) {
                case (nil, nil): throw ValidationError("name the return corrected: --quarter (and --measure), or --corrects EVENT-ID")
                case (.some, .some): throw ValidationError("give --quarter or --corrects, not both")
                default: break
                }
                if measure != nil, quarter == nil { throw ValidationError("--measure goes with --quarter") }
                if line.isEmpty, lines == nil { throw ValidationError("give the corrected lines with --line or --lines") }
            }

            func run() throws {
                let files = try evidenceFile.map(EvidenceFileInput.read)
                let items = try EvidenceFileInput.attach(files, to: try LineInput.gather(flags: line, file: lines, evidence: true))
                guard !items.isEmpty else { throw ValidationError("give the corrected lines with --line or --lines") }
                var fields = who.fields("delivery.correct")
                fields.merge(["contract": .string(contract), "lines": .array(items)]) { $1 }
                if let corrects { fields["correctsEventId"] = .string(corrects) }
                if let quarter { fields["quarter"] = .string(quarter) }
                if let measure { fields["measure"] = .string(measure.trimmingCharacters(in: .whitespaces)) }
                try DomainCommand.run(
                    fields, ledger: ledger,
                    flags: FlagNames(["correctsEventId": "--corrects", "quarter": "--quarter", "measure": "--measure", "lines": "--line"]),
                    evidence: files.map(\.bytes))
            }
        }
    }

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "review", abstract: "Refresh commitments at a review.", subcommands: [Refresh.self])

        struct Refresh: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "refresh",
                abstract: "Revise, add or withdraw commitment lines, or re-price to a newer catalog.",
                discussion: """
                  svledger review refresh --contract LCC-2025-014 --revise NT1=20 \\
                      --add NT29=50 --withdraw NT33 \\
                      --reason "Annual review: apprenticeships achieved" ...
                The original pledge stays in the history; reconciliation shows both.
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "MEASURE=QUANTITY: a new quantity for a current line (repeat).") var revise: [String] = []
            @Option(help: "MEASURE=QUANTITY: a new line (repeat).") var add: [String] = []
            @Option(help: "MEASURE: a line to withdraw (repeat).") var withdraw: [String] = []
            @Option(help: "Re-price every line to this catalog version, id@version.") var catalog: String?

            func run() throws {
                var fields = who.fields("review.refresh")
                fields.merge([
                    "contract": .string(contract), "revise": .array(try LineInput.parse(revise)), "add": .array(try LineInput.parse(add)),
                    "withdraw": .array(withdraw.map { .string($0.trimmingCharacters(in: .whitespaces)) }),
                ]) { $1 }
                if let catalog { fields["catalog"] = .string(catalog) }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames([
                    "revise": "--revise", "add": "--add", "withdraw": "--withdraw", "catalog": "--catalog",
                ]))
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Record a batch of commands from an NDJSON file: all of them, or none.",
            discussion: """
                One command per line, in the JSON form of Schemas/commands/, e.g.
                  {"command": "threshold.assess", "contract": "LCC-2025-014",
                   "actor": {"id": "a.patel", "role": "Procurement Officer"},
                   "effectiveDate": "2025-02-03"}
                The commands are decided in order, each seeing the ones before it; if any is
                refused, the error names it and nothing is recorded.

                A return's lines may carry evidence files named by their file names alone,
                "evidenceFiles": [{"name": "starters-q1.pdf"}], read from --evidence-dir: each
                is hashed and its type sniffed from its bytes, and its bytes are kept with the
                batch.
                """)
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The NDJSON file of commands.") var file: String
        @Option(help: "text, or json for the recorded envelopes.") var format: OutputFormat = .text
        @Option(help: ArgumentHelp("The folder the commands' evidence files are read from, by name.", valueName: "folder")) var evidenceDir: String?

        func run() throws {
            var commands: [JSONValue] = [], evidence: [[UInt8]] = []
            for record in try InputFile.records(file) {
                do {
                    var command = try JSONValue(parsing: record.text)
                    if let evidenceDir {
                        let completed = try EvidenceFile.completing(command) { name in try EvidenceFileInput.bytes(of: evidenceDir + "/" + name) }
                        command = completed.command
                        evidence += completed.bytes
                    }
                    commands.append(command)
                } catch {
                    throw InputLine.categorized(error).inContext("\(file) line \(record.number)")
                }
            }
            guard !commands.isEmpty else { throw CLIError(.input, "empty-input", "\(file) holds no commands") }
            try DomainCommand.run(commands, ledger: ledger, format: format, evidence: evidence)
        }
    }
}

import Foundation
