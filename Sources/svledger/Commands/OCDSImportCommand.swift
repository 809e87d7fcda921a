import ArgumentParser
import EventStore
import Foundation
import Ledger
import LedgerValues
import OpenContracting
import SocialValue

extension Root.Import {
    struct OCDS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ocds",
            abstract: "Register contracts from an OCDS release package (Find a Tender, Contracts Finder, svledger export ocds).",
            discussion: """
                Each notice (one ocid) becomes the ordinary commands, judged by the same rules
                as if typed: registration (tender title, buyer, mainProcurementCategory, value,
                contractPeriod, delivery addresses), threshold assessment, the social value
                weighting (the social value award criterion of lot 1), the award (supplier,
                date, value), the pledge and its review refreshes (target observations of
                contracts[0].implementation.metrics, or contracts[0].agreedMetrics), quarterly
                returns and their corrections (the other observations) and closure (status
                terminated). Amounts must be GBP and are read exactly as written.

                A field svledger cannot map is reported (not-mapped), never guessed; a value
                that cannot be read, another currency, a missing field or a refusal by a rule
                stops the import, which is all or nothing. Importing the same file again
                records nothing new; a later package of the same notice records only what is
                new.

                  svledger import ocds notices.json --dry-run
                  svledger import ocds notices.json --policy lancashire-2024-28 \\
                      --catalog portal-003 --confirm-attribution --actor a.patel \\
                      --role "Procurement Officer"
                  svledger import ocds notices.json --dry-run --format json
                  svledger import ocds notice.json --contract-id LCC-ADS-2016-031 --dry-run
                  svledger import ocds framework.json --supplier "Acme Ltd" \\
                      --contract-id FW-7-ACME --dry-run

                A notice id that cannot be a contract id (a space, another character
                than letters, digits and -_./, over 64 characters) is made into one,
                and a finding says so; --contract-id chooses the id of a package of
                one notice. The contract keeps the notice's ocid and id: `svledger
                show` finds it by either, and `export ocds` writes it under that ocid.

                A framework award names several suppliers; a svledger contract has one, so
                svledger records one contract per supplier: each import records the first
                supplier's, or the one --supplier names, and a finding lists the others. Import
                the notice once for each supplier, each with its own --contract-id.

                Without --policy or --catalog, the one policy adopted (catalog published) in
                the ledger is used and reported; with more than one, say which.
                """)
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The OCDS release package (JSON).") var file: String
        @Flag(help: "List the commands the import would record, and the findings; write nothing (exit 1 when the import would be refused).") var dryRun = false
        @Option(help: "The policy new contracts are registered under (default: the one adopted).") var policy: String?
        @Option(help: "The catalog pledges are priced with, id or id@version (default: the one published).") var catalog: String?
        @Option(name: .customLong("area"), help: "An area served, for notices that name none (repeatable).") var areas: [String] = []
        @Flag(help: "Confirm that the published delivery figures belong to their contracts and quarters.") var confirmAttribution = false
        @Option(help: "Who is acting (not needed with --dry-run).") var actor: String?
        @Option(help: "The actor's role.") var role: String?
        @Option(help: "Why (default: each command names the release and notice it came from).") var reason: String?
        @Option(
            name: .customLong("contract-id"),
            help: "The contract id, for a package of one notice (default: its contract's or tender's id, made into a valid one if it is not).")
        var contractId: String?
        @Option(help: ArgumentHelp(
            "Which of an award's suppliers the contract is for: a framework award names several, and svledger records one contract per supplier (import once for each, with --contract-id). Default: the first.",
            valueName: "name"))
        var supplier: String?
        @Option(help: "text or json (the plan and findings).") var format: OutputFormat = .text

        /// A release package is read whole, so its size is capped before reading: larger than any
        /// one council's published notices, far smaller than memory. (Policies and catalogs
        /// have their own, smaller limit, InputFile.maxDocumentBytes.)
        static let maxPackageBytes = 32 << 20

        func validate() throws {
            if !dryRun, actor == nil || role == nil { throw ValidationError("give --actor and --role (or --dry-run to only see the plan)") }
        }

        func run() throws {
            let package = try readPackage()
            if supplier != nil, package.notices.count != 1 {
                throw ValidationError("--supplier chooses the supplier of a package of one notice; \(file) holds \(package.notices.count) notices (ocids)")
            }
            if contractId != nil, package.notices.count != 1 {
                throw ValidationError("--contract-id names the contract of a package of one notice; \(file) holds \(package.notices.count) notices (ocids)")
            }
            let opened = try ledger.openLedger(dryRun ? .readOnly : .readWrite)
            let options = OCDSImportOptions(
                policyId: policy, catalog: catalog, areas: areas, actor: ActorIdentity(id: actor ?? "dry-run", role: role ?? "dry run"),
                reason: reason, attributionConfirmed: confirmAttribution, today: Timestamp.now().date, contractId: contractId,
                supplier: supplier)
            // Every contract's identifiers, read once for all the package's notices.
            let known = try opened.contractIdentifiers()
            let plan = try OCDSImportPlan(
                package: package, reference: try opened.referenceData(), options: options,
                knownAs: { ocid in
                    let entries = known[ocid] ?? []
                    if let own = entries.first(where: { $0.scheme == ContractIdentifier.ocid }) { return own.reference }
                    // A framework's notice: each supplier's contract is a call-off of its own.
                    let callOffs = entries.filter { $0.scheme == ContractIdentifier.framework }.map(\.reference)
                    if callOffs.count > 1 {
                        throw CLIError(
                            .usage, "ambiguous-identifier",
                            "\(ocid) is the framework of \(callOffs.count) contracts (\(callOffs.joined(separator: ", "))), one per supplier; give --supplier and --contract-id for the one this package continues")
                    }
                    return callOffs.first
                }
            ) { reference in
                let order = try opened.store.read { reader in
                    var order: [EventID] = []
                    try reader.forEachEvent(inStream: ContractEvent.stream(contract: reference)) { event in
                        order.append(event.eventId)
                        return true
                    }
                    return order
                }
                return OCDSRecordedContract(state: try opened.contractState(reference).state, order: order)
            }
            OCDSImportReport.print(plan, file: file, dryRun: dryRun, head: try opened.store.head(), format: format)
            let blocking = plan.blocking
            guard blocking.isEmpty else {
                // A dry run of an import that would be refused fails as the import would, so that
                // a script checking a notice first stops there (exit 1), after printing the plan.
                let kinds = Set(blocking.map(\.kind.rawValue)).sorted().joined(separator: ", ")
                let findings = "\(blocking.count) finding(s): \(kinds) (first: \(blocking[0].path): \(blocking[0].message))"
                if dryRun { throw CLIError(.refused, "import-refused", "dry run: nothing written; the import would be refused for \(findings)") }
                throw CLIError(.refused, "import-refused", "import refused, nothing written: \(findings)")
            }
            if dryRun {
                if format == .text { Terminal.print("dry run: nothing written; the import would record what is listed") }
                return
            }
            guard !plan.steps.isEmpty else {
                if format == .text { Terminal.print("already recorded: nothing new to write") }
                return
            }
            let outcome = try opened.execute(plan.commands, today: options.today)
            if format == .text {
                Terminal.print("recorded \(outcome.recorded.count) event(s) for \(Set(plan.steps.map(\.reference)).count) contract(s)")
                Terminal.print(outcome.head)
            }
        }

        /// The file's bytes, refused before reading when larger than the limit.
        func readPackage() throws -> OCDSReleasePackage {
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > Self.maxPackageBytes {
                throw InputFile.tooLong(file, "the release package", bytes: size, limit: Self.maxPackageBytes)
            }
            let bytes = try InputFile.bytes(file)
            do { return try OCDSReleasePackage(bytes: bytes) } catch { throw error.inContext(file) }
        }
    }
}

