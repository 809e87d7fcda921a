import Crypto
import LedgerValues
import Foundation
import Testing
import TestSupport

/// `svledger access`: accounts, roles and tokens as events in the ledger (issue 13, part 2).
@Suite("Access through the CLI")
struct AccessCLITests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-access")

    var dataFile: Data? { FileManager.default.contents(atPath: ledger + "/data.mdb") }

    @Test("the first administrator, then grants by administrators only; every refusal leaves the ledger as it was")
    func grants() throws {
        try svledger(["init"])
        try svledger(["access", "grant", "ada", "--role", "administrator", "--actor", "installer", "--reason", "set-up"])
        try svledger(["access", "grant", "sam", "--role", "supplier", "--supplier", "North Roads Ltd", "--actor", "ada"])
        let before = dataFile
        for (arguments, kind) in [
            (["access", "grant", "bob", "--role", "auditor", "--actor", "sam"], "not-an-administrator"),
            (["access", "grant", "eve", "--role", "administrator", "--actor", "installer"], "not-an-administrator"),
            (["access", "grant", "tim", "--role", "supplier", "--actor", "ada"], "supplier-organisation"),
            (["access", "revoke", "ada", "--role", "administrator", "--actor", "ada"], "last-administrator"),
            (["access", "token", "issue", "bob", "--role", "auditor", "--actor", "ada"], "access-not-granted"),
        ] {
            let refused = try svledger(arguments, expectSuccess: false)
            #expect(refused.status == 1 && refused.stderr.contains("(rule: \(kind))"), "\(arguments): \(refused.stderr)")
            #expect(dataFile == before, "\(arguments) changed the ledger")
        }
        let unknown = try svledger(["access", "grant", "bob", "--role", "chief", "--actor", "ada"], expectSuccess: false)
        #expect(unknown.status == 64 && unknown.stderr.contains("--role must be one of"))

        let list = try JSONValue(parsing: try svledger(["access", "list", "--format", "json"]).stdout)
        let grants = list["grants"]?.arrayValue ?? []
        #expect(grants.count == 2)
        #expect(grants.first { $0["account"] == "sam" }?["grantedBy"] == "ada")
        #expect(grants.first { $0["account"] == "ada" }?["grantedBy"] == "installer")
        // Who held a right at an earlier position: only the administrator, granted by the installer.
        let early = try JSONValue(parsing: try svledger(["access", "list", "--at", "1", "--format", "json"]).stdout)
        #expect(early["grants"]?.arrayValue?.count == 1)
        let log = try svledger(["log", "--format", "json"]).stdout
        #expect(log.contains("\"actor\":{\"id\":\"installer\",\"role\":\"Installer\"}"))
        #expect(log.contains("\"actor\":{\"id\":\"ada\",\"role\":\"Administrator\"}"))
    }

    @Test("a token is shown once and the ledger keeps only its SHA-256; revoking it is recorded")
    func tokens() throws {
        try svledger(["init"])
        try svledger(["access", "grant", "ada", "--role", "administrator", "--actor", "installer"])
        try svledger(["access", "grant", "sam", "--role", "supplier", "--supplier", "North Roads Ltd", "--actor", "ada"])
        let issued = try svledger(["access", "token", "issue", "sam", "--role", "supplier", "--expires", "2027-03-31", "--actor", "ada"]).stdout
        let token = try #require(issued.split(separator: "\n").last.map(String.init))
        #expect(token.hasPrefix("svl_") && token.count == 47, "256 bits in base64url: \(token)")
        let digest = SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
        let stored = try #require(dataFile)
        #expect(stored.range(of: Data(token.utf8)) == nil, "the token itself is never stored")
        #expect(stored.range(of: Data(digest.utf8)) != nil, "its SHA-256 is")
        let second = try svledger(["access", "token", "issue", "sam", "--role", "supplier", "--actor", "ada"]).stdout
        #expect(second.split(separator: "\n").last.map(String.init) != token, "every token is new")

        let list = try JSONValue(parsing: try svledger(["access", "list", "--format", "json"]).stdout)
        let tokenId = try #require(list["tokens"]?.arrayValue?.first { $0["expiresOn"] == "2027-03-31" }?["tokenId"]?.stringValue)
        try svledger(["access", "token", "revoke", tokenId, "--actor", "ada"])
        let after = try JSONValue(parsing: try svledger(["access", "list", "--format", "json"]).stdout)
        #expect(after["tokens"]?.arrayValue?.first { $0["tokenId"] == .string(tokenId) }?["revoked"] == .bool(true))
        let again = try svledger(["access", "token", "revoke", tokenId, "--actor", "ada"], expectSuccess: false)
        #expect(again.stderr.contains("(rule: token-revoked)"))
        try svledger(["verify"])
    }
}
