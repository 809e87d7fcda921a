import Hummingbird
import HummingbirdCore
import Projections
import Queries
import Reports
import SocialValue

/// The portfolio: the contracts the reader may see, 50 to a page, with their stage, supplier,
/// what was committed, what was delivered and expected to date, and the rating, filtered by
/// rating, stage and supplier. A supplier sees its own organisation's contracts only.
extension LedgerServer {
    static let portfolioPageSize = 50

    func portfolioPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let session = context.sessions.session
        let query = request.uri.queryParameters
        let view = try await figureView(ReadPoint(), nil)
        let ownSupplier = identity.role == .supplier ? identity.supplier ?? "" : nil
        let document = ContractsDocument(snapshot: view.snapshot, reconciliation: view.reconciliation, supplier: ownSupplier)
        let filter = PortfolioFilter(query: query)
        let rows = document.rows.filter(filter.admits)
        let pages = max(1, (rows.count + Self.portfolioPageSize - 1) / Self.portfolioPageSize)
        let page = min(max(1, Int(query["page"].map(String.init) ?? "") ?? 1), pages)
        let shown = rows.dropFirst((page - 1) * Self.portfolioPageSize).prefix(Self.portfolioPageSize)
        let suppliers = Set(document.rows.compactMap(\.supplier)).sorted()

        let body: [HTML] = shown.map { row in
            let amounts = row.amounts
            let rating: HTML = amounts.map { "<span class=\"rating rating-\($0.rating.rawValue.replacingOccurrences(of: " ", with: "-"))\">\($0.rating.label)</span>" } ?? "<span class=\"muted\">No commitment</span>"
            return """
                <tr><th scope="row"><a href="/app/contracts/\(row.reference.addingFormEncoding)"><span class="ref">\(row.reference)</span> \(row.title)</a></th>
                <td>\(row.stage.rawValue.capitalized)</td><td>\(row.supplier ?? "–")</td>
                <td class="num">\(amounts?.current.formatted ?? "–")</td><td class="num">\(amounts?.delivered.formatted ?? "–")</td>
                <td class="num">\(amounts?.expected.formatted ?? "–")</td><td>\(rating)</td></tr>
                """
        }
        let table: HTML = rows.isEmpty
            ? "<p>No contracts match. <a href=\"/app\">Show every contract</a>.</p>"
            : """
                <table class="portfolio">
                <caption class="visually-hidden">Contracts, page \(page) of \(pages)</caption>
                <thead><tr><th scope="col">Contract</th><th scope="col">Stage</th><th scope="col">Supplier</th>
                <th scope="col" class="num">Committed</th><th scope="col" class="num">Delivered</th><th scope="col" class="num">Expected to date</th><th scope="col">Rating</th></tr></thead>
                <tbody>\(body)</tbody>
                </table>
                """
        return WebResponse.page(title: "Contracts", session: session, main: """
            <h1>Contracts</h1>
            <p class="lede">\(rows.count) contract\(rows.count == 1 ? "" : "s")\(ownSupplier.map { " of \($0)" } ?? ""), figures to \(document.reportingDate.longForm) (\(document.period.description)). Ledger position \(Int(document.head.position)).</p>
            \(filter.form(suppliers: ownSupplier == nil ? suppliers : []))
            \(table)
            \(Self.pagination(page: page, pages: pages, filter: filter))
            """)
    }

    static func pagination(page: Int, pages: Int, filter: PortfolioFilter) -> HTML {
        guard pages > 1 else { return .empty }
        let previous: HTML = page > 1 ? "<a rel=\"prev\" href=\"/app?\(filter.query(page: page - 1))\">Previous page</a>" : .empty
        let next: HTML = page < pages ? "<a rel=\"next\" href=\"/app?\(filter.query(page: page + 1))\">Next page</a>" : .empty
        return "<nav class=\"pagination\" aria-label=\"Pages\">\(previous)<span>Page \(page) of \(pages)</span>\(next)</nav>"
    }
}

/// What the portfolio is narrowed to, from its query string.
struct PortfolioFilter: Sendable {
    let rating: PerformanceRating?
    let stage: Stage?
    let supplier: String?

    init(query: FlatDictionary<Substring, Substring>) {
        rating = query["rating"].flatMap { PerformanceRating(rawValue: String($0)) }
        stage = query["stage"].flatMap { Stage(rawValue: String($0)) }
        supplier = query["supplier"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    func admits(_ row: ContractsDocument.Row) -> Bool {
        (rating.map { row.amounts?.rating == $0 } ?? true) && (stage.map { row.stage == $0 } ?? true)
            && (supplier.map { row.supplier == $0 } ?? true)
    }

    func query(page: Int) -> String {
        var parts: [String] = []
        if let rating { parts.append("rating=" + rating.rawValue.addingFormEncoding) }
        if let stage { parts.append("stage=" + stage.rawValue.addingFormEncoding) }
        if let supplier { parts.append("supplier=" + supplier.addingFormEncoding) }
        parts.append("page=\(page)")
        return parts.joined(separator: "&")
    }

    /// The filters as a form that works without script (GET, so a filtered list can be bookmarked).
    func form(suppliers: [String]) -> HTML {
        func options<T>(_ values: [T], selected: T?, label: (T) -> String, value: (T) -> String) -> HTML where T: Equatable {
            let all: HTML = "<option value=\"\">All</option>"
            return all + values.map { item -> HTML in
                "<option value=\"\(value(item))\"\(item == selected ? HTML(" selected") : .empty)>\(label(item))</option>"
            }.joined()
        }
        let supplierField: HTML = suppliers.isEmpty ? .empty : """
            <div class="field inline"><label for="supplier">Supplier</label>
            <select id="supplier" name="supplier">\(options(suppliers, selected: supplier, label: { $0 }, value: { $0 }))</select></div>
            """
        return """
            <form method="get" action="/app" class="filters">
            <div class="field inline"><label for="rating">Rating</label>
            <select id="rating" name="rating">\(options(PerformanceRating.allCases, selected: rating, label: { $0.label }, value: { $0.rawValue }))</select></div>
            <div class="field inline"><label for="stage">Stage</label>
            <select id="stage" name="stage">\(options(Stage.allCases, selected: stage, label: { $0.rawValue.capitalized }, value: { $0.rawValue }))</select></div>
            \(supplierField)
            <button type="submit" class="button secondary">Show</button>
            </form>
            """
    }
}

extension HTML {
    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.markup + rhs.markup) }
}
