/// The £ figures of a line, a contract or a group: the original commitment (the pledge), the
/// current one (after review refreshes), delivered to date, the part of it that is rated, and
/// expected to date. Variance and rating follow from them, by definition.
///
/// One rating rule holds everywhere (docs/rules.md "Rating"): what is rated is the **capped**
/// delivery, in which each commitment line counts at most its expected £, so that one line's or
/// one contract's over-delivery never hides another's shortfall. For a single line capping never
/// changes the rating (every cut-off is at most 1); for a contract or a group it can.
public struct Amounts: Sendable, Equatable {
    public var original: Money
    public var current: Money
    public var delivered: Money
    /// Delivered, each line counted at most at its expected £: what the rating rates.
    public var capped: Money
    public var expected: Money

    public static let zero = Amounts(original: .zero, current: .zero, delivered: .zero, expected: .zero)

    /// Delivered − expected, uncapped: the £ over or under what was expected.
    public var variance: Money { delivered - expected }
    /// Capped ÷ expected on the council's cut-offs.
    public var rating: PerformanceRating { PerformanceRating.rating(delivered: capped.decimal, expected: expected.decimal) }

    /// The figures of one commitment line, whose capped delivery is the lesser of delivered and expected.
    public init(original: Money, current: Money, delivered: Money, expected: Money) {
        self.init(original: original, current: current, delivered: delivered, capped: min(delivered, max(expected, .zero)), expected: expected)
    }

    /// Figures whose capped delivery is already summed line by line.
    public init(original: Money, current: Money, delivered: Money, capped: Money, expected: Money) {
        self.original = original
        self.current = current
        self.delivered = delivered
        self.capped = capped
        self.expected = expected
    }

    public mutating func add(_ other: Amounts) {
        original += other.original
        current += other.current
        delivered += other.delivered
        capped += other.capped
        expected += other.expected
    }
}
