import Foundation
import Hummingbird
import HTTPTypes
import LedgerValues
import Logging

/// The outermost middleware: every error becomes its problem+json answer, and each request is
/// counted, timed and logged once its body has been written (as Hummingbird's own
/// `MetricsMiddleware` records), so a streamed export is timed to its last byte.
struct ObservedRequests: RouterMiddleware {
    typealias Context = ServerContext
    let server: LedgerServer
    let routes: [Route]

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let label = Route.matching(request, in: routes)?.template ?? "unmatched"
        var response: Response
        // What the gate learnt (the identity) lives in the inner context: the log names the
        // account from the token again only if the gate let the request through.
        let identity = SharedIdentity()
        do {
            var observed = context
            observed.observedIdentity = identity
            response = try await next(request, observed)
        } catch {
            let problem = Problem.from(error)
            if problem.status.code >= 500, problem.kind != ReadLimiter.busy.kind {
                context.logger.error("failed", metadata: ["route": .string(label), "error": .string("\(error)")])
            }
            response = problem.response()
        }
        let status = response.status.code
        let server = self.server, logger = context.logger
        response.body = response.body.afterWriting {
            let elapsed = ContinuousClock.now - started
            server.metrics.request(route: label, method: request.method.rawValue, status: status, duration: elapsed)
            var metadata: Logger.Metadata = [
                "method": .string(request.method.rawValue), "route": .string(label), "status": .stringConvertible(status),
                "ms": .string(String(Double(elapsed.components.attoseconds / 1_000_000_000_000 + elapsed.components.seconds * 1_000_000) / 1000)),
            ]
            if let known = identity.value {
                metadata["account"] = .string(known.account)
                metadata["role"] = .string(known.role.rawValue)
            }
            logger.info("request", metadata: metadata)
        }
        return response
    }
}

/// What Hummingbird's router does not do, from the server's own table: a known path with
/// another method is a 405 with `Allow`; an `Accept` that admits none of the route's media
/// types is a 406, before any work; a transfer coding svledger cannot read is refused before
/// the body is.
struct RouteRules: RouterMiddleware {
    typealias Context = ServerContext
    let routes: [Route]

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let route = Route.matching(request, in: routes) else { throw HTTPError(.notFound) }
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
        return try await next(request, context)
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

/// A route's gate: for an operation, the bearer token is authenticated and its role must be
/// one the operation allows (``Authorization``), and a supplier must own the contract the path
/// names, before the handler runs.
struct AccessGate: RouterMiddleware {
    typealias Context = ServerContext
    let access: RouteAccess
    let server: LedgerServer
    /// The route's path names a contract (``RouteTable/contractParameter``).
    let namesContract: Bool

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard case .operation(let operation) = access else { return try await next(request, context) }
        let identity = try server.authenticate(request)
        context.observedIdentity?.value = identity
        var context = context
        context.identity = identity
        guard Authorization.allows(operation, identity.role) else {
            throw Problem.forbidden("the role \(identity.role.rawValue) may not \(LedgerServer.wording(operation))")
        }
        if namesContract, try await !server.reaches(contractIn: context, identity) {
            throw Problem.contractNotFound(context.parameters.get("contract")?.removingPercentEncoding ?? "")
        }
        return try await next(request, context)
    }
}

/// On a follower (`serve --read-only`), a write is answered 503 `read-only-follower` before
/// anything else, with the same path on the primary as its `Location` when the primary is
/// known: the follower holds only what its primary recorded, and records nothing itself.
struct ReadOnlyGate: RouterMiddleware {
    typealias Context = ServerContext
    let primary: String?

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var headers = HTTPFields()
        var detail = "this server is a read-only follower of another svledger server, and records nothing itself"
        if let primary {
            let location = (primary.hasSuffix("/") ? String(primary.dropLast()) : primary) + request.uri.path
            headers[.location] = location
            detail += "; send it to the primary: \(location)"
        }
        throw Problem(.readOnlyFollower, detail, headers: headers)
    }
}

/// A heavy read waits its turn in the server's ``ReadLimiter`` (or is refused 503 when the
/// queue is full), after its gate, so that only a caller allowed to read takes a place.
struct ReadTurn: RouterMiddleware {
    typealias Context = ServerContext
    let limiter: ReadLimiter

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        try await limiter.run(on: context.channel) { try await next(request, context) }
    }
}

extension ResponseBody {
    /// The same body, calling `finished` once it has been written to the connection (or its
    /// writing failed): when a request is really over, as Hummingbird's own metrics count it.
    func afterWriting(_ finished: @escaping @Sendable () -> Void) -> ResponseBody {
        let body = self
        return ResponseBody(contentLength: body.contentLength) { writer in
            defer { finished() }
            try await body.write(writer)
        }
    }
}
