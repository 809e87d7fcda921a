import LedgerValues

/// An access command refused by a rule, or a request whose credentials do not hold.
public struct AccessError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Rule: String, Sendable {
        case invalidInput = "invalid-input"
        /// Only an administrator manages access (the first one excepted: see ``AccessState``).
        case notAnAdministrator = "not-an-administrator"
        case alreadyGranted = "access-already-granted"
        case notGranted = "access-not-granted"
        /// A supplier's grant names its organisation; no other role's does.
        case supplierOrganisation = "supplier-organisation"
        /// The last administrator cannot be revoked: nobody could manage access after.
        case lastAdministrator = "last-administrator"
        case unknownToken = "unknown-token"
        case tokenRevoked = "token-revoked"
        case tokenExpired = "token-expired"
    }

    public let rule: Rule
    public let message: String

    public init(_ rule: Rule, _ message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(message) (rule: \(rule.rawValue))" }
}

extension AccessError: CategorizedError {
    public var kind: String { rule.rawValue }
    public var category: ErrorCategory { rule == .invalidInput ? .input : .refused }
    public var line: String { description }
}
