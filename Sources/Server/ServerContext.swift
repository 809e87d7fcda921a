import Access
import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage and, once the bearer token is checked,
/// the identity the request acts as (account, role, a supplier's organisation).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: AccessState.Identity?
    /// The client's connection: a read waiting its turn is dropped when it closes.
    public let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        channel = source.channel
    }

    /// The identity of an authenticated route (the gate has set it before any handler runs).
    func requireIdentity() throws -> AccessState.Identity {
        guard let identity else { throw Problem.unauthenticated("this route needs a bearer token") }
        return identity
    }
}
