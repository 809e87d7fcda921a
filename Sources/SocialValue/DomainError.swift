import LedgerValues

/// A command refused by a rule. The message says what is wrong in the user's terms and
/// names the rule; nothing is written.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rules, each named once so that tests and messages agree.
    public enum Rule: String, Sendable {
        case invalidInput = "invalid-input"
        case unknownContract = "unknown-contract"
        case contractExists = "contract-exists"
        case lifecycleOrder = "lifecycle-order"
        case closedContract = "closed-contract"
        case unknownPolicy = "unknown-policy"
        case unknownCatalog = "unknown-catalog"
        case unknownMeasure = "unknown-measure"
        case duplicateMeasure = "duplicate-measure"
        case belowThresholdWeighting = "below-threshold-weighting"
        case weightingBelowMinimum = "weighting-below-minimum"
        case weightingContradictsMatrix = "weighting-contradicts-matrix"
        case exemptionAuthority = "exemption-authority"
        case quarterOutsideTerm = "quarter-outside-term"
        case quarterNotEnded = "quarter-not-ended"
        case quarterBeforeAward = "quarter-before-award"
        case commitmentEffectiveOrder = "commitment-effective-order"
        case secondReturn = "second-return"
        case attributionNotConfirmed = "attribution-not-confirmed"
        case correctionReference = "correction-reference"
        case reasonRequired = "reason-required"
        case scoreAboveWeighting = "score-above-weighting"
        case refreshLine = "refresh-line"
        case referenceVersionReused = "reference-version-reused"
        case councilNameTaken = "council-name-taken"
        case invalidIdentifier = "invalid-identifier"
        case textTooLong = "text-too-long"
        case evidenceFile = "evidence-file"
        case erasureAuthority = "erasure-authority"
        case unknownFigure = "unknown-figure"
        case validationAuthority = "validation-authority"
        case validationState = "validation-state"
        case validationEffectiveOrder = "validation-effective-order"
        case kpiDefinition = "kpi-definition"
        case kpisRequired = "kpis-required"
    }

    public let rule: Rule
    /// What is wrong: "contract LCC-2025-41 is not registered", with any input field it names
    /// kept as a field, for each front end to name its way (``text(naming:)``).
    public let wording: Wording
    /// The message with the fields' JSON names.
    public var message: String { wording.description }
    /// What to do about it, said after the message and any suggestion: "register it first with …".
    public let advice: String?
    /// A name close to the one given ("LCC-2025-041"), found where the names are known (the
    /// ledger, for a contract reference): kept as a field and worded only when the error is said.
    public let suggestion: String?

    public init(_ rule: Rule, _ message: Wording, advice: String? = nil, suggestion: String? = nil) {
        self.rule = rule
        self.wording = message
        self.advice = advice
        self.suggestion = suggestion
    }

    /// A refusal whose message names no field.
    public init(_ rule: Rule, _ message: String, advice: String? = nil, suggestion: String? = nil) {
        self.init(rule, Wording(message), advice: advice, suggestion: suggestion)
    }

    /// The same refusal with a suggestion of the name meant.
    public func suggesting(_ name: String) -> DomainError { DomainError(rule, wording, advice: advice, suggestion: name) }

    /// The message, its suggestion and its advice, with fields named by `name`.
    public func text(naming name: (String) -> String) -> String {
        wording.rendered(naming: name) + (suggestion.map { " (did you mean \($0)?)" } ?? "") + (advice.map { "; " + $0 } ?? "")
    }

    /// ``text(naming:)`` with the fields' JSON names.
    public var text: String { text { $0 } }

    /// A rule's refusal names the rule; input that is wrong (an end before its start, a
    /// negative quantity) is named as the input error it is, as every other front end's is.
    public func worded(naming name: (String) -> String) -> String {
        rule == .invalidInput ? "\(text(naming: name)) (invalid-input)" : "\(text(naming: name)) (rule: \(rule.rawValue))"
    }

    public var description: String { worded { $0 } }
}

extension DomainError: CategorizedError {
    /// The rule's name: the kind of a refusal is the rule that refused it.
    public var kind: String { rule.rawValue }
    public var category: ErrorCategory { rule == .invalidInput ? .input : .refused }
    /// The message already names the rule.
    public var line: String { description }
}
