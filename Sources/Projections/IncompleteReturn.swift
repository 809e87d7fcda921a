import LedgerValues
import SocialValue

/// A quarterly return that left out a measure the supplier had pledged: a return is per
/// measure, so a pledged measure with no line in an ended quarter's return is a missing
/// return of its own, and counts among the late returns (docs/rules.md, "Late returns").
public struct IncompleteReturn: Sendable, Equatable {
    public let quarter: FinancialQuarter
    /// The measures committed for that quarter that the return has no line for, in the order
    /// the commitment lists them.
    public let measures: [String]

    /// The ended quarters with a return, within the term, whose return leaves out a measure
    /// committed for that quarter. A measure counts as committed for a quarter when the pledge
    /// holds it and it was not withdrawn at a review before the quarter ended, or when a review
    /// added it before the quarter ended (the review's date being the contract's last change of
    /// commitments).
    public static func find(in projection: ContractProjection, reportingDate: CalendarDate, dueDays: Int) -> [IncompleteReturn] {
        guard projection.pledgedOn != nil else { return [] }
        let stop = min(projection.endDate, projection.closedOn ?? projection.endDate)
        let quarters = projection.returnedQuarters.sorted().filter { CommitmentSpread.due($0, dueDays: dueDays) < reportingDate && $0.firstDay <= stop }
        guard !quarters.isEmpty, !projection.lines.isEmpty else { return [] }
        // Whether each quarter's return has a line for each line's measure, marked at the
        // measure's first line: a table of flags, where a set of quarter and measure pairs
        // hashed every figure's code and was most of this function's time in a portfolio.
        let width = projection.lines.count
        var lines = CommitmentLineFinder(projection.lines)
        var delivered = [Bool](repeating: false, count: quarters.count * width)
        projection.deliveries.withUnsafeBufferPointer { deliveries in
            for index in deliveries.indices {
                guard let row = quarters.firstIndex(of: deliveries[index].quarter), let line = lines.line(of: deliveries[index].measure) else { continue }
                delivered[row * width + line] = true
            }
        }
        var found: [IncompleteReturn] = []
        for (row, quarter) in quarters.enumerated() {
            let missing = projection.lines.indices.filter { index in
                committed(projection.lines[index], in: quarter, changedOn: projection.commitmentsChangedOn) && !delivered[row * width + lines.first[index]]
            }
            if !missing.isEmpty { found.append(IncompleteReturn(quarter: quarter, measures: missing.map { projection.lines[$0].measure })) }
        }
        return found
    }

    static func committed(_ line: ContractProjection.CommitmentLine, in quarter: FinancialQuarter, changedOn: CalendarDate?) -> Bool {
        switch (line.original, line.current) {
        case (.some, .some): true
        case (.some, nil): changedOn.map { quarter.lastDay < $0 } ?? true         // withdrawn at the last review
        case (nil, .some): changedOn.map { quarter.lastDay >= $0 } ?? false       // added at the last review
        case (nil, nil): false
        }
    }
}
