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
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Governance reports.", subcommands: [Cabinet.self])
    }
}

extension Root.Report {
    /// Thin over `Reports.CabinetReport`: reads the ledger and reconciles it as `reconcile`
    /// does (and at the two quarters the trend compares with), reads the author's narrative,
    /// then writes the text the report functions return.
    struct Cabinet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cabinet",
            abstract: "The report to a council's Cabinet on the social value its contracts secure.",
            discussion: """
                One council's report (--council, needed when the ledger holds several; one
                directorate of it with --directorate), in the shape of a Cabinet paper: the
                meeting (--meeting), whose report it is and whom to ask (from `svledger council
                describe`), the electoral divisions and corporate priorities concerned, a brief
                summary and the recommendation; a one-page summary of the figures (contracts by
                rating, delivered against expected with each commitment capped at 100% beside
                the uncapped figure, outcomes as counts, the trend against the last quarter and
                the same quarter last year, delivery by area, evidence, exceptions, and
                remedial commentary on every inadequate contract); the detail by theme (the
                council's own themes), quarter, measure, area, council priority and contract;
                the implications and background papers; and the ledger head to check with
                `svledger verify --expect-head`.

                The recommendation, commentary, implications, background papers and remedial
                commentary come from --narrative FILE (its "## Part" headings are in
                docs/domain.md); the report records the file's SHA-256, and any part not
                written reads "None given.".

                HTML is one self-contained file (no script, nothing fetched) that prints to A4
                with page numbers; pdf is that HTML printed by headless Chromium (installed
                apart: apt-get install chromium); md gives the same as tables; csv gives every
                figure and text as section,key,metric,value rows.

                  svledger report cabinet --period 2025-26-Q2 --council lancashire \\
                      --meeting 2025-11-13 --narrative tools/demo-data/cabinet-narrative.md \\
                      --out cabinet.html
                  svledger report cabinet --period 2025-26-Q2 --council lancashire \\
                      --format csv > cabinet.csv
                  svledger report cabinet --period 2025-26-Q2 --council lancashire \\
                      --directorate Highways --format md
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var asOf: AsOfOptions
        @OptionGroup var effective: EffectiveOptions
        @Option(help: "The reporting period, e.g. 2025-26-Q2 (default: the quarter of --on, else of --as-of, else of today).") var period: String?
        @Option(help: ArgumentHelp("The council: its id or name (needed when the ledger holds more than one).", valueName: "id")) var council: String?
        @Option(help: ArgumentHelp("Only the contracts of this directorate (their buying department).", valueName: "name")) var directorate: String?
        @Option(help: ArgumentHelp("The date of the Cabinet meeting the report goes to.", valueName: "YYYY-MM-DD")) var meeting: String?
        @Option(help: ArgumentHelp("The author's narrative: recommendation, commentary, implications, remedial commentary.", valueName: "file")) var narrative: String?
        @Option(help: ArgumentHelp("Write the report to this file (default: standard output).", valueName: "file")) var out: String?
        @Option(help: "html, pdf (the HTML printed by headless Chromium, with --out), md or csv.") var format: ReportFormat = .html

        enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
            case html, pdf, md, csv
            var reportFormat: CabinetReport.Format {
                switch self {
                case .html, .pdf: .html
                case .md: .md
                case .csv: .csv
                }
            }
        }

        func validate() throws {
            if format == .pdf, out == nil { throw ValidationError("--format pdf writes a file: give --out report.pdf") }
        }

        func run() throws {
            let narrativeText = try narrative.map(Self.readNarrative)
            let opened = try ledger.openLedger(.readOnly)
            // The trend's quarters are reconciled in the same fold, each with the commitments in
            // force at its end, as a read of that quarter would have them.
            let view = try FigureView(opened, asOf: asOf, effective: effective, period: period, trend: true)
            let quarter = view.period
            let request = CabinetReportRequest(
                council: council, directorate: directorate, meeting: try DateOption.day(meeting, flag: "--meeting"), narrative: narrativeText,
                generatedAt: Timestamp.now().description)
            var model = try CabinetReportModel(
                snapshot: view.snapshot, reconciliation: view.reconciliation, figuresFile: view.figures, comparisons: view.comparisons, request: request)
            model.tree = try opened.store.read { try TreeStatement.read($0, position: model.position) }
            LeftToExit.keep(model)
            var text = CabinetReport.render(format.reportFormat, model)
            // Markdown is read as it is, in a terminal or an editor: no control sequence may reach either.
            if format == .md { text = DisplayText.escaped(text, keepingNewlines: true) }
            if let out {
                if format == .pdf {
                    try PrintToPDF.write(text, to: out)
                } else {
                    try AtomicFile.write(text, to: out)
                }
                Terminal.print("wrote \(out) (\(format.rawValue), \(model.scopeName), \(DisplayText.counted(model.figures.contracts.count, "contract")), \(quarter))")
                view.printFooter()
            } else {
                try StandardOutput.shared.write(text)
            }
            // On stderr once the report is written: what its reader should not take on trust.
            for warning in model.narrativeWarnings { Terminal.warn(warning) }
        }

        /// The narrative file, read whole and parsed; its bytes as they are, for the digest.
        static func readNarrative(_ path: String) throws -> CabinetNarrative {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            else {
                throw CLIError(
                    .notFound, "file-unreadable",
                    "cannot read the narrative \(path); tools/demo-data/cabinet-narrative.md in the repository is an example; docs/domain.md, \"The narrative file\", says what it holds")
            }
            if let size = attributes[.size] as? Int, size > CabinetNarrative.maxBytes {
                throw CabinetReportError(.invalidNarrative, "\(path): is \(size) bytes long; a narrative file is at most \(CabinetNarrative.maxBytes) bytes")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError(.notFound, "file-unreadable", "cannot read the narrative \(path)") }
            return try CabinetNarrative(bytes: [UInt8](data), fileName: (path as NSString).lastPathComponent)
        }
    }
}
