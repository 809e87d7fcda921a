import LedgerValues

/// An access command, decided against the folded ``AccessState`` like the domain's commands.
public enum AccessCommand: Sendable, Equatable {
    case grant(account: String, role: Role, supplier: String?)
    case revoke(account: String, role: Role)
    /// `sha256` is of a token the caller generated (at least 256 random bits) and shows once.
    case issueToken(tokenId: String, account: String, role: Role, sha256: String, expiresOn: CalendarDate?)
    case revokeToken(tokenId: String)
    /// Records that `account`, which holds a role, was sent a link to choose a password.
    case invite(account: String, expiresOn: CalendarDate)
    /// Records that `account` chose a password; the account itself is the actor.
    case setPassword(account: String)
}

extension AccessState {
    /// The event `command` records when `actor` asks for it on `today`, or the rule that refuses it.
    ///
    /// Only an administrator manages access. The one exception makes the first: while the
    /// ledger has no administrator, whoever can write its file (the command line on the
    /// server's machine) may grant the administrator role, and the grant records who did.
    public func decide(_ command: AccessCommand, actor: String, today: CalendarDate) throws(AccessError) -> AccessEvent {
        if case .setPassword(let account) = command {
            guard actor == account else { throw AccessError(.notAnAdministrator, "only \(account) chooses its own password") }
            guard !grants(of: account).isEmpty else { throw AccessError(.notGranted, "\(account) holds no role") }
            return .passwordSet(account: account)
        }
        let bootstrap: Bool = if case .grant(_, .administrator, _) = command, !hasAdministrator { true } else { false }
        if !bootstrap, grant(of: actor, .administrator) == nil {
            throw AccessError(.notAnAdministrator, "\(actor) is not an administrator of this ledger, and only an administrator manages access")
        }
        switch command {
        case .grant(let account, let role, let supplier):
            try Self.checkAccount(account)
            if role == .supplier, supplier?.isEmpty ?? true {
                throw AccessError(.supplierOrganisation, "a supplier's access names the organisation it acts for (--supplier)")
            }
            if let supplier, role == .supplier { try checkOrganisation(supplier) }
            if role != .supplier, supplier != nil {
                throw AccessError(.supplierOrganisation, "only a supplier's access names an organisation, not a \(role.rawValue)'s")
            }
            if grant(of: account, role) != nil { throw AccessError(.alreadyGranted, "\(account) already holds the role \(role.rawValue)") }
            return .granted(account: account, role: role, supplier: supplier)
        case .revoke(let account, let role):
            guard grant(of: account, role) != nil else { throw AccessError(.notGranted, "\(account) does not hold the role \(role.rawValue)") }
            if role == .administrator, holders(of: .administrator).count == 1 {
                throw AccessError(.lastAdministrator, "\(account) is the last administrator; grant another before revoking this one")
            }
            return .revoked(account: account, role: role)
        case .issueToken(let tokenId, let account, let role, let sha256, let expiresOn):
            guard grant(of: account, role) != nil else { throw AccessError(.notGranted, "\(account) does not hold the role \(role.rawValue)") }
            if let expiresOn, expiresOn < today {
                throw AccessError(.invalidInput, "a token expiring on \(expiresOn) would never work: that day has passed (today is \(today))")
            }
            return .tokenIssued(tokenId: tokenId, account: account, role: role, sha256: sha256, expiresOn: expiresOn)
        case .revokeToken(let tokenId):
            guard let token = tokens[tokenId] else { throw AccessError(.unknownToken, "no token \(tokenId)") }
            // A token that ended with its grant may still be revoked by name, for the record.
            if token.revocation == .token { throw AccessError(.tokenRevoked, "token \(tokenId) is already revoked") }
            return .tokenRevoked(tokenId: tokenId)
        case .invite(let account, let expiresOn):
            guard !grants(of: account).isEmpty else {
                throw AccessError(.notGranted, "\(account) holds no role: grant one first (svledger access grant), then invite")
            }
            if expiresOn < today { throw AccessError(.invalidInput, "an invitation expiring on \(expiresOn) would never work: that day has passed") }
            return .invited(account: account, expiresOn: expiresOn)
        case .setPassword:
            preconditionFailure("decided above")
        }
    }
}

extension AccessState {
    /// An account id: 1 to 64 ASCII letters, digits and `.`, `_`, `-`, `@`, starting with a
    /// letter or digit (an e-mail address fits; a space, a control character or `=` does not).
    public static func checkAccount(_ account: String) throws(AccessError) {
        let bytes = Array(account.utf8)
        let allowed = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Array(".-_@".utf8).contains(byte)
        }
        guard (1...64).contains(bytes.count), bytes.allSatisfy(allowed), let first = bytes.first, !Array(".-_@".utf8).contains(first) else {
            throw AccessError(.invalidInput, "an account is 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit")
        }
    }
}
