import ArgumentParser
import EventStore
import LedgerValues
import OpenContracting
import Projections
import Queries
import Reports
import SocialValue

extension OCDSFormat: ExpressibleByArgument {}

extension Root.Export {
    struct OCDS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ocds",
            abstract: "The contracts as Open Contracting (OCDS 1.1) releases or records, with the UK profile's extensions.",
            discussion: """
                One release per contract event: its id is the event id, its date when the event
                was recorded (the day it took effect is a milestone met, the award's date or an
                amendment's), its tag the stage (planning, tender, award, contract,
                implementation). A pledge becomes the targets of the contract's implementation
                metrics (not its agreed metrics, which the UK profile reads as KPIs), and
                quarterly returns their observations. docs/open-contracting.md has the whole
                mapping.

                The package's uri names the head the export was read at and the Merkle tree's
                root there: urn:svledger:ledger:<position>:<hash>:tree:<root>. So the same
                ledger state always exports the same bytes, `svledger verify --expect-head
                <position>:<hash>` ties an export to the chain, and the council's signed
                checkpoint of tree size <position> vouches for exactly this export. A TOMs
                measure's delivery is never rated: it is not a Procurement Act KPI. The
                contract's KPIs are its agreed metrics, and each assessment an observation
                rated by measureClassification (docs/kpis.md, docs/open-contracting.md).

                  svledger export ocds --out ocds.json              # a release package
                  svledger export ocds --format records --out r.json
                  svledger export ocds --format ndjson | head -3    # a release a line
                  svledger export ocds --contract LCC-2025-014 --as-of 2025-12-31
                  # one ocid prefix for every council (else each council's own):
                  svledger export ocds --ocid-prefix ocds-abc123 --out ocds.json

                The export is written as the log is read, so it needs little memory at any
                size.
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var asOf: AsOfOptions
        @Option(help: "Only this contract's releases (its reference).") var contract: String?
        @Option(help: ArgumentHelp(
            "Only the contracts bought for this council (its id from `svledger council describe`, or its name), which publishes the package. A ledger that describes several councils otherwise publishes as `svledger ledger`, each release naming its council as buyer.",
            valueName: "council")) var council: String?
        @Option(help: "package (a release package), records (a record package) or ndjson (a release per line).")
        var format: OCDSFormat = .package
        @Option(help: "Write to this file instead of stdout.") var out: String?
        @Option(help: ArgumentHelp(
            "What every ocid starts with: <prefix>-<contract reference> (default: the prefix each contract's council registered, `council describe --ocid-prefix`, else ocds-svledger).",
            valueName: "prefix"))
        var ocidPrefix: String?

        /// The package's publisher: the council chosen, else the ledger's one council (described,
        /// or named by its policies), whose contracts are all there are; `nil` (the ledger
        /// itself) when it holds none or several.
        func publisher(_ reference: ReferenceData) throws -> String? {
            if let council { return try Self.council(council, in: reference) }
            let councils = CabinetCouncil.all(reference)
            return councils.count == 1 ? councils[0].name : nil
        }

        /// The name of the council `text` names (its id or name, ignoring case), as the
        /// ledger describes it or a policy names it.
        static func council(_ text: String, in reference: ReferenceData) throws -> String {
            let councils = CabinetCouncil.all(reference)
            let key = Council.key(text)
            guard let found = councils.first(where: { $0.id.map(Council.key) == key || Council.key($0.name) == key }) else {
                throw CLIError(
                    .notFound, "unknown-council",
                    "no council \(DisplayText.quoted(text)) in this ledger; "
                        + (councils.isEmpty ? "it names none yet (svledger council describe)" : "its councils: \(councils.map(\.name).joined(separator: "; "))"))
            }
            return found.name
        }

        func validate() throws {
            // An ocid is matched by its prefix; one with spaces or slashes could not be.
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
            if let ocidPrefix, ocidPrefix.isEmpty || !ocidPrefix.allSatisfy(allowed.contains) {
                throw ValidationError("--ocid-prefix takes letters, digits, '-', '_' and '.', like ocds-abc123; got \(DisplayText.quoted(ocidPrefix))")
            }
        }

        func run() throws {
            let opened = try ledger.openLedger(.readOnly)
            let position = try asOf.position(in: opened)
            let file = try out.map(AtomicFile.init)
            let sink: any OutputSink = file ?? StandardOutput.shared
            let chosen = try opened.store.read { reader in try council.map { try Self.council($0, in: try ReferenceReplay.referenceData(reader, through: position)) } }
            let export = OCDSExport(format: format, ocidPrefix: ocidPrefix, contract: contract, through: position, council: chosen)
            let count: Int, tree: TreeStatement?, read: UInt64, unregistered: Bool
            do {
                (count, tree, read, unregistered) = try opened.store.read { reader in
                    let head = try LedgerHead.at(position, in: reader)
                    let reference = try ReferenceReplay.referenceData(reader, through: head.position)
                    let publication = OCDSPublication(
                        head: head, treeRoot: try reader.treeRoot(size: head.position), headRecordedAt: try reader.event(at: head.position)?.recordedAt,
                        councilName: try publisher(reference))
                    let written = try export.write(from: reader, reference: reference, publication: publication) { try sink.write($0) }
                    return (written.count, try TreeStatement.read(reader, position: head.position), head.position, written.usedDefaultPrefix)
                }
            } catch OCDSExportError.unknownContract(let contract) {
                let known = try opened.store.read { try $0.streamIds(withPrefix: ContractEvent.streamPrefix) }.compactMap(ContractEvent.reference(ofStream:))
                throw CLIError(.notFound, "contract-not-found", "no events for contract \(DisplayText.excerpt(contract))\(position.map { " up to position \($0)" } ?? "")\(Suggestion.phrase(for: contract, among: known))")
            } catch OCDSExportError.nothingToExport {
                if let chosen {
                    throw CLIError(.notFound, "contract-not-found", "no contract of \(chosen) to export\(position.map { " up to position \($0)" } ?? "")\(contract.map { ": \($0) is another council's" } ?? ""): an OCDS package holds at least one release")
                }
                throw CLIError(.notFound, "contract-not-found", "no contract events to export\(position.map { " up to position \($0)" } ?? ""): an OCDS package holds at least one release; register a contract first (svledger contract register)")
            }
            if let file, let out {
                try file.commit()
                Terminal.print("exported \(count) \(format == .records ? "records" : "releases") to \(out)")
                // The package's uri names the tree root; say which signed checkpoint vouches for it.
                if format != .ndjson, let tree { Terminal.print(tree.sentence(position: read, subject: "this export")) }
                if unregistered {
                    Terminal.print(
                        "ocids of councils with no registered prefix start with \(OCDSReleaseMaker.defaultOcidPrefix), which is not registered: register one with the Open Contracting Partnership and record it with `svledger council describe … --ocid-prefix ocds-xxxxxx`")
                }
            }
        }
    }
}
