/// The rating of delivered against expected: the Procurement Act 2023 (ss. 52 and 71) names its four
/// labels and sets no numbers, so the cut-offs are the council's (svledger's defaults), applied to delivered against
/// expected-to-date social value. The cut-offs live here and only here (docs/rules.md,
/// "Reconciliation").
public enum PerformanceRating: String, Sendable, Codable, CaseIterable, Comparable {
    case good
    case approachingTarget = "approaching target"
    case requiresImprovement = "requires improvement"
    case inadequate
    /// Nothing was expected yet: the term has not started, or nothing is committed.
    case notYetDue = "not yet due"

    /// Delivered ÷ expected at or above which each rating holds.
    public static let goodFrom = ExactDecimal(units: 95, scale: 2)
    public static let approachingFrom = ExactDecimal(units: 80, scale: 2)
    public static let requiresImprovementFrom = ExactDecimal(units: 50, scale: 2)

    /// The rating of `delivered` against `expected` (both £, or both quantities for record-only measures).
    public static func rating(delivered: ExactDecimal, expected: ExactDecimal) -> PerformanceRating {
        guard expected > .zero else { return .notYetDue }
        let ratio = delivered.divided(by: expected, decimals: 6)
        if ratio >= goodFrom { return .good }
        if ratio >= approachingFrom { return .approachingTarget }
        if ratio >= requiresImprovementFrom { return .requiresImprovement }
        return .inadequate
    }

    /// Worst first: inadequate, requires improvement, approaching target, good, not yet due.
    public static func < (lhs: PerformanceRating, rhs: PerformanceRating) -> Bool { lhs.rank < rhs.rank }

    /// The position in the worst-first order (a switch, not an array: sorting compares often).
    private var rank: Int {
        switch self {
        case .inadequate: 0
        case .requiresImprovement: 1
        case .approachingTarget: 2
        case .good: 3
        case .notYetDue: 4
        }
    }
}
