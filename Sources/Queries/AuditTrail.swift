import EventStore
import LedgerValues
import Projections
import Reports
import SocialValue

/// The audit trail's entries: contract events after a position, each with the old → new
/// values it changed, found by folding the contract before and after it.
public enum AuditTrail {
    /// - Parameters:
    ///   - contract: one contract's stream, or every contract's when `nil`.
    ///   - after: entries start after this position; the state before them is folded too.
    /// - Parameter changes: work out what each event changed (a page that shows no changes
    ///   asks for none: comparing a long contract's state before and after each event is most
    ///   of the cost of its trail).
    public static func entries(_ reader: LedgerReader, contract: String?, after start: UInt64, through end: UInt64?, changes: Bool = true) throws -> [AuditDocument.Entry] {
        var fold = ContractFold()
        var entries: [AuditDocument.Entry] = []
        let visit: (RecordedEvent) throws -> Bool = { event in
            guard let reference = ContractFold.contractReference(ofStream: event.streamId), contract == nil || reference == contract else { return true }
            let before = changes ? fold.contract(reference) : nil
            if changes { try fold.apply(event) }
            guard event.position > start else { return true }
            entries.append(AuditDocument.Entry(
                position: event.position, recordedAt: event.recordedAt.description, effectiveDate: event.event.effectiveDate.description,
                actorId: event.event.actor.id, actorRole: event.event.actor.role, reason: event.event.reason, eventType: event.eventType,
                summary: EventSummary.describe(type: event.eventType, payload: event.payload), eventId: event.eventId.description,
                hash: event.hash.hex, contract: reference,
                changes: changes ? fold.contract(reference).map { ProjectionChange.between(before, $0) } ?? [] : [],
                effectiveDateDefaulted: ContractEvent.effectiveDateDefaulted(in: event.payload)))
            return true
        }
        if let contract {
            try reader.forEachEvent(inStream: ContractEvent.stream(contract: contract), through: end, visit)
        } else {
            try reader.forEachEvent(through: end, visit)
        }
        return entries
    }

    /// `since` as a position to start after: a position as it is, or a day (YYYY-MM-DD) as the
    /// last position recorded before that day began (UTC); `nil` when it is neither.
    public static func start(since text: String, in reader: LedgerReader) throws -> UInt64? {
        if let after = UInt64(text) { return after }
        guard let day = CalendarDate(text) else { return nil }
        return try reader.lastPosition(recordedAtOrBefore: Timestamp(
            millisecondsSinceEpoch: Timestamp.endOf(day).millisecondsSinceEpoch - 86_400_001))
    }
}
