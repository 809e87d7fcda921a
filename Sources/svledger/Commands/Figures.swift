import ArgumentParser
import Queries
import Reports

extension Root {
    /// The figures file of Schemas/README.md §10: what every read's digest is the SHA-256 of.
    struct Figures: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "figures",
            abstract: "The reconciled figures as one canonical file, whose SHA-256 every read and report states.",
            discussion: """
                Every read and report that shows value ends with `figures sha256:…`: the digest
                of this file, for its period and reporting date. Recompute it from the log
                alone with the second implementation, written from the published definitions,
                and compare:

                  svledger figures --period 2025-26-Q2 > figures.csv
                  svledger figures --period 2025-26-Q2 --digest
                  svledger figures --period 2025-26-Q2 --contract LCC-2025-014  # as `show`
                  python3 tools/reconcile_ledger.py LEDGER --period 2025-26-Q2 --digest

                Rows: one per commitment line (level measure), then per contract, theme,
                council priority, supplier and the portfolio; money in pounds to the penny; the
                commitments in force on the reporting date (Schemas/README.md §10).
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var asOf: AsOfOptions
        @OptionGroup var effective: EffectiveOptions
        @Option(help: "The period, e.g. 2025-26-Q2 (default: the quarter of --on, else of --as-of, else of today).") var period: String?
        @Flag(help: "Print only the digest, sha256:HEX.") var digest = false
        @Option(help: ArgumentHelp(
            "Only this supplier's contracts, with its streams' versions in place of the head: the figures `svledger serve` gives that supplier.",
            valueName: "name")) var supplier: String?
        @Option(help: ArgumentHelp(
            "Only this contract, with its stream's version in place of the head: the figures whose digest `show` and a contract's reconciliation state.",
            valueName: "reference")) var contract: String?

        func validate() throws {
            if supplier != nil, contract != nil { throw ValidationError("give --supplier or --contract, not both") }
        }

        func run() throws {
            let view = try FigureView(try ledger.openLedger(.readOnly), asOf: asOf, effective: effective, period: period, only: contract)
            let figures = supplier.map(view.figures(ofSupplier:)) ?? view.figures
            if digest {
                print(figures.digest)
            } else {
                try StandardOutput.shared.write(figures.text)
            }
        }
    }
}
