import Access
import LedgerValues
import Testing

/// The access rules: who may manage access, what a grant needs, and when a token stands for
/// an identity. Pure: decided against a folded state, as the domain's commands are.
@Suite("Access rules")
struct AccessRuleTests {
    static let now = Timestamp("2026-11-27T10:00:00.000Z")!
    static let today = CalendarDate("2026-11-27")!

    /// A state after `commands`, each decided and folded in turn by `actor`.
    func state(_ commands: [(AccessCommand, String)]) throws -> AccessState {
        var state = AccessState()
        for (command, actor) in commands { state.evolve(try state.decide(command, actor: actor, today: Self.today), actor: actor, at: Self.now) }
        return state
    }

    @Test("the first administrator may be made by anyone who can write the ledger; after that only an administrator manages access")
    func bootstrapThenAdministrators() throws {
        let first = try state([(.grant(account: "ada", role: .administrator, supplier: nil), "installer")])
        #expect(first.grant(of: "ada", .administrator)?.grantedBy == "installer")
        #expect(throws: AccessError(.notAnAdministrator, "installer is not an administrator of this ledger, and only an administrator manages access")) {
            try first.decide(.grant(account: "eve", role: .administrator, supplier: nil), actor: "installer", today: Self.today)
        }
        // Before any administrator, nothing but that first grant is possible.
        #expect(throws: AccessError.self) { try AccessState().decide(.grant(account: "bob", role: .auditor, supplier: nil), actor: "bob", today: Self.today) }
        let more = try state([
            (.grant(account: "ada", role: .administrator, supplier: nil), "installer"),
            (.grant(account: "bob", role: .auditor, supplier: nil), "ada"),
        ])
        #expect(more.holders(of: .auditor).map(\.account) == ["bob"])
    }

    @Test("a supplier's access names its organisation, no other role's does; a role is granted once")
    func grants() throws {
        let base = try state([(.grant(account: "ada", role: .administrator, supplier: nil), "x")])
        for (command, rule) in [
            (AccessCommand.grant(account: "sam", role: .supplier, supplier: nil), AccessError.Rule.supplierOrganisation),
            (.grant(account: "sam", role: .supplier, supplier: ""), .supplierOrganisation),
            (.grant(account: "bob", role: .auditor, supplier: "Acme"), .supplierOrganisation),
            (.grant(account: "ada", role: .administrator, supplier: nil), .alreadyGranted),
            (.grant(account: " bob", role: .auditor, supplier: nil), .invalidInput),
            (.grant(account: "=cmd", role: .auditor, supplier: nil), .invalidInput),
            (.revoke(account: "bob", role: .auditor), .notGranted),
            (.revoke(account: "ada", role: .administrator), .lastAdministrator),
            (.issueToken(tokenId: "t1", account: "bob", role: .auditor, sha256: "00", expiresOn: nil), .notGranted),
            (.revokeToken(tokenId: "t9"), .unknownToken),
        ] {
            let error = #expect(throws: AccessError.self) { try base.decide(command, actor: "ada", today: Self.today) }
            #expect(error?.rule == rule, "\(command)")
        }
    }

    @Test("a token stands for its account and role until it is revoked, expires, or the role is revoked")
    func tokens() throws {
        var access = try state([
            (.grant(account: "ada", role: .administrator, supplier: nil), "x"),
            (.grant(account: "sam", role: .supplier, supplier: "North Roads Ltd"), "ada"),
            (.issueToken(tokenId: "t1", account: "sam", role: .supplier, sha256: "aa", expiresOn: CalendarDate("2026-12-31")), "ada"),
        ])
        let identity = try access.identity(sha256: "aa", on: Self.today)
        #expect(identity == AccessState.Identity(account: "sam", role: .supplier, supplier: "North Roads Ltd", tokenId: "t1"))
        #expect(throws: AccessError.self) { try access.identity(sha256: "bb", on: Self.today) }
        let expired = #expect(throws: AccessError.self) { try access.identity(sha256: "aa", on: CalendarDate("2027-01-01")!) }
        #expect(expired?.rule == .tokenExpired)
        access.evolve(try access.decide(.revoke(account: "sam", role: .supplier), actor: "ada", today: Self.today), actor: "ada", at: Self.now)
        #expect(throws: AccessError.self) { try access.identity(sha256: "aa", on: Self.today) }
        access.evolve(try access.decide(.revokeToken(tokenId: "t1"), actor: "ada", today: Self.today), actor: "ada", at: Self.now)
        let revoked = #expect(throws: AccessError.self) { try access.identity(sha256: "aa", on: Self.today) }
        #expect(revoked?.rule == .tokenRevoked)
    }

    @Test("a revoked grant ends its tokens for good: granting the account again, even for another organisation, does not revive them")
    func revokedGrantEndsTokens() throws {
        var access = try state([
            (.grant(account: "ada", role: .administrator, supplier: nil), "x"),
            (.grant(account: "sam", role: .supplier, supplier: "North Roads Ltd"), "ada"),
            (.issueToken(tokenId: "t1", account: "sam", role: .supplier, sha256: "aa", expiresOn: nil), "ada"),
            (.issueToken(tokenId: "t2", account: "sam", role: .supplier, sha256: "bb", expiresOn: CalendarDate("2026-11-30")), "ada"),
            (.revoke(account: "sam", role: .supplier), "ada"),
            (.grant(account: "sam", role: .supplier, supplier: "Pennine Care"), "ada"),
        ])
        let old = #expect(throws: AccessError.self) { try access.identity(sha256: "aa", on: Self.today) }
        #expect(old?.rule == .tokenRevoked)
        #expect(access.tokens["t1"]?.status(on: Self.today) == .grantRevoked)
        let listed = AccessListing.json(access, head: .empty, today: Self.today)
        guard case .array(let tokens)? = listed["tokens"] else { Issue.record("no tokens in \(listed)"); return }
        #expect(tokens.map { $0["status"] } == [.string("grant-revoked"), .string("grant-revoked")])
        #expect(tokens.map { $0["revoked"] } == [.bool(true), .bool(true)])
        // A new token under the new grant works, for the new organisation.
        access.evolve(
            try access.decide(.issueToken(tokenId: "t3", account: "sam", role: .supplier, sha256: "cc", expiresOn: nil), actor: "ada", today: Self.today),
            actor: "ada", at: Self.now)
        #expect(try access.identity(sha256: "cc", on: Self.today).supplier == "Pennine Care")
        // A token that ended with its grant can still be revoked by name; a revoked one cannot be again.
        access.evolve(try access.decide(.revokeToken(tokenId: "t1"), actor: "ada", today: Self.today), actor: "ada", at: Self.now)
        #expect(access.tokens["t1"]?.status(on: Self.today) == .revoked)
        #expect(throws: AccessError.self) { try access.decide(.revokeToken(tokenId: "t1"), actor: "ada", today: Self.today) }
    }

    @Test("a listing shows an expired token as expired, not live")
    func expiredListed() throws {
        let access = try state([
            (.grant(account: "ada", role: .administrator, supplier: nil), "x"),
            (.issueToken(tokenId: "t1", account: "ada", role: .administrator, sha256: "aa", expiresOn: CalendarDate("2026-11-27")), "ada"),
        ])
        #expect(access.tokens["t1"]?.status(on: Self.today) == .live)     // its last day
        let listed = AccessListing.json(access, head: .empty, today: CalendarDate("2026-11-28")!)
        guard case .array(let tokens)? = listed["tokens"] else { Issue.record("no tokens"); return }
        #expect(tokens.first?["status"] == .string("expired"))
    }

    @Test("a token cannot be issued already expired")
    func noExpiredIssue() throws {
        let access = try state([(.grant(account: "ada", role: .administrator, supplier: nil), "x")])
        let refused = #expect(throws: AccessError.self) {
            try access.decide(.issueToken(tokenId: "t1", account: "ada", role: .administrator, sha256: "aa", expiresOn: CalendarDate("2026-11-26")), actor: "ada", today: Self.today)
        }
        #expect(refused?.rule == .invalidInput)
        #expect(refused?.message.contains("2026-11-26") == true)
        _ = try access.decide(.issueToken(tokenId: "t1", account: "ada", role: .administrator, sha256: "aa", expiresOn: Self.today), actor: "ada", today: Self.today)
    }

    @Test("a supplier's organisation reads as what it is", arguments: [
        "Acme\u{0}Ltd", "Acme\nLtd", "Acme \u{202E}dtL", String(repeating: "A", count: 5_000), "North Roads Ltd ", " North Roads Ltd",
        "North\u{00A0}Roads Ltd", "North  Roads Ltd", "N\u{043E}rth Roads Ltd", "NORTH ROADS LTD", "Nоrth Rоads Ltd", "",
    ])
    func organisationNames(_ name: String) throws {
        let access = try state([
            (.grant(account: "ada", role: .administrator, supplier: nil), "x"),
            (.grant(account: "sam", role: .supplier, supplier: "North Roads Ltd"), "ada"),
        ])
        let refused = #expect(throws: AccessError.self) {
            try access.decide(.grant(account: "tom", role: .supplier, supplier: name), actor: "ada", today: Self.today)
        }
        let rule: AccessError.Rule = name.isEmpty ? .supplierOrganisation : .invalidInput
        #expect(refused?.rule == rule, "\(refused?.message ?? "accepted")")
    }

    @Test("an organisation spelt as one already granted, but with other bytes (é as e and a combining accent), is refused: a supplier's scope is its name's exact bytes")
    func organisationNamesByTheirBytes() throws {
        let access = try state([
            (.grant(account: "ada", role: .administrator, supplier: nil), "x"),
            (.grant(account: "sam", role: .supplier, supplier: "Caf\u{E9} Ltd"), "ada"),
        ])
        let refused = #expect(throws: AccessError.self) {
            try access.decide(.grant(account: "tom", role: .supplier, supplier: "Cafe\u{301} Ltd"), actor: "ada", today: Self.today)
        }
        #expect(refused?.rule == .invalidInput && refused?.message.contains("use that name exactly") == true, "\(refused?.message ?? "accepted")")
        // The same bytes again are the same organisation: a second account for it is fine.
        _ = try access.decide(.grant(account: "tom", role: .supplier, supplier: "Caf\u{E9} Ltd"), actor: "ada", today: Self.today)
    }

    @Test("names in one script, with single spaces, are organisations")
    func organisationNamesAccepted() throws {
        let access = try state([(.grant(account: "ada", role: .administrator, supplier: nil), "x")])
        for name in ["North Roads Ltd", "Gwasanaethau Cymraeg Cyf.", "Café Olé & Sons (NW) Ltd", "ООО Северные дороги", "North Roads Ltd"] {
            _ = try access.decide(.grant(account: "tom", role: .supplier, supplier: name), actor: "ada", today: Self.today)
        }
    }

    @Test("events round-trip through their payloads", arguments: [
        AccessEvent.granted(account: "sam", role: .supplier, supplier: "North Roads Ltd"),
        .granted(account: "ada", role: .administrator, supplier: nil),
        .revoked(account: "sam", role: .supplier),
        .tokenIssued(tokenId: "tok-1", account: "sam", role: .supplier, sha256: "ab", expiresOn: CalendarDate("2027-03-31")),
        .tokenIssued(tokenId: "tok-2", account: "ada", role: .administrator, sha256: "cd", expiresOn: nil),
        .tokenRevoked(tokenId: "tok-1"),
    ])
    func roundTrip(_ event: AccessEvent) throws {
        #expect(try AccessEvent(type: event.type, payload: event.payload) == event)
    }

    @Test("roles are named as councils name them, or as the command line spells them")
    func roleNames() {
        #expect(Role(named: "head-of-procurement") == .headOfProcurement)
        #expect(Role(named: "Head of Procurement") == .headOfProcurement)
        #expect(Role(named: "cabinet_member") == .cabinetMember)
        #expect(Role(named: "chief") == nil)
    }
}
