import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Server
import TestSupport
import Testing

/// The server in process: errors as problem+json, reads equal to the CLI's documents,
/// writes with the authenticated actor, ETag and If-Match, Idempotency-Key.
@Suite("server, in process", .timeLimit(.minutes(2)))
struct ServerRouterTests {
    static let register = #"{"command": "contract.register", "contract": "LCC-2026-100", "title": "Street lighting", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "£600,000", "startDate": "2026-04-01", "endDate": "2029-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#

    static func json(_ text: String) -> (HTTPFields, ByteBuffer) {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return (headers, ByteBuffer(string: text))
    }

    @Test func errorsAreProblemJSON() async throws {
        let fixture = try ServerFixture(bodyLimit: 4096)
        try await fixture.test { client in
            // A known path with a wrong method: 405 with Allow.
            let wrongMethod = try await client.execute(uri: "/contracts", method: .delete, headers: fixture.headers("po"))
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET, HEAD")
            #expect(wrongMethod.headers[.contentType] == "application/problem+json")
            #expect(wrongMethod.json?["kind"] == "method-not-allowed")
            let getCommands = try await client.execute(uri: "/commands", method: .get, headers: fixture.headers("po"))
            #expect(getCommands.status == .methodNotAllowed)
            #expect(getCommands.headers[.allow] == "POST")

            // An unknown path: 404, problem+json, with every RFC 9457 member.
            let unknown = try await client.execute(uri: "/nothing/here", method: .get)
            #expect(unknown.status == .notFound)
            let problem = try #require(unknown.json)
            #expect(problem["type"] == "https://svledger.example/problems/no-such-route")
            #expect(problem["status"] == .integer(404))
            #expect(problem["title"] != nil && problem["detail"] != nil && problem["kind"] != nil)

            // Bodies: too large, not JSON, naming an actor, invalid input, refused by a rule.
            var (headers, _) = Self.json("")
            headers[.authorization] = fixture.headers("po")[.authorization]
            let large = try await client.execute(uri: "/commands", method: .post, headers: headers, body: ByteBuffer(string: String(repeating: " ", count: 5000) + "{}"))
            #expect(large.status == .contentTooLarge)
            #expect(large.json?["kind"] == "body-too-large")
            let notJSON = try await client.execute(uri: "/commands", method: .post, headers: headers, body: ByteBuffer(string: "{nope"))
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.json?["kind"] == "invalid-json")
            let withActor = try await client.execute(
                uri: "/commands", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"command": "contract.close", "contract": "LCC-2025-014", "actor": {"id": "r.shah", "role": "Head of Procurement"}}"#))
            #expect(withActor.status == .badRequest)
            #expect(withActor.json?["kind"] == "actor-in-body")
            let badValue = try await client.execute(
                uri: "/commands", method: .post, headers: headers, body: ByteBuffer(string: #"{"command": "weighting.decide", "contract": "LCC-2025-031", "percent": "ten", "basis": "policy-minimum"}"#))
            #expect(badValue.status == .unprocessableContent)
            #expect(badValue.json?["kind"] == "invalid-input")
            let secondReturn = try await client.execute(
                uri: "/commands", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"command": "delivery.report", "contract": "LCC-2025-014", "quarter": "2025-26-Q1", "lines": [{"measure": "NT1", "quantity": "1", "evidence": "E"}], "attributionConfirmed": true}"#))
            #expect(secondReturn.status == .unprocessableContent)
            #expect(secondReturn.json?["kind"] == "second-return")
            #expect(secondReturn.json?["category"] == "refused")
            let wrongType = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "text/plain")]), body: ByteBuffer(string: "{}"))
            #expect(wrongType.status == .unsupportedMediaType)

            // Queries: an unknown parameter, a bad date, as-of with at.
            for uri in ["/contracts?colour=red", "/contracts?as-of=2026-13-01", "/reconcile?period=Q9", "/log?limit=0"] {
                let response = try await client.execute(uri: uri, method: .get, headers: fixture.headers("auditor"))
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
            }
            // A contract that does not exist.
            let missing = try await client.execute(uri: "/contracts/NOPE-1", method: .get, headers: fixture.headers("auditor"))
            #expect(missing.status == .notFound)
            #expect(missing.json?["kind"] == "contract-not-found")
            // A token with the wrong scheme.
            let basic = try await client.execute(uri: "/contracts", method: .get, headers: [.authorization: "Basic YWxhZGRpbjpvcGVuc2VzYW1l"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func writesRecordTheAuthenticatedActorWithETagsAndIdempotency() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            var (headers, body) = Self.json(Self.register)
            headers[.authorization] = fixture.headers("po")[.authorization]
            headers[HTTPField.Name("Idempotency-Key")!] = "register-100"
            let first = try await client.execute(uri: "/commands", method: .post, headers: headers, body: body)
            #expect(first.status == .created, "\(first.text)")
            #expect(first.headers[.eTag] == "\"1\"")
            let event = try #require(first.json?["events"]?.arrayValue?.first)
            #expect(event["actor"] == ["id": "a.patel", "role": "Procurement Officer"])

            // The same key and body: the first answer again, and nothing new written.
            let head = try fixture.ledger.store.head()
            let retry = try await client.execute(uri: "/commands", method: .post, headers: headers, body: body)
            #expect(retry.status == .created)
            #expect(retry.text == first.text)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try fixture.ledger.store.head() == head)
            // The same key with another body is refused.
            let other = try await client.execute(uri: "/commands", method: .post, headers: headers, body: ByteBuffer(string: Self.register.replacingOccurrences(of: "Street lighting", with: "Other")))
            #expect(other.status == .unprocessableContent)
            #expect(other.json?["kind"] == "idempotency-key-reused")

            // ETag from a read; If-Match with it succeeds once, then conflicts and writes nothing.
            let show = try await client.execute(uri: "/contracts/LCC-2026-100", method: .get, headers: fixture.headers("po"))
            #expect(show.status == .ok)
            let etag = try #require(show.headers[.eTag])
            #expect(etag == "\"1\"")
            let assess = #"{"command": "threshold.assess", "contract": "LCC-2026-100"}"#
            let assessed = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json"), ("If-Match", etag)]), body: ByteBuffer(string: assess))
            #expect(assessed.status == .created, "\(assessed.text)")
            #expect(assessed.headers[.eTag] == "\"2\"")
            let before = try fixture.ledger.store.head()
            let stale = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json"), ("If-Match", etag)]),
                body: ByteBuffer(string: #"{"command": "weighting.decide", "contract": "LCC-2026-100", "percent": "10", "basis": "policy-minimum"}"#))
            #expect(stale.status == .conflict)
            #expect(stale.json?["kind"] == "concurrency-conflict")
            #expect(try fixture.ledger.store.head() == before)

            // The exemption authority is checked against the authenticated role.
            let requested = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]),
                body: ByteBuffer(string: #"{"command": "exemption.request", "contract": "LCC-2026-100", "businessCaseReference": "BC-9"}"#))
            #expect(requested.status == .created, "\(requested.text)")
            let decide = #"{"command": "exemption.decide", "contract": "LCC-2026-100", "decision": "granted", "businessCaseReference": "BC-9", "reason": "Sole supplier"}"#
            let byOfficer = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]), body: ByteBuffer(string: decide))
            #expect(byOfficer.status == .unprocessableContent)
            #expect(byOfficer.json?["kind"] == "exemption-authority")
            let byHead = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("hop", [("Content-Type", "application/json")]), body: ByteBuffer(string: decide))
            #expect(byHead.status == .created, "\(byHead.text)")
            #expect(byHead.json?["events"]?.arrayValue?.first?["actor"] == ["id": "r.shah", "role": "Head of Procurement"])

            // A contract id with `/` is written %2F in a path.
            let slashed = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]),
                body: ByteBuffer(string: Self.register.replacingOccurrences(of: "LCC-2026-100", with: "LCC/2026/7")))
            #expect(slashed.status == .created, "\(slashed.text)")
            let readBack = try await client.execute(uri: "/contracts/LCC%2F2026%2F7", method: .get, headers: fixture.headers("po"))
            #expect(readBack.status == .ok, "\(readBack.text)")
            #expect(readBack.json?["contract"]?["reference"] == "LCC/2026/7")

            // The metrics count requests by route and status, and commits by size.
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains(#"svledger_http_requests_total{route="/commands",method="POST",status="201"}"#), "\(metrics.text.prefix(2000))")
            #expect(metrics.text.contains("svledger_http_request_duration_seconds_bucket"))
            #expect(metrics.text.contains("svledger_commit_batch_commands_count 5"))
        }
    }

    /// The server's JSON documents are the CLI's `--format json`, byte for byte.
    @Test func readsEqualTheCLIsDocuments() async throws {
        let fixture = try ServerFixture()
        let ledgerPath = fixture.directory.child("ledger")
        let pairs: [(uri: String, cli: [String])] = [
            ("/contracts?period=2025-26-Q2&as-of=2026-11-01", ["contracts", "--period", "2025-26-Q2", "--as-of", "2026-11-01"]),
            ("/contracts/LCC-2025-014?period=2025-26-Q2&on=2025-09-30", ["show", "LCC-2025-014", "--period", "2025-26-Q2", "--on", "2025-09-30"]),
            ("/contracts/LCC-2025-014/audit?since=20", ["audit", "LCC-2025-014", "--since", "20"]),
            ("/audit?since=1&at=30", ["audit", "--since", "1", "--at", "30"]),
            ("/reconcile?period=2025-26-Q2&contract=LCC-2025-014&at=25", ["reconcile", "--period", "2025-26-Q2", "--contract", "LCC-2025-014", "--at", "25"]),
            ("/verify", ["verify"]),
        ]
        try await fixture.test { client in
            for pair in pairs {
                let response = try await client.execute(uri: pair.uri, method: .get, headers: fixture.headers("auditor"))
                #expect(response.status == .ok, "\(pair.uri): \(response.text.prefix(300))")
                let cli = try CommandRunner.svledger(pair.cli + ["--format", "json", "--ledger", ledgerPath])
                #expect(cli.status == 0, "\(pair.cli): \(cli.stderr)")
                #expect(response.text == cli.stdout.trimmingCharacters(in: .newlines), "\(pair.uri) differs from svledger \(pair.cli.joined(separator: " "))")
            }
            let log = try await client.execute(uri: "/log?stream=contract/LCC-2025-020", method: .get, headers: fixture.headers("auditor"))
            let cliLog = try CommandRunner.svledger(["log", "--stream", "contract/LCC-2025-020", "--format", "json", "--ledger", ledgerPath])
            #expect(log.text == cliLog.stdout)
            #expect(log.headers[.contentType] == "application/x-ndjson")
            let report = try await client.execute(uri: "/reports/cabinet?format=md&period=2025-26-Q2", method: .get, headers: fixture.headers("cabinet"))
            #expect(report.status == .ok)
            #expect(report.headers[.contentType] == "text/markdown; charset=utf-8")
            // The report's figures, its trend's among them, are the CLI's (when it was made apart).
            let csv = try await client.execute(uri: "/reports/cabinet?format=csv&period=2025-26-Q2", method: .get, headers: fixture.headers("cabinet"))
            let cliCSV = try CommandRunner.svledger(["report", "cabinet", "--period", "2025-26-Q2", "--format", "csv", "--ledger", ledgerPath])
            // Not when it was made, nor the warnings about a narrative the server is not given.
            let figuresOnly = { (text: String) in
                text.split(separator: "\n").filter { !$0.localizedCaseInsensitiveContains("generated") && !$0.hasPrefix("narrative,") }.joined(separator: "\n")
            }
            #expect(figuresOnly(csv.text) == figuresOnly(cliCSV.stdout), "the server's report differs from svledger report cabinet")
            #expect(cliCSV.stdout.contains("Last quarter") || cliCSV.stdout.contains("last_quarter") || cliCSV.stdout.localizedCaseInsensitiveContains("trend"), "\(cliCSV.stdout.prefix(600))")
            let figures = try await client.execute(uri: "/figures?period=2025-26-Q2", method: .get, headers: fixture.headers("auditor"))
            let cliFigures = try CommandRunner.svledger(["figures", "--period", "2025-26-Q2", "--ledger", ledgerPath])
            #expect(figures.text == cliFigures.stdout)
        }
    }

    /// No read looks at the machine's clock: a server whose "today" is fixed (2027-01-15, in
    /// 2026-27-Q4) reconciles that quarter when none is asked for, whatever the date is.
    @Test func aReadWithoutAPeriodTakesTheServersToday() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let response = try await client.execute(uri: "/figures", method: .get, headers: fixture.headers("auditor"))
            #expect(response.status == .ok)
            #expect(response.text.contains("\nperiod,2026-27-Q4,2027-01-15\n"), "\(response.text.prefix(300))")
        }
    }

    /// Hostile and odd requests: every answer is below 500, and every error is problem+json.
    @Test func noInputGetsA5xx() async throws {
        let fixture = try ServerFixture(bodyLimit: 4096)
        let long = String(repeating: "A", count: 600)
        let uris = [
            "/contracts/\(long)", "/contracts/\(long)/audit", "/contracts/%00", "/contracts/%FF%FE", "/contracts/..%2F..%2Fetc", "/contracts/LCC%2F2025%2F014",
            "/log?stream=\(long)", "/log?stream=%01", "/log?stream=contract/\(long)", "/log?from=99999999999999999999", "/log?at=18446744073709551615",
            "/reconcile?contract=\(long)", "/reconcile?period=2025-26-Q2&on=9999-12-31", "/contracts?as-of=0001-01-01", "/contracts?at=9999999999999999",
            "/audit?since=not-a-day", "/audit?since=%E2%80%AE", "/verify?expect-head=1:00", "/verify?expect-head=\(String(repeating: "0", count: 64))",
            "/reports/cabinet?format=pdf", "/figures?period=9999-00-Q1", "/contracts?%=1", "/contracts?a=%",
        ]
        let bodies = [
            "[]", "null", "\"text\"", "{}", #"{"command": 1}"#, #"{"command": "delivery.report"}"#, #"{"command": "contract.register", "contract": "\#(long)"}"#,
            #"{"command": "delivery.report", "contract": "\#(long)", "quarter": "2025-26-Q3", "lines": [], "attributionConfirmed": true}"#,
            #"{"command": "policy.adopt", "builtin": "../../etc/passwd"}"#, #"{"command": "contract.close", "contract": "LCC-2025-014", "effectiveDate": "2025-02-30"}"#,
            String(repeating: "[", count: 3000) + String(repeating: "]", count: 3000), "{\"a\": 1e999}", "\u{FEFF}{}",
        ]
        try await fixture.test { client in
            var answers: [(String, TestResponse)] = []
            for uri in uris {
                for who in ["auditor", "north"] {
                    answers.append(("GET \(uri) as \(who)", try await client.execute(uri: uri, method: .get, headers: fixture.headers(who))))
                }
            }
            for body in bodies {
                for who in ["po", "north"] {
                    answers.append((
                        "POST \(body.prefix(60)) as \(who)",
                        try await client.execute(uri: "/commands", method: .post, headers: fixture.headers(who, [("Content-Type", "application/json")]), body: ByteBuffer(string: body))
                    ))
                }
            }
            for method in [HTTPRequest.Method.put, .patch, .delete, .options, HTTPRequest.Method("PURGE")!] {
                answers.append(("\(method) /contracts", try await client.execute(uri: "/contracts", method: method, headers: fixture.headers("po"))))
            }
            answers.append(("HEAD /contracts", try await client.execute(uri: "/contracts", method: .head, headers: fixture.headers("po"))))
            answers.append(("bad If-Match", try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("If-Match", "\"x\""), ("Content-Type", "application/json")]), body: ByteBuffer(string: "{}"))))
            answers.append(("bad Idempotency-Key", try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("Idempotency-Key", " "), ("Content-Type", "application/json")]), body: ByteBuffer(string: "{}"))))
            for (what, response) in answers {
                #expect(response.status.code < 500, "\(what): \(response.status.code) \(response.text.prefix(300))")
                if response.status.code >= 400 { #expect(response.headers[.contentType] == "application/problem+json", "\(what)") }
            }
            let head = try #require(answers.first { $0.0 == "HEAD /contracts" }?.1)
            #expect(head.status == .ok)
        }
    }

    /// The access state is folded once per change of the access stream: a token revoked (here
    /// as by the CLI, through the same ledger) stops working at the next request.
    @Test func aTokenRevokedWhileServingStopsWorking() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let before = try await client.execute(uri: "/contracts", method: .get, headers: fixture.headers("cm"))
            #expect(before.status == .ok)
            let state = try fixture.ledger.accessState()
            let token = try #require(state.tokens.values.first { $0.account == "c.mensah" && !$0.revoked })
            try fixture.ledger.executeAccess(
                .revokeToken(tokenId: token.tokenId), actor: ActorIdentity(id: "ada", role: "Administrator"), reason: nil, today: ServerFixture.today)
            let after = try await client.execute(uri: "/contracts", method: .get, headers: fixture.headers("cm"))
            #expect(after.status == .unauthorized)
            #expect(after.json?["kind"] == "token-revoked")
            // Another account's token is untouched.
            #expect(try await client.execute(uri: "/contracts", method: .get, headers: fixture.headers("po")).status == .ok)
        }
    }

    /// More concurrent reads than LMDB has reader slots (126): they queue for the read pool,
    /// and every one is answered.
    @Test func manyConcurrentReadsAllAnswered() async throws {
        let fixture = try ServerFixture()
        let statuses = try await fixture.test { client in
            try await withThrowingTaskGroup(of: Int.self) { tasks in
                for index in 0..<200 {
                    tasks.addTask {
                        let uri = index % 2 == 0 ? "/contracts/LCC-2025-014" : "/reconcile?period=2025-26-Q2"
                        return Int(try await client.execute(uri: uri, method: .get, headers: fixture.headers("auditor")).status.code)
                    }
                }
                return try await tasks.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 == 200 }, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
    }
}
