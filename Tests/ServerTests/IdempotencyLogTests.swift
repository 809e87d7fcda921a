import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
@testable import Server
import TestSupport
import Testing

/// The log is the source of truth for every `Idempotency-Key`: a retry is answered with its
/// first answer however many keyed requests came after it, and whichever process on the same
/// ledger it is sent to; a conflict the client did not ask for is never kept as a key's answer.
@Suite("server, idempotency from the log", .timeLimit(.minutes(3)))
struct IdempotencyLogTests {
    static func correction(_ quantity: Int) -> String {
        #"{"command": "delivery.correct", "contract": "LCC-2025-014", "quarter": "2025-26-Q1", "measure": "NT1", "lines": [{"measure": "NT1", "quantity": "\#(quantity)", "evidence": "CORR-\#(quantity)"}], "reason": "restated"}"#
    }

    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    @Test("a key retried after more later keyed requests than the server remembers is answered from the log, not recorded again")
    func evictedKeyIsFoundInTheLog() async throws {
        let fixture = try ServerFixture(rememberedKeys: 5)
        @Sendable func keyed(_ key: String) -> HTTPFields { fixture.headers("cm", [("Content-Type", "application/json"), ("Idempotency-Key", key)]) }
        try await fixture.test { client in
            var first: TestResponse?
            for n in 1...20 {
                let answer = try await client.execute(uri: "/commands", method: .post, headers: keyed("key-\(n)"), body: ByteBuffer(string: Self.correction(n)))
                #expect(answer.status == .created, "key-\(n): \(answer.text.prefix(300))")
                if n == 1 { first = answer }
            }
            let head = try fixture.ledger.store.head()
            // key-1 left the server's memory 15 keys ago.
            let retry = try await client.execute(uri: "/commands", method: .post, headers: keyed("key-1"), body: ByteBuffer(string: Self.correction(1)))
            #expect(retry.status == .created, "\(retry.text.prefix(300))")
            #expect(retry.headers[Self.replayed] == "true")
            #expect(retry.json?["events"] == first?.json?["events"])
            #expect(try fixture.ledger.store.head() == head, "the retry recorded something")
        }
    }

    @Test("a transient conflict is not kept under its key; a conflict asked for with If-Match is")
    func onlyLastingRefusalsAreKept() {
        let conflict = StoredAnswer(Problem(.conflict, kind: "concurrency-conflict", category: "conflict", "moved"))
        #expect(!LedgerServer.isLasting(conflict, ifMatch: false))
        #expect(LedgerServer.isLasting(conflict, ifMatch: true))
        #expect(!LedgerServer.isLasting(StoredAnswer(Problem(.serviceUnavailable, kind: "storage", category: "storage", "busy")), ifMatch: false))
        #expect(LedgerServer.isLasting(StoredAnswer(Problem(.unprocessableContent, kind: "second-return", category: "refused", "no")), ifMatch: false))
    }

    @Test("two servers on one ledger: the same key sent to each is recorded once, and the CLI writing the same contract meanwhile causes no conflict")
    func twoServersOneLedger() async throws {
        let fixture = try ServerFixture()
        let ledgerPath = try LiveServerTests.servedCopy(fixture)
        let (one, portOne, _) = try await LiveServerTests.serve(ledgerPath)
        defer { kill(one.processIdentifier, SIGKILL) }
        let (two, portTwo, _) = try await LiveServerTests.serve(ledgerPath)
        defer { kill(two.processIdentifier, SIGKILL) }
        // The CLI records corrections to the same contract throughout, from a third process.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", """
            for n in $(seq 1 40); do
              echo '{"command": "delivery.correct", "contract": "LCC-2025-014", "actor": {"id": "c.mensah", "role": "Contract Manager"}, "quarter": "2025-26-Q1", "measure": "NT1", "lines": [{"measure": "NT1", "quantity": "'$((500 + n))'", "evidence": "CLI"}], "reason": "restated"}' > "\(ledgerPath).cmd"
              "\(CommandRunner.svledgerPath)" apply "\(ledgerPath).cmd" --ledger "\(ledgerPath)" >/dev/null || exit 1
            done
            """]
        try writer.run()
        var statuses: [HTTPResponse.Status] = []
        for n in 1...40 {
            let headers = fixture.headers("cm", [("Content-Type", "application/json"), ("Idempotency-Key", "shared-\(n)")])
            for port in [portOne, portTwo] {
                let answer = try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(20))) { client in
                    try await client.post("/commands", headers: headers, body: ByteBuffer(string: Self.correction(100 + n)))
                }
                statuses.append(answer.status)
                if port == portTwo { #expect(answer.headers[Self.replayed] == "true", "key shared-\(n) was not replayed by the second server") }
            }
        }
        await writer.exit()
        #expect(writer.terminationStatus == 0)
        #expect(statuses.allSatisfy { $0 == .created }, "\(statuses.map(\.code))")
        kill(one.processIdentifier, SIGTERM)
        kill(two.processIdentifier, SIGTERM)
        await one.exit()
        await two.exit()
        let log = try CommandRunner.svledger(["log", "--stream", "contract/LCC-2025-014", "--format", "json", "--ledger", ledgerPath]).stdout
        for n in 1...40 {
            let count = log.components(separatedBy: "\"CORR-\(100 + n)\"").count - 1
            #expect(count == 1, "key shared-\(n) recorded \(count) times")
        }
        #expect(try CommandRunner.svledger(["verify", "--ledger", ledgerPath]).status == 0)
    }
}
