import LedgerValues

/// Where a delivered figure (one measure in one quarter) stands in the council's check of it
/// (docs/validation.md): a supplier's return **submits** it; an officer may **query** it; the
/// supplier **answers** (and may correct it or attach evidence as it does); a Contract
/// Manager **validates** or **rejects** it, with a reason. A later correction submits the
/// figure again, unless a question about it is open: then it stays queried until answered.
public enum ValidationStatus: String, Sendable, CaseIterable, Comparable {
    case submitted, queried, answered, validated, rejected

    public static func < (lhs: ValidationStatus, rhs: ValidationStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One delivered figure's place: a measure in a quarter.
public struct FigureKey: Hashable, Sendable, Comparable {
    public let quarter: FinancialQuarter
    public let measure: String

    public init(quarter: FinancialQuarter, measure: String) {
        self.quarter = quarter
        self.measure = measure
    }

    public static func < (lhs: FigureKey, rhs: FigureKey) -> Bool { (lhs.quarter, lhs.measure) < (rhs.quarter, rhs.measure) }
}

/// A figure as the contract's check of it knows it: its quantity now, and where it stands.
public struct CheckedFigure: Sendable, Equatable {
    public let quantity: ExactDecimal
    public let status: ValidationStatus
    /// The effective date of the return or correction that gave the quantity: a step of the
    /// check may not take effect before it (`validation-effective-order`).
    public let since: CalendarDate
}

/// What someone said about one figure: an officer's question (`DeliveryQueried`, its text
/// under `question`) or the supplier's answer (`QueryAnswered`, under `answer`).
public struct FigureRemark: Sendable, Equatable {
    public enum Kind: String, Sendable { case question, answer }

    public let quarter: FinancialQuarter
    public let measure: String
    public let text: String
    public let kind: Kind

    init(_ kind: Kind, quarter: FinancialQuarter, measure: String, text: String) {
        self.kind = kind
        self.quarter = quarter
        self.measure = measure
        self.text = text
    }

    init(_ kind: Kind, _ reader: FieldReader) throws(InputError) {
        self.init(kind, quarter: try DeliveryReturn.quarter(reader), measure: try reader.string("measure"), text: try reader.string(kind.rawValue))
    }

    var json: JSONValue { ["quarter": .string(quarter.description), "measure": .string(measure), kind.rawValue: .string(text)] }
}

/// `DeliveryValidated` or `DeliveryRejected`: a Contract Manager's decision on figures of one
/// quarter, each with the quantity decided on, so that the audit trail says what was checked.
public struct ValidationDecision: Sendable, Equatable {
    public struct Figure: Sendable, Equatable {
        public let measure: String
        public let quantity: ExactDecimal
    }

    public let quarter: FinancialQuarter
    public let figures: [Figure]

    init(quarter: FinancialQuarter, figures: [Figure]) {
        self.quarter = quarter
        self.figures = figures
    }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(
            quarter: try DeliveryReturn.quarter(reader),
            figures: try reader.objects("figures") { figure throws(InputError) in
                Figure(measure: try figure.string("measure"), quantity: try figure.decimal("quantity"))
            })
    }

    var json: JSONValue {
        [
            "quarter": .string(quarter.description),
            "figures": .array(figures.map { ["measure": .string($0.measure), "quantity": .decimal($0.quantity)] }),
        ]
    }
}

/// The roles the check of returns names (docs/validation.md "Who does what").
public enum ValidationRoles {
    /// Officers who may ask a supplier about a figure.
    public static let query: Set<String> = ["Procurement Officer", "Contract Manager", "Head of Procurement"]
    /// Who validates or rejects a figure: the officer who manages the contract.
    public static let decide: Set<String> = ["Contract Manager"]
    /// Who answers a question: the supplier, whose figure it is. Over HTTP its role is
    /// "Supplier"; on the command line a supplier's person may give a title that starts so
    /// ("Supplier Social Value Lead"), as its returns do.
    public static func answers(_ role: String) -> Bool { role.lowercased().hasPrefix("supplier") }

    static func allows(_ roles: Set<String>, _ role: String) -> Bool {
        roles.contains { $0.lowercased() == role.lowercased() }
    }
}

extension ContractRules {
    /// The figure of `measure` in `quarter`, or a refusal saying the contract has none, or that
    /// the step would take effect before the figure did (so that an effective-date view never
    /// counts a check of a quantity that was not yet there).
    func checkedFigure(_ quarter: FinancialQuarter, _ measure: String) throws(DomainError) -> CheckedFigure {
        guard let figure = state.figures[FigureKey(quarter: quarter, measure: measure)] else {
            throw DomainError(.unknownFigure, "contract \(command.contract) has no \(quarter) figure for \(measure): only a figure a return reported can be checked")
        }
        guard command.effectiveDate >= figure.since else {
            throw DomainError(
                .validationEffectiveOrder,
                "\(measure) for \(quarter) of contract \(command.contract) stands as returned or corrected effective \(figure.since); a step of its check takes effect on or after that, not on \(command.effectiveDate)")
        }
        return figure
    }

    /// The return, or failing that the latest correction, that holds the figure: what the
    /// correction an answer carries cites (a correction may have added the measure to the quarter).
    func source(of key: FigureKey) throws(DomainError) -> EventID {
        let holding = state.returns.values.filter { $0.quarter == key.quarter && $0.lines.contains { $0.measure == key.measure } }
        guard let chosen = holding.filter({ $0.corrects == nil }).min(by: { $0.eventId < $1.eventId }) ?? holding.max(by: { $0.eventId < $1.eventId }) else {
            throw DomainError(.unknownFigure, "contract \(command.contract) has no \(key.quarter) figure for \(key.measure)")
        }
        return chosen.eventId
    }

