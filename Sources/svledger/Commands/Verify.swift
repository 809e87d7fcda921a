import ArgumentParser
import EventStore
import LedgerValues
import Projections
import Reports

extension Root {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain, the indexes and the head.",
            discussion: """
                Re-computes every event's SHA-256 link from the first position, checks that positions
                have no gaps, that every stream and event-id index entry points at its event, and that
                the recorded head matches. On success it prints the head: write it down outside the
                system, and later run `svledger verify --expect-head HASH` to prove nothing up to that
                point has changed. On the first problem it names the position and exits with status 1.

                tools/verify_ledger.py makes the same checks without svledger's code (Schemas/README.md).
                """)

        @OptionGroup var options: LedgerOptions

        @Option(help: ArgumentHelp("A head hash written down earlier (64 hex digits) that must still hold.", valueName: "hash"))
        var expectHead: String?

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func validate() throws {
            if let expectHead, ChainHash(hex: expectHead) == nil {
                throw ValidationError("--expect-head must be 64 hex digits, got \(DisplayText.quoted(expectHead))")
            }
        }

        func run() throws {
            let ledger = try options.openLedger(.readOnly)
            do {
                let report: VerificationReport
                do {
                    report = try ledger.verifyAll(
                        expectedHead: expectHead.flatMap { ChainHash(hex: $0) },
                        progress: { Terminal.progress("verified \($0) events…") })
                } catch let error as ProjectionError {
                    throw error.inContext("verification failed")
                }
                switch format {
                case .text:
                    Terminal.print("verified \(report.eventCount) events in \(report.streamCount) streams")
                    Terminal.print(report.head)
                case .json:
                    let json = VerifyDocument.json(
                        events: UInt64(report.eventCount), streams: UInt64(report.streamCount),
                        head: report.head)
                    print(json.canonicalText)
                }
            } catch let failure as VerificationFailure {
                throw failure.inContext("verification failed at", separator: " ")
            }
        }
    }
}
