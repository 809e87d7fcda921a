import Access
import Hummingbird
import LedgerValues
import Queries
import Reports
import SocialValue

/// The returns suppliers owe (docs/calendar.md): `GET /due` as JSON, and `GET /calendar.ics`,
/// the same returns as an iCalendar feed of their due days. A supplier gets its own contracts'
/// only, whatever it asks for.
extension LedgerServer {
    func addDueRoutes(_ routes: RouteTable) {
        routes.add(.get, "/due", access: .operation(.due), heavy: true) { request, context in try await self.due(request, context, calendar: false) }
        routes.add(.get, "/calendar.ics", access: .operation(.due), produces: ["text/calendar"], heavy: true) { request, context in
            try await self.due(request, context, calendar: true)
        }
    }

    func due(_ request: Request, _ context: ServerContext, calendar: Bool) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try Query(request.uri.query, allowed: ["today", "supplier", "manager", "all"])
        let today: CalendarDate
        if let text = query["today"] {
            guard let day = CalendarDate(text) else { throw Problem(.invalidQuery, "today \(DisplayText.quoted(text)) is not a date YYYY-MM-DD") }
            today = day
        } else {
            today = self.today()
        }
        let all: Bool
        switch query["all"] {
        case nil, "false": all = calendar
        case "true": all = true
        case let other?: throw Problem(.invalidQuery, "all is true or false, got \(DisplayText.quoted(other))")
        }
        var supplier = query["supplier"]
        if identity.role == .supplier { supplier = identity.supplier }
        let manager = query["manager"]
        let snapshot = try await figureView(ReadPoint(), nil).snapshot
        var due = ReturnsDue(snapshot, today: today, allUpcoming: all)
        if let supplier { due = due.filtered { $0.supplier.sameBytes(as: supplier) } }
        if let manager { due = due.filtered { $0.contractManager == manager } }
        guard calendar else { return Self.json(DueDocument.json(due)) }
        let name = "Social value returns" + (supplier.map { ": \($0)" } ?? "")
        return Self.text(DueCalendar.ics(due, name: name, stamp: .now()), type: "text/calendar; charset=utf-8")
    }
}
