import ArgumentParser
import EventStore
import LedgerValues

extension Root {
    struct Contract: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contract",
            abstract: "Register, award and close contracts.",
            subcommands: [Register.self, Award.self, CorrectAward.self, ArrangeReporting.self, Close.self])
    }
}

extension Root.Contract {
    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register",
            abstract: "Register a contract or purchase at commissioning.",
            discussion: """
                  svledger contract register --contract LCC-2025-014 \\
                      --title "Highway resurfacing" --department Highways --category works \\
                      --value "£4,250,000" --start 2025-04-01 --end 2028-03-31 --area Preston \\
                      --policy lancashire-2024-28 --actor a.patel --role "Procurement Officer"

                The policy must have been adopted (`svledger policy adopt --builtin
                lancashire-2024-28`). For a contract already running, give --existing-supplier:
                its supplier may then pledge social value without a tender, as the Lancashire
                policy allows. Its returns are taken from the day it is registered
                (--effective-date); one that started before the ledger did and whose earlier
                quarters are to be recorded is registered with --migrated and a --reason, and
                then takes returns for any quarter of its term.
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option(help: "The contract reference, e.g. LCC-2025-014.") var contract: String
        @Option var title: String
        @Option(help: "The buying department.") var department: String
        @Option(help: "goods, services or works.") var category: String
        @Option(help: "Estimated whole-life value in £, e.g. \"£4,250,000\".") var value: String
        @Option(help: ArgumentHelp("First day of the term.", valueName: "YYYY-MM-DD")) var start: String
        @Option(help: ArgumentHelp("Last day of the term.", valueName: "YYYY-MM-DD")) var end: String
        @Option(help: "An area served (repeat for several).") var area: [String] = []
        @Option(help: "The adopted policy that governs it, e.g. lancashire-2024-28.") var policy: String
        @Option(help: "For a contract already running: its supplier.") var existingSupplier: String?
        @Flag(help: "A running contract that started before the ledger did: returns for any quarter of its term are accepted (needs --existing-supplier and --reason).")
        var migrated = false

        static let flags = FlagNames([
            "title": "--title", "buyerDepartment": "--department", "category": "--category", "estimatedWholeLifeValueGBP": "--value",
            "startDate": "--start", "endDate": "--end", "areasServed": "--area", "policyId": "--policy",
            "existingSupplier": "--existing-supplier", "migrated": "--migrated",
        ])

        func run() throws {
            var fields = who.fields("contract.register")
            fields.merge([
                "contract": .string(contract), "title": .string(title), "buyerDepartment": .string(department),
                "category": .string(category), "estimatedWholeLifeValueGBP": .string(value), "startDate": .string(start),
                "endDate": .string(end), "areasServed": .array(area.map { .string($0) }), "policyId": .string(policy),
            ]) { $1 }
            if let existingSupplier { fields["existingSupplier"] = .string(existingSupplier) }
            if migrated { fields["migrated"] = .bool(true) }
            try DomainCommand.run(fields, ledger: ledger, flags: Self.flags)
        }
    }

    struct Award: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "award", abstract: "Award the contract to the winning supplier.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option var contract: String
        @Option var supplier: String
        @Option(help: "The contract value awarded, in £.") var value: String
        @Option(help: ArgumentHelp("Award date (default: the effective date).", valueName: "YYYY-MM-DD")) var awardDate: String?
        @Option(help: ArgumentHelp(
            "A registered identifier of the supplier, SCHEME:ID with an org-id.guide scheme, e.g. GB-COH:01234567 (Companies House) or GB-PPON:PDQR-1234-ABCD; repeat for more, the first the main one.",
            valueName: "scheme:id")) var supplierId: [String] = []

        func run() throws {
            var fields = who.fields("contract.award")
            fields.merge(["contract": .string(contract), "supplier": .string(supplier), "valueGBP": .string(value)]) { $1 }
            if let awardDate { fields["awardDate"] = .string(awardDate) }
            if !supplierId.isEmpty { fields["supplierDetails"] = ["identifiers": .array(try supplierId.map(Self.identifier))] }
            try DomainCommand.run(
                fields, ledger: ledger,
                flags: FlagNames(["supplier": "--supplier", "valueGBP": "--value", "awardDate": "--award-date", "supplierDetails": "--supplier-id"]))
        }

        /// `GB-COH:01234567` as `{"scheme": "GB-COH", "id": "01234567"}`; the scheme and id are
        /// checked by the command (OrganisationDetails).
        static func identifier(_ text: String) throws -> JSONValue {
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--supplier-id \(DisplayText.quoted(text)) must be SCHEME:ID, e.g. GB-COH:01234567")
            }
            return ["scheme": .string(parts[0]), "id": .string(parts[1])]
        }
    }

    struct CorrectAward: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "correct-award",
            abstract: "Correct a recorded award's value or date.",
            discussion: """
                For an award recorded wrongly, or corrected by a later notice (an OCDS
                awardUpdate). Give the new --value, the new --award-date, or both; what is not
                given stays as recorded. The award's event stays in the log, and the correction
                records the value and date it replaces, so the audit trail shows both. The
                supplier cannot be corrected: another supplier is another award. Needs a
                --reason.

