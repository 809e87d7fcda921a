import Access
import Hummingbird
import LedgerValues
import Projections
import Queries
import Reports
import SocialValue

/// The review refresh, as a form: each current commitment with a box for its new quantity and
/// one to withdraw it, rows for measures added, a catalog version to re-price every line with,
/// and the reason, which a refresh needs. It sends the API's `review.refresh` command through
/// ``LedgerServer/submitFromPage(_:identity:version:)``, with the contract's version when the
/// page was loaded as `If-Match`. The original pledge stays in the history; the contract page
/// shows both.
extension LedgerServer {
    /// How many measures a review may add in one go from the page (the API takes any number).
    static let reviewAddRows = 3

    func reviewPage(_ context: ServerContext, values: [String: String] = [:], errors: [WebPage.FieldError] = [], problem: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let session = context.sessions.session
        // A council decision: a supplier sees none of it, not even which contracts exist.
        if context.identity?.role == .supplier { return WebResponse.notFound(session: context.sessions.session) }
        guard let reference = context.parameters.get("contract")?.removingPercentEncoding, let session else { return WebResponse.notFound(session: session) }
        let view = try await contractView(reference, ReadPoint(), nil)
        guard let contract = view.snapshot.contract(reference) else { return WebResponse.notFound(session: session) }
        let back: HTML = "<p><a href=\"/app/contracts/\(reference.addingFormEncoding)\">Back to the contract</a></p>"
        guard Self.takesReview(contract) else {
            return WebResponse.page(status: .conflict, title: "Nothing to refresh", session: session, main: """
                <p class="caption">\(reference): \(contract.title)</p><h1>Nothing to refresh</h1>
                <p>Commitments are refreshed once a pledge is recorded, until the contract is closed.</p>\(back)
                """)
        }
        let current = contract.lines.filter { $0.current != nil }
        let rows: [HTML] = current.map { line in
            let withdraw = "withdraw-\(line.measure)"
            return """
                <tr><th scope="row">\(line.measure)<br><span class="muted">\(line.unit)</span></th>
                <td class="num">\(line.current?.quantity.readable(decimals: 4) ?? "–")</td>
                <td>\(Self.cell("revise-\(line.measure)", label: "New quantity of \(line.measure)", values: values, errors: errors, inputMode: "decimal"))</td>
                <td><div class="checkbox"><input type="checkbox" id="\(withdraw)" name="\(withdraw)" value="yes"\(values[withdraw] == "yes" ? HTML(" checked") : .empty)>
                <label for="\(withdraw)"><span class="visually-hidden">Withdraw \(line.measure)</span><span aria-hidden="true">Withdraw</span></label></div></td></tr>
                """
        }
        let added: [HTML] = (1...Self.reviewAddRows).map { row in
            """
            <tr><th scope="row">\(Self.cell("add-measure-\(row)", label: "Measure to add (its code)", values: values, errors: errors, visibleLabel: row == 1))</th><td></td>
            <td>\(Self.cell("add-quantity-\(row)", label: "Quantity of the measure added", values: values, errors: errors, inputMode: "decimal"))</td><td></td></tr>
            """
        }
        let keep = contract.commitmentCatalog ?? ""
        let chosen = values["catalog"] ?? ""
        let catalogs = view.snapshot.reference.catalogs.values.flatMap { $0 }.map(\.reference).filter { $0 != keep }.sorted()
        let options: [HTML] = ["<option value=\"\">Keep \(keep)</option>"] + catalogs.map { catalog in
            "<option value=\"\(catalog)\"\(catalog == chosen ? HTML(" selected") : .empty)>Re-price every line with \(catalog)</option>"
        }
        return WebResponse.page(status: status, title: (errors.isEmpty && problem == nil ? "" : "Error: ") + "Refresh the commitments: \(reference)", session: session, main: """
            \(WebPage.errorSummary(errors))\(WebPage.refusal(problem))
            <p class="caption">\(reference): \(contract.title)</p>
            <h1>Refresh the commitments</h1>
            <p>At a contract review the commitments may be revised, added to or withdrawn. The original pledge stays in the history, beside the current commitments.</p>
            <form method="post" action="/app/contracts/\(reference.addingFormEncoding)/review" novalidate>
            \(WebPage.formToken(session))<input type="hidden" name="version" value="\(values["version"] ?? String(contract.version))">
            <table class="return">
            <caption>Leave a new quantity empty to keep the line as it is.</caption>
            <thead><tr><th scope="col">Measure</th><th scope="col" class="num">Committed now</th><th scope="col">New quantity</th><th scope="col">Withdraw</th></tr></thead>
            <tbody>\(rows)\(added)</tbody>
            </table>
            <div class="field\(errors.contains { $0.field == "catalog" } ? " field-has-error" : "")"><label for="catalog">Catalog</label>
            \(Self.fieldError("catalog", errors))<select id="catalog" name="catalog">\(options)</select></div>
            \(WebPage.field("reason", label: "Why the commitments change", value: values["reason"] ?? "", hint: "Required: recorded with the refresh, for example the review meeting and its date.", errors: errors))
            <button type="submit" class="button">Record the refresh</button>
            </form>
            \(back)
            """)
    }

