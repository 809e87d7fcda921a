import Hummingbird
import HTTPTypes

/// Who may call a route, declared where it is registered: open to anyone, or an operation of
/// ``Authorization`` (a token, and a role the operation allows). The route's gate
/// (``AccessGate``) enforces it before the handler runs, so no handler can forget to.
enum RouteAccess: Sendable, Equatable {
    case open
    case operation(Operation)
    /// A page of the web app open to anyone (signing in, an invitation): its forms must come
    /// from our own pages (``WebGate``).
    case openPage
    /// A page for someone signed in, in a role the operation allows (`nil`: any role); its
    /// forms carry the session's form token (``WebGate``).
    case page(Operation?)
}

/// A route as the server knows it: its template (the metrics label), its methods, each with
/// who may call it.
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

    /// The route a request's path names, if any.
    static func matching(_ request: Request, in routes: [Route]) -> Route? {
        let path = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        return routes.first { $0.matches(Array(path)) }
    }
}

/// One controller's routes: each registered with its access, media types and weight, which
/// the server's own rules (405, 406) and the tests read, and which become one Hummingbird
/// `RouteCollection` with each route behind its gate (``collection(gatedBy:)``).
final class RouteTable {
    private struct Endpoint {
        let method: HTTPRequest.Method
        let path: RouterPath
        let access: RouteAccess
        let heavy: Bool
        /// The path names a contract (`{contract}`): a supplier reaches it only if it is its own.
        let namesContract: Bool
        let handler: @Sendable (Request, ServerContext) async throws -> Response
    }

    private(set) var routes: [Route] = []
    private var endpoints: [Endpoint] = []

    /// `template` in the OpenAPI style, `/contracts/{contract}`; `access` is required, so no
    /// route is registered without saying who may call it.
    func add(
        _ method: HTTPRequest.Method, _ template: String, access: RouteAccess, produces: [String] = ["application/json"], heavy: Bool = false,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        let segments: [String?] = template.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
        let routerPath = "/" + template.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }.joined(separator: "/")
        endpoints.append(Endpoint(
            method: method, path: RouterPath(routerPath), access: access, heavy: heavy, namesContract: template.contains(Self.contractParameter),
            handler: handler))
        if let index = routes.firstIndex(where: { $0.template == template }) {
            routes[index].methods.append(method)
            routes[index].access[method] = access
        } else {
            routes.append(Route(template: template, segments: segments, methods: [method], access: [method: access], produces: produces, heavy: heavy))
        }
    }

    /// A method that asks the server to change something (a follower answers it 503).
    static func writes(_ method: HTTPRequest.Method) -> Bool { ![.get, .head, .options].contains(method) }

    /// The path parameter that names a contract. On every route that has it, the route's gate
    /// answers a supplier's request for a contract not its own as not found, before the handler
    /// runs: the supplier scope is the route's, not each handler's to remember.
    static let contractParameter = "{contract}"

    /// The controller as a `RouteCollection`: each route in a group of its own, behind its gate
    /// and, when heavy, its turn among the reads.
    func collection(gatedBy server: LedgerServer) -> RouteCollection<ServerContext> {
        let collection = RouteCollection(context: ServerContext.self)
        for endpoint in endpoints {
            let group = collection.group()
            if server.settings.readOnly, Self.writes(endpoint.method) { group.add(middleware: ReadOnlyGate(primary: server.settings.primary)) }
            switch endpoint.access {
            case .open, .operation: group.add(middleware: AccessGate(access: endpoint.access, server: server, namesContract: endpoint.namesContract))
            case .openPage, .page: group.add(middleware: WebGate(access: endpoint.access, server: server, namesContract: endpoint.namesContract))
            }
            if endpoint.heavy { group.add(middleware: ReadTurn(limiter: server.reads)) }
            let handler = endpoint.handler
            group.on(endpoint.path, method: endpoint.method) { request, context in try await handler(request, context) }
        }
        return collection
    }
}
