/// The rating of delivered against expected: the Procurement Act 2023 (ss. 52 and 71) names its four
/// labels and sets no numbers, so the cut-offs are the council's, from its policy (``RatingCutOffs``),
/// applied to capped delivery against expected-to-date social value (docs/rules.md, "Rating").
public enum PerformanceRating: String, Sendable, CaseIterable, Comparable {
    case good
    case approachingTarget = "approaching target"
    case requiresImprovement = "requires improvement"
    case inadequate
    /// Nothing was expected yet: the term has not started, or nothing is committed.
    case notYetDue = "not yet due"

    /// The rating of `delivered` against `expected` (both £, or both quantities for record-only
    /// measures) on `cutOffs`: the ratio is worked to six decimals, halves away from zero.
    public static func rating(delivered: ExactDecimal, expected: ExactDecimal, cutOffs: RatingCutOffs = .standard) -> PerformanceRating {
        guard expected > .zero else { return .notYetDue }
        let ratio = delivered.divided(by: expected, decimals: 6)
        if ratio >= cutOffs.good { return .good }
        if ratio >= cutOffs.approachingTarget { return .approachingTarget }
        if ratio >= cutOffs.requiresImprovement { return .requiresImprovement }
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

/// Where each rating starts, as a share of expected: a council's choice, stated in its policy
/// (`ratingCutOffs`) and versioned with it, like its threshold. A policy that states none takes
/// svledger's defaults, ``standard``.
public struct RatingCutOffs: Sendable, Hashable {
    /// Capped ÷ expected at or above which each rating holds.
    public let good: ExactDecimal
    public let approachingTarget: ExactDecimal
    public let requiresImprovement: ExactDecimal
    /// Where the numbers come from, in words; `nil` for svledger's defaults.
    public let source: String?

    /// svledger's defaults: 0.95, 0.80 and 0.50.
    public static let standard = RatingCutOffs(
        good: ExactDecimal(units: 95, scale: 2), approachingTarget: ExactDecimal(units: 80, scale: 2),
        requiresImprovement: ExactDecimal(units: 50, scale: 2), source: nil)

    public init(good: ExactDecimal, approachingTarget: ExactDecimal, requiresImprovement: ExactDecimal, source: String?) {
        self.good = good
        self.approachingTarget = approachingTarget
        self.requiresImprovement = requiresImprovement
        self.source = source
    }

    /// Whether these are svledger's defaults (whatever their source says).
    public var isStandard: Bool {
        good == Self.standard.good && approachingTarget == Self.standard.approachingTarget && requiresImprovement == Self.standard.requiresImprovement
    }

    /// What is wrong with the numbers, or `nil`: each between 0 and 1, good above approaching
    /// target above requires improvement (a capped share never exceeds 1, so a good above it could never be reached).
    public var problem: String? {
        guard requiresImprovement > .zero else { return "requiresImprovement must be more than 0" }
        guard approachingTarget > requiresImprovement else { return "approachingTarget must be more than requiresImprovement" }
        guard good > approachingTarget else { return "good must be more than approachingTarget" }
        guard good <= ExactDecimal(1) else { return "good must be at most 1: capped delivery never exceeds what was expected" }
        return nil
    }

    /// The cut-offs a group of contracts is rated on: those its contracts share, or svledger's
    /// defaults when their policies set different ones (docs/rules.md, "Rating").
    public static func shared<S: Sequence>(_ all: S) -> RatingCutOffs where S.Element == RatingCutOffs {
        var first: RatingCutOffs?
        for cutOffs in all {
            guard let chosen = first else { first = cutOffs; continue }
            if !cutOffs.sameNumbers(as: chosen) { return .standard }
        }
        return first ?? .standard
    }

    func sameNumbers(as other: RatingCutOffs) -> Bool {
        good == other.good && approachingTarget == other.approachingTarget && requiresImprovement == other.requiresImprovement
    }
}

extension RatingCutOffs {
    /// The cut-offs of a group built one contract at a time: those every contract added shares,
    /// or svledger's defaults as soon as two differ (``shared(_:)``, without keeping the list).
    public struct Agreement: Sendable, Equatable {
        private var first: RatingCutOffs?
        private var mixed = false

        public init() {}

        public mutating func add(_ cutOffs: RatingCutOffs) {
            guard let first else { self.first = cutOffs; return }
            if !cutOffs.sameNumbers(as: first) { mixed = true }
        }

        public mutating func add(_ other: Agreement) {
            if other.mixed { mixed = true }
            if let cutOffs = other.first { add(cutOffs) }
        }

        public var cutOffs: RatingCutOffs { mixed ? .standard : first ?? .standard }
    }
}
