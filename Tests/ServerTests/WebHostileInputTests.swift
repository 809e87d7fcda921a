import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
@testable import Server
import TestSupport
import Testing

/// Every page of the web app, signed in with a live session and its right form token, fed
/// values a person could type or a tool could send: none gets a 5xx. The routes come from the
/// server's own table, so a page added later is fed too. Bounded: a fixed list of values, sent
/// once per field name each page's forms use.
@Suite("the web app under hostile input: no page answers 5xx")
struct WebHostileInputTests {
    static let values = [
        "", " ", "-1", "0", "1e309", "99999999999999999999999999999999999999", "£-5", "NaN", "2026-02-30", "0000-00-00", "9999-12-31",
        "<script>alert(1)</script>", "\"'><", "../../etc/passwd", "%00", "\u{0}", "\u{202E}evil", "𝟘𝟙", String(repeating: "9", count: 5000),
        "LCC-2025-014", "2025-26-Q9", "x=y&z",
    ]

    /// The field names the pages' forms and filters use.
    static let fields = [
        "contract", "title", "buyerDepartment", "category", "estimatedWholeLifeValueGBP", "startDate", "endDate", "areasServed", "policyId", "existingSupplier",
        "reason", "percent", "basis", "overrideReason", "decision", "businessCaseReference", "supplier", "valueGBP", "awardDate", "quarter",
        "quantity-NT1", "evidence-NT1", "extra-measure", "extra-quantity", "attribution", "corrects", "revise-NT1", "withdraw-NT1", "add-measure-1",
        "add-quantity-1", "catalog", "table", "useComputed", "addMeasures", "version", "account", "role", "days", "as-of", "on", "at", "page",
        "rating", "stage", "department", "period", "from", "to", "trail", "code",
    ]

    @Test("every page route, GET with hostile query values and POST with hostile form values, answers below 500")
    func noServerErrors() async throws {
        let fixture = try ServerFixture()
        let routes = fixture.server.controllers().flatMap(\.routes).flatMap { route in
            route.methods.compactMap { method -> (HTTPRequest.Method, String)? in
                // Signing out and starting a second factor change the session itself: not fed here.
                guard case .page? = route.access[method], !["/app/sign-out", "/app/account/second-factor"].contains(route.template) else { return nil }
                return (method, route.template)
            }
        }
        #expect(routes.count >= 20, "\(routes.map(\.1))")
        try await fixture.test { client in
            let (cookie, token) = try await WebFormPagesTests.signIn(client, fixture, "r.shah")
            var served = 0
            for (method, template) in routes {
                for (index, value) in Self.values.enumerated() {
                    let path = template.replacingOccurrences(of: "{contract}", with: index % 2 == 0 ? "LCC-2025-014" : value.addingFormEncoding)
                        .replacingOccurrences(of: "{action}", with: index % 3 == 0 ? "weighting.decide" : value.addingFormEncoding)
                    var fields = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, value) })
                    fields["formToken"] = token
                    let answer: TestResponse
                    if method == .get {
                        let query = fields.filter { $0.key != "formToken" }.map { "\($0.key)=\($0.value.addingFormEncoding)" }.sorted().joined(separator: "&")
                        answer = try await client.execute(uri: path + "?" + query, method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
                    } else {
                        answer = try await client.execute(
                            uri: path, method: method, headers: WebAppTests.form(fields, origin: WebAppTests.origin, cookie: cookie), body: WebAppTests.body(fields))
                    }
                    #expect(answer.status.code < 500, "\(method) \(path) with \(value.prefix(40).debugDescription): \(answer.status) \(answer.text.prefix(300))")
                    // Still signed in, so the page itself was fed, not the sign-in page.
                    #expect(answer.headers[.location].map { !$0.hasPrefix("/app/sign-in") } ?? true, "\(method) \(path): \(answer.headers[.location] ?? "")")
                    served += 1
                }
            }
            #expect(served == routes.count * Self.values.count)
            // The session lived through it all: nothing above ended it.
            let still = try await client.execute(uri: "/app", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
            #expect(still.status == .ok)
        }
    }
}
