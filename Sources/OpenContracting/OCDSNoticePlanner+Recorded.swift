import LedgerValues
import SocialValue

/// What the ledger already holds of a notice's contract, in the terms the planner compares:
/// so that importing a notice again, or a later package of it, records only what is new.
extension NoticePlanner {
    enum Match { case matched(next: Int), differs, new }

    /// Where a value the notice gives stands against what the ledger recorded for the same
    /// thing (a measure's figures for a quarter, the commitments), `index` values of which the
    /// notice has already matched: the next recorded one (or the latest, for a notice that
    /// publishes only the current figures) is already there; anything else recorded differs;
    /// past the end, it is new.
    static func match<T: Equatable>(_ value: T, _ recorded: [T], at index: Int) -> Match {
        guard index < recorded.count else { return .new }
        if recorded[index] == value { return .matched(next: index + 1) }
        if recorded.last == value { return .matched(next: recorded.count) }
        return .differs
    }

    struct FigureKey: Hashable {
        let measure: String
        let quarter: FinancialQuarter
    }

    /// The pledge and each refresh's lines, as measure → target, oldest first.
    static func commitmentHistory(_ state: ContractState) -> [[String: ExactDecimal]] {
        guard let pledge = state.pledge else { return [] }
        func targets(_ lines: [PricedLine]) -> [String: ExactDecimal] { Dictionary(uniqueKeysWithValues: lines.map { ($0.measure, $0.quantity) }) }
        return [targets(pledge.lines)] + state.refreshes.map { targets($0.lines) }
    }

    /// An award's terms as a notice states them: who, when and for how much.
    struct AwardTerms: Equatable {
        let supplier: String
        let date: CalendarDate
        let value: Money

        init(_ given: (supplier: String, date: CalendarDate, value: Money)) {
            (supplier, date, value) = given
        }

        /// The same supplier, whatever the case of its name (a notice's capitals, the ledger's).
        func sameSupplier(as other: AwardTerms) -> Bool { supplier.lowercased() == other.supplier.lowercased() }

        static func == (lhs: AwardTerms, rhs: AwardTerms) -> Bool {
            lhs.sameSupplier(as: rhs) && lhs.date == rhs.date && lhs.value == rhs.value
        }
    }

    /// The award as recorded, then as each correction left it, oldest first.
    static func awardHistory(_ state: ContractState) -> [AwardTerms] {
        guard let award = state.award else { return [] }
        guard let first = state.awardCorrections.first else { return [AwardTerms((award.supplier, award.awardDate, award.value))] }
        return [AwardTerms((award.supplier, first.previousAwardDate, first.previousValue))]
            + state.awardCorrections.map { AwardTerms((award.supplier, $0.awardDate, $0.value)) }
    }

    /// Each measure's delivered quantity in each quarter: the return's, then each correction's.
    static func figureHistory(_ contract: OCDSRecordedContract) -> [FigureKey: [ExactDecimal]] {
        var history: [FigureKey: [ExactDecimal]] = [:]
        let position = Dictionary(contract.order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = contract.state.returns.values.sorted {
            (position[$0.eventId] ?? Int.max, $0.corrects == nil ? 0 : 1, $0.eventId) < (position[$1.eventId] ?? Int.max, $1.corrects == nil ? 0 : 1, $1.eventId)
        }
        for recorded in ordered {
            for line in recorded.lines { history[FigureKey(measure: line.measure, quarter: recorded.quarter), default: []].append(line.quantity) }
        }
        return history
    }
}

extension Registration {
    func with(existingSupplier supplier: String, details: OrganisationDetails? = nil, migrated: Bool = false) -> Registration {
        Registration(
            reference: reference, title: title, buyerDepartment: buyerDepartment, category: category, estimatedValue: estimatedValue,
            startDate: startDate, endDate: endDate, areasServed: areasServed, policyId: policyId, existingSupplier: supplier,
            migrated: migrated, identifiers: identifiers, buyerDetails: buyerDetails, existingSupplierDetails: details)
    }
}
