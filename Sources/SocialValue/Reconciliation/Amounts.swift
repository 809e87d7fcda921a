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
    public var delivered: Money
    /// Delivered, each line counted at most at its expected £: what the rating rates.
    public var capped: Money
    public var expected: Money
    /// The cut-offs of the lines summed here (``RatingCutOffs/Agreement``).
    public var cutOffs: RatingCutOffs.Agreement

    public static let zero = Amounts(original: .zero, current: .zero, delivered: .zero, capped: .zero, expected: .zero, cutOffs: .init())

    /// Delivered − expected, uncapped: the £ over or under what was expected.
    public var variance: Money { delivered - expected }
    /// Capped ÷ expected on the cut-offs of the lines summed.
    public var rating: PerformanceRating {
        PerformanceRating.rating(delivered: capped.decimal, expected: expected.decimal, cutOffs: cutOffs.cutOffs)
    }

    /// The figures of one commitment line, whose capped delivery is the lesser of delivered and
    /// expected, rated on `cutOffs` (its contract's policy's).
    public init(original: Money, current: Money, delivered: Money, expected: Money, cutOffs: RatingCutOffs = .standard) {
        var agreement = RatingCutOffs.Agreement()
        agreement.add(cutOffs)
        self.init(
            original: original, current: current, delivered: delivered, capped: min(delivered, max(expected, .zero)), expected: expected,
            cutOffs: agreement)
    }

    /// Figures whose capped delivery is already summed line by line.
    public init(original: Money, current: Money, delivered: Money, capped: Money, expected: Money, cutOffs: RatingCutOffs.Agreement) {
        self.original = original
        self.current = current
        self.delivered = delivered
        self.capped = capped
        self.expected = expected
        self.cutOffs = cutOffs
    }

    public mutating func add(_ other: Amounts) {
        original += other.original
        current += other.current
        delivered += other.delivered
        capped += other.capped
        expected += other.expected
        cutOffs.add(other.cutOffs)
    }
}
