import Access
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import LedgerValues
import Ledger
import Projections
import Queries
import Replication
import Reports
import SocialValue

extension LedgerServer {
    func addReadRoutes(_ routes: RouteTable) {
        routes.add(.get, "/healthz", access: .open) { request, _ in
            _ = try Query(request.uri.query, allowed: [])
            let head = try await offload { try self.ledger.store.head() }
            guard self.settings.readOnly else { return Self.json(["status": "ok", "head": head.json]) }
            return Self.json(self.followerHealth(head: head))
        }
        routes.add(.get, "/readyz", access: .open) { request, _ in
            _ = try Query(request.uri.query, allowed: [])
            let ready = self.warmedUp.withLock { $0 }
            return Self.json(["status": ready ? "ready" : "warming"], status: ready ? .ok : .serviceUnavailable)
        }
        routes.add(.get, "/metrics", access: .open, produces: ["text/plain"]) { request, _ in
            _ = try Query(request.uri.query, allowed: [])
            return Self.text(self.metrics.exposition(), type: "text/plain; version=0.0.4; charset=utf-8")
        }
        routes.add(.get, "/openapi.json", access: .open) { request, _ in
            // Schemas/openapi.json, copied by tools/openapi.py into the target's resources.
            _ = try Query(request.uri.query, allowed: [])
            return Self.text(Self.openAPIDocument, type: "application/json")
        }
        routes.add(.get, "/contracts", access: .operation(.listContracts), heavy: true) { request, context in try await self.listContracts(request, context) }
        routes.add(.get, "/contracts/{contract}", access: .operation(.showContract), heavy: true) { request, context in try await self.showContract(request, context) }
        routes.add(.get, "/contracts/{contract}/audit", access: .operation(.contractAudit), heavy: true) { request, context in try await self.contractAudit(request, context) }
        routes.add(.get, "/audit", access: .operation(.auditSince), heavy: true) { request, context in try await self.auditSince(request, context) }
        routes.add(.get, "/reconcile", access: .operation(.reconcile), heavy: true) { request, context in try await self.reconcile(request, context) }
        routes.add(.get, "/figures", access: .operation(.figures), produces: ["text/csv"], heavy: true) { request, context in try await self.figures(request, context) }
        routes.add(.get, "/log", access: .operation(.log), produces: ["application/x-ndjson"], heavy: true) { request, context in try await self.log(request, context) }
        routes.add(.get, "/verify", access: .operation(.verify), heavy: true) { request, context in try await self.verify(request, context) }
        routes.add(.get, "/reports/cabinet", access: .operation(.cabinetReport), produces: ["text/html", "text/markdown", "text/csv"], heavy: true) { request, context in try await self.cabinetReport(request, context) }
    }

    // MARK: Answers

