import Access
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import LedgerValues
import Ledger
import Queries
import Logging
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// `svledger serve`: one ledger shared over HTTP by people in different roles.
///
/// It calls the same `Ledger`, `Queries` and `Reports` code as the CLI and answers with the
/// same JSON documents. Every request but `/healthz` and `/metrics` carries a bearer token,
/// checked against the ledger's own `access` stream; the identity it stands for decides what
/// the request may do, and is the actor recorded in the events it writes. Every error is
/// `application/problem+json`. Writes go through one writer, in arrival order.
public final class LedgerServer: Sendable {
    public let ledger: Ledger
    public let settings: ServerSettings
    public let metrics = ServerMetrics()
    let logger: Logger
    let committer: GroupCommitter
    let idempotency: IdempotencyStore
    let figureViews = FigureViewCache()
    /// The log folded once at start and kept at the head by each commit (and by each read, for
    /// what another process wrote): every read at the head starts from it.
    public let live: LiveFold
    let reads: ReadLimiter
    /// Today's date (UTC), for token expiry and commands' default effective date; tests set it.
    let today: @Sendable () -> CalendarDate

    /// Folds the whole log once (``LiveFold``): at 1M events, a few seconds.
    public init(ledger: Ledger, settings: ServerSettings = ServerSettings(), logger: Logger? = nil, today: @escaping @Sendable () -> CalendarDate = { Timestamp.now().date }) throws {
        self.ledger = ledger
        live = try LiveFold(store: ledger.store)
        self.settings = settings
        self.logger = logger ?? Logger(label: "svledger.server")
        self.today = today
        idempotency = IdempotencyStore(limit: settings.rememberedKeys)
        reads = ReadLimiter(concurrent: settings.limits.concurrentReads, queued: settings.limits.queuedReads)
        committer = GroupCommitter(maxGroup: settings.groupCommit ? GroupCommitter.largestGroup : 1)
        committer.committing { [weak self] group in
            self?.commitGroup(group) ?? group.map { _ in StoredAnswer(Problem(.serviceUnavailable, kind: "shutting-down", category: "storage", "the server is stopping")) }
        }
    }

    // MARK: The application

    /// The responder every request goes through: routing, 405 with `Allow`, authentication,
    /// problem+json for every error, metrics and one log line per request.
    public func responder() -> ServerResponder {
        let routes = RouteTable(router: Router(context: ServerContext.self, options: .autoGenerateHeadEndpoints))
        addRoutes(routes)
        return ServerResponder(routes: routes.table, inner: routes.router.buildResponder(), server: self)
    }

    /// The Hummingbird application on the settings' address, over TLS when given a certificate.
    /// - Parameter onListening: called with the port bound (useful with port 0).
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> Application<ServerResponder> {
        try settings.check()
        let limits = settings.limits
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(headerTimeout: TimeAmount(limits.headerTimeout), bodyTimeout: TimeAmount(limits.bodyTimeout))],
            idleTimeout: TimeAmount(limits.idleTimeout))
        let server: HTTPServerBuilder
        if let tls = settings.tls {
            server = try .tls(.http1(configuration: http1), tlsConfiguration: try Self.tlsConfiguration(tls))
        } else {
            server = .http1(configuration: http1)
        }
        return Application(
            responder: responder(), server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(settings.host, port: settings.port), serverName: "svledger",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    static func tlsConfiguration(_ files: ServerSettings.TLSFiles) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
            guard !chain.isEmpty else { throw PlainError(.input, kind: "tls-unreadable", "\(files.certificate) holds no PEM certificate") }
            let key = try NIOSSLPrivateKey(file: files.key, format: .pem)
            let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            // Made once here, so that a key that is not the certificate's is said before listening.
            do {
                _ = try NIOSSLContext(configuration: configuration)
            } catch NIOSSLError.failedToLoadPrivateKey {
                throw PlainError(
                    .input, kind: "tls-key-mismatch",
                    "the key \(files.key) is not the private key of the certificate \(files.certificate): give the key the certificate was issued for")
            }
            return configuration
        } catch let error as PlainError {
            throw error
        } catch {
            throw PlainError(.input, kind: "tls-unreadable", "cannot use the certificate \(files.certificate) with the key \(files.key): \(error)")
        }
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully (swift-service-lifecycle):
    /// the listener closes, requests in flight finish and are answered within the drain
    /// deadline (then cancelled), writes acknowledged before are durable (each is acknowledged
    /// only after its commit).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try application(onListening: onListening)
        var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Past the drain deadline what is still under way (a slow client, a long read) is
        // cancelled; a write is answered within a commit, far inside it.
        configuration.maximumGracefulShutdownDuration = settings.limits.drain
        configuration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: configuration)
        try await group.run()
        logger.info("stopped")
    }

    // MARK: Authentication

    /// The identity a request's bearer token stands for, from the access state folded once
    /// per change of the access stream.
    func authenticate(_ request: Request) throws -> AccessState.Identity {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthenticated("this route needs an Authorization: Bearer <token> header (svledger access token issue)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw Problem.unauthenticated("the Authorization header must be Bearer <token>", kind: "invalid-authorization")
        }
        let state = try ledger.currentAccessState()
        do {
            return try state.identity(sha256: AccessToken.sha256(String(parts[1])), on: today())
        } catch {
            throw Problem.unauthenticated(error.message, kind: error.rule.rawValue)
        }
    }
}

/// Runs blocking ledger work (LMDB reads, verification, reports) off Swift's cooperative
/// threads, which a long read would otherwise hold, on a pool of a fixed size: however many
/// requests arrive, at most ``readThreads`` read transactions are open at once, well inside
/// LMDB's reader table (126 slots), and the rest wait their turn.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await readPool.runIfActive(work)
}

