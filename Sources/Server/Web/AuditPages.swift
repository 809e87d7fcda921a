import HTTPTypes
import Hummingbird
import HummingbirdCore
import LedgerValues
import Projections
import Queries
import Reports
import SocialValue

/// The auditor's pages: verify the ledger and see its head, with how to check it without
/// trusting this server; download the whole log; and compare a contract between two days,
/// event by event, with who, why and what changed.
extension LedgerServer {
    func auditPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        let session = context.sessions.session
        let run = request.uri.queryParameters["verify"] != nil
        let result: HTML
        if run {
            do {
                let report = try await offload { try self.ledger.verifyAll() }
                let head = "\(report.head.position):\(report.head.hash.hex)"
                result = """
                    <div class="notice success" role="status"><p><strong>The ledger verifies.</strong> \(Int(report.eventCount)) events in \(Int(report.streamCount)) streams, each linked to the one before by its SHA-256, from the first to the head.</p></div>
                    <dl class="summary"><div class="row"><dt>Head position</dt><dd>\(Int(report.head.position))</dd></div>
                    <div class="row"><dt>Head hash</dt><dd><code class="hash">\(report.head.hash.hex)</code></dd></div></dl>
                    <h2>Check it yourself</h2>
                    <p>Keep the head. Later, anyone can prove that nothing before it changed, with svledger or without it:</p>
                    <pre><code>svledger verify --expect-head \(head)
                    python3 tools/verify_ledger.py LEDGER                 # reads the LMDB file with its own code
                    python3 tools/verify_ledger.py --ndjson log.ndjson    # or the export below</code></pre>
                    """
            } catch {
                result = """
                    <div class="error-summary" role="alert"><h2>The ledger does not verify</h2><p>\(String(describing: error))</p>
                    <p>See docs/operations.md, "When verify fails", before anything else is written.</p></div>
                    """
            }
        } else {
            result = "<p>Verifying reads every event and checks its hash and its link to the one before.</p>"
        }
        return WebResponse.page(title: "Audit", session: session, main: """
            <h1>Audit</h1>
            <h2>Verify the ledger</h2>
            \(result)
            <form method="get" action="/app/audit"><input type="hidden" name="verify" value="1"><button type="submit" class="button">Verify now</button></form>
            <h2>Download the log</h2>
            <p><a href="/app/audit/export.ndjson" download>The whole log as NDJSON</a>: one event a line, each with its position and hash, as <code>svledger export ndjson</code> writes it. Its <code>Ledger-Head</code> header is the head it ends at.</p>
            <h2>Compare a contract between two days</h2>
            \(Self.compareForm(reference: "", from: nil, to: nil, errors: []))
            """)
    }

    func exportPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        var response = try await exportNDJSON(request, context)
        let head = response.headers[HTTPField.Name("Ledger-Head")!]?.split(separator: ":").first.map(String.init) ?? "head"
        response.headers[.contentDisposition] = "attachment; filename=\"svledger-log-\(head).ndjson\""
        return response
    }

    static func compareForm(reference: String, from: CalendarDate?, to: CalendarDate?, errors: [WebPage.FieldError]) -> HTML {
        """
        <form method="get" action="/app/audit/compare" class="filters" novalidate>
        \(WebPage.field("contract", label: "Contract", value: reference, errors: errors, inline: true))
        \(WebPage.field("from", label: "From the end of", type: "date", value: from?.description ?? "", errors: errors, inline: true))
        \(WebPage.field("to", label: "To the end of", type: "date", value: to?.description ?? "", hint: "Empty: today", errors: errors, inline: true))
        <button type="submit" class="button secondary">Compare</button>
        </form>
        """
    }

    /// The contract at the end of `from`, at the end of `to`, and every event between, each
    /// with who, when, why and what it changed.
    func comparePage(_ request: Request, _ context: ServerContext) async throws -> Response {
        let session = context.sessions.session
        let query = request.uri.queryParameters
        let reference = query["contract"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        var errors: [WebPage.FieldError] = []
        if reference.isEmpty { errors.append(.init(field: "contract", message: "Enter the contract's reference")) }
        let fromText = query["from"].map(String.init) ?? "", toText = query["to"].map(String.init) ?? ""
        let from = WebPage.day(fromText), to = toText.isEmpty ? today() : WebPage.day(toText)
        if from == nil { errors.append(.init(field: "from", message: WebPage.dayMessage("the first day"))) }
        if to == nil { errors.append(.init(field: "to", message: WebPage.dayMessage("the last day", example: "2026-06-30"))) }
        if let from, let to, from > to { errors.append(.init(field: "to", message: "The last day must be on or after the first")) }
        guard errors.isEmpty, let from, let to else {
            return WebResponse.page(status: .unprocessableContent, title: "Error: Compare a contract", session: session, main: """
                \(WebPage.errorSummary(errors))<h1>Compare a contract</h1>\(Self.compareForm(reference: reference, from: from, to: to, errors: errors))
                """)
        }
        let (before, after, audit) = try await offload { () throws -> (ContractProjection?, ContractProjection?, AuditDocument) in
            let fromPosition = try ReadPoint(asOf: from).position(in: self.ledger) ?? 0
            let toPosition = try ReadPoint(asOf: to).position(in: self.ledger) ?? 0
            let before = try Snapshot.folded(store: self.ledger.store, at: fromPosition, contract: reference).contract(reference)
            let after = try Snapshot.folded(store: self.ledger.store, at: toPosition, contract: reference).contract(reference)
            // The events recorded after the end of `from`, through the end of `to`.
            return (before, after, try self.audit(contract: reference, since: String(fromPosition), point: ReadPoint(at: toPosition)))
        }
        guard before != nil || after != nil else { return WebResponse.notFound(session: session) }
        func column(_ contract: ContractProjection?) -> [String] {
            guard let contract else { return ["Not yet registered", "–", "–", "–"] }
            let committed = contract.lines.compactMap(\.current?.value).reduce(Money.zero, +)
            let delivered = contract.deliveries.count
            return [contract.stage.rawValue.capitalized, contract.supplier ?? "–", committed.formatted, "\(delivered) figure\(delivered == 1 ? "" : "s") from \(contract.returnedQuarters.count) quarter\(contract.returnedQuarters.count == 1 ? "" : "s")"]
        }
        let labels = ["Stage", "Supplier", "Committed", "Delivery reported"]
        let old = column(before), new = column(after)
        let stateRows: [HTML] = labels.indices.map { index in
            "<tr\(old[index] == new[index] ? HTML.empty : HTML(" class=\"differs\""))><th scope=\"row\">\(labels[index])</th><td>\(old[index])</td><td>\(new[index])</td></tr>"
        }
        let events: [HTML] = audit.entries.map { entry in
            let changes: [HTML] = entry.changes.map { change in
                "<li>\(change.what): \(change.old ?? "none") → \(change.new ?? "none")</li>"
            }
            return """
                <li class="event"><p><strong>\(entry.summary)</strong></p>
                <p class="muted">Position \(Int(entry.position)), recorded \(Timestamp(entry.recordedAt)?.date.longForm ?? entry.recordedAt) by \(entry.actorId) (\(entry.actorRole)), effective \(CalendarDate(entry.effectiveDate)?.longForm ?? entry.effectiveDate)</p>
                <p>Why: \(entry.reason ?? "no reason given")</p>\(changes.isEmpty ? HTML.empty : "<ul>\(changes)</ul>")</li>
                """
        }
        return WebResponse.page(title: "Compare \(reference)", session: session, main: """
            <p class="caption">\(reference)\(after.map { ": " + $0.title } ?? "")</p>
            <h1>What changed from \(from.longForm) to \(to.longForm)</h1>
            \(Self.compareForm(reference: reference, from: from, to: to, errors: []))
            <table>
            <thead><tr><th scope="col"></th><th scope="col">End of \(from.longForm)</th><th scope="col">End of \(to.longForm)</th></tr></thead>
            <tbody>\(stateRows)</tbody>
            </table>
            <h2>\(audit.entries.count) event\(audit.entries.count == 1 ? "" : "s") between</h2>
            \(events.isEmpty ? HTML("<p>Nothing was recorded for this contract between those days.</p>") : "<ol class=\"events\">\(events)</ol>")
            """)
    }
}
