import Access
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Logging
import Ledger
import Server
import SocialValue
import TestSupport

/// A ledger holding Schemas/commands/examples.ndjson (LCC-2025-014 awarded to North Roads Ltd,
/// LCC-2025-020 to Bridge Experts Ltd, …), an administrator, one account and token per role,
/// a revoked and an expired token, and a server on it whose "today" is fixed.
final class ServerFixture: Sendable {
    /// A day after the quarters the tests return for have ended (2026-27-Q3 is the last).
    static let today = CalendarDate("2027-01-15")!
    /// Errors only: one line per request would bury the test report.
    static let quiet: Logger = {
        var logger = Logger(label: "svledger.server.test")
        logger.logLevel = .error
        return logger
    }()
    let directory = TemporaryDirectory("svledger-server")
    let ledger: Ledger
    let server: LedgerServer
    /// Tokens by the names the tests use: po, cm, hop, board, north, bridge, auditor, cabinet,
    /// admin, revoked, expired.
    let tokens: [String: String]

    init(bodyLimit: Int = ServerSettings.defaultBodyLimit, rememberedKeys: Int = 10_000) throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        self.ledger = ledger
        let text = try String(contentsOfFile: CommandRunner.repositoryRoot + "/Schemas/commands/examples.ndjson", encoding: .utf8)
        let commands = try text.split(separator: "\n").filter { !$0.isEmpty && !$0.hasPrefix("//") }.map {
            try AnyLedgerCommand.parse(try JSONValue(parsing: String($0)), today: Self.today, builtin: BuiltinReference.document)
        }
        _ = try ledger.execute(commands: commands, today: Self.today)

        let installer = ActorIdentity(id: "installer", role: "Installer")
        let admin = ActorIdentity(id: "ada", role: Role.administrator.rawValue)
        try ledger.executeAccess(.grant(account: "ada", role: .administrator, supplier: nil), actor: installer, reason: "set-up", today: Self.today)
        let accounts: [(name: String, account: String, role: Role, supplier: String?)] = [
            ("po", "a.patel", .procurementOfficer, nil), ("cm", "c.mensah", .contractManager, nil), ("hop", "r.shah", .headOfProcurement, nil),
            ("board", "board", .procurementBoard, nil), ("north", "p.okafor", .supplier, "North Roads Ltd"),
            ("bridge", "b.jones", .supplier, "Bridge Experts Ltd"), ("auditor", "i.audit", .auditor, nil), ("cabinet", "cllr.ward", .cabinetMember, nil),
        ]
        var tokens: [String: String] = [:]
        func issue(_ account: String, _ role: Role, expires: CalendarDate? = nil) throws -> (token: String, id: String) {
            let (token, id) = AccessToken.generate()
            try ledger.executeAccess(
                .issueToken(tokenId: id, account: account, role: role, sha256: AccessToken.sha256(token), expiresOn: expires), actor: admin, reason: nil,
                today: min(Self.today, expires ?? Self.today))     // a token that has expired by now was issued before its last day
            return (token, id)
        }
        tokens["admin"] = try issue("ada", .administrator).token
        for entry in accounts {
            try ledger.executeAccess(.grant(account: entry.account, role: entry.role, supplier: entry.supplier), actor: admin, reason: nil, today: Self.today)
            tokens[entry.name] = try issue(entry.account, entry.role).token
        }
        let revoked = try issue("a.patel", .procurementOfficer)
        try ledger.executeAccess(.revokeToken(tokenId: revoked.id), actor: admin, reason: "lost laptop", today: Self.today)
        tokens["revoked"] = revoked.token
        tokens["expired"] = try issue("a.patel", .procurementOfficer, expires: CalendarDate("2026-06-30")!).token
        self.tokens = tokens
        server = try LedgerServer(ledger: ledger, settings: ServerSettings(bodyLimit: bodyLimit, rememberedKeys: rememberedKeys), logger: Self.quiet, today: { ServerFixture.today })
    }

    /// Runs `test` against the server in process (HummingbirdTesting's router framework).
    func test<Value: Sendable>(
        responder: RouterResponder<ServerContext>? = nil, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = Application(responder: responder ?? server.responder(), logger: Self.quiet)
        return try await app.test(.router) { client in try await test(client) }
    }

    func headers(_ name: String?, _ extra: [(String, String)] = []) -> HTTPFields {
        var fields = HTTPFields()
        if let name { fields[.authorization] = "Bearer " + (tokens[name] ?? name) }
        for (key, value) in extra { fields[HTTPField.Name(key)!] = value }
        return fields
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: JSONValue? { try? JSONValue(parsing: text) }
}
