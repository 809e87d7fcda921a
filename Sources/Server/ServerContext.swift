import Access
import Hummingbird
import HummingbirdAuth
import NIOCore
import Synchronization

/// The request context: Hummingbird's core storage and, once the bearer token is checked,
/// the identity the request acts as (account, role, a supplier's organisation).
public struct ServerContext: RequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: AccessState.Identity?
    /// The web app's session, loaded and saved by hummingbird-auth's `SessionMiddleware`.
    public let sessions: SessionContext<WebSession>
    /// A web form's fields, read and checked (its form token) by ``WebGate`` before the handler.
    var form: WebForm?
    /// Where a route's gate leaves the identity for the middleware outside it, which logs the
    /// account once the answer is written (a context is passed inwards by value).
    var observedIdentity: SharedIdentity?
    /// The client's connection: a read waiting its turn is dropped when it closes.
    public let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        channel = source.channel
        observedIdentity = nil
        sessions = SessionContext()
        form = nil
    }

    /// The identity of an authenticated route (the gate has set it before any handler runs).
    func requireIdentity() throws -> AccessState.Identity {
        guard let identity else { throw Problem.unauthenticated("this route needs a bearer token") }
        return identity
    }
}

/// The identity a request's gate found, for the log line written after the answer.
final class SharedIdentity: Sendable {
    private let stored = Mutex<AccessState.Identity?>(nil)
    var value: AccessState.Identity? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
