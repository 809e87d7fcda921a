import Access
import EventStore
import HTTPTypes
import Hummingbird
import LedgerValues
import Queries
import SocialValue

/// The checkpoint and the proofs (Schemas/README.md §11): what lets anyone hold the council
/// to the history it published. The checkpoint is public; a proof holds hashes only, never an
/// event's contents, so it needs no role beyond what the event's stream needs.
extension LedgerServer {
    func addTransparencyRoutes(_ routes: RouteTable) {
        routes.add(.get, "/checkpoint", access: .open, produces: ["text/plain"]) { request, _ in try await self.checkpoint(request) }
        routes.add(.get, "/proofs/inclusion", access: .operation(.proveInclusion)) { request, context in try await self.inclusionProof(request, context) }
        routes.add(.get, "/proofs/consistency", access: .operation(.proveConsistency)) { request, _ in try await self.consistencyProof(request) }
    }

    func checkpoint(_ request: Request) async throws -> Response {
        _ = try Query(request.uri.query, allowed: [])
        let signed = try await offload { try self.ledger.store.read { try $0.lastCheckpoint() } }
        guard let signed else {
            throw Problem(.notFound, kind: "no-checkpoint", category: "notFound", "this ledger has signed no checkpoint yet (svledger checkpoint sign, or svledger serve --checkpoint-key)")
        }
        // With witnesses configured: how many of them cosigned, and whether that is the quorum.
        var headers = HTTPFields()
        if let witnessing {
            let (count, quorum) = witnessing.witnessed(signed)
            headers[HTTPField.Name("Checkpoint-Cosignatures")!] = "\(count) of \(witnessing.witnesses.count)"
            headers[HTTPField.Name("Checkpoint-Witnessed")!] = quorum ? "true" : "false"
        }
        return Self.text(signed.serialized, type: "text/plain; charset=utf-8", headers: headers)
    }

    func inclusionProof(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try Query(request.uri.query, allowed: ["position", "size"])
        guard let position = try query.position("position") else { throw Problem(.invalidQuery, "position is required: the event's position in the log") }
        let size = try query.position("size")
        let proof = try await offload { () throws -> InclusionProof in
            try self.ledger.store.read { reader in
                // A supplier proves its own contracts' events and the reference data's; any other
                // position is answered as if it did not exist, so it cannot probe the log.
                if identity.role == .supplier {
                    guard let event = try reader.event(at: position), try self.supplierReads(event.streamId, identity) else {
                        throw Problem(.notFound, kind: "event-not-found", category: "notFound", "no event of yours at position \(position)")
                    }
                }
                return try Proofs.inclusion(reader, position: position, size: size)
            }
        }
        return Self.json(proof.json)
    }

    func consistencyProof(_ request: Request) async throws -> Response {
        let query = try Query(request.uri.query, allowed: ["from", "to"])
        guard let from = try query.position("from") else { throw Problem(.invalidQuery, "from is required: the earlier tree size") }
        let to = try query.position("to")
        let proof = try await offload { try self.ledger.store.read { try Proofs.consistency($0, from: from, to: to) } }
        return Self.json(proof.json)
    }

    /// Whether a supplier may read `stream`: the reference data everyone reads, and its own
    /// contracts' streams.
    func supplierReads(_ stream: String, _ identity: AccessState.Identity) throws -> Bool {
        if ReferenceData.streamPrefixes.contains(where: { stream.hasPrefix($0) }) { return true }
        guard let reference = ContractEvent.reference(ofStream: stream) else { return false }
        return try supplierOwns(reference, identity)
    }
}