/// The plan and findings of an OCDS import, for people and for machines.
enum OCDSImportReport {
    static func print(_ plan: OCDSImportPlan, file: String, dryRun: Bool, head: LedgerHead, format: OutputFormat) {
        switch format {
        case .json: Swift.print(json(plan, file: file, dryRun: dryRun, head: head).canonicalText)
        case .text:
            for notice in plan.notices {
                let state = notice.blocked ? "blocked" : notice.steps == 0 ? "already recorded" : "\(notice.steps) event(s) to record"
                Terminal.print("\(notice.ocid) → contract \(notice.reference): \(notice.releases) release(s), \(state)")
                for step in plan.steps where step.ocid == notice.ocid {
                    Terminal.print("  \(step.command.effectiveDate) \(step.eventType) (release \(step.releaseId)): \(step.summary)")
                }
            }
            if !plan.findings.isEmpty { Terminal.print("") }
            for finding in plan.findings {
                Terminal.print("\(finding.path): \(finding.kind.rawValue)\(finding.blocks ? " (blocks)" : ""): \(finding.message)")
            }
        }
    }

    /// Like every read's document, it states the head the plan was made at.
    static func json(_ plan: OCDSImportPlan, file: String, dryRun: Bool, head: LedgerHead) -> JSONValue {
        let notices = plan.notices.map { notice -> JSONValue in
            [
                "ocid": .string(notice.ocid), "contract": .string(notice.reference), "releases": .integer(Int64(notice.releases)),
                "blocked": .bool(notice.blocked),
                "commands": .array(plan.steps.filter { $0.ocid == notice.ocid }.map { step in
                    [
                        "release": .string(step.releaseId), "effectiveDate": .string(step.command.effectiveDate.description),
                        "eventType": .string(step.eventType), "summary": .string(step.summary),
                    ]
                }),
            ]
        }
        let findings = plan.findings.map { finding -> JSONValue in
            [
                "kind": .string(finding.kind.rawValue), "blocks": .bool(finding.blocks), "ocid": finding.ocid.map(JSONValue.string) ?? .null,
                "path": .string(finding.path), "message": .string(finding.message),
            ]
        }
        return ["head": head.json, "file": .string(file), "dryRun": .bool(dryRun), "notices": .array(notices), "findings": .array(findings)]
    }
}
