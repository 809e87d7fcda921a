import LedgerValues
import Foundation

/// A measure and a quantity, as a command gives them (priced later, by `decide`).
public struct QuantityLine: Sendable, Equatable {
    public let measure: String
    public let quantity: ExactDecimal
    /// For delivery lines: the evidence reference.
    public let evidence: String?
    /// For bid lines: the qualitative score of the delivery statement.
    public let qualitativeScore: ExactDecimal?
    /// For delivery lines: the files kept as its evidence, by hash.
    public let evidenceFiles: [EvidenceFile]

    public init(measure: String, quantity: ExactDecimal, evidence: String? = nil, qualitativeScore: ExactDecimal? = nil, evidenceFiles: [EvidenceFile] = []) {
        self.measure = measure
        self.quantity = quantity
        self.evidence = evidence
        self.qualitativeScore = qualitativeScore
        self.evidenceFiles = evidenceFiles
    }
}

/// What someone asks to happen to a contract. Checked by ``decide(_:state:context:)``.
public enum ContractAction: Sendable, Equatable {
    case register(Registration)
    case assessThreshold
    case requestExemption(businessCase: String)
    case decideExemption(granted: Bool, businessCase: String)
    case decideWeighting(percent: ExactDecimal, basis: WeightingDecision.Basis, answers: MatrixAnswers?, overrideReason: String?)
    case evaluateBids(catalog: String, bidders: [BidderOffer])
    case award(supplier: String, date: CalendarDate, value: Money, supplierDetails: OrganisationDetails? = nil)
    /// Puts a recorded award's value or date right; what is not given stays as recorded.
    case correctAward(value: Money?, date: CalendarDate?)
    case recordPledge(catalog: String, lines: [QuantityLine], statedValues: [String: String])
    case reportDelivery(quarter: FinancialQuarter, lines: [QuantityLine], attributionConfirmed: Bool)
    case correctDelivery(corrects: EventID, lines: [QuantityLine])
    /// A correction that names the return it corrects by its quarter (and measure) instead of
    /// its event id: `decide` finds that return, or refuses when there is none or more than one.
    case correctQuarter(quarter: FinancialQuarter, measure: String?, lines: [QuantityLine])
    case refreshCommitments(revise: [QuantityLine], add: [QuantityLine], withdraw: [String], catalog: String?)
    case close
    /// Erases the bytes of an evidence file the contract's returns cite (an administrator's act).
    case eraseEvidence(sha256: String)
    /// An officer's question about one delivered figure.
    case queryDelivery(quarter: FinancialQuarter, measure: String, question: String)
    /// The supplier's answer, with at most one corrected line of the measure queried.
    case answerQuery(quarter: FinancialQuarter, measure: String, answer: String, lines: [QuantityLine])
    /// A Contract Manager's decision on figures of a quarter (all it may decide when none are named).
    case decideValidation(quarter: FinancialQuarter, measures: [String], validated: Bool)
    /// Names the contract manager, or gives the contract its own days to make a return.
    case arrangeReporting(ReportingArrangement)
    case agreeKPIs([KPI])
    case exemptFromKPIs(KPIExemption)
    case assessKPI(KPIAssessment)

    public struct BidderOffer: Sendable, Equatable {
        public let name: String
        public let lines: [QuantityLine]
        public let socialValueScore: ExactDecimal

        public init(name: String, lines: [QuantityLine], socialValueScore: ExactDecimal) {
            self.name = name
            self.lines = lines
            self.socialValueScore = socialValueScore
        }
    }
}

/// A command on one contract, with who asks, why, and the date it takes effect.
public struct ContractCommand: Sendable, Equatable {
    public let contract: String
    public let actor: ActorIdentity
    public let reason: String?
    public let effectiveDate: CalendarDate
    /// False when the command gave no effective date and the day it is recorded was used: the
    /// events then say so (`effectiveDateDefaulted`), and `show` and `audit` show it.
    public let effectiveDateGiven: Bool
    public let action: ContractAction

    public init(
        contract: String, actor: ActorIdentity, reason: String?, effectiveDate: CalendarDate, effectiveDateGiven: Bool = true,
        action: ContractAction
    ) {
        self.contract = contract
        self.actor = actor
        self.reason = reason
        self.effectiveDate = effectiveDate
        self.effectiveDateGiven = effectiveDateGiven
        self.action = action
    }
}

