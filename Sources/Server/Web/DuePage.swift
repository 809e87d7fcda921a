import Access
import Hummingbird
import LedgerValues
import Queries
import Reports

/// The returns owed, as a page (docs/calendar.md): overdue, due and each contract's next, by
/// supplier or by contract manager; a supplier sees its own contracts' only, with a link to its
/// iCalendar feed.
extension LedgerServer {
    func duePage(_ request: Request, _ context: ServerContext) async throws -> Response {
        let session = context.sessions.session
        guard let session, let identity = context.identity else { return WebResponse.notFound(session: session) }
        let byManager = request.uri.queryParameters["by"].map(String.init) == "manager"
        var due = ReturnsDue(try await figureView(ReadPoint(), nil).snapshot, today: today())
        if identity.role == .supplier { due = due.filtered { $0.supplier.sameBytes(as: identity.supplier) } }
        let groups = byManager ? due.grouped { $0.contractManager } : due.grouped { $0.supplier }
        let counts = ReturnsDue.Status.allCases.map { status in "\(due.entries.filter { $0.status == status }.count) \(status.rawValue)" }.joined(separator: ", ")
        let sections: [HTML] = groups.map { group in
            let rows: [HTML] = group.entries.map { e in
                let when = e.daysLeft < 0 ? "\(-e.daysLeft) days late" : e.daysLeft == 0 ? "today" : "in \(e.daysLeft) days"
                let other = (byManager ? e.supplier : e.contractManager) ?? "—"
                return """
                    <tr class="\(e.status.rawValue)"><th scope="row" class="nowrap"><a href="/app/contracts/\(e.contract.addingFormEncoding)">\(e.contract)</a></th><td>\(e.title)</td><td class="nowrap">\(e.quarter.description)</td><td>\(e.dueDate.longForm) (\(when))</td><td><strong>\(e.status.rawValue)</strong>\(e.missingMeasures.isEmpty ? "" : ": " + e.missingMeasures.joined(separator: ", ") + " missing")</td><td>\(other)</td></tr>
                    """
            }
            return """
                <h2>\(byManager ? "Contract manager" : "Supplier"): \(group.name)</h2>
                <div class="scroll"><table><thead><tr><th scope="col">Contract</th><th scope="col">Title</th><th scope="col">Quarter</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">\(byManager ? "Supplier" : "Contract manager")</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """
        }
        let body: HTML = sections.isEmpty ? "<p class=\"empty\">Nothing is owed.</p>" : "\(sections)"
        let switcher: HTML = identity.role == .supplier
            ? "<p>Add your due days to your own calendar: subscribe to <code>/calendar.ics</code> with your API token (docs/calendar.md).</p>"
            : byManager ? "<p><a href=\"/app/due\">By supplier</a></p>" : "<p><a href=\"/app/due?by=manager\">By contract manager</a></p>"
        return WebResponse.page(title: "Returns due", session: session, main: """
            <h1>Returns due</h1>
            <p>On \(today().longForm): \(counts). A return is due a number of days after its quarter ends (the policy's, or the contract's own) and overdue once that day has passed, the rule the reconciliation's late returns follow.</p>
            \(switcher)
            \(body)
            """)
    }
}
