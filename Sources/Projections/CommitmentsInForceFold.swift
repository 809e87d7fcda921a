import EventStore
import LedgerValues
import SocialValue

/// The commitments in force on a day, folded beside a fold of everything at a fraction of a
/// second fold's cost. A contract's projection under the limit equals the whole fold's until
/// its first pledge or refresh effective after the day, which the limit leaves out: only then
/// is it copied from the whole fold and folded apart, and only such contracts ever are.
public struct CommitmentsInForceFold: Sendable {
    public let day: CalendarDate
    public private(set) var fold: ContractFold
    /// The contracts folded apart.
    private var apart: Set<String> = []
    /// The last contract asked about and whether it is apart: a contract's events often come
    /// together, and asking the set hashes its reference.
    private var lastContract: (reference: String, apart: Bool) = ("", false)

    public init(on day: CalendarDate) {
        self.day = day
        // The limit leaves out commitments alone: a contract's delivered figures are the whole
        // fold's, which ``Snapshot/inForce(on:replays:)`` takes, and are not folded twice.
        fold = ContractFold(limit: .commitmentsInForce(on: day), foldsFigures: false)
    }

    /// Folds `event`; call it before the whole fold takes the same event, so that a contract
    /// copied from it is copied as it stood just before.
    public mutating func apply(_ event: ContractEvent, facts: EventFacts, before whole: ContractFold) {
        if facts.contract != lastContract.reference || lastContract.reference.isEmpty {
            lastContract = (facts.contract, apart.contains(facts.contract))
        }
        if lastContract.apart {
            fold.apply(event, facts: facts)
            return
        }
        // The first event the limit leaves out: from here on this contract differs.
        guard !fold.limit.admits(event, effectiveDate: facts.effectiveDate) else { return }
        if var current = whole.contract(facts.contract) {
            // Its delivered figures are the whole fold's (see `init`): not kept here, the whole
            // fold's array stays its own, and is not copied whole at its next figure.
            current.clearDeliveries()
            fold.seed(current)
        }
        apart.insert(facts.contract)
        lastContract.apart = true
    }
}

extension CommitmentsInForceFold {
    /// The log through `target` folded once into everything and into the commitments in force
    /// on each of `days` (decoded on every core): the one pass a portfolio read and a server's
    /// new day both make.
    public static func fold(store: EventStore, through target: UInt64, days: [CalendarDate]) throws -> (whole: ContractFold, inForce: [CommitmentsInForceFold]) {
        var whole = ContractFold()
        var limited = days.map(CommitmentsInForceFold.init(on:))
        try DecodedLog.forEach(store: store, through: target, chained: false) { decoded in
            guard case .contract(let facts, let event) = consume decoded else { return }
            for index in limited.indices { limited[index].apply(event, facts: facts, before: whole) }
            whole.apply(event, facts: facts)
        }
        return (whole, limited)
    }
}