    func requireRole(_ roles: Set<String>, _ what: String) throws(DomainError) {
        guard ValidationRoles.allows(roles, command.actor.role) else {
            throw DomainError(.validationAuthority, "\(what) by a \(roles.sorted().joined(separator: " or ")), not a \(command.actor.role)")
        }
    }

    func stateRefusal(_ key: FigureKey, _ status: ValidationStatus, _ action: String, _ allowed: String) -> DomainError {
        DomainError(.validationState, "\(key.measure) for \(key.quarter) of contract \(command.contract) is \(status.rawValue); \(action) a figure that is \(allowed)")
    }

    func queryDelivery(_ quarter: FinancialQuarter, _ measure: String, _ question: String) throws(DomainError) -> ContractEvent {
        try requireRole(ValidationRoles.query, "a figure is queried")
        let key = FigureKey(quarter: quarter, measure: measure)
        let figure = try checkedFigure(quarter, measure)
        guard figure.status == .submitted || figure.status == .answered else {
            throw stateRefusal(key, figure.status, "an officer queries", "submitted or answered")
        }
        return .deliveryQueried(FigureRemark(.question, quarter: quarter, measure: measure, text: question))
    }

    /// The answer, after the correction it carries when the supplier puts the figure right or
    /// attaches evidence as it answers.
    func answerQuery(_ quarter: FinancialQuarter, _ measure: String, _ answer: String, _ lines: [QuantityLine]) throws(DomainError) -> [ContractEvent] {
        guard ValidationRoles.answers(command.actor.role) else {
            throw DomainError(.validationAuthority, "a question is answered by the Supplier (a role starting \"Supplier\"), not a \(command.actor.role)")
        }
        let key = FigureKey(quarter: quarter, measure: measure)
        let figure = try checkedFigure(quarter, measure)
        guard figure.status == .queried else { throw stateRefusal(key, figure.status, "a supplier answers the question about", "queried") }
        guard lines.allSatisfy({ $0.measure == measure }), lines.count <= 1 else {
            throw DomainError(.invalidInput, "\(field: "lines") of an answer holds one line, for the measure queried (\(measure))")
        }
        let answered = ContractEvent.queryAnswered(FigureRemark(.answer, quarter: quarter, measure: measure, text: answer))
        guard !lines.isEmpty else { return [answered] }
        let correction = try correctDelivery(try source(of: FigureKey(quarter: quarter, measure: measure)), lines, reasonRequired: false)
        return [correction, answered]
    }

    /// Validates or rejects the figures of `quarter` named by `measures`, or, when none are
    /// named, every figure of the quarter the decision may be taken on.
    func decideValidation(_ quarter: FinancialQuarter, _ measures: [String], validated: Bool) throws(DomainError) -> ContractEvent {
        let verb = validated ? "validated" : "rejected"
        try requireRole(ValidationRoles.decide, "a figure is \(verb)")
        try requireReason("a figure \(verb)")
        let allowed: Set<ValidationStatus> = validated ? [.submitted, .answered] : [.submitted, .queried, .answered]
        let allowedText = validated ? "submitted or answered (a figure under an open question is answered first)" : "submitted, queried or answered"
        var figures: [ValidationDecision.Figure] = []
        if measures.isEmpty {
            let keys = state.figures.keys.filter { $0.quarter == quarter }.sorted()
            guard !keys.isEmpty else {
                throw DomainError(.unknownFigure, "contract \(command.contract) has no \(quarter) figures: only a figure a return reported can be \(verb)")
            }
            for key in keys where allowed.contains(state.figures[key]!.status) && state.figures[key]!.since <= command.effectiveDate {
                figures.append(.init(measure: key.measure, quantity: state.figures[key]!.quantity))
            }
            guard !figures.isEmpty else {
                let each = keys.map { "\($0.measure) is \(state.figures[$0]!.status.rawValue)" }.joined(separator: ", ")
                throw DomainError(.validationState, "no \(quarter) figure of contract \(command.contract) can be \(verb): \(each); a figure \(verb) is \(allowedText)")
            }
        } else {
            var seen = Set<String>()
            if let twice = measures.first(where: { !seen.insert($0).inserted }) { throw DomainError(.duplicateMeasure, "\(twice) is named twice") }
            for measure in measures {
                let figure = try checkedFigure(quarter, measure)
                let key = FigureKey(quarter: quarter, measure: measure)
                guard allowed.contains(figure.status) else { throw stateRefusal(key, figure.status, "a Contract Manager \(validated ? "validates" : "rejects")", allowedText) }
                figures.append(.init(measure: measure, quantity: figure.quantity))
            }
        }
        let decision = ValidationDecision(quarter: quarter, figures: figures)
        return validated ? .deliveryValidated(decision) : .deliveryRejected(decision)
    }
}

extension ContractState {
    /// Folds a return's or correction's lines, effective `date`, into the check of figures.
    mutating func submit(_ quarter: FinancialQuarter, _ lines: [DeliveryLine], on date: CalendarDate) {
        for line in lines {
            let key = FigureKey(quarter: quarter, measure: line.measure)
            // A question still open stays open: the correction is part of the supplier's answer.
            let status: ValidationStatus = figures[key]?.status == .queried ? .queried : .submitted
            figures[key] = CheckedFigure(quantity: line.quantity, status: status, since: max(date, figures[key]?.since ?? date))
        }
    }

    mutating func mark(_ quarter: FinancialQuarter, _ measures: [String], _ status: ValidationStatus) {
        for measure in measures {
            let key = FigureKey(quarter: quarter, measure: measure)
            if let figure = figures[key] { figures[key] = CheckedFigure(quantity: figure.quantity, status: status, since: figure.since) }
        }
    }
}
