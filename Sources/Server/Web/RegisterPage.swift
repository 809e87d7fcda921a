import Access
import Hummingbird
import LedgerValues
import Projections
import Queries
import Reports
import SocialValue

/// Registering a contract, as a form: the first fact of every contract, which the threshold
/// assessment then judges. It sends the API's `contract.register` command through
/// ``LedgerServer/submitFromPage(_:identity:version:)``; a contract reference already taken is
/// refused by the ledger itself (the stream must be new).
extension LedgerServer {
    static func registerFields(policies: [(String, String)]) -> [ContractAction.Field] {
        [
            .init(name: "contract", label: "Contract reference", kind: .text, hint: "The council's own reference, for example HW-2026-014", required: true),
            .init(name: "title", label: "What is being bought", kind: .text, hint: "For example: highway resurfacing", required: true),
            .init(name: "buyerDepartment", label: "Department", kind: .text, hint: nil, required: true),
            .init(name: "category", label: "Category", kind: .choice([("services", "Services"), ("goods", "Goods"), ("works", "Works")]), hint: nil, required: true),
            .init(name: "estimatedWholeLifeValueGBP", label: "Estimated whole-life value (£)", kind: .text, hint: "For example 4,250,000", required: true),
            .init(name: "startDate", label: "First day of the term", kind: .date, hint: nil, required: true),
            .init(name: "endDate", label: "Last day of the term", kind: .date, hint: nil, required: true),
            .init(name: "areasServed", label: "Areas served (optional)", kind: .text, hint: "Separated by commas, for example Preston, Chorley", required: false),
            .init(name: "policyId", label: "Social value policy", kind: .choice(policies), hint: nil, required: true),
            .init(
                name: "existingSupplier", label: "Supplier, for a contract already running (optional)", kind: .text,
                hint: "Empty for a new tender: the supplier is then named at the award", required: false),
        ]
    }

    func registerPage(_ context: ServerContext, values: [String: String] = [:], errors: [WebPage.FieldError] = [], problem: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let session = context.sessions.session
        guard let session, context.identity?.role != .supplier else { return WebResponse.notFound(session: session) }
        let fields = try await registerFields()
        return WebResponse.page(status: status, title: (errors.isEmpty && problem == nil ? "" : "Error: ") + "Register a contract", session: session, main: """
            \(WebPage.errorSummary(errors))\(WebPage.refusal(problem))
            <h1>Register a contract</h1>
            <p>Every purchase the policy covers is registered first; it is then assessed against the policy's threshold.</p>
            <form method="post" action="/app/register" novalidate>
            \(WebPage.formToken(session))
            \(ContractAction.inputs(fields, values: values, errors: errors))
            <button type="submit" class="button">Register the contract</button>
            </form>
            <p><a href="/app">Back to the contracts</a></p>
            """)
    }

    func submitRegister(_ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard identity.role != .supplier else { return WebResponse.notFound(session: context.sessions.session) }
        let form = context.form ?? WebForm([:])
        let fields = try await registerFields()
        var (command, errors) = ContractAction.command(fields, from: form)
        guard errors.isEmpty else { return try await registerPage(context, values: form.fields, errors: errors, status: .unprocessableContent) }
        command["command"] = "contract.register"
        command["actor"] = ["id": .string(identity.account), "role": .string(identity.role.rawValue)]
        let areas = form.text("areasServed").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        command["areasServed"] = areas.isEmpty ? nil : .array(areas.map { .string($0) })
        let reference = form.text("contract")
        // A new stream: version 0 is what If-Match expects of it.
        let answer = await submitFromPage(command, identity: identity, version: "0")
        if answer.status == .created {
            return WebResponse.redirect("/app/contracts/\(reference.addingFormEncoding)?notice=" + "Recorded: \(reference) is registered.".addingFormEncoding)
        }
        let problem = try? JSONValue(parsing: answer.body)
        if problem?["kind"]?.stringValue == "concurrency-conflict" {
            errors = [.init(field: "contract", message: "\(reference) is already registered: choose another reference")]
            return try await registerPage(context, values: form.fields, errors: errors, status: .conflict)
        }
        errors = ContractAction.fieldErrors(problem, fields: fields)
        let detail = problem?["detail"]?.stringValue ?? "The contract could not be registered."
        return try await registerPage(context, values: form.fields, errors: errors, problem: errors.isEmpty ? detail : nil, status: .unprocessableContent)
    }

    /// The register form's fields, with the policies adopted so far to choose from.
    private func registerFields() async throws -> [ContractAction.Field] {
        let ledger = self.ledger
        let reference = try await offload { try ledger.referenceData() }
        let policies = reference.policies.keys.sorted().compactMap { id -> (String, String)? in
            reference.policies[id]?.last.map { (id, "\($0.title) (\(id))") }
        }
        return Self.registerFields(policies: policies)
    }
}
