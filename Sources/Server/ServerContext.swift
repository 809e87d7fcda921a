import Access
import Hummingbird

/// The request context: Hummingbird's core storage and, once the bearer token is checked,
/// the identity the request acts as (account, role, a supplier's organisation).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: AccessState.Identity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The identity of an authenticated route (the gate has set it before any handler runs).
    func requireIdentity() throws -> AccessState.Identity {
        guard let identity else { throw Problem.unauthenticated("this route needs a bearer token") }
        return identity
    }
}
