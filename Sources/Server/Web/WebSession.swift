import Access
import Credentials
import Foundation
import Hummingbird
import LedgerValues

/// What a signed-in person's session holds: who they are, in which role, the form token that
/// proves a form came from one of our pages, and when it began. The role is checked against
/// the ledger's grants at every request, so revoking it ends the session there and then.
public struct WebSession: Codable, Sendable, Equatable {
    let account: String
    let role: Role
    /// When the grant this session acts under was made: a grant revoked and made again is a new
    /// grant, and does not bring an old session back.
    let grantedAt: Int64
    /// The synchronizer token every form of this session carries (256 random bits).
    let formToken: String
    /// Milliseconds since the epoch: the session ends ``WebSession/lifetime`` after it began,
    /// however busy.
    let startedAt: Int64
    /// When the idle timeout was last pushed back (it is, at most once a minute).
    var seenAt: Int64
    /// Set between the password and the second factor's code: the session opens no page but
    /// the code's until the code is right.
    var secondFactor: PendingFactor?

    enum PendingFactor: Codable, Sendable, Equatable {
        /// The account has a second factor: its code is asked for.
        case code
        /// An administrator without one sets it up now: this secret, confirmed by a code.
        case enrol(secret: String)
    }

    /// A session ends after 30 minutes without a request...
    static let idle: Duration = .seconds(30 * 60)
    /// ...and 12 hours after sign-in, whatever happens.
    static let lifetime: Int64 = 12 * 60 * 60 * 1000

    /// How long the code is waited for after the password, before signing in starts again.
    static let secondFactorWait: Duration = .seconds(10 * 60)

    static let cookie = "svledger_session"
}

/// The sessions kept in the ledger's credentials (``CredentialStore``), as hummingbird-auth's
/// `SessionMiddleware` asks a storage driver to: each under its id's SHA-256, with its expiry.
struct CredentialSessionDriver: PersistDriver {
    let credentials: CredentialStore

    func run() async throws {}

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        guard try credentials.session(key, now: Timestamp.now()) == nil else { throw PersistError.duplicate }
        try await set(key: key, value: value, expires: expires)
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let now = Timestamp.now()
        let until: Timestamp
        if let expires {
            until = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + expires.milliseconds)
        } else if let (_, ttl) = try credentials.sessionWithExpiry(key, now: now) {
            until = ttl
        } else {
            until = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + WebSession.idle.milliseconds)
        }
        let bytes = try JSONEncoder().encode(value)
        try credentials.putSession(key, value: Array(bytes), expires: until, now: now)
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let now = Timestamp.now()
        guard let (bytes, expires) = try credentials.sessionWithExpiry(key, now: now) else { return nil }
        guard let object = try? JSONDecoder().decode(Object.self, from: Data(bytes)) else { throw PersistError.invalidConversion }
        return (object, .milliseconds(expires.millisecondsSinceEpoch - now.millisecondsSinceEpoch))
    }

    func remove(key: String) async throws {
        try credentials.removeSession(key)
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
