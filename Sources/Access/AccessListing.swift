import LedgerValues

/// `svledger access list --format json` and `GET /access`: who holds which role, granted by
/// whom and when, and the tokens by id (never their hashes), with the head they were read at.
public enum AccessListing {
    /// - Parameter today: the day against which a token's expiry is shown.
    public static func json(_ state: AccessState, head: LedgerHead, today: CalendarDate) -> JSONValue {
        [
            "head": head.json,
            "grants": .array(grants(state).map { g in
                ["account": .string(g.account), "role": .string(g.role.rawValue), "supplier": g.supplier.map { .string($0) } ?? .null,
                 "grantedBy": .string(g.grantedBy), "grantedAt": .string(g.grantedAt.description)]
            }),
            "tokens": .array(tokens(state).map { t in
                ["tokenId": .string(t.tokenId), "account": .string(t.account), "role": .string(t.role.rawValue),
                 "expiresOn": t.expiresOn.map { .string($0.description) } ?? .null, "revoked": .bool(t.revoked),
                 "status": .string(t.status(on: today).rawValue)]
            }),
        ]
    }

    /// By role, then account.
    public static func grants(_ state: AccessState) -> [AccessState.Grant] {
        state.grants.sorted { ($0.role, $0.account) < ($1.role, $1.account) }
    }

    /// By token id.
    public static func tokens(_ state: AccessState) -> [AccessState.Token] {
        state.tokens.values.sorted { $0.tokenId < $1.tokenId }
    }
}
