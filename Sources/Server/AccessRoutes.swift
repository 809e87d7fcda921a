import Access
import Credentials
import EventStore
import HTTPTypes
import Hummingbird
import LedgerValues
import Ledger
import SocialValue

/// Access managed over HTTP by an administrator, as `svledger access` does on the command line:
/// grants, revocations and tokens are events of the `access` stream, decided by the same rules
/// (only an administrator manages access; the last administrator stays).
extension LedgerServer {
    func addAccessRoutes(_ routes: RouteTable) {
        routes.add(.get, "/access", access: .operation(.accessList)) { request, context in try await self.accessList(request, context) }
        routes.add(.post, "/access", access: .operation(.accessCommand)) { request, context in try await self.accessCommand(request, context) }
    }

    /// `GET /access`: `svledger access list --format json` (`as-of`, `at`).
    func accessList(_ request: Request, _ context: ServerContext) async throws -> Response {
        let point = try Query(request.uri.query, allowed: Query.point).readPoint()
        let ledger = self.ledger, today = today()
        return Self.json(try await offload {
            let position = try point.position(in: ledger)
            let head = try ledger.store.read { try LedgerHead.at(position, in: $0) }
            return AccessListing.json(try ledger.accessState(through: position), head: head, today: today)
        })
    }

    /// `POST /access`: one access command, recorded with the token's account as the actor.
    /// `access.token.issue` answers with the new token, shown this once.
    func accessCommand(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try ContentType.require(request.headers[.contentType], ["application/json"], what: "the access command")
        let body = try await collectBody(request, what: "an access command")
        let ledger = self.ledger, today = today()
        let parsed = try Self.accessRequest(body, today: today)
        let actor = ActorIdentity(id: identity.account, role: identity.role.rawValue)
        if case .invite = parsed.command, credentials == nil {
            throw Problem(.serviceUnavailable, kind: "credentials-unavailable", category: "storage", "this server could not open its sign-in credentials (the ledger's folder, credentials/)")
        }
        let (_, outcome) = try await committer.exclusive {
            try ledger.executeAccess(parsed.command, actor: actor, reason: parsed.reason, today: today)
        }
        var document: [String: JSONValue] = ["head": outcome.head.json, "events": .array(outcome.recorded.map(\.exportedEnvelope))]
        if let token = parsed.token { document["token"] = .string(token) }
        // The fact is recorded; now the secret, kept apart from the log.
        if case .invite(let account, let lastDay) = parsed.command, let credentials {
            let secret = try await offload { try credentials.invite(account: account, expiresAt: Timestamp.endOf(lastDay)) }
            document["invitation"] = ["path": .string(Invitations.path(secret)), "lastDay": .string(lastDay.description)]
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(JSONObject(document)).canonicalBytes)))
    }

    /// The body of `POST /access`: `{"command": "access.grant" | "access.revoke" |
    /// "access.token.issue" | "access.token.revoke", …, "reason"?}`, read with the domain's
    /// own field reader (its errors are `invalid-input`, naming the field).
    static func accessRequest(_ bytes: [UInt8], today: CalendarDate) throws -> (command: AccessCommand, reason: String?, token: String?) {
        guard !bytes.isEmpty else { throw PlainError(.input, kind: "empty-input", "the body is empty; send one access command as a JSON object") }
        let json = try JSONValue(parsing: bytes)
        guard case .object = json else { throw PlainError(.input, kind: "invalid-json", "the body must be one access command, a JSON object") }
        let reader = try FieldReader(json)
        // Absent, not null: an optional member is left out, as the OpenAPI schema says.
        if let key = reader.members.keys.first(where: { reader.members[$0] == .null }) {
            throw reader.fail(key, "is null; leave it out instead")
        }
        func role() throws -> Role {
            let text = try reader.string("role")
            guard let role = Role(named: text) else {
                throw reader.fail("role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), got \(DisplayText.quoted(text))")
            }
            return role
        }
        let command: AccessCommand
        var token: String?
        switch try reader.string("command") {
        case "access.grant":
            try reader.onlyFields(["command", "account", "role", "supplier", "reason"])
            command = .grant(account: try reader.string("account"), role: try role(), supplier: try reader.optionalString("supplier"))
        case "access.revoke":
            try reader.onlyFields(["command", "account", "role", "reason"])
            command = .revoke(account: try reader.string("account"), role: try role())
        case "access.token.issue":
            try reader.onlyFields(["command", "account", "role", "expiresOn", "reason"])
            let (secret, tokenId) = AccessToken.generate()
            command = .issueToken(
                tokenId: tokenId, account: try reader.string("account"), role: try role(), sha256: AccessToken.sha256(secret),
                expiresOn: try reader.optionalDate("expiresOn"))
            token = secret
        case "access.token.revoke":
            try reader.onlyFields(["command", "tokenId", "reason"])
            command = .revokeToken(tokenId: try reader.string("tokenId"))
        case "access.invite":
            try reader.onlyFields(["command", "account", "days", "reason"])
            let days = reader.has("days") ? try reader.integer("days") : Invitations.defaultDays
            guard Invitations.days.contains(days) else { throw reader.fail("days", "must be \(Invitations.days.lowerBound) to \(Invitations.days.upperBound), got \(days)") }
            command = .invite(account: try reader.string("account"), expiresOn: Invitations.lastDay(days: days, today: today))
        case let other:
            throw reader.fail("command", "is access.grant, access.revoke, access.token.issue, access.token.revoke or access.invite, got \(DisplayText.quoted(other))")
        }
        return (command, try reader.optionalString("reason"), token)
    }
}
