import ArgumentParser
import EventStore
import LedgerValues
import Projections
import Reports

extension Root {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the hash chain, the indexes and the head.",
            discussion: """
                Re-computes every event's SHA-256 link from the first position, checks that
                positions have no gaps, that every stream and event-id index entry points at
                its event, and that the recorded head matches. On success it prints the head,
                `head POSITION HASH`: write it down outside the system, and later run `svledger
                verify --expect-head POSITION:HASH` (or the hash alone) to prove that nothing
                up to that point has changed. The ledger may have grown since: the check is
                that the chain still has that hash at that position, and a last line says which
                case it is, "head matches the expected head at position P" or "the ledger has
                grown from position P (hash still matches there) to Q". On the first problem it
                names the position and exits with status 3.

                tools/verify_ledger.py makes the same checks without svledger's code
                (Schemas/README.md).
                """)

        @OptionGroup var options: LedgerOptions

        @Option(
            help: ArgumentHelp(
                "A head written down earlier, POSITION:HASH or the 64-hex-digit hash alone: the chain must still have that hash there.",
                valueName: "head"))
        var expectHead: String?

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        /// Why a value is not a head, and where to find a whole one (tools/verify_ledger.py says the same).
        static func notAHead(_ text: String) -> String {
            "--expect-head needs a whole head, POSITION:HASH or the hash alone (64 hex digits), got \"\(text)\"; "
                + "a shortened hash such as the 12 digits `svledger log` shows is not enough: "
                + "`svledger verify` prints the head as `head POSITION HASH`, and `svledger stats` shows it too"
        }

        func validate() throws {
            if let expectHead, ExpectedHead(expectHead) == nil {
                throw ValidationError(Self.notAHead(expectHead))
            }
        }

        func run() throws {
            let ledger = try options.openLedger(.readOnly)
            do {
                let report = try ledger.verifyAll(
                    expectedHead: expectHead.flatMap { ExpectedHead($0) },
                    progress: { Terminal.progress("verified \($0) events…") })
                switch format {
                case .text:
                    Terminal.print("verified \(report.eventCount) events in \(report.streamCount) streams")
                    Terminal.print(report.head)
                    if let finding = report.expectedHeadFinding { Terminal.print(finding) }
                    if let warning = report.recordedAheadWarning { Terminal.print(warning) }
                    for note in report.notes { Terminal.print(note) }
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