/// The name of every command of the JSON form (`"command": "pledge.record"`), each with its
/// schema in Schemas/commands/ and its fields declared once, in ``fields``: a new command is a
/// new case, and every `switch` over the names must say what it does with it.
public enum CommandName: String, CaseIterable, Sendable {
    case adoptPolicy = "policy.adopt"
    case publishCatalog = "catalog.publish"
    case register = "contract.register"
    case assessThreshold = "threshold.assess"
    case requestExemption = "exemption.request"
    case decideExemption = "exemption.decide"
    case decideWeighting = "weighting.decide"
    case evaluateBids = "bids.evaluate"
    case award = "contract.award"
    case correctAward = "award.correct"
    case recordPledge = "pledge.record"
    case reportDelivery = "delivery.report"
    case correctDelivery = "delivery.correct"
    case refreshCommitments = "review.refresh"
    case close = "contract.close"
    case eraseEvidence = "evidence.erase"
    case queryDelivery = "delivery.query"
    case answerQuery = "delivery.answer"
    case validateDelivery = "delivery.validate"
    case rejectDelivery = "delivery.reject"
    case arrangeReporting = "reporting.arrange"
    case agreeKPIs = "kpi.agree"
    case exemptFromKPIs = "kpi.exempt"
    case assessKPI = "kpi.assess"

    /// What a command's JSON form holds beside `command`, `actor`, `reason` and `effectiveDate`.
    public struct Fields: Sendable {
        /// Whether the command acts on a contract, named by `contract`.
        public let onContract: Bool
        /// Its own fields, each allowed once.
        public let own: Set<String>
        /// The fields without which it does not read (an input error naming the field).
        public let required: Set<String>
        /// Fields the schema requires that the reader lets through, so that a rule refuses
        /// their absence by name (`reason-required`, `attribution-not-confirmed`).
        public let requiredByRule: Set<String>

        /// Every field the JSON form may hold.
        public var allowed: Set<String> {
            LedgerCommand.commonFields.union(onContract ? ["contract"] : []).union(own)
        }
    }

    /// The fields of each command: the one place they are declared. A test holds them to the
    /// schemas' `properties` and `required`.
    public var fields: Fields {
        func contract(_ own: Set<String>, required: Set<String> = [], byRule: Set<String> = []) -> Fields {
            Fields(onContract: true, own: own, required: required.union(["contract"]), requiredByRule: byRule)
        }
        switch self {
        case .adoptPolicy: return Fields(onContract: false, own: ["policy", "builtin"], required: [], requiredByRule: [])
        case .publishCatalog: return Fields(onContract: false, own: ["catalog", "builtin"], required: [], requiredByRule: [])
        case .register:
            return contract(
                ["title", "buyerDepartment", "category", "estimatedWholeLifeValueGBP", "startDate", "endDate", "areasServed", "policyId",
                 "existingSupplier", "migrated", "identifiers", "buyerDetails", "existingSupplierDetails"],
                required: ["title", "buyerDepartment", "category", "estimatedWholeLifeValueGBP", "startDate", "endDate", "policyId"])
        case .assessThreshold: return contract([])
        case .requestExemption: return contract(["businessCaseReference"], required: ["businessCaseReference"])
        case .decideExemption:
            return contract(["decision", "businessCaseReference"], required: ["decision", "businessCaseReference"], byRule: ["reason"])
        case .decideWeighting: return contract(["percent", "basis", "matrixAnswers", "overrideReason"], required: ["percent", "basis"])
        case .evaluateBids: return contract(["catalog", "bidders"], required: ["catalog", "bidders"])
        case .award: return contract(["supplier", "awardDate", "valueGBP", "supplierDetails"], required: ["supplier", "valueGBP"])
        case .correctAward: return contract(["awardDate", "valueGBP"], byRule: ["reason"])
        case .recordPledge: return contract(["catalog", "lines", "statedValues"], required: ["catalog", "lines"])
        case .reportDelivery:
            return contract(["quarter", "lines", "attributionConfirmed"], required: ["quarter", "lines"], byRule: ["attributionConfirmed"])
        case .correctDelivery:
            return contract(["correctsEventId", "quarter", "measure", "lines"], required: ["lines"], byRule: ["reason"])
        case .refreshCommitments: return contract(["revise", "add", "withdraw", "catalog"], byRule: ["reason"])
        case .close: return contract([])
        case .eraseEvidence: return contract(["sha256"], required: ["sha256"], byRule: ["reason"])
        case .queryDelivery: return contract(["quarter", "measure", "question"], required: ["quarter", "measure", "question"])
        case .answerQuery: return contract(["quarter", "measure", "answer", "lines"], required: ["quarter", "measure", "answer"])
        case .validateDelivery, .rejectDelivery: return contract(["quarter", "measures"], required: ["quarter"], byRule: ["reason"])
        case .arrangeReporting: return contract(["contractManager", "contractManagerEmail", "returnDueDays"])
        case .agreeKPIs: return contract(["kpis"], required: ["kpis"])
        case .exemptFromKPIs: return contract(["basis"], required: ["basis"], byRule: ["reason"])
        case .assessKPI: return contract(["kpi", "periodStart", "periodEnd", "rating"], required: ["kpi", "periodStart", "periodEnd", "rating"], byRule: ["reason"])
        }
    }
}

