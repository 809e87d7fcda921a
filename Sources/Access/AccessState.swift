import LedgerValues

/// Who holds which role, and which tokens are live: the `access` stream folded.
public struct AccessState: Sendable, Equatable {
    /// A role an account holds, with the grant's details.
    public struct Grant: Sendable, Equatable {
        public let account: String
        public let role: Role
        public let supplier: String?
        /// Who granted it, and when (the grant event's actor and recorded time).
        public let grantedBy: String
        public let grantedAt: Timestamp
    }

    public struct Token: Sendable, Equatable {
        public let tokenId: String
        public let account: String
        public let role: Role
        public let sha256: String
        public let expiresOn: CalendarDate?
        /// Why the token no longer works, for good: `nil` while it may.
        public var revocation: Revocation?

        public var revoked: Bool { revocation != nil }

        /// What the token is on `day`: live, expired, or revoked (itself, or its grant).
        public func status(on day: CalendarDate) -> Status {
            switch revocation {
            case .token?: .revoked
            case .grant?: .grantRevoked
            case nil: expiresOn.map { day > $0 } == true ? .expired : .live
            }
        }
    }

    /// How a token was ended. A revoked grant ends every token issued under it: granting the
    /// account the role again (perhaps for another organisation) needs new tokens, so that an
    /// old token never comes back to life with rights it was not issued for.
    public enum Revocation: String, Sendable, Equatable {
        case token
        case grant
    }

    /// A token's state as a listing shows it.
    public enum Status: String, Sendable, Equatable {
        case live
        case expired
        case revoked
        case grantRevoked = "grant-revoked"
    }

    /// The identity a request acts as, once its token is checked.
    public struct Identity: Sendable, Equatable {
        public let account: String
        public let role: Role
        /// The organisation a supplier acts for; `nil` for every other role.
        public let supplier: String?
        public let tokenId: String

        public init(account: String, role: Role, supplier: String?, tokenId: String) {
            self.account = account
            self.role = role
            self.supplier = supplier
            self.tokenId = tokenId
        }
    }

    public private(set) var grants: [Grant] = []
    public private(set) var tokens: [String: Token] = [:]
    private var tokenBySHA256: [String: String] = [:]
    /// When each account was last invited to choose a password, and last chose one.
    public private(set) var signIns: [String: SignInFacts] = [:]

    /// What the log says of an account's password (never the password).
    public struct SignInFacts: Sendable, Equatable {
        public var invitedAt: Timestamp?
        public var invitedBy: String?
        public var passwordSetAt: Timestamp?
    }

    public init() {}

    public var hasAdministrator: Bool { grants.contains { $0.role == .administrator } }

    public func grant(of account: String, _ role: Role) -> Grant? { grants.first { $0.account == account && $0.role == role } }

    public func holders(of role: Role) -> [Grant] { grants.filter { $0.role == role } }

    /// The roles `account` holds, in the order granted.
    public func grants(of account: String) -> [Grant] { grants.filter { $0.account == account } }

    /// Folds one event of the `access` stream, with its envelope's actor and time.
    public mutating func evolve(_ event: AccessEvent, actor: String, at time: Timestamp) {
        switch event {
        case .granted(let account, let role, let supplier):
            grants.append(Grant(account: account, role: role, supplier: supplier, grantedBy: actor, grantedAt: time))
        case .revoked(let account, let role):
            grants.removeAll { $0.account == account && $0.role == role }
            for (id, token) in tokens where token.account == account && token.role == role && token.revocation == nil {
                tokens[id]?.revocation = .grant
            }
        case .tokenIssued(let tokenId, let account, let role, let sha256, let expiresOn):
            tokens[tokenId] = Token(tokenId: tokenId, account: account, role: role, sha256: sha256, expiresOn: expiresOn, revocation: nil)
            tokenBySHA256[sha256] = tokenId
        case .tokenRevoked(let tokenId):
            tokens[tokenId]?.revocation = .token
        case .invited(let account, _):
            signIns[account, default: SignInFacts()].invitedAt = time
            signIns[account, default: SignInFacts()].invitedBy = actor
        case .passwordSet(let account):
            signIns[account, default: SignInFacts()].passwordSetAt = time
        }
    }

    /// The identity a token's SHA-256 stands for on `day`: refused when no token has it, when
    /// it was revoked or has expired, or when its account no longer holds its role.
    public func identity(sha256: String, on day: CalendarDate) throws(AccessError) -> Identity {
        guard let tokenId = tokenBySHA256[sha256], let token = tokens[tokenId] else {
            throw AccessError(.unknownToken, "the token is not one this ledger issued")
        }
        switch token.revocation {
        case .token?: throw AccessError(.tokenRevoked, "token \(tokenId) was revoked")
        case .grant?: throw AccessError(.tokenRevoked, "token \(tokenId) ended when \(token.account)'s role \(token.role.rawValue) was revoked; a new grant needs new tokens")
        case nil: break
        }
        if let expires = token.expiresOn, day > expires { throw AccessError(.tokenExpired, "token \(tokenId) expired on \(expires)") }
        guard let grant = grant(of: token.account, token.role) else {
            throw AccessError(.tokenRevoked, "\(token.account) no longer holds the role \(token.role.rawValue)")
        }
        return Identity(account: token.account, role: token.role, supplier: grant.supplier, tokenId: tokenId)
    }
}
