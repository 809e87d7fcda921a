/// The £ figures of a line, a contract or a group: the original commitment (the pledge), the
/// current one (after review refreshes), delivered to date, the part of it that is rated, and
/// expected to date, with the cut-offs they are rated on. Variance and rating follow from them,
/// by definition.
///
/// One rating rule holds everywhere (docs/rules.md "Rating"): what is rated is the **capped**
/// delivery, in which each commitment line counts at most its expected £, so that one line's or
/// one contract's over-delivery never hides another's shortfall. For a single line capping never
/// changes the rating (every cut-off is at most 1); for a contract or a group it can. The
/// cut-offs are the council's, from the policy of the contract a line belongs to; a sum of lines
/// under different cut-offs is rated on svledger's defaults.
public struct Amounts: Sendable, Equatable {
    public var original: Money
    public var current: Money
    /// Delivered as claimed: every figure the supplier returned, checked or not.
    public var delivered: Money
    /// The part of `delivered` a Contract Manager validated (docs/validation.md).
    public var validated: Money
    /// The delivery rated (claimed or validated, as the contract's policy says), each line
    /// counted at most at its expected £: what the rating rates.
    public var capped: Money
    public var expected: Money
    /// The cut-offs of the lines summed here (``RatingCutOffs/Agreement``).
    public var cutOffs: RatingCutOffs.Agreement

    public static let zero = Amounts(original: .zero, current: .zero, delivered: .zero, validated: .zero, capped: .zero, expected: .zero, cutOffs: .init())

    /// Delivered but not (yet) validated: claimed and still being checked, or rejected.
    public var unvalidated: Money { delivered - validated }

    /// Delivered − expected, uncapped: the £ over or under what was expected.
    public var variance: Money { delivered - expected }
    /// Capped ÷ expected on the cut-offs of the lines summed.
    public var rating: PerformanceRating {
        PerformanceRating.rating(delivered: capped.decimal, expected: expected.decimal, cutOffs: cutOffs.cutOffs)
    }

    /// The figures of one commitment line, whose capped delivery is the lesser of the delivery
    /// rated (`rated`: claimed or validated) and expected, rated on `cutOffs` (its contract's policy's).
    public init(
        original: Money, current: Money, delivered: Money, validated: Money, expected: Money, cutOffs: RatingCutOffs = .standard,
        rated: RatedDelivery = .claimed
    ) {
        var agreement = RatingCutOffs.Agreement()
        agreement.add(cutOffs)
        let ratedDelivery = rated == .validated ? validated : delivered
        self.init(
            original: original, current: current, delivered: delivered, validated: validated, capped: min(ratedDelivery, max(expected, .zero)),
            expected: expected, cutOffs: agreement)
    }

    /// Figures whose capped delivery is already summed line by line.
    public init(
        original: Money, current: Money, delivered: Money, validated: Money, capped: Money, expected: Money, cutOffs: RatingCutOffs.Agreement
    ) {
        self.original = original
        self.current = current
        self.delivered = delivered
        self.validated = validated
        self.capped = capped
        self.expected = expected
        self.cutOffs = cutOffs
    }

    public mutating func add(_ other: Amounts) {
        original += other.original
        current += other.current
        delivered += other.delivered
        validated += other.validated
        capped += other.capped
        expected += other.expected
        cutOffs.add(other.cutOffs)
    }
}

/// Which delivery a policy rates (its `ratedDelivery`): every figure returned (`claimed`, the
/// default, as before validation existed), or only the figures a Contract Manager validated.
public enum RatedDelivery: String, Sendable, CaseIterable {
    case claimed, validated
}
