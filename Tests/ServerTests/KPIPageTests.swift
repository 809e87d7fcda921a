import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import SocialValue
import Testing

/// KPIs in the web app (docs/kpis.md): an officer agrees one and assesses it from the
/// contract's page; the page lists it with its latest rating; a supplier has neither form.
@Suite("KPIs in the web app", .timeLimit(.minutes(2)))
struct KPIPageTests {
    @Test("agree a KPI, assess it, see it on the contract page; not for the supplier")
    func agreeAndAssess() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let (cookie, token) = try await WebFormPagesTests.signIn(client, fixture, "c.mensah")
            func post(_ action: String, _ fields: [String: String]) async throws -> TestResponse {
                let all = fields.merging(["formToken": token]) { $1 }
                return try await client.execute(
                    uri: "/app/contracts/LCC-2025-014/actions/\(action)", method: .post, headers: WebAppTests.form(all, origin: WebAppTests.origin, cookie: cookie),
                    body: WebAppTests.body(all))
            }
            let agreed = try await post("kpi.agree", ["id": "KPI1", "name": "Local jobs", "description": "People employed", "target": "20 FTE", "measures": "NT1"])
            #expect(agreed.status == .seeOther, "\(agreed.text.prefix(800))")
            let blank = try await post("kpi.agree", ["id": "KPI2", "name": "", "description": "x", "target": "y"])
            #expect(blank.status == .unprocessableContent, "a required field left empty")
            let assessed = try await post("kpi.assess", ["kpi": "KPI1", "periodStart": "2025-04-01", "periodEnd": "2025-06-30", "rating": "approaching-target", "reason": "18 of 20"])
            #expect(assessed.status == .seeOther, "\(assessed.text.prefix(800))")
            let state = try fixture.ledger.contractState("LCC-2025-014").state
            #expect(state.kpis.map(\.measures) == [["NT1"]] && state.kpiAssessments.map(\.rating) == [.approachingTarget])
            let page = try await client.execute(uri: "/app/contracts/LCC-2025-014", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
            #expect(page.text.contains("Key performance indicators") && page.text.contains("Approaching target, 1 April 2025 to 30 June 2025"), "\(page.text.suffix(3000))")

            // A KPI agreed in March 2025 and never assessed is overdue twelve months on: an exception.
            let early = ByteBuffer(string: #"{"command": "kpi.agree", "contract": "LCC-2025-014", "effectiveDate": "2025-03-20", "kpis": [{"id": "KPI0", "name": "Early", "description": "d", "target": "t"}]}"#)
            let sent = try await client.execute(uri: "/commands", method: .post, headers: fixture.headers("cm", [("Content-Type", "application/json")]), body: early)
            #expect(sent.status == .created, "\(sent.text)")
            let later = try await client.execute(uri: "/reconcile?contract=LCC-2025-014&period=2026-27-Q3", method: .get, headers: fixture.headers("auditor"))
            let overdue = later.json?["kpiAssessmentsOverdue"]?.arrayValue ?? []
            #expect(overdue.map { $0["kpi"]?.stringValue } == ["KPI0"] && overdue.first?["why"]?.stringValue?.contains("due by 2026-03-20") == true, "\(overdue)")
            #expect(later.json?["contracts"]?.arrayValue?.first?["kpiAssessmentsOverdue"]?.arrayValue?.first?["kpi"] == "KPI0")
            let earlier = try await client.execute(uri: "/reconcile?contract=LCC-2025-014&period=2025-26-Q3", method: .get, headers: fixture.headers("auditor"))
            #expect(earlier.json?["kpiAssessmentsOverdue"]?.arrayValue?.isEmpty == true)

            let (supplier, _) = try await WebFormPagesTests.signIn(client, fixture, "p.okafor")
            let form = try await client.execute(uri: "/app/contracts/LCC-2025-014/actions/kpi.assess", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: supplier))
            #expect(form.status == .notFound)
        }
    }
}
