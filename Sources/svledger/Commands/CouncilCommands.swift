import ArgumentParser
import LedgerValues
import Ledger
import SocialValue

extension Root {
    struct Council: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "council",
            abstract: "Describe the councils whose contracts the ledger holds, and list them.",
            discussion: """
                A council is described by a CouncilDescribed event (stream council/<id>): its
                name, who reports to the Cabinet and whom to ask, its directorates, and its own
                social value themes with the catalog themes that count under each. A contract
                belongs to the council its policy names (the policy's "council" is the
                council's name). The Cabinet report is made for one council: `svledger report
                cabinet --council ID`.
                """,
            subcommands: [Describe.self, List.self, Show.self])

        struct Describe: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "describe",
                abstract: "Describe a council (again, to change its description).",
                discussion: """
                  svledger council describe --id lancashire \\
                    --name "Lancashire County Council" --author "Director of Finance" \\
                    --contact "Rachel Shah" --contact-role "Head of Procurement" \\
                    --phone "01772 000000" --email procurement@lancashire.example \\
                    --directorate "Growth, Environment and Transport" \\
                    --theme "Employment and skills=Jobs: Promote Local Skills and Employment" \\
                    --actor r.shah --role "Head of Procurement"

                --theme "COUNCIL THEME=CATALOG THEME" puts a catalog's theme under one of the
                council's themes; repeat it for each, and give "--theme NAME" alone for a
                council theme no catalog names differently. Council themes keep the order
                given.
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option(help: ArgumentHelp("The council's id: the stream is council/<id>.", valueName: "id")) var id: String
            @Option(help: "The council's name, as its policies give it.") var name: String
            @Option(help: "Who the Cabinet report is of, e.g. \"Director of Finance\".") var author: String
            @Option(help: ArgumentHelp("Whom to ask about the report.", valueName: "name")) var contact: String
            @Option(help: "The contact's role.") var contactRole: String?
            @Option(help: "The contact's telephone number.") var phone: String?
            @Option(help: "The contact's email address.") var email: String
            @Option(help: ArgumentHelp("A directorate (a contract's buying department); repeat for each.", valueName: "name")) var directorate: [String] = []
            @Option(help: ArgumentHelp("A council theme, or COUNCIL THEME=CATALOG THEME; repeat for each.", valueName: "theme")) var theme: [String] = []
            @Option(help: ArgumentHelp("An electoral division, named as contracts name their areas; repeat for each. A report whose contracts serve every one says \"(All Divisions)\".", valueName: "name")) var division: [String] = []
            @Option(help: ArgumentHelp("The area name contracts give for the whole council area, e.g. County-wide.", valueName: "name")) var wholeArea: String?
            @Option(help: ArgumentHelp(
                "The council's ocid prefix, registered with the Open Contracting Partnership (ocds- and six lower-case letters or digits): `export ocds` names its contracts' processes <prefix>-<reference>. Give it again each time the council is described.",
                valueName: "prefix")) var ocidPrefix: String?

            func run() throws {
                var fields = who.fields(CouncilDescription.name)
                fields["councilId"] = .string(id)
                fields["name"] = .string(name)
                fields["author"] = .string(author)
                var contactFields: [String: JSONValue] = ["name": .string(contact), "email": .string(email)]
                if let contactRole { contactFields["role"] = .string(contactRole) }
                if let phone { contactFields["phone"] = .string(phone) }
                fields["contact"] = .object(JSONObject(contactFields))
                fields["directorates"] = .array(directorate.map { .string($0) })
                fields["themes"] = .array(try Self.themes(theme))
                fields["divisions"] = .array(division.map { .string($0) })
                if let wholeArea { fields["wholeArea"] = .string(wholeArea) }
                if let ocidPrefix { fields["ocidPrefix"] = .string(ocidPrefix) }
                try DomainCommand.run(fields, ledger: ledger)
            }

            /// `--theme` flags as the command's `themes`: council themes in the order first named.
            static func themes(_ flags: [String]) throws -> [JSONValue] {
                var order: [String] = [], catalogThemes: [String: [String]] = [:]
                for flag in flags {
                    let parts = flag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                        .map { $0.trimmingCharacters(in: .whitespaces) }
                    guard !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else {
                        throw ValidationError("--theme \(DisplayText.quoted(flag)) must look like \"Employment and skills\" or \"Employment and skills=Jobs: Promote Local Skills and Employment\"")
                    }
                    if catalogThemes[parts[0]] == nil { order.append(parts[0]); catalogThemes[parts[0]] = [] }
                    if parts.count == 2 { catalogThemes[parts[0]]!.append(parts[1]) }
                }
                return order.map { .object(JSONObject(["name": .string($0), "catalogThemes": .array(catalogThemes[$0]!.map { .string($0) })])) }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the councils: described ones, and those only a policy names.")
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var asOf: AsOfOptions

            func run() throws {
                let opened = try ledger.openLedger(.readOnly)
                let reference = try opened.referenceData(through: try asOf.position(in: opened))
                let described = reference.describedCouncils
                Terminal.print("DESCRIBED (id: name; report of; contact)")
                if described.isEmpty { Terminal.print("  none yet: svledger council describe --id ID --name NAME …") }
                for council in described {
                    Terminal.print("  \(council.id): \(council.name); \(council.author); \(council.contact.name) <\(council.contact.email)>")
                    if !council.directorates.isEmpty { Terminal.print("    directorates: \(council.directorates.joined(separator: "; "))") }
                    for theme in council.themes {
                        Terminal.print("    theme \(theme.name)\(theme.catalogThemes.isEmpty ? "" : " ← \(theme.catalogThemes.joined(separator: "; "))")")
                    }
                }
                let named = Set(reference.policies.values.compactMap { $0.last?.council })
                    .filter { name in !described.contains { $0.isNamed(name) } }.sorted()
                if !named.isEmpty {
                    Terminal.print("NAMED BY A POLICY, NOT DESCRIBED")
                    for name in named { Terminal.print("  \(name)") }
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a council's description as recorded (text, or json: the document).")
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The council's id.") var id: String
            @Option(help: "text or json (the document, Schemas/council.schema.json).") var format: OutputFormat = .text
            @OptionGroup var asOf: AsOfOptions

            func run() throws {
                let opened = try ledger.openLedger(.readOnly)
                let reference = try opened.referenceData(through: try asOf.position(in: opened))
                guard let council = reference.council(id) else {
                    throw CLIError(.notFound, "unknown-council", "no council \(DisplayText.quoted(id)) is described in this ledger; `svledger council list` lists them")
                }
                if format == .json { print(council.document.canonicalText); return }
                Terminal.print("\(council.name) (\(council.id))")
                Terminal.print("report of     \(council.author)")
                Terminal.print("contact       \(council.contact.name)\(council.contact.role.map { ", \($0)" } ?? "")\(council.contact.phone.map { ", tel. \($0)" } ?? ""), \(council.contact.email)")
                Terminal.print("directorates  \(council.directorates.isEmpty ? "none listed" : council.directorates.joined(separator: "; "))")
                if council.themes.isEmpty { Terminal.print("themes        none: reports show the catalogs' themes as they are") }
                for theme in council.themes {
                    Terminal.print("theme         \(theme.name)\(theme.catalogThemes.isEmpty ? "" : " ← \(theme.catalogThemes.joined(separator: "; "))")")
                }
            }
        }
    }
}
