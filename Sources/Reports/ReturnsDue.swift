import LedgerValues
import Projections
import SocialValue

/// The returns the suppliers owe, on a day (docs/calendar.md): for each running contract with a
/// commitment, each quarter with no return, with the day it is due. A return is **overdue** by
/// the reconciliation's own rule (``CommitmentSpread/lateReturns(pledged:termEnd:closedOn:returned:reportingDate:dueDays:)``
/// with that day as the reporting date), **due** when its quarter has ended and its due day has
/// not passed, and **upcoming** while its quarter runs.
public struct ReturnsDue: Sendable {
    public enum Status: String, Sendable, CaseIterable, Comparable {
        case overdue, due, upcoming

        public static func < (lhs: Status, rhs: Status) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }
    }

    public struct Entry: Sendable, Equatable {
        public let contract: String
        public let title: String
        public let supplier: String?
        public let contractManager: String?
        public let contractManagerEmail: String?
        public let quarter: FinancialQuarter
        public let dueDate: CalendarDate
        public let status: Status
        /// Days from `today` to the due date: negative once it has passed.
        public let daysLeft: Int
        /// For a return made that left committed measures out (overdue by the reconciliation's
        /// incomplete-return rule): those measures. Empty when no return was made at all.
        public var missingMeasures: [String] = []
    }

    public let today: CalendarDate
    /// Overdue first, then due, then upcoming; within each, by due date, contract and quarter.
    public let entries: [Entry]

    /// - Parameters:
    ///   - today: the day the list is for.
    ///   - allUpcoming: every quarter still to come (a calendar feed's); else only each contract's next.
    public init(_ snapshot: Snapshot, today: CalendarDate, allUpcoming: Bool = false) {
        var entries: [Entry] = []
        for contract in snapshot.contracts where contract.pledgedOn != nil && contract.closedOn == nil {
            let spread = CommitmentSpread(termStart: contract.startDate, termEnd: contract.endDate, pledgedOn: contract.pledgedOn)
            let dueDays = contract.returnDueDays ?? snapshot.reference.returnDueDays(policy: contract.policyId, on: today)
            let late = Set(spread.lateReturns(
                pledged: true, termEnd: contract.endDate, closedOn: contract.closedOn, returned: contract.returnedQuarters, reportingDate: today,
                dueDays: dueDays))
            // A return made without every committed measure is late for those, as the
            // reconciliation counts it (IncompleteReturn).
            for incomplete in IncompleteReturn.find(in: contract, reportingDate: today, dueDays: dueDays) {
                let due = CommitmentSpread.due(incomplete.quarter, dueDays: dueDays)
                entries.append(Entry(
                    contract: contract.reference, title: contract.title, supplier: contract.supplier, contractManager: contract.contractManager,
                    contractManagerEmail: contract.contractManagerEmail, quarter: incomplete.quarter, dueDate: due, status: .overdue,
                    daysLeft: Int(due.daysSinceEpoch - today.daysSinceEpoch), missingMeasures: incomplete.measures))
            }
            var upcoming = 0
            for quarter in spread.quarters(termEnd: contract.endDate, closedOn: contract.closedOn) where !contract.returnedQuarters.contains(quarter) {
                let due = CommitmentSpread.due(quarter, dueDays: dueDays)
                let status: Status = late.contains(quarter) ? .overdue : quarter.lastDay < today ? .due : .upcoming
                if status == .upcoming {
                    upcoming += 1
                    if upcoming > 1, !allUpcoming { break }
                }
                entries.append(Entry(
                    contract: contract.reference, title: contract.title, supplier: contract.supplier, contractManager: contract.contractManager,
                    contractManagerEmail: contract.contractManagerEmail, quarter: quarter, dueDate: due, status: status,
                    daysLeft: Int(due.daysSinceEpoch - today.daysSinceEpoch)))
            }
        }
        self.today = today
        self.entries = entries.sorted { ($0.status, $0.dueDate, $0.contract, $0.quarter) < ($1.status, $1.dueDate, $1.contract, $1.quarter) }
    }

    private init(today: CalendarDate, entries: [Entry]) {
        self.today = today
        self.entries = entries
    }

    /// Only the entries that `keep` keeps (one supplier's, one contract manager's).
    public func filtered(_ keep: (Entry) -> Bool) -> ReturnsDue { ReturnsDue(today: today, entries: entries.filter(keep)) }

    /// The entries by supplier or by contract manager, the groups by name ("(none named)" last).
    /// Names are told apart by their bytes, as the figures' supplier rows are (`sameBytes`).
    public func grouped(by key: (Entry) -> String?) -> [(name: String, entries: [Entry])] {
        let groups = Dictionary(grouping: entries) { Array((key($0) ?? Self.unnamed).utf8) }
        return groups.map { (name: String(decoding: $0.key, as: UTF8.self), entries: $0.value) }.sorted { left, right in
            let (a, b) = (left.name == Self.unnamed, right.name == Self.unnamed)
            return a != b ? b : JSONObject.precedes(left.name, right.name)
        }
    }

    public static let unnamed = "(none named)"
}