/// Any command svledger accepts: on a contract, or adopting reference data.
public enum LedgerCommand: Sendable {
    case contract(ContractCommand)
    case adoptPolicy(Policy, actor: ActorIdentity, reason: String?)
    case publishCatalog(Catalog, actor: ActorIdentity, reason: String?)

    /// The command names of the JSON form, each with its schema in Schemas/commands/.
    public static let names = CommandName.allCases.map(\.rawValue)

    /// The fields every command may hold.
    public static let commonFields: Set<String> = ["command", "actor", "reason", "effectiveDate"]

    /// Reads the JSON form of a command (one line of `svledger apply`).
    /// - Parameters:
    ///   - today: the effective date when the command gives none.
    ///   - builtin: resolves `{"builtin": "id"}` to a shipped policy or catalog document.
    /// - Throws: ``InputError`` naming the field at fault.
    public static func parse(
        _ json: JSONValue, today: CalendarDate, builtin: (BuiltinReference.Kind, String) -> JSONValue? = { _, _ in nil }
    ) throws(InputError) -> LedgerCommand {
        let reader = try FieldReader(json)
        let text = try reader.string("command")
        guard let name = CommandName(rawValue: text) else {
            throw reader.fail("command", "\(DisplayText.quoted(text)) is not a command; the commands are \(names.joined(separator: ", "))")
        }
        let actorReader = try reader.object("actor")
        try actorReader.onlyFields(["id", "role"])
        let actor = ActorIdentity(id: try actorReader.string("id"), role: try actorReader.string("role"))
        let reason = try reader.optionalString("reason")
        let fields = name.fields

        switch name {
        case .adoptPolicy, .publishCatalog:
            let key = name == .adoptPolicy ? "policy" : "catalog"
            if reader.has("effectiveDate") {
                throw reader.fail("effectiveDate", "a \(key) takes effect on the date its own document gives")
            }
            try reader.onlyFields(fields.allowed.subtracting(["effectiveDate"]))
            let document: JSONValue
            if let builtinName = try reader.optionalString("builtin") {
                guard !reader.has(key) else { throw reader.fail("builtin", "give either \"builtin\" or \"\(key)\", not both") }
                guard let found = builtin(key == "policy" ? .policies : .catalogs, builtinName) else {
                    throw reader.fail("builtin", "no shipped \(key) is called \(DisplayText.quoted(builtinName))")
                }
                document = found
            } else {
                guard let given = reader.members[key], given != .null else { throw reader.fail(key, "is required (or give \"builtin\")") }
                document = given
            }
            do {
                return name == .adoptPolicy
                    ? .adoptPolicy(try Policy(document: document), actor: actor, reason: reason)
                    : .publishCatalog(try Catalog(document: document), actor: actor, reason: reason)
            } catch {
                throw InputError(path: "\(key)\(error.path.isEmpty ? "" : ".")\(error.path)", problem: error.wording)
            }
        case .register, .assessThreshold, .requestExemption, .decideExemption, .decideWeighting, .evaluateBids, .award, .correctAward,
            .recordPledge, .reportDelivery, .correctDelivery, .refreshCommitments, .close, .eraseEvidence, .queryDelivery, .answerQuery,
            .validateDelivery, .rejectDelivery, .arrangeReporting, .agreeKPIs, .exemptFromKPIs, .assessKPI:
            let given = try reader.optionalDate("effectiveDate")
            let effectiveDate = given ?? today
            let contract = try reader.string("contract")
            // The declared fields drive the reader: a missing one is named before any is read.
            for key in fields.required.sorted() where !reader.has(key) { throw reader.fail(key, "is required") }
            let action = try contractAction(name, reader, contract: contract, effectiveDate: effectiveDate)
            try reader.onlyFields(fields.allowed)
            return .contract(
                ContractCommand(
                    contract: contract, actor: actor, reason: reason, effectiveDate: effectiveDate, effectiveDateGiven: given != nil,
                    action: action))
        }
    }

