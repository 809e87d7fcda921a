import Access
import Credentials
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import LedgerValues

/// The gate of every page of the web app, declared where the route is (``RouteAccess``):
///
/// - every answer carries the headers a page needs (a content security policy with no script
///   and nothing from elsewhere, no framing, no sniffing, no referrer beyond our origin, no
///   caching of personal pages);
/// - a form (any unsafe method) must come from our own origin, by `Origin` or, failing that,
///   `Sec-Fetch-Site`, or it is refused 403 before anything is read or written;
/// - a signed-in page needs a live session whose grant still holds (a revoked grant ends the
///   session at this request), in a role the page's operation allows; and its forms must carry
///   the session's form token. The form is read here, once, so no handler can forget the check.
struct WebGate: RouterMiddleware {
    typealias Context = ServerContext
    let access: RouteAccess
    let server: LedgerServer
    /// The route's path names a contract (``RouteTable/contractParameter``): a supplier's
    /// request for one not its own gets the page a missing contract gets.
    let namesContract: Bool

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var response = try await admit(request, context: context, next: next)
        Self.addPageHeaders(&response.headers)
        return response
    }

    private func admit(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context
        let unsafe = ![.get, .head, .options].contains(request.method)
        if unsafe {
            guard Self.sameOrigin(request) else {
                return WebResponse.refused("This form did not come from one of svledger's own pages, so nothing was done.")
            }
            // A form with a file may be as large as the API's bodies (a return's, as a return
            // with its evidence files); any other stays small.
            let boundary = WebForm.multipartBoundary(request.headers[.contentType])
            // Only someone signed in may send that much: nobody else makes the server hold it.
            let withEvidence = context.sessions.session != nil
                && (request.uri.path.hasSuffix("/return") || request.uri.path.hasSuffix("/correction") || request.uri.path.hasSuffix("/spreadsheet"))
            let limit = boundary == nil ? WebForm.limit : withEvidence ? server.settings.evidenceBodyLimit : server.settings.bodyLimit
            let body = try? await request.body.collect(upTo: limit)
            let form = body.flatMap { body in boundary.map { WebForm(multipart: Array(buffer: body), boundary: $0) } ?? WebForm(body: Array(buffer: body)) }
            guard let form else {
                return WebResponse.refused("That form could not be read, so nothing was done. Go back, and send it again.")
            }
            context.form = form
        }
        guard case .page(let operation) = access else { return try await next(request, context) }

        guard var session = context.sessions.session else { return WebResponse.signIn(then: request.uri.string) }
        // Half signed in: the password was right, the second factor's code not yet given.
        // Signing out is open to it, so that nobody is held there.
        if session.secondFactor != nil, request.uri.path != "/app/sign-out" {
            return WebResponse.redirect("/app/sign-in/code?next=" + request.uri.string.addingFormEncoding)
        }
        let now = Timestamp.now()
        let state = try await offload { try server.ledger.currentAccessState() }
        guard now.millisecondsSinceEpoch - session.startedAt < WebSession.lifetime,
            let grant = state.grant(of: session.account, session.role), grant.grantedAt.millisecondsSinceEpoch == session.grantedAt
        else {
            context.sessions.clearSession()
            return WebResponse.signIn(then: request.uri.string, notice: "You have been signed out. Sign in again to carry on.")
        }
        if unsafe {
            guard let sent = context.form?["formToken"], Self.equal(sent, session.formToken) else {
                return WebResponse.refused("This form has expired or did not come from this session, so nothing was done. Go back, reload the page and send it again.")
            }
        }
        let identity = AccessState.Identity(account: session.account, role: session.role, supplier: grant.supplier, tokenId: "session")
        context.identity = identity
        context.observedIdentity?.value = identity
        if let operation, !Authorization.allows(operation, session.role) {
            return WebResponse.page(status: .forbidden, title: "You cannot see this page", session: session, main: """
                <h1>You cannot see this page</h1>
                <p>The role \(session.role.rawValue) does not give access to it. <a href="/app">Go to your contracts</a>.</p>
                """)
        }
        if namesContract, try await !server.reaches(contractIn: context, identity) { return WebResponse.notFound(session: session) }
        // Push the idle timeout back, at most once a minute (each push writes the session).
        if now.millisecondsSinceEpoch - session.seenAt > 60_000 {
            session.seenAt = now.millisecondsSinceEpoch
            _ = context.sessions.updateSession(session, expiresIn: WebSession.idle)
        }
        return try await next(request, context)
    }

    /// Whether an unsafe request comes from a page of this server: its `Origin` names this
    /// server's host and port (as `Host` does; either scheme, since a proxy in front may end
    /// TLS), or, for a browser that sends no `Origin`, its `Sec-Fetch-Site` is `same-origin`.
    /// A request with neither is refused.
    static func sameOrigin(_ request: Request) -> Bool {
        if let origin = request.headers[.origin] {
            guard let host = request.head.authority else { return false }
            return origin == "https://" + host || origin == "http://" + host
        }
        return request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "same-origin"
    }

    /// Compares two tokens in time that does not depend on where they first differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func addPageHeaders(_ headers: inout HTTPFields) {
        // A page may set a stricter or its own policy (the Cabinet report's document does).
        if headers[HTTPField.Name("Content-Security-Policy")!] == nil { headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy }
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }
}
