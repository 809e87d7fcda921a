import ArgumentParser
import EventStore
import LedgerValues
import Queries
import Foundation
import Ledger
import Projections
import Reports

extension Root {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Governance reports.", subcommands: [Cabinet.self])
    }
}

extension Root.Report {
    /// Thin over `Reports.CabinetReport`: reads the ledger and reconciles it as `reconcile`
    /// does, then writes the text the report functions return.
    struct Cabinet: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The Cabinet Member report: social value pledged and delivered, exceptions, weighting compliance.",
            discussion: """
                For the period and the financial year to date: contracts in scope,
                social value pledged, delivered, and delivered against expected;
                charts by theme and by quarter; roll-ups by council priority; every
                contract rated on the Procurement Act 2023 scale, worst first;
                under-delivery, late returns, exemptions, board overrides and
                in-scope contracts with no pledge; weighting compliance; and the
                ledger head to check with `svledger verify --expect-head`.
                HTML is one self-contained file (no script, nothing fetched) that
                prints to A4; md gives the same as tables; csv gives every figure
                as section,key,metric,value rows.

                  svledger report cabinet --period 2025-26-Q2 --out cabinet.html
                  svledger report cabinet --period 2025-26-Q2 --format md --out cabinet.md
                  svledger report cabinet --period 2025-26-Q2 --format csv > cabinet.csv
                  svledger report cabinet --period 2025-26-Q2 --as-of 2025-10-31
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var asOf: AsOfOptions
        @OptionGroup var effective: EffectiveOptions
        @Option(help: "The reporting period, e.g. 2025-26-Q2 (default: the quarter of --on, else of --as-of, else of today).") var period: String?
        @Option(help: ArgumentHelp("Write the report to this file (default: standard output).", valueName: "file")) var out: String?
        @Option(help: "html, md or csv.") var format: ReportFormat = .html

        enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
            case html, md, csv
            var reportFormat: CabinetReport.Format {
                switch self {
                case .html: .html
                case .md: .md
                case .csv: .csv
                }
            }
        }

        func run() throws {
            let view = try FigureView(try ledger.openLedger(.readOnly), asOf: asOf, effective: effective, period: period)
            let reconciliation = view.reconciliation
            let snapshot = view.snapshot
            let quarter = view.period
            var text = CabinetReport.render(
                format.reportFormat, snapshot: snapshot, reconciliation: reconciliation, generatedAt: Timestamp.now().description)
            // Markdown is read as it is, in a terminal or an editor: no control sequence may reach either.
            if format == .md { text = DisplayText.escaped(text, keepingNewlines: true) }
            guard let out else {
                try StandardOutput.shared.write(text)
                return
            }
            try AtomicFile.write(text, to: out)
            Terminal.print("wrote \(out) (\(format.rawValue), \(reconciliation.contracts.count) contracts, \(quarter))")
            view.printFooter()
        }
    }
}
