import Access
import EventStore
import LedgerValues
import Queries
import Reports
import SocialValue

/// What a supplier's answers prove: its own contracts, not the whole ledger.
///
/// The ledger's head and the whole portfolio's figures digest change with every council's
/// and every other supplier's activity; a supplier polling either would learn when others
/// act. In their place a supplier's reads carry `streams` (the version of each of its own
/// contracts' streams, as the contract's ETag gives it) and a `figures` digest of the figures
/// file of its own contracts only, with `supplier` saying whose (README, "Server": what a
/// supplier can infer).
enum SupplierScope {
    /// `document` (a read of `view`) as a supplier is given it.
    static func scoped(_ document: JSONValue, to supplier: String, view: FigureView) -> JSONValue {
        guard case .object(var members) = document else { return document }
        members["head"] = nil
        if let contract = view.figures.contract {
            // A read of one of its contracts already states that contract's figures alone, with
            // its stream's version in place of the head: nothing of others' activity shows.
            members["streams"] = .object([ContractEvent.stream(contract: contract): .integer(Int64(view.snapshot.contract(contract)?.version ?? 0))])
            return .object(members)
        }
        members["streams"] = streams(of: supplier, in: view)
        var figures = view.figures(ofSupplier: supplier).json(effectiveOn: view.effectiveOn)
        if case .object(var fields) = figures {
            fields["supplier"] = .string(supplier)
            figures = .object(fields)
        }
        members["figures"] = figures
        return .object(members)
    }

    /// The versions of the supplier's contracts' streams, by stream id.
    static func streams(of supplier: String, in view: FigureView) -> JSONValue {
        var versions = JSONObject()
        for (reference, version) in view.versions(ofSupplier: supplier) { versions[ContractEvent.stream(contract: reference)] = .integer(Int64(version)) }
        return .object(versions)
    }

    /// A command's answer for a supplier: the versions of the streams it wrote, not the head.
    static func scoped(commandAnswer document: JSONValue, events: [RecordedEvent]) -> JSONValue {
        guard case .object(var members) = document else { return document }
        members["head"] = nil
        var versions = JSONObject()
        for event in events { versions[event.streamId] = .integer(Int64(event.streamVersion)) }
        members["streams"] = .object(versions)
        return .object(members)
    }
}
