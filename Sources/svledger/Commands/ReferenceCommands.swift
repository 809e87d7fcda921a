import ArgumentParser
import EventStore
import LedgerValues
import Queries
import Foundation
import Ledger
import Reports
import SocialValue

/// Reads a document to adopt: a file, or one svledger ships.
enum ReferenceDocument {
    static func load(file: String?, builtin: String?, kind: BuiltinReference.Kind) throws -> JSONValue {
        switch (file, builtin) {
        case (let file?, nil):
            return try InputFile.document(file)
        case (nil, let name?):
            guard let document = BuiltinReference.document(kind, name) else {
                throw CLIError(.notFound, "builtin-not-found", "no shipped \(kind == .policies ? "policy" : "catalog") is called \(DisplayText.quoted(name)); shipped: \(BuiltinReference.names(kind).joined(separator: ", "))")
            }
            return document
        default:
            throw ValidationError("give a FILE or --builtin NAME, not both or neither")
        }
    }
}

extension Root {
    struct Policy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "List, show and adopt social value policies.",
            discussion: """
                Policies are data: adopting a version records a PolicyAdopted event, so that a
                replay applies the rules that were in force at the time. svledger ships the
                three seed policies: lancashire-2024-28, lancashire-draft and
                leicestershire-2022.
                """,
            subcommands: [List.self, Show.self, Adopt.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List adopted policy versions and the shipped ones.")
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var asOf: AsOfOptions
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let opened = try ledger.openLedger(.readOnly)
                let reference = try opened.referenceData(through: try asOf.position(in: opened))
                let adopted = reference.policies.values.flatMap { $0 }.sorted { ($0.id, $0.effectiveDate) < ($1.id, $1.effectiveDate) }
                switch format {
                case .json:
                    let head = try LedgerHead.at(try asOf.position(in: opened), in: opened.store)
                    print(PolicyListDocument.json(adopted: adopted, shipped: BuiltinReference.names(.policies), head: head).canonicalText)
                case .text:
                    Terminal.print("ADOPTED (id@version, in force from)")
                    if adopted.isEmpty { Terminal.print("  none yet: svledger policy adopt --builtin NAME") }
                    for policy in adopted { Terminal.print("  \(policy.reference.padding(toLength: 28, withPad: " ", startingAt: 0)) \(policy.effectiveDate)  \(policy.title) (\(policy.council))") }
                    Terminal.print("SHIPPED (adopt with --builtin NAME)")
                    for name in BuiltinReference.names(.policies) { Terminal.print("  \(name)") }
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a policy: adopted (latest version, or --version) or shipped.")
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The policy id.") var id: String
            @Option(help: "A specific adopted version.") var version: String?
            @Option(help: "text or json (the document).") var format: OutputFormat = .text
            @OptionGroup var asOf: AsOfOptions

            func run() throws {
                let opened = try ledger.openLedger(.readOnly)
                let reference = try opened.referenceData(through: try asOf.position(in: opened))
                let adopted = version.map { reference.policy(id, version: $0) } ?? reference.policies[id]?.last
                let document = adopted?.document ?? BuiltinReference.document(.policies, id)
                guard let document, let policy = try? SocialValue.Policy(document: document) else {
                    throw CLIError(.notFound, "policy-not-found", "no policy \(DisplayText.quoted(id))\(version.map { " version \(DisplayText.quoted($0))" } ?? "") is adopted or shipped")
                }
                if format == .json { print(document.canonicalText); return }
                Terminal.print("\(policy.title), \(policy.council): \(policy.reference) \(adopted == nil ? "(shipped, not adopted)" : "(adopted)")")
                Terminal.print("in force from   \(policy.effectiveDate)")
                let threshold = policy.threshold
                let amount = threshold.kind == .fixed ? threshold.amount!.formatted : "the statutory procurement threshold"
                Terminal.print("threshold      \(threshold.inclusive ? "at or above" : "above") \(amount), on \(threshold.measuredOn); covers \(threshold.categories.map(\.rawValue).joined(separator: ", "))")
                for statutory in policy.statutoryThresholds { Terminal.print("statutory      \(statutory.amount.formatted) from \(statutory.from)") }
                let weighting = policy.weighting
                Terminal.print("weighting      \(weighting.kind == .matrix ? "matrix" : "fixed minimum"), at least \(weighting.minimumPercent)%\(weighting.overrideBody.map { "; overrides by \($0)" } ?? "")")
                for row in weighting.rows { Terminal.print("                \(row.percent)% when impact is \(row.impact.joined(separator: "/")), ≥ \(row.minimumObjectives) objectives, \(row.areaNeeds.joined(separator: "/")) needs") }
                Terminal.print("exemptions     decided by \(policy.exemptionAuthorities.joined(separator: " or "))")
                Terminal.print("reporting      \(policy.reportingCadence)")
            }
        }

        struct Adopt: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "adopt",
                abstract: "Adopt a policy version from a file (Schemas/policy.schema.json) or a shipped one.",
                discussion: """
                  svledger policy adopt --builtin lancashire-2024-28 --actor r.shah \\
                      --role "Head of Procurement"
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Argument(help: "A policy JSON file.") var file: String?
            @Option(help: "A shipped policy's name.") var builtin: String?

            func run() throws {
                var fields = who.fields("policy.adopt")
                fields["policy"] = try ReferenceDocument.load(file: file, builtin: builtin, kind: .policies)
                try DomainCommand.run(fields, ledger: ledger)
            }
        }
    }

    struct Catalog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "List, show and publish TOMs catalogs (measures and proxy values).",
            discussion: """
                A catalog version lists measures with their unit and £ proxy value per unit.
                svledger ships the Lancashire TOMs of seed 000 (lancashire-toms-2024) and the
                measures and values published in seed 003 (portal-003); a council publishes its
                own licensed file.
                """,
            subcommands: [List.self, Show.self, Publish.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List published catalog versions and the shipped ones.")
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var asOf: AsOfOptions
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let opened = try ledger.openLedger(.readOnly)
                let reference = try opened.referenceData(through: try asOf.position(in: opened))
                let published = reference.catalogs.values.flatMap { $0 }.sorted { ($0.id, $0.effectiveDate) < ($1.id, $1.effectiveDate) }
                switch format {
                case .json:
                    let head = try LedgerHead.at(try asOf.position(in: opened), in: opened.store)
                    print(CatalogListDocument.json(published: published, shipped: BuiltinReference.names(.catalogs), head: head).canonicalText)
                case .text:
                    Terminal.print("PUBLISHED (id@version)")
                    if published.isEmpty { Terminal.print("  none yet: svledger catalog publish --builtin NAME") }
                    for catalog in published { Terminal.print("  \(catalog.reference.padding(toLength: 24, withPad: " ", startingAt: 0)) \(catalog.measures.count) measures  \(catalog.title)") }
                    Terminal.print("SHIPPED (publish with --builtin NAME)")
                    for name in BuiltinReference.names(.catalogs) { Terminal.print("  \(name)") }
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a catalog's measures: published (id or id@version) or shipped (file name).")
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "id, id@version, or a shipped name.") var reference: String
            @Option(help: "text, json or csv.") var format: TableFormat = .text
            @OptionGroup var asOf: AsOfOptions

            func run() throws {
                let opened = try ledger.openLedger(.readOnly)
                let data = try opened.referenceData(through: try asOf.position(in: opened))
                let document = data.catalog(reference: reference)?.document ?? BuiltinReference.document(.catalogs, reference)
                guard let document, let catalog = try? SocialValue.Catalog(document: document) else {
                    throw CLIError(.notFound, "catalog-not-found", "no catalog \(DisplayText.quoted(reference)) is published or shipped")
                }
                if format == .json { print(document.canonicalText); return }
                let rows = catalog.order.map { code -> [String] in
                    let measure = catalog.measures[code]!
                    return [code, measure.theme, measure.unit, measure.proxy?.description ?? "", measure.isRecordOnly ? "record-only" : "", measure.description]
                }
                if format == .csv {
                    TableOutput.csv(["code", "theme", "unit", "proxy_gbp", "record_only", "description"], rows)
                } else {
                    TableOutput.text(["CODE", "THEME", "UNIT", "PROXY £", "", "DESCRIPTION"], rows, title: "\(catalog.title) (\(catalog.reference))")
                }
            }
        }

        struct Publish: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "publish",
                abstract: "Publish a catalog version from a file (Schemas/catalog.schema.json) or a shipped one.",
                discussion: """
                  svledger catalog publish --builtin portal-003 --actor r.shah \\
                      --role "Head of Procurement"
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Argument(help: "A catalog JSON file.") var file: String?
            @Option(help: "A shipped catalog's name.") var builtin: String?

            func run() throws {
                var fields = who.fields("catalog.publish")
                fields["catalog"] = try ReferenceDocument.load(file: file, builtin: builtin, kind: .catalogs)
                try DomainCommand.run(fields, ledger: ledger)
            }
        }
    }
}
