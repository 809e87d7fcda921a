import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Server
import Testing

/// A retry with the same `Idempotency-Key` after the server restarted (its memory of answers
/// gone) gets the first answer again, found in the log, and writes nothing: the case of a crash
/// between a commit and its acknowledgement, where the client saw no answer and retries.
@Suite("server, idempotency across a restart", .timeLimit(.minutes(2)))
struct IdempotencyRestartTests {
    static let returnBody = #"{"command": "delivery.report", "contract": "LCC-2025-014", "quarter": "2026-27-Q1", "lines": [{"measure": "NT1", "quantity": "3", "evidence": "RESTART-1"}], "attributionConfirmed": true}"#

    @Test func aRetryAfterARestartIsAnsweredFromTheLog() async throws {
        let fixture = try ServerFixture()
        let headers = fixture.headers("north", [("Content-Type", "application/json"), ("Idempotency-Key", "return-2026-27-Q1")])
        let first = try await fixture.test { client in
            try await client.execute(uri: "/commands", method: .post, headers: headers, body: ByteBuffer(string: Self.returnBody))
        }
        #expect(first.status == .created, "\(first.text.prefix(300))")
        let head = try fixture.ledger.store.head()

        // A new server on the same ledger: nothing of the first one's memory.
        let restarted = try LedgerServer(ledger: fixture.ledger, logger: ServerFixture.quiet, today: { ServerFixture.today })
        let app = Application(responder: restarted.responder(), logger: ServerFixture.quiet)
        try await app.test(.router) { client in
            let retried = try await client.execute(uri: "/commands", method: .post, headers: headers, body: ByteBuffer(string: Self.returnBody))
            #expect(retried.status == .created, "\(retried.text.prefix(300))")
            #expect(retried.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(retried.headers[.eTag] == first.headers[.eTag])
            // The same events (ids, positions, hashes) as the first answer gave.
            #expect(retried.json?["events"] == first.json?["events"])
            // Again, now from the restarted server's own memory.
            let again = try await client.execute(uri: "/commands", method: .post, headers: headers, body: ByteBuffer(string: Self.returnBody))
            #expect(again.status == .created && again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            // Without the key, the same return is a second return for the quarter: refused.
            let unkeyed = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("north", [("Content-Type", "application/json")]), body: ByteBuffer(string: Self.returnBody))
            #expect(unkeyed.status == .unprocessableContent)
        }
        #expect(try fixture.ledger.store.head() == head, "a retry wrote something")
    }
}
