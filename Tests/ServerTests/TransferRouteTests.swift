import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import TestSupport
import Testing

/// The log out as a stream, pledge tables in, and `Accept`.
@Suite("server, export, import and Accept", .timeLimit(.minutes(2)))
struct TransferRouteTests {
    static let seed003 = CommandRunner.repositoryRoot + "/tools/demo-data/seed-003-pledge-table.txt"

    /// `GET /export/ndjson` is `svledger export ndjson`, byte for byte, and names its head.
    @Test func exportStreamsTheCLIsExport() async throws {
        let fixture = try ServerFixture()
        let ledgerPath = fixture.directory.child("ledger")
        let cli = try CommandRunner.svledger(["export", "ndjson", "--ledger", ledgerPath])
        let head = try CommandRunner.svledger(["verify", "--format", "json", "--ledger", ledgerPath])
        try await fixture.test { client in
            let whole = try await client.execute(uri: "/export/ndjson", method: .get, headers: fixture.headers("auditor"))
            #expect(whole.status == .ok)
            #expect(whole.headers[.contentType] == "application/x-ndjson")
            #expect(whole.text == cli.stdout)
            let named = try #require(whole.headers[HTTPField.Name("Ledger-Head")!])
            #expect(named.hasPrefix("47:") && head.stdout.contains(String(named.dropFirst(3))), "\(named) is not the head")
            let early = try await client.execute(uri: "/export/ndjson?at=10", method: .get, headers: fixture.headers("admin"))
            #expect(early.text.split(separator: "\n").count == 10)
            #expect(early.headers[HTTPField.Name("Ledger-Head")!]?.hasPrefix("10:") == true)
        }
    }

    /// A pledge table through the API: the dry run writes nothing, a disagreeing table is
    /// refused, `use-computed` records it by the token's account, and a retry is answered again.
    @Test func portalImportDryRunRefusalAndRecord() async throws {
        let fixture = try ServerFixture()
        let table = ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: Self.seed003)))
        let tsv = [("Content-Type", "text/tab-separated-values")]
        let base = "/imports/portal?contract=IMP-1&catalog=portal-003"
        try await fixture.test { client in
            // A contract awarded and not yet pledged, made through the API.
            for command in [
                #"{"command": "contract.register", "contract": "IMP-1", "title": "Regeneration", "buyerDepartment": "Growth", "category": "works", "estimatedWholeLifeValueGBP": "£20,000,000", "startDate": "2025-04-01", "endDate": "2029-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28", "effectiveDate": "2025-01-10"}"#,
                #"{"command": "threshold.assess", "contract": "IMP-1", "effectiveDate": "2025-01-10"}"#,
                #"{"command": "weighting.decide", "contract": "IMP-1", "percent": "10", "basis": "policy-minimum", "effectiveDate": "2025-01-20"}"#,
                #"{"command": "contract.award", "contract": "IMP-1", "supplier": "Regen Partners", "valueGBP": "£19,500,000", "effectiveDate": "2025-03-01"}"#,
            ] {
                let answer = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("hop", [("Content-Type", "application/json")]), body: ByteBuffer(string: command))
                #expect(answer.status == .created, "\(answer.text.prefix(300))")
            }
            let before = try fixture.ledger.store.head()
            let dry = try await client.execute(uri: base + "&dry-run=true", method: .post, headers: fixture.headers("po", tsv), body: table)
            #expect(dry.status == .ok, "\(dry.text.prefix(300))")
            #expect(dry.text.contains("\"findings\""))
            #expect(try fixture.ledger.store.head() == before)

            let refused = try await client.execute(uri: base, method: .post, headers: fixture.headers("po", tsv), body: table)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.json?["kind"] == .string("import-refused"))
            #expect(try fixture.ledger.store.head() == before)

            let keyed = fixture.headers("po", tsv + [("Idempotency-Key", "portal-1")])
            let recorded = try await client.execute(uri: base + "&use-computed=true&effective-date=2025-03-20", method: .post, headers: keyed, body: table)
            #expect(recorded.status == .created, "\(recorded.text.prefix(300))")
            #expect(recorded.text.contains("\"eventType\":\"PledgeRecorded\""))
            #expect(recorded.text.contains(#""actor":{"id":"a.patel","role":"Procurement Officer"}"#))
            let after = try fixture.ledger.store.head()
            #expect(after.position > before.position)

            let retried = try await client.execute(uri: base + "&use-computed=true&effective-date=2025-03-20", method: .post, headers: keyed, body: table)
            #expect(retried.status == .created)
            #expect(retried.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try fixture.ledger.store.head() == after)

            let asJSON = try await client.execute(uri: base + "&dry-run=true", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]), body: table)
            #expect(asJSON.status == .unsupportedMediaType)
            let supplier = try await client.execute(uri: base + "&dry-run=true", method: .post, headers: fixture.headers("bridge", tsv), body: table)
            #expect(supplier.status == .forbidden)
        }
    }

    /// A route answers only in a type the client's `Accept` admits; otherwise 406, before any work.
    @Test func acceptIsHonoured() async throws {
        let fixture = try ServerFixture()
        let cases: [(uri: String, accept: String, status: HTTPResponse.Status)] = [
            ("/contracts", "text/html", .notAcceptable),
            ("/contracts", "application/json;q=0", .notAcceptable),
            ("/contracts", "application/json;q=0.5, text/html", .ok),
            ("/contracts", "application/*", .ok),
            ("/contracts", "*/*;q=0.1", .ok),
            ("/figures?period=2025-26-Q2", "text/csv", .ok),
            ("/figures?period=2025-26-Q2", "application/json", .notAcceptable),
            ("/reports/cabinet?format=md&period=2025-26-Q2", "text/markdown", .ok),
            ("/log?stream=contract/LCC-2025-014", "application/x-ndjson", .ok),
        ]
        try await fixture.test { client in
            for item in cases {
                let response = try await client.execute(uri: item.uri, method: .get, headers: fixture.headers("auditor", [("Accept", item.accept)]))
                #expect(response.status == item.status, "\(item.uri) with Accept \(item.accept): \(response.status) \(response.text.prefix(200))")
                if item.status == .notAcceptable {
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.json?["kind"] == .string("not-acceptable"))
                }
            }
            // A command refused for its Accept is never decided: nothing is written.
            let before = try fixture.ledger.store.head()
            let command = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("Accept", "text/html"), ("Content-Type", "application/json")]),
                body: ByteBuffer(string: #"{"command": "contract.close", "contract": "LCC-2025-014"}"#))
            #expect(command.status == .notAcceptable)
            #expect(try fixture.ledger.store.head() == before)
        }
    }
}