    private static func contractAction(
        _ name: CommandName, _ reader: FieldReader, contract: String, effectiveDate: CalendarDate
    ) throws(InputError) -> ContractAction {
        switch name {
        case .adoptPolicy, .publishCatalog:
            throw reader.fail("command", "\(name.rawValue) is not a command on a contract")
        case .register:
            let registration = Registration(
                reference: contract, title: try reader.string("title"), buyerDepartment: try reader.string("buyerDepartment"),
                category: try reader.choice("category", as: ContractCategory.self),
                estimatedValue: try reader.money("estimatedWholeLifeValueGBP"), startDate: try reader.date("startDate"),
                endDate: try reader.date("endDate"), areasServed: try nonBlank(reader, "areasServed"),
                policyId: try reader.string("policyId"), existingSupplier: try reader.optionalString("existingSupplier"),
                migrated: reader.has("migrated") ? try reader.bool("migrated") : false, identifiers: try Registration.identifiers(reader))
            return .register(registration)
        case .assessThreshold:
            return .assessThreshold
        case .requestExemption:
            return .requestExemption(businessCase: try reader.string("businessCaseReference"))
        case .decideExemption:
            let decision = try reader.string("decision")
            guard decision == "granted" || decision == "refused" else { throw reader.fail("decision", "must be granted or refused") }
            return .decideExemption(granted: decision == "granted", businessCase: try reader.string("businessCaseReference"))
        case .decideWeighting:
            let answers = try reader.optionalObject("matrixAnswers").map { (answers) throws(InputError) -> MatrixAnswers in
                try answers.onlyFields(["impact", "objectivesMet", "areaNeeds"])
                let objectives = try answers.integer("objectivesMet")
                guard objectives >= 0 else { throw answers.fail("objectivesMet", "must not be negative") }
                return MatrixAnswers(impact: try answers.string("impact"), objectivesMet: objectives, areaNeeds: try answers.string("areaNeeds"))
            }
            return .decideWeighting(
                percent: try reader.percent("percent"), basis: try reader.choice("basis", as: WeightingDecision.Basis.self),
                answers: answers, overrideReason: try reader.optionalString("overrideReason"))
        case .evaluateBids:
            let bidders = try reader.objects("bidders") { bidder throws(InputError) in
                try bidder.onlyFields(["bidder", "socialValueScore", "lines"])
                return ContractAction.BidderOffer(
                    name: try bidder.string("bidder"),
                    lines: try bidder.objects("lines") { line throws(InputError) in
                        try line.onlyFields(["measure", "quantity", "qualitativeScore"])
                        return QuantityLine(measure: try line.string("measure"), quantity: try line.decimal("quantity"), qualitativeScore: try line.decimal("qualitativeScore"))
                    },
                    socialValueScore: try bidder.decimal("socialValueScore"))
            }
            return .evaluateBids(catalog: try reader.string("catalog"), bidders: bidders)
        case .award:
            return .award(
                supplier: try reader.string("supplier"), date: try reader.optionalDate("awardDate") ?? effectiveDate,
                value: try reader.money("valueGBP"), supplierDetails: try OrganisationDetails.optional("supplierDetails", reader))
        case .correctAward:
            let value = reader.has("valueGBP") ? try reader.money("valueGBP") : nil
            let date = try reader.optionalDate("awardDate")
            guard value != nil || date != nil else { throw reader.fail("valueGBP", "give the corrected valueGBP, awardDate, or both") }
            return .correctAward(value: value, date: date)
        case .recordPledge:
            var stated: [String: String] = [:]
            if let object = try reader.optionalObject("statedValues") {
                for key in object.members.keys { stated[key] = try object.string(key) }
            }
            return .recordPledge(catalog: try reader.string("catalog"), lines: try quantityLines(reader, "lines"), statedValues: stated)
        case .reportDelivery:
            let quarter = try DeliveryReturn.quarter(reader)
            let confirmed = reader.has("attributionConfirmed") ? try reader.bool("attributionConfirmed") : false
            return .reportDelivery(quarter: quarter, lines: try quantityLines(reader, "lines", evidence: true), attributionConfirmed: confirmed)
        case .correctDelivery:
            let lines = try quantityLines(reader, "lines", evidence: true)
            if reader.has("quarter") {
                guard !reader.has("correctsEventId") else {
                    throw reader.fail("quarter", "give either correctsEventId or quarter (with measure), not both")
                }
                return .correctQuarter(quarter: try DeliveryReturn.quarter(reader), measure: try reader.optionalString("measure"), lines: lines)
            }
            if reader.has("measure") { throw reader.fail("measure", "names the return with quarter; give quarter too, or correctsEventId alone") }
            guard reader.has("correctsEventId") else {
                throw reader.fail("correctsEventId", "is required: the event id of the return corrected, or give its quarter (and measure) instead")
            }
            let text = try reader.string("correctsEventId")
            guard let id = EventID(text) else { throw reader.fail("correctsEventId", "\(DisplayText.quoted(text)) is not an event id (a UUID from `svledger audit`)") }
            return .correctDelivery(corrects: id, lines: lines)
        case .refreshCommitments:
            let revise = try quantityLines(reader, "revise", allowEmpty: true)
            let add = try quantityLines(reader, "add", allowEmpty: true)
            let withdraw = try reader.strings("withdraw")
            let catalog = try reader.optionalString("catalog")
            if revise.isEmpty, add.isEmpty, withdraw.isEmpty, catalog == nil {
                throw reader.fail("revise", "a refresh must revise, add or withdraw a line, or re-price to a catalog")
            }
            return .refreshCommitments(revise: revise, add: add, withdraw: withdraw, catalog: catalog)
        case .close:
            return .close
        case .eraseEvidence:
            return .eraseEvidence(sha256: try reader.string("sha256"))
        case .queryDelivery:
            return .queryDelivery(quarter: try DeliveryReturn.quarter(reader), measure: try reader.string("measure"), question: try nonEmpty(reader, "question"))
        case .answerQuery:
            let lines = reader.has("lines") ? try quantityLines(reader, "lines", evidence: true) : []
            return .answerQuery(quarter: try DeliveryReturn.quarter(reader), measure: try reader.string("measure"), answer: try nonEmpty(reader, "answer"), lines: lines)
        case .validateDelivery, .rejectDelivery:
            return .decideValidation(quarter: try DeliveryReturn.quarter(reader), measures: try nonBlank(reader, "measures"), validated: name == .validateDelivery)
        case .arrangeReporting:
            return .arrangeReporting(try ReportingArrangement(reader))
        case .agreeKPIs:
            return .agreeKPIs(try KPIsAgreed(reader).kpis)
        case .exemptFromKPIs:
            return .exemptFromKPIs(try reader.choice("basis", as: KPIExemption.self))
        case .assessKPI:
            return .assessKPI(try KPIAssessment(reader))
        }
    }

    static func nonEmpty(_ reader: FieldReader, _ key: String) throws(InputError) -> String {
        let text = try reader.string(key)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw reader.fail(key, "must not be blank") }
        return text
    }

    static func nonBlank(_ reader: FieldReader, _ key: String) throws(InputError) -> [String] {
        let values = try reader.strings(key)
        if values.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) { throw reader.fail(key, "must not hold blank names") }
        return values
    }

    static func quantityLines(_ reader: FieldReader, _ key: String, evidence: Bool = false, allowEmpty: Bool = false) throws(InputError) -> [QuantityLine] {
        try reader.objects(key, allowEmpty: allowEmpty) { line throws(InputError) in
            try line.onlyFields(evidence ? ["measure", "quantity", "evidence", "evidenceFiles"] : ["measure", "quantity"])
            return QuantityLine(
                measure: try line.string("measure"), quantity: try line.decimal("quantity"), evidence: evidence ? try line.string("evidence") : nil,
                evidenceFiles: evidence ? try EvidenceFile.list("evidenceFiles", line) : [])
        }
    }
}
