import ArgumentParser
import EventStore
import LedgerValues
import Queries
import Foundation
import Ledger
import Projections
import Reports
import SocialValue

extension Root {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", abstract: "Import pledge tables.", subcommands: [Portal.self, OCDS.self])

        struct Portal: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "portal",
                abstract: "Import a Social Value Portal pledge table as a contract's pledge, recomputing every line.",
                discussion: """
                    The file is tab- or comma-separated with the columns Theme, Reference,
                    Question, Units, Proxy Value, Answer, Pledged Social Value, and optional
                    priority columns (the layout of seed 003); prose before the header is allowed,
                    and a printed total either in prose after the rows or as a row in the table's
                    own columns (no measure code, proxy or answer; labelled "Total" or holding the
                    sum of the lines; trailing empty cells may be dropped).

                    Every line is recomputed as answer × the catalog's proxy. Findings name each
                    line whose stated value disagrees with answer × proxy beyond what the proxy's
                    printed precision explains, unknown measures, blank or non-numeric answers,
                    record-only measures, units that differ from the catalog, and a printed total
                    that differs from the sum of the lines.

                      svledger import portal pledge.tsv --contract LCC-2025-014 \\
                          --catalog portal-003 --dry-run
                      svledger import portal pledge.tsv --contract LCC-2025-014 \\
                          --catalog portal-003 --use-computed --actor a.patel \\
                          --role "Contract Manager"

                    Without --dry-run the import is all or nothing, and refuses while a line
                    disagrees, unless --use-computed (computed values are recorded, each stated
                    value kept in the event for the audit trail). --add-measures publishes a new
                    catalog version holding the file's unknown measures.
                    """)
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The pledge table file.") var file: String
            @Option(help: "The contract the pledge is for.") var contract: String
            @Option(help: "The catalog to price with, id or id@version.") var catalog: String
            @Flag(help: "Print the findings and write nothing.") var dryRun = false
            @Flag(help: "Record computed values where stated ones disagree.") var useComputed = false
            @Flag(help: "Add the file's unknown measures to a new catalog version.") var addMeasures = false
            @Option(help: "Who is acting (not needed with --dry-run).") var actor: String?
            @Option(help: "The actor's role.") var role: String?
            @Option(help: "Why.") var reason: String?
            @Option(help: ArgumentHelp("The date the pledge takes effect (default: today).", valueName: "YYYY-MM-DD")) var effectiveDate: String?
            @Option(help: "text or json (the findings).") var format: OutputFormat = .text

            func validate() throws {
                if !dryRun, actor == nil || role == nil { throw ValidationError("give --actor and --role (or --dry-run to only see the findings)") }
            }

            func run() throws {
                let bytes = try InputFile.bytes(file)
                let table: PortalTable
                do { table = try PortalTable(bytes: bytes) } catch { throw error.inContext(file) }
                let opened = try ledger.openLedger(dryRun ? .readOnly : .readWrite)
                let reference = try opened.referenceData()
                guard let pricing = reference.catalog(reference: catalog) else {
                    throw CLIError(.refused, "unknown-catalog", "catalog \(DisplayText.excerpt(catalog)) has not been published; publish it with `svledger catalog publish`")
                }
                let plan = PortalImport(table: table, catalog: pricing)
                PortalFindings.print(plan, file: file, head: try LedgerHead.at(nil, in: opened.store), format: format)
                let blocking = plan.blockingFindings(useComputed: useComputed, addMeasures: addMeasures)
                if dryRun {
                    if format == .text { Terminal.print("dry run: nothing written\(blocking.isEmpty ? "" : "; an import would be refused for \(blocking.count) finding(s)")") }
                    return
                }
                guard blocking.isEmpty else {
                    let kinds = Set(blocking.map(\.kind.rawValue)).sorted().joined(separator: ", ")
                    throw CLIError(.refused, "import-refused", "import refused, nothing written: \(blocking.count) line(s) with \(kinds)\(blocking.contains { $0.kind == .valueDisagrees || $0.kind == .proxyDiffers } ? " (--use-computed records the computed values)" : "")\(blocking.contains { $0.kind == .unknownMeasure } ? " (--add-measures adds unknown measures to a new catalog version)" : "")")
                }
                let commands = try plan.commands(
                    contract: contract, actor: ActorIdentity(id: actor!, role: role!), reason: reason,
                    effectiveDate: try DateOption.day(effectiveDate, flag: "--effective-date") ?? Timestamp.now().date, effectiveDateGiven: effectiveDate != nil,
                    addMeasures: addMeasures, source: (file as NSString).lastPathComponent, published: reference)
                let outcome: Ledger.Outcome
                outcome = try opened.execute(commands, today: Timestamp.now().date)
                for event in outcome.recorded {
                    Terminal.print("recorded \(event.eventType) at position \(event.position) (\(event.streamId), version \(event.streamVersion))")
                    Terminal.print("  " + EventSummary.describe(type: event.eventType, payload: event.payload))
                }
                Terminal.print(outcome.head)
            }
        }
    }
}