                  svledger contract correct-award --contract LCC-2025-041 --value 109320 \\
                    --reason "award notice corrected: £109,320, not £10,932,000" \\
                    --actor a.patel --role procurement-officer
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option var contract: String
        @Option(help: "The corrected contract value awarded, in £.") var value: String?
        @Option(help: ArgumentHelp("The corrected award date.", valueName: "YYYY-MM-DD")) var awardDate: String?

        func run() throws {
            guard value != nil || awardDate != nil else { throw ValidationError("give the corrected --value, --award-date, or both") }
            var fields = who.fields("award.correct")
            fields["contract"] = .string(contract)
            if let value { fields["valueGBP"] = .string(value) }
            if let awardDate { fields["awardDate"] = .string(awardDate) }
            try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["valueGBP": "--value", "awardDate": "--award-date"]))
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "Close the contract after its end-of-contract reconciliation.",
            discussion: """
                After closure only delivery corrections are accepted. The closure takes effect
                on --effective-date (default: today); before the end of the term it is an early
                termination, and needs a --reason.
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option var contract: String

        func run() throws {
            var fields = who.fields("contract.close")
            fields["contract"] = .string(contract)
            try DomainCommand.run(fields, ledger: ledger)
        }
    }
}

extension Root {
    struct Threshold: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "threshold", abstract: "Assess a contract against its policy's threshold.", subcommands: [Assess.self])

        struct Assess: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "assess",
                abstract: "Assess the estimated whole-life value against the threshold of the policy in force.",
                discussion: """
                    Records the policy id and version used, the threshold and the outcome, and
                    whether the statutory duty of the Public Services (Social Value) Act 2012
                    applies. A later version of the policy never changes this assessment.
                    """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String

            func run() throws {
                var fields = who.fields("threshold.assess")
                fields["contract"] = .string(contract)
                try DomainCommand.run(fields, ledger: ledger)
            }
        }
    }

    struct Exemption: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "exemption", abstract: "Request and decide exemptions from the policy.", subcommands: [Request.self, Decide.self])

        struct Request: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "request", abstract: "Ask for an exemption, on a business case.")
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "The business case reference.") var businessCase: String

            func run() throws {
                var fields = who.fields("exemption.request")
                fields.merge(["contract": .string(contract), "businessCaseReference": .string(businessCase)]) { $1 }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["businessCaseReference": "--business-case"]))
            }
        }

        struct Decide: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "decide",
                abstract: "Grant or refuse an exemption (only the role the policy names may).",
                discussion: """
                  svledger exemption decide --contract LCC-2025-020 --granted \\
                      --business-case BC-77 --actor r.shah --role "Head of Procurement" \\
                      --reason "Sole supplier; no local market"
                """)
            enum Decision: String, EnumerableFlag { case granted, refused }
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Flag(help: "The decision.") var decision: Decision
            @Option(help: "The business case reference the request was made on.") var businessCase: String

            func run() throws {
                var fields = who.fields("exemption.decide")
                fields.merge(["contract": .string(contract), "decision": .string(decision.rawValue), "businessCaseReference": .string(businessCase)]) { $1 }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["businessCaseReference": "--business-case", "decision": "--granted or --refused"]))
            }
        }
    }

    struct Weighting: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "weighting", abstract: "Decide the tender's social value weighting.", subcommands: [Decide.self])

        struct Decide: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "decide",
                abstract: "Set the social value weighting and its basis.",
                discussion: """
                  Basis policy-minimum (a fixed-minimum policy):
                    svledger weighting decide --contract LCC-2025-014 --percent 10 \\
                        --basis policy-minimum ...
                  Basis matrix (the Lancashire draft's 5%/10% matrix):
                    ... --percent 10 --basis matrix --impact significant --objectives 3 \\
                        --area-needs highest
                  Basis board-override (departing from the policy, with the reason recorded):
                    ... --percent 7.5 --basis board-override \\
                        --override-reason "Specialist market, agreed 2025-03-02"
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "The weighting in % of overall scoring, e.g. 10 or 9.5.") var percent: String
            @Option(help: "policy-minimum, matrix or board-override.") var basis: String
            @Option(help: "Matrix: additional impact (significant, some, none).") var impact: String?
            @Option(help: "Matrix: how many of the policy's objectives are met.") var objectives: Int?
            @Option(help: "Matrix: needs of the area impacted (highest, less-significant).") var areaNeeds: String?
            @Option(help: "Board override: why.") var overrideReason: String?

            func run() throws {
                var fields = who.fields("weighting.decide")
                fields.merge(["contract": .string(contract), "percent": .string(percent), "basis": .string(basis)]) { $1 }
                if impact != nil || objectives != nil || areaNeeds != nil {
                    guard let impact, let objectives, let areaNeeds else {
                        throw ValidationError("the matrix answers need all of --impact, --objectives and --area-needs")
                    }
                    fields["matrixAnswers"] = ["impact": .string(impact), "objectivesMet": .integer(Int64(objectives)), "areaNeeds": .string(areaNeeds)]
                }
                if let overrideReason { fields["overrideReason"] = .string(overrideReason) }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames([
                    "percent": "--percent", "basis": "--basis", "matrixAnswers": "--impact, --objectives and --area-needs",
                    "matrixAnswers.impact": "--impact", "matrixAnswers.objectivesMet": "--objectives", "matrixAnswers.areaNeeds": "--area-needs",
                    "impact": "--impact", "objectivesMet": "--objectives", "areaNeeds": "--area-needs", "overrideReason": "--override-reason",
                ]))
            }
        }
    }

    struct Bids: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bids", abstract: "Record the evaluation of bidders' social value offers.", subcommands: [Evaluate.self])

        struct Evaluate: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "evaluate",
                abstract: "Record each bidder's offer, qualitative scores and social value score.",
                discussion: """
                  --offers is a CSV file with the header
                  bidder,measure,quantity,qualitativeScore;
                  --score gives each bidder's social value score within the weighting:
                    svledger bids evaluate --contract LCC-2025-014 \\
                        --catalog lancashire-toms@2024.2 --offers offers.csv \\
                        --score "North Roads Ltd=8.5" --score "Acme=6" ...
                """)
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var who: ActorOptions
            @Option var contract: String
            @Option(help: "The catalog the offers are priced with, id@version.") var catalog: String
            @Option(help: "CSV: bidder,measure,quantity,qualitativeScore.") var offers: String
            @Option(help: "BIDDER=SCORE, the social value score within the weighting (repeat per bidder).") var score: [String] = []

            func run() throws {
                var scores: [String: String] = [:]
                for entry in score {
                    let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw ValidationError("--score \(DisplayText.quoted(entry)) must look like \"Bidder Ltd=8.5\"") }
                    scores[parts[0]] = parts[1]
                }
                let rows = try LineInput.csv(offers, columns: ["bidder", "measure", "quantity", "qualitativeScore"])
                var order: [String] = [], lines: [String: [JSONValue]] = [:]
                for row in rows {
                    let bidder = row["bidder"]!.stringValue!
                    if lines[bidder] == nil { order.append(bidder) }
                    lines[bidder, default: []].append(["measure": row["measure"]!, "quantity": row["quantity"]!, "qualitativeScore": row["qualitativeScore"]!])
                }
                let bidders: [JSONValue] = try order.map { bidder in
                    guard let score = scores[bidder] else { throw ValidationError("give --score \(DisplayText.quoted(bidder + "=…")) for every bidder in \(offers)") }
                    return ["bidder": .string(bidder), "socialValueScore": .string(score), "lines": .array(lines[bidder]!)]
                }
                var fields = who.fields("bids.evaluate")
                fields.merge(["contract": .string(contract), "catalog": .string(catalog), "bidders": .array(bidders)]) { $1 }
                try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["catalog": "--catalog", "bidders": "--offers bidder", "socialValueScore": "--score"]))
            }
        }
    }
}
