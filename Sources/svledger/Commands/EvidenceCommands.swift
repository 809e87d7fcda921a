import ArgumentParser
import Ledger
import LedgerValues
import Reports
import SocialValue

extension Root {
    struct Evidence: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evidence",
            abstract: "List, fetch and erase the files kept as returns' evidence.",
            discussion: """
                A return line carries files with `svledger delivery report ... --evidence-file
                NT1=PATH`. The ledger keeps each file's bytes by their SHA-256, beside the
                chain (never in it); the return records the hash, size, type and name.
                `svledger verify` checks every file still hashes to what its return says, and
                says which an administrator erased. `svledger backup` copies the files with the
                ledger; `svledger export ndjson` and `export ocds` do not carry them
                (docs/evidence.md).
                """,
            subcommands: [List.self, Get.self, Erase.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "The files returns cite, and whether each is kept, erased, missing or changed.")
            @OptionGroup var ledger: LedgerOptions
            @Option(help: "Only this contract's files.") var contract: String?
            @Option(help: "text, csv or json.") var format: TableFormat = .text

            func run() throws {
                let entries = try ledger.openLedger(.readOnly).evidence(contract: contract)
                let header = ["contract", "quarter", "measure", "name", "mediaType", "size", "sha256", "status", "position"]
                let rows = entries.map { entry in
                    let c = entry.citation
                    return [c.contract, c.quarter, c.measure, c.file.name, c.file.mediaType, String(c.file.size), c.file.sha256, entry.status.words, String(c.position)]
                }
                switch format {
                case .text:
                    guard !rows.isEmpty else {
                        Terminal.print(contract.map { "contract \($0) cites no evidence files" } ?? "no return cites an evidence file")
                        return
                    }
                    TableOutput.text(
                        ["CONTRACT", "QUARTER", "MEASURE", "NAME", "SIZE", "SHA256", "STATUS"],
                        rows.map { [$0[0], $0[1], $0[2], $0[3], $0[5], String($0[6].prefix(12)) + "…", $0[7]] })
                case .csv:
                    TableOutput.csv(header, rows)
                case .json:
                    print(EvidenceAudit.json(entries).canonicalText)
                }
            }
        }

        struct Get: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "get",
                abstract: "Write a kept evidence file out, checked against its hash.",
                discussion: """
                  svledger evidence get --contract LCC-2025-014 --sha256 9f2c… \\
                      --out starters-q1.pdf
                """)
            @OptionGroup var ledger: LedgerOptions
            @Option var contract: String
            @Option(help: "The file's SHA-256, as `svledger evidence list` shows it.") var sha256: String
            @Option(help: "Where to write it (a new file; never inside the ledger's folder).") var out: String

            func run() throws {
                let (file, bytes) = try ledger.openLedger(.readOnly).evidenceBytes(contract: contract, sha256: sha256.lowercased())
                let target = try AtomicFile(out)
                try target.write(bytes)
                try target.commit()
                Terminal.print("wrote \(file.name) (\(file.mediaType), \(file.size) bytes, sha256 \(file.sha256)) to \(out)")
            }
        }

        struct Erase: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "erase",
                abstract: "Erase an evidence file's bytes (an administrator, with a reason).",
                discussion: """
                    For a file that holds personal data no longer to be kept (an apprentice's
                    payslip, say). The bytes are removed for good; the return that cites the file
                    keeps its hash, name and size, and an EvidenceErased event records who erased
                    it and why. `svledger verify` then reports the file "erased by event N" instead
                    of failing.

                      svledger evidence erase --contract LCC-2025-014 --sha256 9f2c… \\
                        --reason "Retention period ended" --actor d.okoro --role Administrator
                    """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "The file's SHA-256, as `svledger evidence list` shows it.") var sha256: String

            func run() throws {
                var fields = who.fields("evidence.erase")
                fields.merge(["contract": .string(contract), "sha256": .string(sha256.lowercased())]) { $1 }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["sha256": "--sha256"]))
            }
        }
    }
}
