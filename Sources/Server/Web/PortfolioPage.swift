import Access
import Hummingbird
import HummingbirdCore
import LedgerValues
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
        let filter = PortfolioFilter(query: query)
        let ownSupplier = identity.role == .supplier ? identity.supplier ?? "" : nil
        let page = Int(query["page"].map(String.init) ?? "") ?? 1
        // What most people open, the first page with no filter, is worked out once per view of
        // the ledger (and per supplier), like the API's reads; the frame is each person's own.
        let main: HTML
        if filter.isEmpty, page == 1 {
            main = try await portfolioFirstPage(supplier: ownSupplier)
        } else {
            let view = try await figureView(ReadPoint(), filter.period)
            let today = today()
            main = try await offload { Self.portfolioMain(view, supplier: ownSupplier, filter: filter, page: page, today: today) }
        }
        // Who may register a contract (the frame's, so the kept page stays the same for all).
        let register: HTML = identity.role != .supplier && Authorization.allows(.command, identity.role)
            ? "<p class=\"actions\"><a class=\"button secondary\" href=\"/app/register\">Register a contract</a></p>" : .empty
        return WebResponse.page(title: "Contracts", session: session, main: "<h1>Contracts</h1>\(register)\(main)")
    }

    /// The council's first page of the portfolio, worked out once the server has started, so
    /// that the first people to open the web app do not wait for it.
    func preparePortfolioPage() async {
        _ = try? await portfolioFirstPage(supplier: nil)
    }

    /// The first page with no filter, kept per view of the ledger and per supplier.
    func portfolioFirstPage(supplier: String?) async throws -> HTML {
        let cached = try await cachedView(ReadPoint(), nil)
        let today = today()
        // The supplier as its bytes in hex: two spellings Swift's `String` calls equal are two suppliers.
        let key = "web portfolio " + (supplier.map { "supplier " + Bytes.hex($0.utf8) } ?? "council")
        // Kept already: sent without waiting for a worker thread (one may be working a view out).
        var kept = cached.kept(key)
        if kept == nil {
            kept = try await offload {
                cached.rendered(key) { view in
                    .init(body: Array(Self.portfolioMain(view, supplier: supplier, filter: PortfolioFilter.none, page: 1, today: today).markup.utf8), version: nil)
                }
            }
        }
        return HTML(trusted: String(decoding: kept?.body ?? [], as: UTF8.self))
    }

    /// The portfolio's content: what a supplier may see (`supplier`), or the council's.
    static func portfolioMain(_ view: FigureView, supplier ownSupplier: String?, filter: PortfolioFilter, page wanted: Int, today: CalendarDate) -> HTML {
        let document = ContractsDocument(snapshot: view.snapshot, reconciliation: view.reconciliation, supplier: ownSupplier)
        let departments = Dictionary(view.snapshot.contracts.map { ($0.reference, $0.buyerDepartment) }, uniquingKeysWith: { first, _ in first })
        let rows = document.rows.filter { filter.admits($0, department: departments[$0.reference]) }
        let pages = max(1, (rows.count + Self.portfolioPageSize - 1) / Self.portfolioPageSize)
        let page = min(max(1, wanted), pages)
        let shown = rows.dropFirst((page - 1) * Self.portfolioPageSize).prefix(Self.portfolioPageSize)
        var named = Set<[UInt8]>()  // by their bytes, as the filter picks them
        let suppliers = document.rows.compactMap(\.supplier).filter { named.insert(Array($0.utf8)).inserted }
            .sorted { JSONObject.precedes($0, $1) }
        let own = Set(document.rows.map(\.reference))
        let exceptions = CabinetExceptions(
            contracts: view.snapshot.contracts.filter { own.contains($0.reference) },
            reconciled: view.reconciliation.contracts.filter { own.contains($0.reference) }, reportingDate: view.reportingDate)

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
        return """
            <p class="lede">\(rows.count) contract\(rows.count == 1 ? "" : "s")\(ownSupplier.map { " of \($0)" } ?? ""), figures to \(document.reportingDate.longForm) (\(document.period.description)). Ledger position \(Int(document.head.position)).</p>
            \(filter.form(suppliers: ownSupplier == nil ? suppliers : [], departments: Set(document.rows.compactMap { departments[$0.reference] }).sorted(), periods: Self.periods(today: today)))
            \(table)
            \(Self.pagination(page: page, pages: pages, filter: filter))
            \(Self.exceptionsSection(exceptions))
            """
    }

    /// The quarter of `today` and the eight before it, the latest first.
    static func periods(today: CalendarDate) -> [FinancialQuarter] {
        (0..<8).reduce(into: [FinancialQuarter(containing: today)]) { list, _ in list.append(FinancialQuarter(containing: list.last!.firstDay.adding(days: -1))) }
    }

    /// What governance is asked to look at, each contract linking to its page.
    static func exceptionsSection(_ exceptions: CabinetExceptions) -> HTML {
        func list(_ title: String, _ references: [String]) -> HTML {
            guard !references.isEmpty else { return .empty }
            let shown: [HTML] = references.prefix(10).map { "<li><a href=\"/app/contracts/\($0.addingFormEncoding)\">\($0)</a></li>" }
            let more: HTML = references.count > 10 ? "<li>and \(references.count - 10) more</li>" : .empty
            return "<h3>\(title) (\(references.count))</h3><ul class=\"exceptions\">\(shown)\(more)</ul>"
        }
        let parts = [
            list("Under-delivering", exceptions.underDelivering.map(\.reference)),
            list("Late returns", exceptions.lateReturns.map(\.reference)),
            list("Delivery against measures not pledged", Array(Set(exceptions.unpledged.map(\.contract.reference))).sorted()),
            list("Exemptions granted", exceptions.exemptionsGranted.map(\.reference)),
            list("Board overrides of the weighting", exceptions.boardOverrides.map(\.reference)),
            list("In scope, with no pledge", exceptions.noPledge.map(\.reference)),
        ]
        guard exceptions.count > 0 else { return "<h2>Exceptions</h2><p>None.</p>" }
        return "<h2>Exceptions</h2><div class=\"exception-lists\">\(parts)</div>"
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
    let department: String?
    /// The quarter the figures are for (`nil`: today's).
    let period: FinancialQuarter?

    /// No filter: the first page as most people open it.
    static let none = PortfolioFilter(rating: nil, stage: nil, supplier: nil, department: nil, period: nil)

    init(rating: PerformanceRating?, stage: Stage?, supplier: String?, department: String?, period: FinancialQuarter?) {
        self.rating = rating
        self.stage = stage
        self.supplier = supplier
        self.department = department
        self.period = period
    }

    init(query: FlatDictionary<Substring, Substring>) {
        rating = query["rating"].flatMap { PerformanceRating(rawValue: String($0)) }
        stage = query["stage"].flatMap { Stage(rawValue: String($0)) }
        supplier = query["supplier"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        department = query["department"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        period = query["period"].flatMap { FinancialQuarter(String($0)) }.flatMap { ReadRange.contains($0) ? $0 : nil }
    }

    /// No filter at all: every contract, this quarter.
    var isEmpty: Bool { rating == nil && stage == nil && supplier == nil && department == nil && period == nil }

    func admits(_ row: ContractsDocument.Row, department rowDepartment: String?) -> Bool {
        (rating.map { row.amounts?.rating == $0 } ?? true) && (stage.map { row.stage == $0 } ?? true)
            && (supplier.map { row.supplier.sameBytes(as: $0) } ?? true) && (department.map { rowDepartment == $0 } ?? true)
    }

    func query(page: Int) -> String {
        var parts: [String] = []
        if let rating { parts.append("rating=" + rating.rawValue.addingFormEncoding) }
        if let stage { parts.append("stage=" + stage.rawValue.addingFormEncoding) }
        if let supplier { parts.append("supplier=" + supplier.addingFormEncoding) }
        if let department { parts.append("department=" + department.addingFormEncoding) }
        if let period { parts.append("period=" + period.description) }
        parts.append("page=\(page)")
        return parts.joined(separator: "&")
    }

    /// The filters as a form that works without script (GET, so a filtered list can be bookmarked).
    func form(suppliers: [String], departments: [String], periods: [FinancialQuarter]) -> HTML {
        func options<T>(_ values: [T], selected: T?, all: String = "All", label: (T) -> String, value: (T) -> String) -> HTML where T: Equatable {
            let all: HTML = "<option value=\"\">\(all)</option>"
            return all + values.map { item -> HTML in
                "<option value=\"\(value(item))\"\(item == selected ? HTML(" selected") : .empty)>\(label(item))</option>"
            }.joined()
        }
        let supplierField: HTML = suppliers.isEmpty ? .empty : """
            <div class="field inline"><label for="supplier">Supplier</label>
            <select id="supplier" name="supplier">\(options(suppliers, selected: supplier, label: { $0 }, value: { $0 }))</select></div>
            """
        let periodField: HTML = """
            <div class="field inline"><label for="period">Quarter</label>
            <select id="period" name="period">\(options(periods, selected: period, all: "This quarter", label: { $0.description }, value: { $0.description }))</select></div>
            """
        let departmentField: HTML = departments.count < 2 ? .empty : """
            <div class="field inline"><label for="department">Department</label>
            <select id="department" name="department">\(options(departments, selected: department, label: { $0 }, value: { $0 }))</select></div>
            """
        return """
            <form method="get" action="/app" class="filters">
            \(periodField)\(departmentField)
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
