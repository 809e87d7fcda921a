import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import SocialValue
import Testing

/// The check of returns over HTTP (docs/validation.md): an officer's query, the supplier's
/// answer (through the API and its web form), a Contract Manager's validation, and what each
/// role may not do.
@Suite("the check of returns over HTTP", .timeLimit(.minutes(2)))
struct ValidationRouteTests {
    static func command(_ name: String, _ fields: String) -> ByteBuffer {
        ByteBuffer(string: #"{"command": "\#(name)", "contract": "LCC-2025-014", "quarter": "2025-26-Q2", \#(fields)}"#)
    }

    static func status(_ fixture: ServerFixture, _ measure: String) throws -> ValidationStatus? {
        try fixture.ledger.contractState("LCC-2025-014").state.figures[FigureKey(quarter: FinancialQuarter("2025-26-Q2")!, measure: measure)]?.status
    }

    @Test("an officer queries, the supplier answers on its web form, a Contract Manager validates; the reconciliation shows validated beside claimed")
    func queryAnswerValidate() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let json = [("Content-Type", "application/json")]
            let query = Self.command("delivery.query", #""measure": "NT18", "question": "Which invoices make up the local spend?""#)
            let bySupplier = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("north", json), body: query)
            #expect(bySupplier.status == .forbidden, "a supplier does not query: \(bySupplier.text)")
            let asked = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("cm", json), body: query)
            #expect(asked.status == .created, "\(asked.text)")
            #expect(try Self.status(fixture, "NT18") == .queried)

            let answer = Self.command("delivery.answer", #""measure": "NT18", "answer": "Invoice list sent""#)
            let other = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("bridge", json), body: answer)
            #expect(other.status == .notFound, "another supplier's contract: \(other.status)")
            let byOfficer = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("po", json), body: answer)
            #expect(byOfficer.status == .unprocessableContent && byOfficer.json?["kind"] == .string("validation-authority"), "\(byOfficer.text)")

            // The supplier's web form: offered on its contract's page, the question shown.
            let (cookie, token) = try await WebFormPagesTests.signIn(client, fixture, "p.okafor")
            let page = try await client.execute(uri: "/app/contracts/LCC-2025-014", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
            #expect(page.text.contains("/actions/delivery.answer"), "the contract page offers the answer")
            #expect(!page.text.contains("/actions/delivery.validate"), "and no council decision")
            let form = try await client.execute(uri: "/app/contracts/LCC-2025-014/actions/delivery.answer", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
            #expect(form.status == .ok && form.text.contains("Which invoices make up the local spend?"))
            let councilForm = try await client.execute(uri: "/app/contracts/LCC-2025-014/actions/delivery.validate", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
            #expect(councilForm.status == .notFound)
            let fields = ["formToken": token, "quarter": "2025-26-Q2", "measure": "NT18", "answer": "Invoice list sent, INV-1 to INV-40"]
            let sent = try await client.execute(
                uri: "/app/contracts/LCC-2025-014/actions/delivery.answer", method: .post, headers: WebAppTests.form(fields, origin: WebAppTests.origin, cookie: cookie),
                body: WebAppTests.body(fields))
            #expect(sent.status == .seeOther, "\(sent.text.prefix(400))")
            #expect(try Self.status(fixture, "NT18") == .answered)

            let noReason = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("cm", json), body: Self.command("delivery.validate", #""measures": ["NT18"]"#))
            #expect(noReason.status == .unprocessableContent && noReason.json?["kind"] == .string("reason-required"), "\(noReason.text)")
            let byHead = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("hop", json), body: Self.command("delivery.validate", #""reason": "Checked""#))
            #expect(byHead.json?["kind"] == .string("validation-authority"))
            let validated = try await client.execute(
                uri: "/commands", method: .post, headers: fixture.headers("cm", json),
                body: Self.command("delivery.validate", #""measures": ["NT18"], "reason": "Invoices checked against the list""#))
            #expect(validated.status == .created, "\(validated.text)")
            #expect(try Self.status(fixture, "NT18") == .validated)
            #expect(try Self.status(fixture, "NT1") == .submitted)

            let reconciled = try await client.execute(uri: "/reconcile?contract=LCC-2025-014&period=2025-26-Q2", method: .get, headers: fixture.headers("auditor"))
            let amounts = reconciled.json?["contracts"]?.arrayValue?.first?["amounts"]
            let validatedGBP = try #require(amounts?["validated"]?.stringValue.flatMap(Double.init))
            let deliveredGBP = try #require(amounts?["delivered"]?.stringValue.flatMap(Double.init))
            #expect(validatedGBP > 0 && validatedGBP < deliveredGBP, "validated \(validatedGBP) beside claimed \(deliveredGBP)")
        }
    }
}
