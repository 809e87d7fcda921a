import LedgerValues

/// What happens to access, recorded as events in the ledger's `access` stream, so that an
/// auditor can answer "who held this right on that day, and who granted it": the granting
/// actor is the event's actor, and its time the event's.
public enum AccessEvent: Sendable, Equatable {
    /// `account` holds `role` from now on (for a supplier, acting for `supplier`).
    case granted(account: String, role: Role, supplier: String?)
    /// `account` no longer holds `role`; its tokens for that role stop working.
    case revoked(account: String, role: Role)
    /// A token for `account` acting as `role`. Only the token's SHA-256 is recorded: the
    /// token itself is shown once, to the one who asked for it.
    case tokenIssued(tokenId: String, account: String, role: Role, sha256: String, expiresOn: CalendarDate?)
    case tokenRevoked(tokenId: String)
    /// `account` was sent a one-time link to choose its password, open until `expiresOn`. The
    /// link's secret is never recorded: it is kept, hashed, with the credentials.
    case invited(account: String, expiresOn: CalendarDate)
    /// `account` chose a new password (the event's actor is the account itself). The password
    /// and its hash are never recorded.
    case passwordSet(account: String)

    public static let stream = "access"

    public var type: String {
        switch self {
        case .granted: "AccessGranted"
        case .revoked: "AccessRevoked"
        case .tokenIssued: "AccessTokenIssued"
        case .tokenRevoked: "AccessTokenRevoked"
        case .invited: "AccessInvited"
        case .passwordSet: "AccessPasswordSet"
        }
    }

    public var payload: JSONValue {
        switch self {
        case .granted(let account, let role, let supplier):
            ["account": .string(account), "role": .string(role.rawValue), "supplier": supplier.map { .string($0) } ?? .null]
        case .revoked(let account, let role):
            ["account": .string(account), "role": .string(role.rawValue)]
        case .tokenIssued(let tokenId, let account, let role, let sha256, let expiresOn):
            [
                "tokenId": .string(tokenId), "account": .string(account), "role": .string(role.rawValue), "sha256": .string(sha256),
                "expiresOn": expiresOn.map { .string($0.description) } ?? .null,
            ]
        case .tokenRevoked(let tokenId):
            ["tokenId": .string(tokenId)]
        case .invited(let account, let expiresOn):
            ["account": .string(account), "expiresOn": .string(expiresOn.description)]
        case .passwordSet(let account):
            ["account": .string(account)]
        }
    }

    /// The event of a stored type and payload; `nil` for a type that is not an access event.
    /// - Throws: ``AccessError`` when an access event's payload does not read.
    public init?(type: String, payload: JSONValue) throws(AccessError) {
        func string(_ key: String) throws(AccessError) -> String {
            guard case .string(let text)? = payload[key] else { throw AccessError(.invalidInput, "\(type) has no \(key)") }
            return text
        }
        func role() throws(AccessError) -> Role {
            let name = try string("role")
            guard let role = Role(rawValue: name) else { throw AccessError(.invalidInput, "\(type) names an unknown role \"\(name)\"") }
            return role
        }
        switch type {
        case "AccessGranted":
            let supplier: String? = if case .string(let name)? = payload["supplier"] { name } else { nil }
            self = .granted(account: try string("account"), role: try role(), supplier: supplier)
        case "AccessRevoked":
            self = .revoked(account: try string("account"), role: try role())
        case "AccessTokenIssued":
            let expires: CalendarDate? = if case .string(let day)? = payload["expiresOn"] { CalendarDate(day) } else { nil }
            self = .tokenIssued(tokenId: try string("tokenId"), account: try string("account"), role: try role(), sha256: try string("sha256"), expiresOn: expires)
        case "AccessTokenRevoked":
            self = .tokenRevoked(tokenId: try string("tokenId"))
        case "AccessInvited":
            guard let expires = CalendarDate(try string("expiresOn")) else { throw AccessError(.invalidInput, "\(type) has no expiresOn date") }
            self = .invited(account: try string("account"), expiresOn: expires)
        case "AccessPasswordSet":
            self = .passwordSet(account: try string("account"))
        default:
            return nil
        }
    }
}
