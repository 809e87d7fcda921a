import Access
import EventStore
import HTTPTypes
import Hummingbird
import LedgerValues
import Ledger

/// Access managed over HTTP by an administrator, as `svledger access` does on the command line:
/// grants, revocations and tokens are events of the `access` stream, decided by the same rules
/// (only an administrator manages access; the last administrator stays).
extension LedgerServer {
    func addAccessRoutes(_ routes: RouteTable) {
        routes.add(.get, "/access") { request, context in try await self.accessList(request, context) }
        routes.add(.post, "/access") { request, context in try await self.accessCommand(request, context) }
    }

    /// `GET /access`: `svledger access list --format json` (`as-of`, `at`).
    func accessList(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try permit(.accessList, context)
        let point = try Query(request.uri.query, allowed: Query.point).readPoint()
        let ledger = self.ledger
        return Self.json(try await offload {
            let position = try point.position(in: ledger)
            let head = try ledger.store.read { try LedgerHead.at(position, in: $0) }
            return AccessListing.json(try ledger.accessState(through: position), head: head)
        })
    }

    /// `POST /access`: one access command, recorded with the token's account as the actor.
    /// `access.token.issue` answers with the new token, shown this once.
    func accessCommand(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try permit(.accessCommand, context)
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Problem(.unsupportedMediaType, kind: "unsupported-media-type", category: "http", "send the access command as application/json, not \(DisplayText.quoted(type))")
        }
        let body = try await collectBody(request, what: "an access command")
        let parsed = try Self.accessRequest(body)
        let actor = ActorIdentity(id: identity.account, role: identity.role.rawValue)
        let ledger = self.ledger, today = today()
        let (_, outcome) = try await committer.exclusive {
            try ledger.executeAccess(parsed.command, actor: actor, reason: parsed.reason, today: today)
        }
        var document: [String: JSONValue] = ["head": outcome.head.json, "events": .array(outcome.recorded.map(\.exportedEnvelope))]
        if let token = parsed.token { document["token"] = .string(token) }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(JSONObject(document)).canonicalBytes)))
    }

    /// The body of `POST /access`: `{"command": "access.grant" | "access.revoke" |
    /// "access.token.issue" | "access.token.revoke", …, "reason"?}`.
    static func accessRequest(_ bytes: [UInt8]) throws -> (command: AccessCommand, reason: String?, token: String?) {
        guard !bytes.isEmpty else { throw PlainError(.input, kind: "empty-input", "the body is empty; send one access command as a JSON object") }
        guard case .object(let members) = try JSONValue(parsing: bytes) else {
            throw PlainError(.input, kind: "invalid-json", "the body must be one access command, a JSON object")
        }
        func field(_ name: String, required: Bool = true) throws -> String? {
            switch members[name] {
            case .string(let text)?: return text
            // Absent, not null: an optional member is left out (as the OpenAPI schema says).
            case nil: if required { throw Self.invalidAccess("\"\(name)\" is required") } else { return nil }
            default: throw Self.invalidAccess("\"\(name)\" must be a string")
            }
        }
        func role() throws -> Role {
            let text = try field("role")!
            guard let role = Role(named: text) else {
                throw Self.invalidAccess("\"role\" must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), got \(DisplayText.quoted(text))")
            }
            return role
        }
        guard let name = try field("command") else { throw Self.invalidAccess("\"command\" is required") }
        let allowed: Set<String>
        let result: (AccessCommand, String?)
        switch name {
        case "access.grant":
            allowed = ["command", "account", "role", "supplier", "reason"]
            result = (.grant(account: try field("account")!, role: try role(), supplier: try field("supplier", required: false)), nil)
        case "access.revoke":
            allowed = ["command", "account", "role", "reason"]
            result = (.revoke(account: try field("account")!, role: try role()), nil)
        case "access.token.issue":
            allowed = ["command", "account", "role", "expiresOn", "reason"]
            var expires: CalendarDate?
            if let text = try field("expiresOn", required: false) {
                guard let day = CalendarDate(text) else { throw Self.invalidAccess("\"expiresOn\" must be a date YYYY-MM-DD, got \(DisplayText.quoted(text))") }
                expires = day
            }
            let (token, tokenId) = AccessToken.generate()
            result = (.issueToken(tokenId: tokenId, account: try field("account")!, role: try role(), sha256: AccessToken.sha256(token), expiresOn: expires), token)
        case "access.token.revoke":
            allowed = ["command", "tokenId", "reason"]
            result = (.revokeToken(tokenId: try field("tokenId")!), nil)
        default:
            throw Self.invalidAccess("\"command\" is access.grant, access.revoke, access.token.issue or access.token.revoke, got \(DisplayText.quoted(name))")
        }
        if let unknown = members.keys.first(where: { !allowed.contains($0) }) {
            throw Self.invalidAccess("\(name) takes \(allowed.sorted().joined(separator: ", ")); \(DisplayText.quoted(unknown)) is not one of them")
        }
        return (result.0, try field("reason", required: false), result.1)
    }

    static func invalidAccess(_ detail: String) -> Problem {
        Problem(.unprocessableContent, kind: "invalid-input", category: ErrorCategory.input.rawValue, detail)
    }
}
