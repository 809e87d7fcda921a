import Access
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import LedgerValues
import Ledger
import Reports
import SocialValue

/// The log out as a stream (`svledger export ndjson`) and pledge tables in (`svledger import portal`).
extension LedgerServer {
    func addTransferRoutes(_ routes: RouteTable) {
        routes.add(.get, "/export/ndjson", access: .operation(.exportNDJSON), produces: ["application/x-ndjson"], heavy: true) { request, context in try await self.exportNDJSON(request, context) }
        routes.add(.post, "/imports/portal", access: .operation(.importPortal)) { request, context in try await self.importPortal(request, context) }
    }

    /// The largest piece of the export read in one read transaction and written in one go:
    /// the answer streams, so a log of any length needs only this much memory.
    static let exportChunkBytes = 1 << 20

    /// `GET /export/ndjson`: the whole log up to the head (or `as-of`/`at`), one exported
    /// envelope per line, verifiable from the file alone (tools/verify_ledger.py --ndjson).
    /// Streamed in chunks, each read in its own read transaction: the log only grows, and the
    /// last position is fixed before the first chunk, so the chunks join into one consistent log.
    func exportNDJSON(_ request: Request, _ context: ServerContext) async throws -> Response {
        let point = try Query(request.uri.query, allowed: Query.point).readPoint()
        let ledger = self.ledger
        let head = try await offload { () throws -> LedgerHead in
            try ledger.store.read { reader in try LedgerHead.at(try point.position(in: ledger), in: reader) }
        }
        let through = head.position
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        // POSITION:HASH, the form `verify --expect-head` and GET /verify?expect-head= take.
        headers[HTTPField.Name("Ledger-Head")!] = "\(head.position):\(head.hash.hex)"
        let body = ResponseBody { writer in
            var next: UInt64 = 1
            while next <= through {
                let from = next
                let (bytes, last) = try await offload { () throws -> ([UInt8], UInt64) in
                    var buffer: [UInt8] = []
                    var last = from - 1
                    try ledger.store.read { reader in
                        try reader.forEachEvent(from: from, through: through) { event in
                            event.exportedEnvelope.appendCanonical(to: &buffer)
                            buffer.append(0x0A)
                            last = event.position
                            return buffer.count < Self.exportChunkBytes
                        }
                    }
                    return (buffer, last)
                }
                guard last >= from else { break }
                try await writer.write(ByteBuffer(bytes: bytes))
                next = last + 1
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `POST /imports/portal?contract=…&catalog=…`: a Social Value Portal pledge table (the
    /// body, tab- or comma-separated) recomputed line by line, as `svledger import portal`.
    /// With `dry-run=true` the findings only (200); otherwise the pledge is recorded all or
    /// nothing by the authenticated actor (201), or refused while a finding blocks it (422).
    func importPortal(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try Query(request.uri.query, allowed: ["contract", "catalog", "dry-run", "use-computed", "add-measures", "effective-date", "reason"])
        guard let contract = query["contract"], let catalogName = query["catalog"] else {
            throw Problem(.missingParameter, "give contract (the contract the pledge is for) and catalog (id or id@version) in the query")
        }
        _ = try Self.existingReference(contract)
        let dryRun = try query.flag("dry-run"), useComputed = try query.flag("use-computed"), addMeasures = try query.flag("add-measures")
        let effectiveDate = try query.day("effective-date")
        let reason = query["reason"]
        try ContentType.require(request.headers[.contentType], Self.tableTypes, what: "the pledge table")
        let key = try Self.idempotencyKey(request)
        let bytes = try await collectBody(request, what: "a pledge table")
        let (plan, head, reference) = try await portalPlan(bytes, catalog: catalogName)
        if dryRun { return Self.json(PortalFindingsDocument.json(plan, file: "request body", head: head)) }
        let pending = try portalPending(
            plan, published: reference, contract: contract, identity: identity,
            options: PortalOptions(useComputed: useComputed, addMeasures: addMeasures, effectiveDate: effectiveDate, reason: reason),
            expectedVersion: try Self.ifMatch(request), key: key.map { identity.account + "\u{0}" + $0 },
            digest: AccessToken.sha256(request.uri.description + "\u{0}" + String(decoding: bytes, as: UTF8.self)))
        return await committer.submit(pending).response()
    }

    /// A pledge table read and recomputed line by line against a published catalog, as the
    /// ledger stands: the API's import and the pledge page's share it.
    func portalPlan(_ bytes: [UInt8], catalog catalogName: String) async throws -> (plan: PortalImport, head: LedgerHead, reference: ReferenceData) {
        let table: PortalTable
        do { table = try PortalTable(bytes: bytes) } catch { throw Problem.from(error) }
        let ledger = self.ledger
        return try await offload { () throws -> (PortalImport, LedgerHead, ReferenceData) in
            let reference = try ledger.referenceData()
            guard let pricing = reference.catalog(reference: catalogName) else {
                throw Problem(.unprocessableContent, kind: "unknown-catalog", category: ErrorCategory.refused.rawValue, "catalog \(DisplayText.excerpt(catalogName)) has not been published")
            }
            return (PortalImport(table: table, catalog: pricing), try ledger.store.head(), reference)
        }
    }

    /// What a table's import may do beyond recording it as it is.
    struct PortalOptions {
        /// Record the recomputed values where the table's own disagree.
        var useComputed = false
        /// Add the measures the catalog does not know, as a new catalog version.
        var addMeasures = false
        var effectiveDate: CalendarDate?
        var reason: String?
    }

    /// The commands that record a recomputed table as the contract's pledge, all or nothing by
    /// `identity`; refused (422) while a finding the options do not allow blocks it.
    func portalPending(
        _ plan: PortalImport, published: ReferenceData, contract: String, identity: AccessState.Identity, options: PortalOptions,
        expectedVersion: UInt64?, key: String?, digest: String
    ) throws -> PendingCommand {
        let blocking = plan.blockingFindings(useComputed: options.useComputed, addMeasures: options.addMeasures)
        guard blocking.isEmpty else {
            let kinds = Set(blocking.map(\.kind.rawValue)).sorted().joined(separator: ", ")
            throw Problem(
                .unprocessableContent, kind: "import-refused", category: ErrorCategory.refused.rawValue,
                "import refused, nothing written: \(blocking.count) line(s) with \(kinds); see the findings of dry-run=true (use-computed=true records computed values, add-measures=true adds unknown measures)")
        }
        let commands = try plan.commands(
            contract: contract, actor: ActorIdentity(id: identity.account, role: identity.role.rawValue), reason: options.reason,
            effectiveDate: options.effectiveDate ?? today(), effectiveDateGiven: options.effectiveDate != nil, addMeasures: options.addMeasures,
            source: "an upload by \(identity.account)", published: published)
        let stream = ContractEvent.stream(contract: contract)
        return PendingCommand(
            commands: commands.map { .ledger($0) }, identity: identity, stream: stream,
            expectedVersions: expectedVersion.map { [stream: $0] } ?? [:], key: key, digest: digest)
    }

    /// What a pledge table may be sent as.
    static let tableTypes = ["text/tab-separated-values", "text/csv", "text/plain"]

    /// The request's body, up to the body limit (413 past it).
    func collectBody(_ request: Request, what: String, limit: Int? = nil) async throws -> [UInt8] {
        let limit = limit ?? settings.bodyLimit
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Problem(.bodyTooLarge, "the body is \(length) bytes; \(what) may be at most \(limit)")
        }
        var request = request
        do {
            return Array(try await request.collectBody(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            // A chunked body past the limit: nothing more of it is read, so the connection closes.
            var headers = HTTPFields()
            headers[.connection] = "close"
            throw Problem(.bodyTooLarge, "\(what) may be at most \(limit) bytes", headers: headers)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(.bodyTooLarge, "\(what) may be at most \(limit) bytes")
        } catch HTTPParserError.invalidEOFState {
            // The client closed its side before the body ended: nobody is left to answer.
            throw ReadLimiter.clientGone.with(detail: "the client closed the connection before \(what) had arrived whole")
        } catch let error as HTTPParserError {
            var headers = HTTPFields()
            headers[.connection] = "close"
            throw Problem(.malformedBody, "\(what) could not be read as HTTP/1.1 (\(error))", headers: headers)
        } catch let error as IOError {
            throw ReadLimiter.clientGone.with(detail: "the connection failed while \(what) was read (\(error))")
        }
    }
}
