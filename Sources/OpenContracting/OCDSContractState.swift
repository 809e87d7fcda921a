import LedgerValues
import SocialValue

/// What the export remembers of one contract between its events: only what a later release
/// needs and its own event does not say (the term for the contract period and a level's
/// spread, the buyer, the bidders, the committed lines for units, prices and names). A few
/// hundred bytes a contract, so
/// the export's memory grows with the number of contracts, never with the length of the log.
/// A class: each event updates its contract's state in place, where a struct taken out of the
/// dictionary and put back would copy its tables at every event.
final class OCDSContractState {
    /// A committed measure: as pledged (if it was) and as now committed (unless withdrawn).
    struct Line {
        var unit: String
        var catalog: String
        var original: PricedLine?
        var current: PricedLine?

        /// The £ per unit delivered figures are valued at, by the reconciliation's rule: the
        /// current commitment's proxy (none when record-only), or the pledged one once withdrawn.
        var proxy: ExactDecimal? { current.map(\.proxy) ?? original?.proxy }
    }

    let reference: String
    /// The ocid of the process the contract was imported from, if it was: its releases go
    /// under it, continuing the publisher's process instead of starting another.
    let ocid: String?
    /// The council, which buys; its department, which runs the procurement (the procuring
    /// entity). A contract whose policy names no council known to the export has the
    /// department as its buyer.
    var buyer: OCDSParty
    var procuringEntity: OCDSParty?
    /// The council's name, when its policy names one the export knows.
    let council: String?
    /// The ocid prefix that council registered, if it did.
    let registeredPrefix: String?
    var startDate: CalendarDate
    var endDate: CalendarDate
    var bidders: [String] = []
    var supplier: String?
    /// The names of the contract's KPIs, by id: an assessment's metric repeats its KPI's name.
    var kpiNames: [String: String] = [:]
    /// The KPIs agreed before award: the award's contract carries them as its agreed metrics.
    var kpisBeforeAward: [KPI] = []
    /// The kind of contract the Act exempts from KPIs, when recorded: the award says why it has none.
    var kpiExemption: KPIExemption?
    var pledgedOn: CalendarDate?
    /// A social value weighting was decided (the award criteria pursue it).
    var weighted = false
    var lines: [String: Line] = [:]

    init(_ registration: Registration, council: (name: String, ocidPrefix: String?)?) {
        reference = registration.reference
        ocid = registration.identifiers.first { $0.scheme == ContractIdentifier.ocid }?.id
        self.council = council?.name
        registeredPrefix = council?.ocidPrefix
        supplierDetails = registration.existingSupplierDetails
        if let council = council?.name {
            buyer = .buyer(council, details: registration.buyerDetails)
            procuringEntity = OCDSParty(id: "dept-" + OCDSIdentifier.slug(registration.buyerDepartment), name: registration.buyerDepartment, roles: ["procuringEntity"])
        } else {
            buyer = .buyer(registration.buyerDepartment, details: registration.buyerDetails)
        }
        startDate = registration.startDate
        endDate = registration.endDate
        supplier = registration.existingSupplier
    }

    /// The supplier's identifiers and address, from its award or registration.
    var supplierDetails: OrganisationDetails?

    /// The supplier's party: a tenderer as well when it bid, with its details when it is the
    /// contract's supplier.
    func supplierParty(_ name: String) -> OCDSParty {
        .organisation(name, roles: bidders.contains(name) ? ["tenderer", "supplier"] : ["supplier"], details: name == supplier ? supplierDetails : nil)
    }

    func commit(_ lines: [PricedLine], catalog: String, asPledge: Bool) {
        for line in lines {
            var entry = self.lines[line.measure] ?? Line(unit: line.unit, catalog: catalog, original: nil, current: nil)
            entry.unit = line.unit
            entry.catalog = catalog
            entry.current = line
            if asPledge { entry.original = line }
            self.lines[line.measure] = entry
        }
    }

    func withdraw(_ measure: String) { lines[measure]?.current = nil }

    /// The delivery a returned quantity stands for in `quarter`: itself for a flow, the level ×
    /// the quarter's share for a level.
    func delivery(_ line: DeliveryLine, quarter: FinancialQuarter, accrual: Accrual) -> ExactDecimal {
        accrual.delivered(line.quantity, in: quarter, spread: CommitmentSpread(termStart: startDate, termEnd: endDate, pledgedOn: pledgedOn))
    }

    /// £ a delivery is worth: its line's proxy, to the penny; £0 when the measure is
    /// record-only or not committed (such delivery is shown, never added to pledged totals).
    func value(of line: DeliveryLine, delivery: ExactDecimal) -> Money {
        guard line.pledged, let proxy = lines[line.measure]?.proxy else { return .zero }
        return Money.lineValue(quantity: delivery, proxy: proxy)
    }
}
