/// The £ figures of a line, a contract or a group: the original commitment (the pledge), the
/// current one (after review refreshes), delivered to date and expected to date. Variance and
/// rating follow from them, by definition.
public struct Amounts: Sendable, Equatable {
    public var original: Money
    public var current: Money
    public var delivered: Money
    public var expected: Money

    public static let zero = Amounts(original: .zero, current: .zero, delivered: .zero, expected: .zero)

    public var variance: Money { delivered - expected }
    public var rating: PerformanceRating { PerformanceRating.rating(delivered: delivered.decimal, expected: expected.decimal) }

    public init(original: Money, current: Money, delivered: Money, expected: Money) {
        self.original = original
        self.current = current
        self.delivered = delivered
        self.expected = expected
    }

    public mutating func add(_ other: Amounts) {
        original += other.original
        current += other.current
        delivered += other.delivered
        expected += other.expected
    }
}
