import Access
import EventStore
import LedgerValues
import Ledger

/// What a supplier's answers prove: its own contracts, not the whole ledger. A read's proof is
/// chosen on typed data (``ReadProof``, `FigureView.proof(for:)`); a command's answer here.
enum SupplierScope {
    /// A command's answer: the events recorded, with the head, or, for a supplier, the versions
    /// of the streams it wrote instead (the head moves with everyone's activity).
    static func commandAnswer(_ outcome: Ledger.Outcome, forSupplier: Bool) -> JSONValue {
        let events = outcome.recorded
        guard forSupplier else { return ["head": outcome.head.json, "events": .array(events.map(\.exportedEnvelope))] }
        var versions = JSONObject()
        for event in events { versions[event.streamId] = .integer(Int64(event.streamVersion)) }
        return ["streams": .object(versions), "events": .array(events.map(\.exportedEnvelope))]
    }
}

extension AccessState.Identity {
    /// The supplier a read is narrowed to: a supplier's organisation; `nil` for any other role.
    var scopedSupplier: String? { role == .supplier ? supplier ?? "" : nil }
}