let readThreads = 8

/// One pool for the process, started once and never stopped (a stopped pool refuses work).
let readPool: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: readThreads)
    pool.start()
    return pool
}()

// MARK: Routes

/// Who may call a route, declared where it is registered: open to anyone, or an operation of
/// ``Authorization`` (a token, and a role the operation allows). The responder enforces it
/// before the handler runs, so no handler can forget to.
enum RouteAccess: Sendable, Equatable {
    case open
    case operation(Operation)
}

/// A route as the outer responder knows it: its template (the metrics label), its methods,
/// each with who may call it.
struct Route: Sendable {
    let template: String
    /// Fixed segments, and `nil` for a parameter.
    let segments: [String?]
    var methods: [HTTPRequest.Method]
    /// Who may call each method (HEAD as GET).
    var access: [HTTPRequest.Method: RouteAccess]
    /// The media types it answers with (besides problem+json for errors), for `Accept`.
    let produces: [String]
    /// A read that folds or scans the ledger: run within the server's ``ReadLimiter``.
    let heavy: Bool

    func matches(_ path: [Substring]) -> Bool {
        path.count == segments.count && zip(path, segments).allSatisfy { segment, fixed in fixed.map { $0 == segment } ?? !segment.isEmpty }
    }
}

/// Routes registered once with Hummingbird's router and in the table the outer responder
/// matches first, so that a known path with another method is a 405 that says what is allowed.
final class RouteTable {
    let router: Router<ServerContext>
    private(set) var table: [Route] = []

    init(router: Router<ServerContext>) { self.router = router }

    /// `template` in the OpenAPI style, `/contracts/{contract}`.
    func add(
        _ method: HTTPRequest.Method, _ template: String, access: RouteAccess, produces: [String] = ["application/json"], heavy: Bool = false,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        let segments: [String?] = template.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
        let routerPath = "/" + template.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }.joined(separator: "/")
        router.on(RouterPath(routerPath), method: method) { request, context in try await handler(request, context) }
        if let index = table.firstIndex(where: { $0.template == template }) {
            table[index].methods.append(method)
            table[index].access[method] = access
        } else {
            table.append(Route(template: template, segments: segments, methods: [method], access: [method: access], produces: produces, heavy: heavy))
        }
    }
}

/// The outermost responder (see ``LedgerServer/responder()``).
public struct ServerResponder: HTTPResponder {
    public typealias Context = ServerContext
    let routes: [Route]
    let inner: RouterResponder<ServerContext>
    let server: LedgerServer

    public func respond(to request: Request, context: ServerContext) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        var label = "unmatched"
        var response: Response
        do {
            let path = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard let route = routes.first(where: { $0.matches(Array(path)) }) else { throw HTTPError(.notFound) }
            label = route.template
            let allowed = route.methods + (route.methods.contains(.get) ? [.head] : [])
            guard allowed.contains(request.method) else {
                var headers = HTTPFields()
                headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                throw Problem(
                    .methodNotAllowed,
                    "\(route.template) takes \(allowed.map(\.rawValue).joined(separator: ", ")), not \(request.method.rawValue)", headers: headers)
            }
            guard AcceptHeader.admitsAny(request.headers[.accept], route.produces) else {
                throw Problem(
                    .notAcceptable,
                    "\(route.template) answers with \(route.produces.joined(separator: " or ")), which the Accept header \(DisplayText.quoted(request.headers[.accept] ?? "")) does not admit")
            }
            try Self.checkTransferEncoding(request)
            if case .operation(let operation) = route.access[request.method == .head ? .get : request.method] {
                let identity = try server.authenticate(request)
                context.identity = identity
                guard Authorization.allows(operation, identity.role) else {
                    throw Problem.forbidden("the role \(identity.role.rawValue) may not \(LedgerServer.wording(operation))")
                }
            }
            if route.heavy {
                let authenticated = context
                response = try await server.reads.run(on: context.channel) { try await inner.respond(to: request, context: authenticated) }
            } else {
                response = try await inner.respond(to: request, context: context)
            }
        } catch {
            let problem = Problem.from(error)
            if problem.status.code >= 500, problem.kind != ReadLimiter.busy.kind {
                context.logger.error("failed", metadata: ["route": .string(label), "error": .string("\(error)")])
            }
            response = problem.response()
        }
        let elapsed = ContinuousClock.now - started
        server.metrics.request(route: label, method: request.method.rawValue, status: response.status.code, duration: elapsed)
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "route": .string(label), "status": .stringConvertible(response.status.code),
            "ms": .string(String(Double(elapsed.components.attoseconds / 1_000_000_000_000 + elapsed.components.seconds * 1_000_000) / 1000)),
        ]
        if let identity = context.identity {
            metadata["account"] = .string(identity.account)
            metadata["role"] = .string(identity.role.rawValue)
        }
        context.logger.info("request", metadata: metadata)
        return response
    }

    /// A request body is framed by `Content-Length` or by `Transfer-Encoding: chunked`; any
    /// other transfer coding (gzip, identity, a misspelling) cannot be read, so the request is
    /// refused before its body is, and the connection closed (what follows cannot be framed).
    static func checkTransferEncoding(_ request: Request) throws {
        guard let coding = request.headers[.transferEncoding] else { return }
        guard coding.trimmingCharacters(in: " \t").lowercased() != "chunked" else { return }
        var headers = HTTPFields()
        headers[.connection] = "close"
        throw Problem(
            .unsupportedTransferEncoding,
            "Transfer-Encoding \(DisplayText.quoted(coding)) is not one svledger reads: send the body with Content-Length, or Transfer-Encoding: chunked",
            headers: headers)
    }
}
