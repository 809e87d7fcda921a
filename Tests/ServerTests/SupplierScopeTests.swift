import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Server
import Testing

/// A supplier's answers prove its own contracts and say nothing of anyone else's activity:
/// no ledger head, no whole-portfolio digest, but its streams' versions and a digest of its
/// own figures.
@Suite("server, what a supplier is shown", .timeLimit(.minutes(2)))
struct SupplierScopeTests {
    static let register = #"{"command": "contract.register", "contract": "LCC-OTHER-1", "effectiveDate": "2025-02-03", "title": "Someone else's", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "£4,250,000", "startDate": "2025-04-01", "endDate": "2027-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#

    @Test("a supplier's reads carry its streams and its own figures digest, and do not change when others act")
    func scopedReads() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let reads = ["/contracts/LCC-2025-014", "/contracts", "/reconcile?period=2025-26-Q2"]
            var before: [String] = []
            for uri in reads {
                let answer = try await client.execute(uri: uri, method: .get, headers: fixture.headers("north"))
                #expect(answer.status == .ok, "\(uri): \(answer.text.prefix(200))")
                let json = try #require(answer.json)
                #expect(json["head"] == nil, "\(uri) gives a supplier the ledger's head")
                #expect(json["streams"]?["contract/LCC-2025-014"] != nil, "\(uri): \(json["streams"] ?? .null)")
                let council = try await client.execute(uri: uri, method: .get, headers: fixture.headers("auditor"))
                #expect(council.json?["head"] != nil)
                if uri == reads[0] {
                    // A read of one contract states that contract's own figures, for everyone alike.
                    #expect(json["figures"]?["contract"] == .string("LCC-2025-014"))
                    #expect(council.json?["figures"]?["digest"] == json["figures"]?["digest"])
                } else {
                    #expect(json["figures"]?["supplier"] == .string("North Roads Ltd"))
                    #expect(council.json?["figures"]?["digest"] != json["figures"]?["digest"], "\(uri): the supplier is given the whole portfolio's digest")
                }
                before.append(answer.text)
            }
            let show = try await client.execute(uri: reads[0], method: .get, headers: fixture.headers("north"))
            #expect(show.json?["streams"]?["contract/LCC-2025-014"] == .integer(Int64(show.headers[.eTag]?.trimmingCharacters(in: ["\""]) ?? "") ?? -1))

            // The council acts on a contract that is not the supplier's: the supplier's answers are the same bytes.
            let other = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]), body: ByteBuffer(string: Self.register))
            #expect(other.status == .created, "\(other.text.prefix(300))")
            for (uri, earlier) in zip(reads, before) {
                let answer = try await client.execute(uri: uri, method: .get, headers: fixture.headers("north"))
                #expect(answer.text == earlier, "\(uri) changed for the supplier when someone else acted")
            }

            // Its own write is answered with the version of the stream it wrote, not the head.
            let written = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("north", [("Content-Type", "application/json")]),
                body: ByteBuffer(string: #"{"command": "delivery.report", "contract": "LCC-2025-014", "quarter": "2026-27-Q1", "lines": [{"measure": "NT1", "quantity": "3", "evidence": "S-1"}], "attributionConfirmed": true}"#))
            #expect(written.status == .created, "\(written.text.prefix(300))")
            #expect(written.json?["head"] == nil)
            #expect(written.json?["streams"]?["contract/LCC-2025-014"] != nil)
        }
    }
}
