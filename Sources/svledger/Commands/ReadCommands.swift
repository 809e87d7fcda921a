import ArgumentParser
import EventStore
import LedgerValues
import Foundation
import Ledger
import Projections
import Queries
import Reports
import SocialValue

extension Root {
    struct Contracts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contracts",
            abstract: "List contracts with their stage and delivery rating.",
            discussion: "  svledger contracts\n  svledger contracts --as-of 2026-03-31 --format csv")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var asOf: AsOfOptions
        @OptionGroup var effective: EffectiveOptions
        @Option(help: "The period rated (default: the quarter of --on, else of --as-of, else of today).") var period: String?
        @Option(help: "text, csv or json.") var format: TableFormat = .text

        func run() throws {
            let view = try FigureView(try ledger.openLedger(.readOnly), asOf: asOf, effective: effective, period: period)
            let document = ContractsDocument(snapshot: view.snapshot, reconciliation: view.reconciliation)
            switch format {
            case .json: print(document.json(proof: view.proof()).canonicalText)
            case .csv: ContractsTable.csv(document)
            case .text:
                // The quarter rated first: by default today's, which can differ from a report's.
                let chosen = period == nil ? " (the quarter of the day read, by default; --period names another)" : ""
                Terminal.print("Rated for \(view.period), delivery up to \(view.reportingDate)\(chosen)")
                ContractsTable.text(document)
            }
            if format == .text { view.printFooter() }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one contract: its state, commitments and deliveries.",
            discussion: "  svledger show LCC-2025-014\n  svledger show LCC-2025-014 --as-of 2026-03-31")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var asOf: AsOfOptions
        @OptionGroup var effective: EffectiveOptions
        @Argument(help: "The contract reference, or an identifier it is known by (an imported notice's ocid or id).") var contract: String
        @Option(help: "The period whose figures the digest covers: this contract's figures (default: the quarter of --on, else of --as-of, else of today).") var period: String?
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() throws {
            // One contract's stream is folded, not the log: its figures are its own (§10).
            let opened = try ledger.openLedger(.readOnly)
            let contract = try Root.resolvedContract(self.contract, in: opened)
            let view = try FigureView(opened, asOf: asOf, effective: effective, period: period, only: contract)
            let snapshot = view.snapshot
            guard let c = snapshot.contract(contract) else {
                let when = [asOf.asOf.map { "as of \($0)" }, effective.on.map { "effective on \($0)" }].compactMap { $0 }
                throw CLIError(.notFound, "contract-not-found", "no contract \(DisplayText.excerpt(contract)) at position \(snapshot.position)\(when.isEmpty ? "" : " (\(when.joined(separator: ", ")))")\(Suggestion.phrase(for: contract, among: try opened.contractReferences()))")
            }
            if format == .json {
                print(ShowDocument.json(c, proof: view.proof()).canonicalText)
                return
            }
            Terminal.print("\(c.reference)  \(c.title)")
            Terminal.print("stage          \(c.stage.rawValue)\(c.closedOn.map { " on \($0)" } ?? "")"
                + (c.earlyTermination ? ", before the end of its term (early termination\(c.closureReason.map { ": \($0)" } ?? ""))" : ""))
            Terminal.print("buyer          \(c.buyerDepartment); \(c.category.rawValue); areas \(c.areasServed.joined(separator: ", "))")
            Terminal.print("term           \(c.startDate) to \(c.endDate); estimated \(c.estimatedValue.formatted)")
            if !c.identifiers.isEmpty { Terminal.print("known as       " + c.identifiers.map { "\($0.scheme) \($0.id)" }.joined(separator: "; ")) }
            Terminal.print("policy         \(c.policyId)\(c.assessment.map { "@\($0.policyVersion): \($0.outcome.rawValue) the \($0.threshold.formatted) threshold (assessed \($0.assessedOn))\($0.statutoryDutyApplies ? "; statutory duty applies" : "")" } ?? ": not yet assessed")")
            if let e = c.exemption { Terminal.print("exemption      \(e.status.rawValue), business case \(e.businessCase)\(e.decidedByRole.map { " by the \($0)" } ?? "")\(e.reason.map { ": \($0)" } ?? "")") }
            if let w = c.weighting { Terminal.print("weighting      \(w.percent)% (\(w.basis.rawValue)\(w.overrideReason.map { ": \($0)" } ?? ""))\(w.exemptionApplied ? ", below the minimum under an exemption" : "")") }
            if let supplier = c.supplier { Terminal.print("supplier       \(supplier)\(c.award.map { ", awarded \($0.date) for \($0.value.formatted)" } ?? " (running contract)")") }
            if c.migrated {
                Terminal.print("migrated       it started before the ledger did: returns accepted for any quarter of its term\(c.migrationReason.map { " (\($0))" } ?? "")")
            }
            if !c.datesNotGiven.isEmpty {
                Terminal.print("dates          \(EventSummary.effectiveDateNotGiven): " + c.datesNotGiven.map { "\($0.label) (\($0.effectiveDate))" }.joined(separator: ", "))
            }
            if let catalog = c.commitmentCatalog { Terminal.print("priced with    \(catalog)") }
            if !c.lines.isEmpty {
                Terminal.print("")
                let rows = c.lines.map { line in
                    [line.measure, line.unit, line.original.map { $0.quantity.description } ?? "—", line.original?.value?.formatted ?? (line.original == nil ? "—" : "record-only"),
                     line.current.map { $0.quantity.description } ?? "withdrawn", line.current?.value?.formatted ?? (line.current == nil ? "" : "record-only")]
                }
                TableOutput.text(["MEASURE", "UNIT", "PLEDGED", "PLEDGED £", "CURRENT", "CURRENT £"], rows, maxWidth: 30)
                Terminal.print("total          pledged \(c.originalTotal.formatted), current \(c.currentTotal.formatted)")
            }
            if !c.deliveries.isEmpty {
                Terminal.print("")
                let rows = c.deliveries.sorted { ($0.quarter, $0.measure) < ($1.quarter, $1.measure) }.map { d in
                    // A figure with files says how many: `svledger evidence list` names them.
                    let files = d.evidenceFiles.isEmpty ? "" : " +\(d.evidenceFiles.count) file\(d.evidenceFiles.count == 1 ? "" : "s")"
                    return [
                        d.quarter.description, d.measure, d.quantity.description, d.status.rawValue, d.evidence + files, d.pledged ? "" : "not pledged",
                        d.corrected ? "corrected" : "",
                    ]
                }
                TableOutput.text(["QUARTER", "MEASURE", "DELIVERED", "CHECK", "EVIDENCE", "", ""], rows, maxWidth: 30)
                // The check's words, for the figures where someone said something.
                for d in c.deliveries.sorted(by: { ($0.quarter, $0.measure) < ($1.quarter, $1.measure) }) {
                    // Whole: the words are the point here (an event's one-line summary shortens them).
                    if let question = d.question { Terminal.print("  \(d.quarter) \(d.measure) queried: “\(question)”") }
                    if let answer = d.answer { Terminal.print("  \(d.quarter) \(d.measure) answered: “\(answer)”") }
                    if let reason = d.decisionReason, d.status == .validated || d.status == .rejected {
                        Terminal.print("  \(d.quarter) \(d.measure) \(d.status.rawValue)\(d.decidedOn.map { " on \($0)" } ?? ""): “\(reason)”")
                    }
                }
            }
            if !c.kpis.isEmpty || c.kpiExemption != nil {
                Terminal.print("")
                if let exemption = c.kpiExemption { Terminal.print("KPIs           exempt: a \(exemption) contract") }
                for kpi in c.kpis {
                    let latest = kpi.assessments.max { ($0.periodEnd, $0.assessedOn) < ($1.periodEnd, $1.assessedOn) }
                    let rated = latest.map { "\(KPIRating(rawValue: $0.rating)?.label ?? $0.rating) for \($0.periodStart) to \($0.periodEnd)" } ?? "not yet assessed"
                    Terminal.print("KPI \(kpi.id)  \(kpi.name): target \(kpi.target); \(rated)")
                }
            }
            Terminal.print("")
            view.printFooter()
        }
    }

    /// The contract `given` names: itself when it is a contract reference, else the one contract
    /// registered with it among its identifiers (an imported notice's ocid or id), said on stderr.
    static func resolvedContract(_ given: String, in ledger: Ledger) throws -> String {
        guard try ledger.contractState(given).version == 0 else { return given }
        let known = try ledger.contracts(knownAs: given)
        if known.count > 1 {
            // A framework's notice makes one contract per supplier, all under its ocid.
            throw CLIError(
                .usage, "ambiguous-identifier",
                "\(DisplayText.quoted(given)) is the \(known[0].scheme) of \(known.count) contracts: \(known.map(\.reference).joined(separator: ", ")); name one of them")
        }
        guard let only = known.first else { return given }
        Terminal.progress("\(given) is the \(only.scheme) of contract \(only.reference)")
        return only.reference
    }

    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "A contract's audit trail: every event, who, when, why, what changed, and its hash.",
            discussion: """
                Every event with who did it, when (recorded and effective), why, and what it
                changed as old → new values (a correction shows the figure it replaced; a
                refresh, each commitment it revised).
                  svledger audit LCC-2025-014
                  svledger audit LCC-2025-014 --as-of 2026-03-31 --format csv > trail.csv
                  svledger audit --since 2026-01-01       # every contract's, since that day
                  svledger audit LCC-2025-014 --since 40  # this contract's, after position 40
                Check any hash with `svledger verify` (or tools/verify_ledger.py) to prove it
                unaltered.
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var asOf: AsOfOptions
        @Argument(help: "The contract reference (optional with --since: then every contract).") var contract: String?
        @Option(help: ArgumentHelp("Only events recorded on or after this day (UTC), or after this position.", valueName: "YYYY-MM-DD|position"))
        var since: String?
        @Option(help: "text, csv or json.") var format: TableFormat = .text

        func validate() throws {
            if contract == nil, since == nil { throw ValidationError("name a contract, or give --since to see every contract's changes") }
            if let since, UInt64(since) == nil, CalendarDate(since) == nil {
                throw ValidationError("--since takes a date YYYY-MM-DD or a position, got \(DisplayText.quoted(since))")
            }
        }

        func run() throws {
            let opened = try ledger.openLedger(.readOnly)
            let position = try asOf.position(in: opened)
            let (entries, head) = try opened.store.read { reader in
                let start: UInt64 = try since.flatMap { try AuditTrail.start(since: $0, in: reader) } ?? 0
                return (try AuditTrail.entries(reader, contract: contract, after: start, through: position), try LedgerHead.at(position, in: reader))
            }
            let rows = entries.map(\.cells)
            if rows.isEmpty, let contract, since == nil {
                let known = try opened.contractReferences()
                throw CLIError(.notFound, "contract-not-found", "no events for contract \(DisplayText.excerpt(contract))\(position.map { " up to position \($0)" } ?? "")\(Suggestion.phrase(for: contract, among: known))")
            }
            switch format {
            case .text:
                if rows.isEmpty { Terminal.print("no contract events recorded \(since.map { UInt64($0) == nil ? "since \($0)" : "after position \($0)" } ?? "")") }
                for e in entries {
                    let undated = e.effectiveDateDefaulted == true ? " (\(EventSummary.effectiveDateNotGiven))" : ""
                    Terminal.print("\(String(e.position).leftPad(5))  \(e.recordedAt)  effective \(e.effectiveDate)\(undated)  \(e.eventType)\(contract == nil ? "  \(e.contract)" : "")")
                    Terminal.print("       by \(e.actorId) (\(e.actorRole))\(e.reason.flatMap { $0.isEmpty ? nil : ": \"\($0)\"" } ?? "")")
                    Terminal.print("       \(e.summary)")
                    for change in e.changes { Terminal.print("         \(change.text)") }
                    Terminal.print("       event \(e.eventId)  hash \(e.hash)")
                }
                Terminal.print(headFooter(head))
            case .csv: TableOutput.csv(AuditDocument.header, rows)
            case .json: print(AuditDocument(head: head, contract: contract, since: since, entries: entries).json.canonicalText)
            }
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

