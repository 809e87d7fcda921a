import ArgumentParser
import EventStore
import LedgerValues
import Queries
import Ledger
import Projections
import Reports
import SocialValue

extension Root {
    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reconcile",
            abstract: "Pledged against delivered social value, per measure, contract, theme, priority and supplier.",
            discussion: """
                For each contract with a commitment: the original pledge and the current
                commitment, delivered to date (corrections applied), expected to date (the
                commitment spread evenly over its term up to the reporting date), the variance
                and a rating: the capped delivery (each line counted at most at its expected)
                against expected, on the council's cut-offs with the Procurement Act 2023's
                four labels. A level (FTE employed, a rate) counts the quarter's share of what
                was held, never the sum of the levels returned. Unpledged deliveries and late
                returns are listed apart.

                  svledger reconcile --period 2025-26-Q2
                  svledger reconcile --contract LCC-2025-014 --as-of 2026-03-31
                  svledger reconcile --period 2025-26-Q4 --format csv --level contract \\
                      > contracts.csv
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var asOf: AsOfOptions
        @OptionGroup var effective: EffectiveOptions
        @Option(help: "Only this contract.") var contract: String?
        @Option(help: "Only this supplier's contracts.") var supplier: String?
        @Option(help: "The reporting period, e.g. 2025-26-Q2 (default: the quarter of --as-of, or of today).") var period: String?
        @Option(help: "text, csv or json.") var format: TableFormat = .text
        @Option(help: "For csv: measure, contract, theme, priority or supplier rows.") var level: Level = .measure

        enum Level: String, ExpressibleByArgument, CaseIterable { case measure, contract, theme, priority, supplier }

        func run() throws {
            let opened = try ledger.openLedger(.readOnly)
            // One contract: its stream alone is folded, and the digest is of its own figures (§10).
            let view = try FigureView(
                opened, asOf: asOf, effective: effective, period: period, contract: contract, supplier: supplier, only: supplier == nil ? contract : nil)
            let result = view.reconciliation
            if let contract, result.contracts.isEmpty {
                if view.snapshot.contract(contract) == nil {
                    throw CLIError(.notFound, "contract-not-found", "no contract \(DisplayText.excerpt(contract)) at position \(view.snapshot.position)\(Suggestion.phrase(for: contract, among: try opened.contractReferences()))")
                }
                throw CLIError(.notFound, "commitment-not-found", "contract \(DisplayText.excerpt(contract)) has no commitment in force to reconcile at position \(view.snapshot.position) on \(view.reportingDate)")
            }
            switch format {
            case .json: print(ReconcileDocument.json(result, proof: view.proof()).canonicalText)
            case .csv: ReconciliationTable.csv(result, level: level)
            case .text:
                ReconciliationTable.text(result)
                view.printFooter()
            }
        }
    }
}

/// The reconciliation as tables.
enum ReconciliationTable {
    static let amountHeader = ["PLEDGED £", "CURRENT £", "DELIVERED £", "VALIDATED £", "EXPECTED £", "VARIANCE £", "RATING"]

    static func amounts(_ a: Amounts, plain: Bool = false) -> [String] {
        let money: (Money) -> String = { plain ? $0.plain : $0.formatted }
        return [money(a.original), money(a.current), money(a.delivered), money(a.validated), money(a.expected), money(a.variance), a.rating.rawValue]
    }

    static func text(_ r: Reconciliation) {
        Terminal.print("Reconciliation for \(r.period), reporting date \(r.reportingDate)")
        for c in r.contracts {
            Terminal.print("")
            Terminal.print("\(c.reference)  \(c.title)  (\(c.supplier ?? "no supplier"); \(c.stage); priced with \(c.catalog))")
            Terminal.print(
                "  \(c.elapsedDays) of \(c.spreadDays) days of the commitment elapsed; rating \(c.amounts.rating.rawValue), on \(c.ratedDelivery.rawValue) delivery")
            let rows = c.lines.map { line -> [String] in
                [line.measure, line.originalQuantity?.description ?? "—", line.currentQuantity?.description ?? "withdrawn",
                 line.deliveredQuantity.description, line.expectedQuantity.description]
                    + (line.recordOnly ? ["record-only", "", "", "", "", "", line.rating.rawValue] : amounts(line.amounts))
            }
            TableOutput.text(["  MEASURE", "PLEDGED", "CURRENT", "DELIVERED", "EXPECTED"] + amountHeader, rows.map { ["  " + $0[0]] + $0.dropFirst() })
            Terminal.print("  " + (["total"] + amounts(c.amounts)).joined(separator: "  "))
            if !c.unpledged.isEmpty {
                Terminal.print("  unpledged deliveries (not in the totals): " + c.unpledged.map { "\($0.measure) \($0.quantity) in \($0.quarter)" }.joined(separator: ", "))
            }
            if c.hasLateReturns { Terminal.print("  late returns: " + c.lateReturnLabels.joined(separator: ", ")) }
            for overdue in c.kpiAssessmentsOverdue { Terminal.print("  KPI assessment overdue: \(overdue.kpi), \(overdue.why)") }
            for line in c.lines { if let check = line.evidenceCheck { Terminal.print("  check the evidence: \(c.reference) \(line.measure) \(check)") } }
        }
        for (title, rollups) in [("BY THEME", r.byTheme), ("BY COUNCIL PRIORITY", r.byPriority), ("BY SUPPLIER", r.bySupplier)] {
            Terminal.print("")
            TableOutput.text([title] + amountHeader, rollups.map { [$0.key] + amounts($0.amounts) }, maxWidth: 50)
        }
        Terminal.print("")
        Terminal.print((["PORTFOLIO"] + amounts(r.portfolio.amounts)).joined(separator: "  "))
        // Every contract's, pledged or not: a KPI is the Act's, not the pledge's.
        for overdue in r.kpiAssessmentsOverdue { Terminal.print("KPI assessment overdue: \(overdue.contract) \(overdue.kpi), \(overdue.why)") }
    }

    static func csv(_ r: Reconciliation, level: Root.Reconcile.Level) {
        let plainHeader = ["pledged_gbp", "current_gbp", "delivered_gbp", "validated_gbp", "expected_gbp", "variance_gbp", "rating"]
        switch level {
        case .measure:
            let rows = r.contracts.flatMap { c in
                c.lines.map { line in
                    [r.period.description, c.reference, c.supplier ?? "", line.measure, line.theme, line.unit,
                     line.originalQuantity?.description ?? "", line.currentQuantity?.description ?? "",
                     line.deliveredQuantity.description, line.validatedQuantity.description, line.expectedQuantity.description, line.varianceQuantity.description]
                        + amounts(line.amounts, plain: true).dropLast() + [line.rating.rawValue, line.evidenceCheck ?? ""]
                }
            }
            TableOutput.csv(["period", "contract", "supplier", "measure", "theme", "unit", "pledged_quantity", "current_quantity", "delivered_quantity", "validated_quantity", "expected_quantity", "variance_quantity"] + plainHeader + ["evidence_check"], rows)
        case .contract:
            let rows = r.contracts.map { c in
                [r.period.description, c.reference, c.title, c.supplier ?? ""] + amounts(c.amounts, plain: true)
                    + [c.lateReturns.map(\.description).joined(separator: " "), String(c.unpledged.count)]
            }
            TableOutput.csv(["period", "contract", "title", "supplier"] + plainHeader + ["late_returns", "unpledged_deliveries"], rows)
        case .theme, .priority, .supplier:
            let rollups = level == .theme ? r.byTheme : level == .priority ? r.byPriority : r.bySupplier
            TableOutput.csv(["period", level.rawValue] + plainHeader, rollups.map { [r.period.description, $0.key] + amounts($0.amounts, plain: true) })
        }
    }
}