    func submitReview(_ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        // A council decision: a supplier sees none of it, not even which contracts exist.
        if context.identity?.role == .supplier { return WebResponse.notFound(session: context.sessions.session) }
        guard let reference = context.parameters.get("contract")?.removingPercentEncoding else { return WebResponse.notFound(session: context.sessions.session) }
        let form = context.form ?? WebForm([:])
        let view = try await contractView(reference, ReadPoint(), nil)
        guard let contract = view.snapshot.contract(reference) else { return WebResponse.notFound(session: context.sessions.session) }

        // Each line sent remembers the form field it came from, for a refusal naming it.
        var revise: [JSONValue] = [], add: [JSONValue] = [], withdraw: [JSONValue] = []
        var sources: [String: [String]] = ["revise": [], "add": [], "withdraw": []]
        for line in contract.lines where line.current != nil {
            let quantity = form.text("revise-\(line.measure)")
            if !quantity.isEmpty {
                revise.append(["measure": .string(line.measure), "quantity": .string(quantity)])
                sources["revise"]?.append("revise-\(line.measure)")
            }
            if form["withdraw-\(line.measure)"] == "yes" {
                withdraw.append(.string(line.measure))
                sources["withdraw"]?.append("revise-\(line.measure)")
            }
        }
        var errors: [WebPage.FieldError] = []
        for row in 1...Self.reviewAddRows {
            let measure = form.text("add-measure-\(row)"), quantity = form.text("add-quantity-\(row)")
            guard !measure.isEmpty || !quantity.isEmpty else { continue }
            if measure.isEmpty { errors.append(.init(field: "add-measure-\(row)", message: "Enter the code of the measure to add")) }
            add.append(["measure": .string(measure), "quantity": .string(quantity)])
            sources["add"]?.append("add-quantity-\(row)")
        }
        let catalog = form.text("catalog")
        if revise.isEmpty, add.isEmpty, withdraw.isEmpty, catalog.isEmpty {
            errors.append(.init(field: contract.lines.first.map { "revise-\($0.measure)" } ?? "add-measure-1", message: "Change at least one line, or choose a catalog to re-price with"))
        }
        if form.text("reason").isEmpty { errors.append(.init(field: "reason", message: "Say why the commitments change")) }
        guard errors.isEmpty else { return try await reviewPage(context, values: form.fields, errors: errors, status: .unprocessableContent) }

        var command: [String: JSONValue] = [
            "command": "review.refresh", "contract": .string(reference), "reason": .string(form.text("reason")),
            "actor": ["id": .string(identity.account), "role": .string(identity.role.rawValue)],
        ]
        if !revise.isEmpty { command["revise"] = .array(revise) }
        if !add.isEmpty { command["add"] = .array(add) }
        if !withdraw.isEmpty { command["withdraw"] = .array(withdraw) }
        if !catalog.isEmpty { command["catalog"] = .string(catalog) }
        let problem: JSONValue?, detail: String
        switch PageOutcome(await submitFromPage(command, identity: identity, version: form.text("version")), otherwise: "The refresh could not be recorded.") {
        case .recorded:
            return WebResponse.redirect("/app/contracts/\(reference.addingFormEncoding)?notice=" + "Recorded: the commitments are refreshed.".addingFormEncoding)
        case .changedMeanwhile:
            var values = form.fields
            values["version"] = nil
            return try await reviewPage(context, values: values, problem: PageOutcome.changed("check the contract, then refresh again."), status: .conflict)
        case .refused(let answer, let words):
            (problem, detail) = (answer, words)
        }
        // `/revise/0/quantity` names the first revised line's box; `/reason`, `/catalog` their own.
        let named: [WebPage.FieldError] = (problem?["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []).compactMap { pointer in
            let parts = pointer.split(separator: "/").map(String.init)
            guard let first = parts.first else { return nil }
            if let list = sources[first] {
                guard parts.count > 1, let index = Int(parts[1]), list.indices.contains(index) else { return list.first.map { .init(field: $0, message: detail) } }
                return .init(field: list[index], message: detail)
            }
            return ["reason", "catalog"].contains(first) ? .init(field: first, message: detail) : nil
        }
        return try await reviewPage(context, values: form.fields, errors: named, problem: named.isEmpty ? detail : nil, status: .unprocessableContent)
    }

    /// Commitments are refreshed once a pledge is recorded, until the contract is closed.
    static func takesReview(_ contract: ContractProjection) -> Bool {
        !contract.lines.isEmpty && contract.stage != .closed
    }
}
