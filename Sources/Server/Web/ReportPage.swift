import HTTPTypes
import Hummingbird
import LedgerValues
import Queries
import Reports
import SocialValue

/// The Cabinet report in the browser: a page to choose the period and the day the ledger is
/// read as of, and the report itself, the same document `svledger report cabinet` writes,
/// which prints to A4 (the browser's Print, or Save as PDF).
extension LedgerServer {
    func reportPage(_ request: Request, _ context: ServerContext) -> Response {
        let session = context.sessions.session
        let options: [HTML] = Self.periods(today: today()).map { "<option value=\"\($0.description)\">\($0.description)</option>" }
        return WebResponse.page(title: "Cabinet report", session: session, main: """
            <h1>Cabinet report</h1>
            <p>The report to Cabinet on the social value the council's contracts secure: the same report as <code>svledger report cabinet</code>, worked out from the ledger when you open it.</p>
            <form method="get" action="/app/reports/cabinet/report" class="filters">
            <div class="field inline"><label for="period">Quarter</label><select id="period" name="period">\(options)</select></div>
            \(WebPage.field("as-of", label: "The ledger as of", type: "date", hint: "Empty: as it is now", errors: [], inline: true))
            <button type="submit" class="button">Open the report</button>
            </form>
            <p>The report opens as a document of its own. To keep it as a PDF, use your browser's Print, then Save as PDF: it is laid out for A4, with page numbers.</p>
            """)
    }

    /// The report's own document, with a content security policy of its own: no script and
    /// nothing fetched, as on every page, but its one inline style sheet and its bars' inline
    /// widths allowed (with nothing able to run or load, inline style cannot carry anything
    /// out of the page).
    func reportDocument(_ request: Request, _ context: ServerContext) async throws -> Response {
        let query = request.uri.queryParameters
        let period = query["period"].flatMap { FinancialQuarter(String($0)) }.flatMap { ReadRange.contains($0) ? $0 : nil }
        let asOf = query["as-of"].flatMap { WebPage.day(String($0)) }
        let prepared = self.preparedReport(.html, type: "text/html; charset=utf-8")
        let cached = try await cachedView(ReadPoint(asOf: asOf), period, trend: true, prepared: prepared)
        var response = try await self.response(cached, prepared.key, type: "text/html; charset=utf-8", request: request, render: prepared.render)
        response.headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        return response
    }
}
