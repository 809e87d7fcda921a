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
        // Keyed by value, not by "2025-26-Q1 NT1" text: formatting a quarter per figure was most
        // of this function's time in a portfolio reconciliation.
        let delivered = Set(projection.deliveries.map { QuarterMeasure(quarter: $0.quarter, measure: $0.measure) })
        var found: [IncompleteReturn] = []
        for quarter in projection.returnedQuarters.sorted() where CommitmentSpread.due(quarter, dueDays: dueDays) < reportingDate && quarter.firstDay <= stop {
            let missing = projection.lines.filter { line in
                committed(line, in: quarter, changedOn: projection.commitmentsChangedOn) && !delivered.contains(QuarterMeasure(quarter: quarter, measure: line.measure))
            }
            if !missing.isEmpty { found.append(IncompleteReturn(quarter: quarter, measures: missing.map(\.measure))) }
        }
        return found
    }

    private struct QuarterMeasure: Hashable {
        let quarter: FinancialQuarter
        let measure: String
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
