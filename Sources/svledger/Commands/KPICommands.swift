import ArgumentParser
import LedgerValues

extension Root {
    struct KPIGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kpi",
            abstract: "Procurement Act 2023 KPIs: agree them before award, exempt a contract the Act exempts, assess them.",
            discussion: """
            A contract whose estimated value is above its policy's KPI threshold
            (kpiThresholdGBP; the Act's is £5m) is awarded only with at least three KPIs,
            or once recorded as a framework, concession or light-touch contract. Each KPI
            is assessed at least every twelve months and at termination: an assessment
            overdue is an exception in the Cabinet report (docs/kpis.md).
            """,
            subcommands: [Agree.self, Exempt.self, Assess.self])

        struct Agree: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "agree",
                abstract: "Agree KPIs for a contract: an id, a name, a description and a target each.",
                discussion: """
                  svledger kpi agree --contract LCC-2025-090 \\
                    --kpi "KPI1|Local jobs|Local people employed|At least 20 FTE|NT1" \\
                    --kpi "KPI2|On-time delivery|Works handed over on time|95% of milestones" \\
                    ...

                Each --kpi is ID|NAME|DESCRIPTION|TARGET, then optionally |MEASURES: the TOMs
                measures it is worked out from, separated by commas.
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: ArgumentHelp("ID|NAME|DESCRIPTION|TARGET[|MEASURES] (repeat).", valueName: "kpi")) var kpi: [String] = []

            func run() throws {
                guard !kpi.isEmpty else { throw ValidationError("give at least one --kpi") }
                let kpis: [JSONValue] = try kpi.map { text in
                    let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 4 || parts.count == 5 else {
                        throw CLIError(.input, "invalid-kpi", "--kpi \(DisplayText.quoted(text)) must be ID|NAME|DESCRIPTION|TARGET, optionally |MEASURES")
                    }
                    let measures = parts.count == 5 ? parts[4].split(separator: ",").map { JSONValue.string($0.trimmingCharacters(in: .whitespaces)) } : []
                    return ["id": .string(parts[0]), "name": .string(parts[1]), "description": .string(parts[2]), "target": .string(parts[3]), "measures": .array(measures)]
                }
                var fields = who.fields("kpi.agree")
                fields.merge(["contract": .string(contract), "kpis": .array(kpis)]) { $1 }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["kpis": "--kpi"]))
            }
        }

        struct Exempt: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "exempt",
                abstract: "Record that a contract above the KPI threshold is of a kind the Act exempts (with a reason).")
            enum Basis: String, ExpressibleByArgument, CaseIterable { case framework, concession, lightTouch = "light-touch" }
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "framework, concession or light-touch.") var basis: Basis

            func run() throws {
                var fields = who.fields("kpi.exempt")
                fields.merge(["contract": .string(contract), "basis": .string(basis.rawValue)]) { $1 }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["basis": "--basis"]))
            }
        }

        struct Assess: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "assess",
                abstract: "Assess a KPI for a period: Good, Approaching target, Requires improvement, Inadequate or Other, with a reason.",
                discussion: """
                  svledger kpi assess --contract LCC-2025-090 --kpi KPI1 --from 2025-04-01 \\
                      --to 2026-03-31 --rating approaching-target \\
                      --reason "18 FTE against 20" --actor j.owusu --role "Contract Manager"

                At least every twelve months and at termination (an assessment whose period
                ends on or after the closure). The role that assessed it is recorded with it.
                """)
            enum Rating: String, ExpressibleByArgument, CaseIterable {
                case good, approachingTarget = "approaching-target", requiresImprovement = "requires-improvement", inadequate, other
            }
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "The KPI's id.") var kpi: String
            @Option(help: ArgumentHelp("The first day of the period assessed.", valueName: "YYYY-MM-DD")) var from: String
            @Option(help: ArgumentHelp("Its last day.", valueName: "YYYY-MM-DD")) var to: String
            @Option(help: "good, approaching-target, requires-improvement, inadequate or other.") var rating: Rating

            func run() throws {
                var fields = who.fields("kpi.assess")
                fields.merge([
                    "contract": .string(contract), "kpi": .string(kpi), "periodStart": .string(from), "periodEnd": .string(to), "rating": .string(rating.rawValue),
                ]) { $1 }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["kpi": "--kpi", "periodStart": "--from", "periodEnd": "--to", "rating": "--rating"]))
            }
        }
    }
}