    static func json(_ document: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document.canonicalBytes)))
    }

    /// The OpenAPI document served at GET /openapi.json: a SwiftPM resource of this target, read
    /// once. tools/openapi.py writes it, byte for byte Schemas/openapi.json, and checks it.
    static let openAPIDocument: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("the Server target's resource Resources/openapi.json is missing: run tools/openapi.py") }
        return text
    }()

    static func text(_ text: String, type: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func wording(_ operation: Operation) -> String {
        switch operation {
        case .listContracts: "list contracts"
        case .showContract: "read a contract"
        case .contractAudit: "read a contract's audit trail"
        case .auditSince: "read every contract's changes"
        case .reconcile: "reconcile"
        case .figures: "read the portfolio's figures file"
        case .log: "read the log"
        case .verify: "verify the ledger"
        case .cabinetReport: "read the Cabinet report"
        case .command: "record commands"
        case .exportNDJSON: "export the whole log"
        case .importPortal: "import pledge tables"
        case .accessList: "read who holds which role"
        case .accessCommand: "manage access"
        case .proveInclusion: "prove an event's inclusion"
        case .proveConsistency: "prove the log's consistency"
        case .listEvidence: "list evidence files"
        case .readEvidence: "read evidence files"
        case .eraseEvidence: "erase evidence files"
        case .due: "list the returns owed"
        }
    }

    /// Whether a supplier may see `reference`: a contract whose supplier, now, is its
    /// organisation. Any other (another's, or none at all) is answered as not found.
    func supplierOwns(_ reference: String, _ identity: AccessState.Identity) throws -> Bool {
        guard identity.role == .supplier else { return true }
        let (state, version) = try ledger.contractState(reference)
        return version > 0 && state.supplier.sameBytes(as: identity.supplier)
    }

    /// Whether `identity` reaches the contract a route's path names: anyone but a supplier does;
    /// a supplier only its own. A reference that cannot name a contract reaches nothing.
    func reaches(contractIn context: ServerContext, _ identity: AccessState.Identity) async throws -> Bool {
        guard identity.role == .supplier else { return true }
        guard let reference = try? contractParameter(context) else { return false }
        return try await offload { try self.supplierOwns(reference, identity) }
    }

    func contractParameter(_ context: ServerContext) throws -> String {
        guard let raw = context.parameters.get("contract"), let reference = raw.removingPercentEncoding, !reference.isEmpty else {
            throw Problem(.invalidPath, "the contract reference in the path is not valid percent-encoded UTF-8")
        }
        return try Self.existingReference(reference)
    }

    /// A reference that could name a contract (a contract id: at most 64 characters of its set,
    /// `/` written `%2F` in a path); any other cannot exist, and is answered as not found
    /// before anything is looked up by it.
    static func existingReference(_ reference: String) throws -> String {
        guard reference.unicodeScalars.count <= TextRules.identifierLimit, TextRules.identifierProblem(reference, .contract) == nil else {
            throw Problem.contractNotFound(reference)
        }
        return reference
    }

    // MARK: Reads

    /// The whole portfolio's checked figures at `point`, shared by every read until the ledger changes.
    func figureView(_ point: ReadPoint, _ period: FinancialQuarter?) async throws -> FigureView {
        try await cachedView(point, period).view
    }

    func cachedView(_ point: ReadPoint, _ period: FinancialQuarter?, trend: Bool = false, prepared: FigureViewCache.Prepared? = nil) async throws -> CachedView {
        try await figureViews.view(ledger, live: live, at: point, period: period, today: today(), trend: trend, prepared: prepared)
    }

    /// A read of one contract: its own events (the live fold's entry at the head, its stream
    /// folded at an earlier point), reconciled alone and stating its own figures (§10), so that
    /// it never waits on the whole portfolio.
    func contractView(_ reference: String, _ point: ReadPoint, _ period: FinancialQuarter?) async throws -> FigureView {
        let today = today()
        return try await offload {
            let read = point.asOf == nil && point.at == nil
                ? try self.live.current(self.ledger.store, contract: reference)
                : try Snapshot.folded(store: self.ledger.store, at: try point.position(in: self.ledger), contract: reference)
            return try FigureView(read: read, store: self.ledger.store, at: point, period: period, today: today)
        }
    }

    static func json(_ rendered: CachedView.Rendered, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: rendered.body)))
    }

    func listContracts(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try Query(request.uri.query, allowed: Query.figurePoint)
        let point = try query.readPoint()
        let period = try query.period()
        let view = try await figureView(point, period)
        // A supplier's list holds its own contracts, chosen on the typed contracts.
        let supplier = identity.scopedSupplier
        let document = ContractsDocument(snapshot: view.snapshot, reconciliation: view.reconciliation, supplier: supplier)
        return Self.json(document.json(proof: view.proof(for: supplier)))
    }

    func showContract(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let reference = try contractParameter(context)
        let query = try Query(request.uri.query, allowed: Query.figurePoint)
        let point = try query.readPoint()
        let period = try query.period()
        let view = try await contractView(reference, point, period)
        guard let contract = view.snapshot.contract(reference) else {
            throw PlainError(.notFound, kind: "contract-not-found", "no contract \(DisplayText.excerpt(reference)) at position \(view.snapshot.position)")
        }
        var headers = HTTPFields()
        headers[.eTag] = "\"\(contract.version)\""
        return Self.json(ShowDocument.json(contract, proof: view.proof(for: identity.scopedSupplier)), headers: headers)
    }

    func contractAudit(_ request: Request, _ context: ServerContext) async throws -> Response {
        let reference = try contractParameter(context)
        let query = try Query(request.uri.query, allowed: Query.point.union(["since"]))
        let point = try query.readPoint()
        let since = query["since"]
        return Self.json(try await offload {
            let document = try self.audit(contract: reference, since: since, point: point)
            if document.entries.isEmpty, since == nil { throw Problem.contractNotFound(reference) }
            return document.json
        })
    }

    func auditSince(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = try Query(request.uri.query, allowed: Query.point.union(["since"]))
        let point = try query.readPoint()
        guard let since = query["since"] else {
            throw Problem(.invalidQuery, "give since (a day YYYY-MM-DD or a position); one contract's trail is /contracts/{contract}/audit")
        }
        return Self.json(try await offload { try self.audit(contract: nil, since: since, point: point).json })
    }

    func audit(contract: String?, since: String?, point: ReadPoint, changes: Bool = true) throws -> AuditDocument {
        let position = try point.position(in: ledger)
        return try ledger.store.read { reader in
            var start: UInt64 = 0
            if let since {
                guard let found = try AuditTrail.start(since: since, in: reader) else {
                    throw Problem(.invalidQuery, "since takes a day YYYY-MM-DD or a position, got \(DisplayText.quoted(since))")
                }
                start = found
            }
            let entries = try AuditTrail.entries(reader, contract: contract, after: start, through: position, changes: changes)
            return AuditDocument(head: try LedgerHead.at(position, in: reader), contract: contract, since: since, entries: entries)
        }
    }

    func reconcile(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try Query(request.uri.query, allowed: Query.figurePoint.union(["contract", "supplier"]))
        let point = try query.readPoint()
        let period = try query.period()
        let contract = try query["contract"].map(Self.existingReference)
        var supplier = query["supplier"]
        if identity.role == .supplier {
            // A supplier reconciles its own contracts only; naming another supplier finds nothing.
            if let supplier, !supplier.sameBytes(as: identity.supplier) { throw Problem(.notFound, kind: "commitment-not-found", category: "notFound", "no contracts of supplier \(DisplayText.excerpt(supplier))") }
            supplier = identity.supplier
        }
        let chosenSupplier = supplier
        if let contract, identity.role == .supplier, try await !offload({ try self.supplierOwns(contract, identity) }) { throw Problem.contractNotFound(contract) }
        if let contract, query["supplier"] == nil {
            // One contract: its own events and figures, as `svledger reconcile --contract` gives them.
            let view = try await contractView(contract, point, period)
            if view.reconciliation.contracts.isEmpty {
                if view.snapshot.contract(contract) == nil { throw Problem.contractNotFound(contract) }
                throw PlainError(
                    .notFound, kind: "commitment-not-found",
                    "contract \(DisplayText.excerpt(contract)) has no commitment in force to reconcile at position \(view.snapshot.position) on \(view.reportingDate)")
            }
            return Self.json(ReconcileDocument.json(view.reconciliation, proof: view.proof(for: identity.scopedSupplier)))
        }
        // Keyed by what narrows it (a contract reference has no space; the supplier comes last,
        // as its bytes in hex: two spellings Swift's `String` calls equal are two suppliers).
        let key = "reconcile " + (contract ?? "") + " " + (chosenSupplier.map { Bytes.hex($0.utf8) } ?? "") + (identity.role == .supplier ? " (as supplier)" : "")
        return Self.json(try await cachedView(point, period).rendered(key) { whole in
            let view = whole.narrowed(contract: contract, supplier: chosenSupplier)
            if let contract, view.reconciliation.contracts.isEmpty {
                throw PlainError(
                    .notFound, kind: "commitment-not-found",
                    "contract \(DisplayText.excerpt(contract)) has no commitment in force to reconcile at position \(view.snapshot.position) on \(view.reportingDate)")
            }
            // The figures stated are the narrowed view's; a supplier's are its own contracts' (the whole view's, for it).
            let proof = identity.role == .supplier ? whole.proof(for: identity.scopedSupplier) : view.proof()
            return .init(body: ReconcileDocument.json(view.reconciliation, proof: proof).canonicalBytes, version: nil)
        })
    }

    func figures(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = try Query(request.uri.query, allowed: Query.figurePoint)
        let point = try query.readPoint()
        let period = try query.period()
        let figures = try await figureView(point, period).figures
        var headers = HTTPFields()
        headers[HTTPField.Name("Figures-Digest")!] = figures.digest
        return Self.text(figures.text, type: "text/csv; charset=utf-8", headers: headers)
    }

    func cabinetReport(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = try Query(request.uri.query, allowed: Query.figurePoint.union(["format"]))
        let point = try query.readPoint()
        let period = try query.period()
        let (format, type): (CabinetReport.Format, String) =
            switch query["format"] ?? "html" {
            case "html": (.html, "text/html; charset=utf-8")
            case "md": (.md, "text/markdown; charset=utf-8")
            case "csv": (.csv, "text/csv; charset=utf-8")
            case let other: throw Problem(.invalidQuery, "format is html, md or csv, got \(DisplayText.quoted(other))")
            }
        // Rendered once per view and format, as part of working the view out: the same report
        // asked again while the ledger is unchanged is the same bytes (its "generated at" is when
        // it was first rendered), and one asked while the next view is worked out is the last one.
        let prepared = self.preparedReport(format, type: type)
        let cached = try await cachedView(point, period, trend: true, prepared: prepared)
        return try await response(cached, prepared.key, type: type, request: request, render: prepared.render)
    }

    /// The Cabinet report in `format`, rendered from a view.
    func preparedReport(_ format: CabinetReport.Format, type: String) -> FigureViewCache.Prepared {
        let store = ledger.store
        return FigureViewCache.Prepared(key: "report " + type) { view in
            let tree = try store.read { try TreeStatement.read($0, position: view.snapshot.position) }
            let text = CabinetReport.render(
                format, snapshot: view.snapshot, reconciliation: view.reconciliation, figures: view.figures, comparisons: view.comparisons,
                generatedAt: Timestamp.now().description, tree: tree)
            return .init(body: Array((format == .md ? DisplayText.escaped(text, keepingNewlines: true) : text).utf8), version: nil)
        }
    }

    /// The Cabinet report at the head (today's quarter, HTML), worked out once the server has
    /// started, so that the first people to ask do not wait for it.
    func prepareDefaultReport() async {
        _ = try? await cachedView(ReadPoint(), nil, trend: true, prepared: self.preparedReport(.html, type: "text/html; charset=utf-8"))
    }

    func log(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try Query(request.uri.query, allowed: Query.point.union(["stream", "from", "limit"]))
        let point = try query.readPoint()
        let from = try query.position("from") ?? 1
        let limit = try query.count("limit", range: 1...Self.logLimit) ?? Self.logLimit
        let stream = query["stream"]
        if let stream, let problem = Self.streamParameterProblem(stream) {
            throw Problem(.invalidStreamId, "stream \(DisplayText.quoted(stream)) cannot name a stream: \(problem)")
        }
        switch stream {
        case nil:
            guard Authorization.readsWholeLog(identity.role) else {
                throw Problem.forbidden("the role \(identity.role.rawValue) reads the log one stream at a time (stream=contract/REFERENCE)")
            }
        case AccessEvent.stream?:
            guard Authorization.readsAccessStream(identity.role) else { throw Problem.forbidden("only administrators and auditors read the access stream") }
        case let stream?:
            // A supplier reads the reference data everyone reads (policies, catalogs, councils),
            // and its own contracts' streams; the prefixes are the domain's own.
            if identity.role == .supplier, !ReferenceData.streamPrefixes.contains(where: { stream.hasPrefix($0) }) {
                guard let named = ContractEvent.reference(ofStream: stream) else {
                    throw Problem(.notFound, kind: "stream-not-found", category: "notFound", "no stream \(DisplayText.excerpt(stream))")
                }
                let reference = try Self.existingReference(named)
                if try await !offload({ try self.supplierOwns(reference, identity) }) { throw Problem.contractNotFound(reference) }
            }
        }
        let lines = try await offload { () throws -> String in
            let through = try point.position(in: self.ledger)
            var text = ""
            var printed = 0
            try self.ledger.store.read { reader in
                let emit: (RecordedEvent) -> Bool = { event in
                    guard event.position >= from else { return true }
                    text += event.exportedEnvelope.canonicalText + "\n"
                    printed += 1
                    return printed < limit
                }
                if let stream {
                    try reader.forEachEvent(inStream: stream, through: through, emit)
                } else {
                    try reader.forEachEvent(from: from, through: through, emit)
                }
            }
            return text
        }
        return Self.text(lines, type: "application/x-ndjson")
    }

    /// A follower's health: its head, and how far behind its primary it is, from what
    /// `svledger follow` last wrote beside the ledger (``FollowerStatus``). Lag in events is what
    /// the primary held at the follower's last poll and the follower did not; lag in seconds (whole,
    /// rounded up) and milliseconds is the time since the follower last held everything the
    /// primary held.
    func followerHealth(head: LedgerHead) -> JSONValue {
        guard var status = FollowerStatus.read(ledgerDirectory: ledger.store.environment.path) else {
            return ["status": "ok", "head": head.json, "follower": ["primary": settings.primary.map { .string($0) } ?? .null, "following": false]]
        }
        status.head = head
        let lag = status.lagSeconds(now: Timestamp.now())
        return [
            "status": "ok", "head": head.json,
            "follower": [
                "primary": .string(status.primary), "following": true, "primaryHead": .integer(Int64(status.primaryHead)),
                "lagEvents": .integer(Int64(status.lagEvents)),
                "lagSeconds": lag.map { .integer(Int64($0.rounded(.up))) } ?? .null,
                "lagMilliseconds": lag.map { .integer(Int64(($0 * 1000).rounded())) } ?? .null,
                "checkedAt": status.checkedAt.map { .string($0.description) } ?? .null,
                "problem": status.problem.map { .string($0) } ?? .null,
            ],
        ]
    }

    /// Why `stream` is not a stream name `GET /log` takes, as the OpenAPI document says
    /// (`^[ -~]{1,200}$`): 1 to 200 printable ASCII characters, which every stream svledger
    /// writes is. `nil` if it is one.
    static func streamParameterProblem(_ stream: String) -> String? {
        if let problem = EventStore.streamIdProblem(stream) { return problem }
        if !stream.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return "a stream read over HTTP is named in printable ASCII" }
        return nil
    }

    /// The most events one `GET /log` returns; page on with `from`.
    static let logLimit = 10_000

    func verify(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = try Query(request.uri.query, allowed: ["expect-head"])
        var expected: ExpectedHead?
        if let text = query["expect-head"] {
            guard let head = ExpectedHead(text) else {
                throw Problem(.invalidQuery, "expect-head needs a whole head, POSITION:HASH or the 64-hex-digit hash alone, got \(DisplayText.quoted(text))")
            }
            expected = head
        }
        let expectedHead = expected
        return Self.json(try await offload {
            let report: VerificationReport
            do {
                report = try self.ledger.verifyAll(expectedHead: expectedHead)
            } catch let failure as VerificationFailure where expectedHead != nil {
                // The ledger itself may be sound and only the head given not in it: that is the
                // caller's answer (422), not a fault of the server's.
                _ = try self.ledger.verifyAll()
                throw Problem(.expectedHeadMismatch, "the ledger verifies, but \(failure)")
            }
            return VerifyDocument.json(events: UInt64(report.eventCount), streams: UInt64(report.streamCount), head: report.head)
        })
    }
}
