import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Testing

/// The returns owed over HTTP (docs/calendar.md): `GET /due` and `GET /calendar.ics`, a
/// supplier's limited to its own contracts whatever it asks for.
@Suite("returns due over HTTP", .timeLimit(.minutes(2)))
struct DueRouteTests {
    @Test("an officer sees every contract's returns owed, a supplier its own only, as JSON and as an iCalendar feed")
    func dueAndCalendar() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let all = try await client.execute(uri: "/due?today=2026-11-10", method: .get, headers: fixture.headers("po"))
            #expect(all.status == .ok, "\(all.text)")
            let suppliers = Set(all.json?["returns"]?.arrayValue?.compactMap { $0["supplier"]?.stringValue } ?? [])
            #expect(suppliers.contains("North Roads Ltd"), "\(suppliers)")

            let north = try await client.execute(uri: "/due?today=2026-11-10&supplier=Bridge%20Experts%20Ltd", method: .get, headers: fixture.headers("north"))
            let own = Set(north.json?["returns"]?.arrayValue?.compactMap { $0["supplier"]?.stringValue } ?? [])
            #expect(north.status == .ok && own == ["North Roads Ltd"], "a supplier's own, whatever it names: \(own)")

            let feed = try await client.execute(uri: "/calendar.ics?today=2026-11-10", method: .get, headers: fixture.headers("north"))
            #expect(feed.status == .ok && feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(feed.text.hasPrefix("BEGIN:VCALENDAR\r\n") && feed.text.contains("UID:LCC-2025-014-"))
            let other = try await client.execute(uri: "/calendar.ics?today=2026-11-10", method: .get, headers: fixture.headers("bridge"))
            #expect(!other.text.contains("LCC-2025-014"), "another supplier's feed has none of North Roads' returns")

            let bad = try await client.execute(uri: "/due?today=2026-13-01", method: .get, headers: fixture.headers("po"))
            #expect(bad.status.code >= 400 && bad.status.code < 500 && bad.json?["kind"] == .string("invalid-query"), "\(bad.text)")
            let notBoolean = try await client.execute(uri: "/due?all=null", method: .get, headers: fixture.headers("po"))
            #expect(notBoolean.json?["kind"] == .string("invalid-query"), "all is true or false: \(notBoolean.text)")
        }
    }

    @Test("the Returns due page: an officer's lists every supplier, by manager too; a supplier's its own only")
    func duePage() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let (cookie, _) = try await WebFormPagesTests.signIn(client, fixture, "a.patel")
            let page = try await client.execute(uri: "/app/due", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
            #expect(page.status == .ok && page.text.contains("<h1>Returns due</h1>") && page.text.contains("Supplier: North Roads Ltd"), "\(page.text.prefix(2000))")
            let byManager = try await client.execute(uri: "/app/due?by=manager", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
            #expect(byManager.text.contains("Contract manager: (none named)"))
            let (supplierCookie, _) = try await WebFormPagesTests.signIn(client, fixture, "b.jones")
            let own = try await client.execute(uri: "/app/due", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: supplierCookie))
            #expect(own.status == .ok && !own.text.contains("North Roads Ltd") && !own.text.contains("LCC-2025-014"), "another supplier's returns are not shown")
        }
    }
}
