import EventStore
import LedgerValues
import PostgresNIO
import Synchronization

/// Which of two racing tasks answers first: the other's answer is dropped.
final class FirstAnswer: Sendable {
    private let answered = Mutex(false)
    /// True for the first caller only.
    func claim() -> Bool { answered.withLock { done in defer { done = true }; return !done } }
}

/// A hub failure that is not the chain's: a migration, or the database's answer, said in one
/// line (never the SQL and its bindings).
public struct HubError: Error, Sendable, CustomStringConvertible, CategorizedError {
    public let description: String
    /// The database was away (restarting, the network): worth trying again.
    public let transient: Bool

    init(_ description: String, transient: Bool = false) {
        self.description = description
        self.transient = transient
    }

    public var kind: String { transient ? "hub-database-unavailable" : "hub-failed" }
    public var category: ErrorCategory { transient ? .conflict : .storage }

    /// What PostgresNIO threw, as the hub says it: a refusal of the chain thrown inside a
    /// transaction is given back as it was.
    static func translated(_ error: any Error) -> any Error {
        switch error {
        case is ReplicationRefusal, is HubError: return error
        case let failure as PostgresTransactionError:
            for inner in [failure.closureError, failure.beginError, failure.commitError].compactMap({ $0 }) where !(inner is PostgresTransactionError) {
                return translated(inner)
            }
            return HubError("the hub's database: a transaction failed", transient: failure.rollbackError.map { translatedIsTransient($0) } ?? false)
        case let failure as PSQLError:
            let message = failure.serverInfo?[.message].map { ": \($0)" } ?? ""
            return HubError("the hub's database: \(failure.code)\(message)", transient: translatedIsTransient(failure))
        default:
            return HubError("the hub's database: \(String(describing: error).prefix(300))")
        }
    }

    /// A connection lost or refused, or the server shutting down or restarting (SQLSTATE 08…, 57P…).
    static func translatedIsTransient(_ error: any Error) -> Bool {
        guard let failure = error as? PSQLError else { return false }
        switch failure.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown: return true
        case .server:
            let state = failure.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P")
        default: return false
        }
    }
}
