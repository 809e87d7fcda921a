import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Server
import Testing

/// A problem names the input fields it concerns as JSON pointers into the body, taken from
/// the error's own structure, never read out of its text.
@Suite("server, the fields a problem names", .timeLimit(.minutes(2)))
struct ProblemFieldsTests {
    @Test("an input error gives its path, a refusal the fields its wording names, and other problems none")
    func pointers() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            func post(_ body: String) async throws -> (HTTPResponse.Status, JSONValue?) {
                let answer = try await client.execute(
                    uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]), body: ByteBuffer(string: body))
                return (answer.status, answer.json)
            }
            let dates = try await post(#"{"command": "contract.register", "contract": "F-1", "title": "T", "buyerDepartment": "D", "category": "works", "estimatedWholeLifeValueGBP": "900000", "startDate": "2026-04-01", "endDate": "2025-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#)
            #expect(dates.0 == .unprocessableContent)
            #expect(dates.1?["fields"] == ["/endDate", "/startDate"], "\(dates.1 ?? .null)")
            #expect(dates.1?["detail"]?.stringValue?.contains("endDate 2025-03-31 is before startDate 2026-04-01") == true)
            let quantity = try await post(#"{"command": "delivery.report", "contract": "LCC-2025-014", "quarter": "2025-26-Q3", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "-2", "evidence": "E"}]}"#)
            #expect(quantity.0 == .unprocessableContent)
            #expect(quantity.1?["fields"] == ["/lines/0/quantity"], "\(quantity.1 ?? .null)")
            let unknown = try await post(#"{"command": "threshold.assess", "contract": "NO-SUCH-1"}"#)
            #expect(unknown.0 == .unprocessableContent || unknown.0 == .notFound)
            #expect(unknown.1?["fields"] == nil, "\(unknown.1 ?? .null)")
        }
    }
}
