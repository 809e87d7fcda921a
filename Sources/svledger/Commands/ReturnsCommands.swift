import ArgumentParser
import Foundation
import Ledger
import LedgerValues
import Reports
import SocialValue
import Spreadsheets

extension Root {
    struct Returns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "returns",
            abstract: "Quarterly returns as spreadsheets: a template to fill in, and a filled one recorded.",
            subcommands: [Template.self, Import.self])

        struct Template: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "template",
                abstract: "A return to fill in for a contract and quarter, pre-filled with its committed measures.",
                discussion: """
                  svledger returns template --contract LCC-2025-014 --quarter 2025-26-Q3 \\
                      --out return-q3.xlsx
                  svledger returns template --contract LCC-2025-014 --quarter 2025-26-Q3 \\
                      --format csv > return-q3.csv

                One row per measure committed now, with its description, unit, committed
                quantity and the quantity expected by the quarter's end; the supplier fills in
                quantity and evidence. In the workbook, value_gbp works out quantity ×
                proxy_gbp and a TOTAL row adds the values up; an import checks both against its
                own arithmetic (docs/spreadsheet-returns.md).
                """)
            enum Format: String, ExpressibleByArgument, CaseIterable { case xlsx, csv }
            @OptionGroup var ledger: LedgerOptions
            @Option var contract: String
            @Option(help: "The quarter, e.g. 2025-26-Q3.") var quarter: String
            @Option(help: "xlsx or csv (default: from --out's extension, else xlsx).") var format: Format?
            @Option(help: "The file to write (default: standard output).") var out: String?

            func run() throws {
                guard let quarter = FinancialQuarter(quarter) else { throw CLIError(.input, "invalid-period", "--quarter must be a quarter like 2025-26-Q3, got \(DisplayText.quoted(self.quarter))") }
                let chosen = format ?? (out?.lowercased().hasSuffix(".csv") == true ? .csv : .xlsx)
                let rows: [[XLSXWriter.Value]]
                do {
                    rows = try ReturnsSheet.template(try ledger.openLedger(.readOnly).snapshot(), contract: contract, quarter: quarter)
                } catch let error as SpreadsheetError {
                    throw CLIError(.notFound, "no-template", error.message)
                }
                let bytes = chosen == .csv ? Array(ReturnsSheet.csv(rows).utf8) : try XLSXWriter.write(rows, sheetName: "Return \(quarter)")
                if let out {
                    try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
                    Terminal.progress("wrote \(out): \(rows.count - 2) measures of \(contract) for \(quarter) (\(chosen.rawValue))")
                } else {
                    if chosen == .xlsx, isatty(STDOUT_FILENO) != 0 { throw ValidationError("a workbook is binary: give --out FILE, or --format csv") }
                    try StandardOutput.shared.write(bytes)
                }
            }
        }

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "import",
                abstract: "Record the returns a filled spreadsheet (XLSX or CSV) holds: findings first, then all or nothing.",
                discussion: """
                  svledger returns import return-q3.xlsx --dry-run
                  svledger returns import return-q3.xlsx --confirm-attribution \\
                      --actor p.okafor --role Supplier

                The sheet may hold several contracts and quarters: each contract's quarter
                becomes one return. The import first lists what it would record and every
                finding: a missing column, a quantity that is not a number or is negative, a
                line with no evidence, a £ value or a total that does not add up, and what the
                ledger's rules refuse (an unknown measure, a quarter not ended, a second
                return). While any finding stands, nothing is recorded. A formula's saved value
                is read; svledger never works formulas out, and says how many it read.
                """)
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The filled spreadsheet: .xlsx or .csv.") var file: String
            @Flag(help: "List the returns and the findings; record nothing (exit 1 when the import would be refused).") var dryRun = false
            @Flag(help: "The supplier confirms the figures are attributed to their contracts, for those periods only.") var confirmAttribution = false
            @Option(help: "Who is acting (not needed with --dry-run).") var actor: String?
            @Option(help: "The actor's role.") var role: String?
            @Option(help: "text or json.") var format: OutputFormat = .text

            func validate() throws {
                if !dryRun, actor == nil || role == nil { throw ValidationError("give --actor and --role (or --dry-run to only see the findings)") }
            }

            func run() throws {
                let (reading, commands) = try plan(try read())
                report(reading)
                if dryRun {
                    if !reading.findings.isEmpty { throw ExitCode(1) }
                    return
                }
                guard reading.findings.isEmpty else {
                    throw CLIError(.refused, "import-refused", "\(reading.findings.count) finding\(reading.findings.count == 1 ? "" : "s") (above): nothing was recorded; correct the sheet and import it again")
                }
                guard !commands.isEmpty else { throw CLIError(.input, "nothing-to-record", "\(file) reports no quantity") }
                try DomainCommand.run(commands, ledger: ledger, format: format)
            }

            /// The sheet's returns as commands, and every finding. The ledger is opened read-only
            /// here and closed on return, before anything is recorded.
            func plan(_ sheet: Sheet) throws -> (ReturnsSheet.Reading, [JSONValue]) {
                let opened = try ledger.openLedger(.readOnly)
                var reading = ReturnsSheet.read(sheet, snapshot: try opened.snapshot())
                let context = DecisionContext(reference: try opened.referenceData(), today: Timestamp.now().date)
                try ReturnsSheet.checkRules(
                    &reading, actor: ActorIdentity(id: actor ?? "dry-run", role: role ?? "Supplier"), context: context,
                    state: { try opened.contractState($0).state })
                if !dryRun, !confirmAttribution {
                    reading.findings.insert(.init(row: 1, column: nil, kind: "attribution-not-confirmed", message: "the supplier confirms the figures are for these contracts and periods only: --confirm-attribution"), at: 0)
                }
                let who = actor.flatMap { id in role.map { ActorIdentity(id: id, role: $0) } }
                return (reading, reading.returns.map { ReturnsSheet.command($0, actor: who, attributionConfirmed: confirmAttribution) })
            }

            func read() throws -> Sheet {
                do {
                    return try ReturnsSheet.sheet(try InputFile.bytes(file), name: file)
                } catch let error as SpreadsheetError {
                    throw CLIError(.input, "invalid-spreadsheet", error.message)
                }
            }

            func report(_ reading: ReturnsSheet.Reading) {
                if format == .json {
                    let document: JSONValue = [
                        "returns": .array(reading.returns.map { r in
                            ["contract": .string(r.contract), "quarter": .string(r.quarter.description), "lines": .integer(Int64(r.lines.count))]
                        }),
                        "findings": .array(reading.findings.map { f in
                            ["row": .integer(Int64(f.row)), "column": f.column.map { .string($0) } ?? .null, "kind": .string(f.kind), "message": .string(f.message)]
                        }),
                        "formulasRead": .integer(Int64(reading.formulas)),
                    ]
                    if dryRun || !reading.findings.isEmpty { try? StandardOutput.shared.write(document.canonicalText + "\n") }
                    return
                }
                for entry in reading.returns {
                    Terminal.print("return: \(entry.contract) \(entry.quarter), \(entry.lines.count) line\(entry.lines.count == 1 ? "" : "s"): "
                        + entry.lines.map { "\($0.measure) \($0.quantity.normalized)" }.joined(separator: ", "))
                }
                if reading.formulas > 0 {
                    Terminal.print("formulas: read the saved values of \(reading.formulas) formula cell\(reading.formulas == 1 ? "" : "s"); svledger never works formulas out")
                }
                for finding in reading.findings {
                    Terminal.print("finding: row \(finding.row)\(finding.column.map { ", \($0)" } ?? ""): \(finding.message) (\(finding.kind))")
                }
                Terminal.print(reading.findings.isEmpty ? "no findings" + (dryRun ? ": the import would record \(reading.returns.count) return\(reading.returns.count == 1 ? "" : "s")" : "")
                    : "\(reading.findings.count) finding\(reading.findings.count == 1 ? "" : "s"): nothing \(dryRun ? "would be" : "is") recorded")
            }
        }
    }
}