/// The findings of a portal import, for people and for machines.
enum PortalFindings {
    static func print(_ plan: PortalImport, file: String, head: LedgerHead, format: OutputFormat) {
        switch format {
        case .json:
            let json = PortalFindingsDocument.json(plan, file: file, head: head)
            Swift.print(json.canonicalText)
        case .text:
            let rows = plan.lines.map { line -> [String] in
                let kinds = plan.findings.filter { $0.line == line.row.line }.map(\.kind.rawValue).joined(separator: ", ")
                return [String(line.row.line), line.row.reference, line.row.answer, line.row.proxy, line.stated?.formatted ?? line.row.stated,
                        line.computed?.formatted ?? (line.quantity == nil ? "" : "—"), kinds]
            }
            TableOutput.text(["LINE", "MEASURE", "ANSWER", "PROXY", "STATED", "COMPUTED", "FINDINGS"], rows)
            Terminal.print("")
            for finding in plan.findings {
                Terminal.print("\(finding.line.map { "line \($0)" } ?? "file"): \(finding.kind.rawValue): \(finding.message)")
            }
            Terminal.print("")
            Terminal.print("recomputed total \(plan.computedTotal.formatted); stated lines add up to \(plan.statedLinesTotal.formatted)\(plan.table.statedTotal.map { "; printed total \($0.formatted)" } ?? "")")
        }
    }
}

extension Root {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the log.", subcommands: [NDJSON.self, OCDS.self])

        struct NDJSON: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ndjson",
                abstract: "The whole log, one exported envelope (with its hash) per line.",
                discussion: """
                    Verifiable from the file alone: tools/verify_ledger.py --ndjson FILE
                    (Schemas/README.md §6). It holds the events only: evidence files are not in it
                    (their hashes, names and sizes are, in the returns that cite them). `svledger
                    backup` copies them with the ledger.
                    """)
            @OptionGroup var ledger: LedgerOptions
            @Option(help: "Write to this file instead of stdout.") var out: String?

            func run() throws {
                let store = try ledger.open(.readOnly)
                let file = try out.map(AtomicFile.init)
                let sink: any OutputSink = file ?? StandardOutput.shared
                var buffer: [UInt8] = []
                var count = 0
                try store.read { reader in
                    try reader.forEachEvent { event in
                        event.exportedEnvelope.appendCanonical(to: &buffer)
                        buffer.append(0x0A)
                        count += 1
                        if buffer.count > 1 << 20 { try sink.write(buffer); buffer.removeAll(keepingCapacity: true) }
                        return true
                    }
                }
                try sink.write(buffer)
                if let file, let out {
                    try file.commit()
                    Terminal.print("exported \(count) events to \(out)")
                }
            }
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Hot backup: a compacted copy of the ledger, then verified.",
            discussion: """
                Uses LMDB's compacting copy (mdb_env_copy2 with MDB_CP_COMPACT), which is safe
                while the ledger is in use, then verifies the copy's chain, indexes and
                projections. The copy is made in a hidden folder beside DIRECTORY and renamed
                to it only when complete and verified, so a backup that fails (a full disk, a
                kill) leaves no partial ledger. To restore, point --ledger (or
                $SVLEDGER_LEDGER) at the copy, or copy its data.mdb into place. The copy holds
                the evidence files too (they are in the same LMDB file), and its verify checks
                each against its hash.
                """)
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "A new directory for the copy.") var directory: String

        func run() throws {
            let staging = try BackupStaging(target: directory)
            let report: VerificationReport
            do {
                let store = try ledger.open(.readOnly)
                try store.environment.copyCompacted(to: staging.path)
            }
            do {
                var copyOptions = LedgerOptions()
                copyOptions.ledger = staging.path
                let copy = try copyOptions.openLedger(.readOnly)
                report = try copy.verifyAll()
            } catch let failure as VerificationFailure {
                throw failure.inContext("the copy failed verification, so \(directory) was not written: at", separator: " ")
            }
            try staging.commit()
            Terminal.print("backed up and verified \(report.eventCount) events in \(report.streamCount) streams to \(directory)")
            Terminal.print(report.head)
        }
    }
}
