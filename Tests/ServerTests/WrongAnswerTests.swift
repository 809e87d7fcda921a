import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import TestSupport
import Testing

/// Answers that were wrong when the server was tried from outside (issue 19, cases 8 and 13).
@Suite("server, answers once wrong", .timeLimit(.minutes(2)))
struct WrongAnswerTests {
    @Test("a supplier corrects its return by quarter and measure, as it can by event id")
    func supplierCorrectsByQuarter() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let answer = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("north", [("Content-Type", "application/json")]),
                body: ByteBuffer(string: #"{"command": "delivery.correct", "contract": "LCC-2025-014", "quarter": "2025-26-Q1", "measure": "NT1", "lines": [{"measure": "NT1", "quantity": "4", "evidence": "HR-FIX"}], "reason": "miscounted"}"#))
            #expect(answer.status == .created, "\(answer.status) \(answer.text.prefix(300))")
            // Not another supplier's.
            let other = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("bridge", [("Content-Type", "application/json")]),
                body: ByteBuffer(string: #"{"command": "delivery.correct", "contract": "LCC-2025-014", "quarter": "2025-26-Q1", "measure": "NT1", "lines": [{"measure": "NT1", "quantity": "9", "evidence": "X"}], "reason": "x"}"#))
            #expect(other.status == .notFound)
        }
    }

    @Test("GET /log takes a stream named as its schema says (1 to 200 printable ASCII characters), and answers anything else 400",
          arguments: ["contract/LCC\u{1}", "contract/LCC-2025-014\u{7F}", "contract/Ünïcode", String(repeating: "a", count: 201), ""])
    func logStreamParameter(_ stream: String) async throws {
        let fixture = try ServerFixture()
        let encoded = stream.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        try await fixture.test { client in
            let answer = try await client.execute(uri: "/log?stream=" + encoded, method: .get, headers: fixture.headers("auditor"))
            #expect(answer.status == .badRequest, "\(stream.debugDescription): \(answer.status) \(answer.text.prefix(200))")
            #expect(answer.json?["kind"] == "invalid-stream-id" || answer.json?["kind"] == "invalid-query", "\(answer.text.prefix(200))")
        }
        let schema = try String(contentsOfFile: CommandRunner.repositoryRoot + "/Schemas/openapi.json", encoding: .utf8)
        #expect(schema.contains(#""pattern": "^[ -~]{1,200}$""#))
    }
}
