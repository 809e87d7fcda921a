import LedgerValues
import SocialValue
import Testing

/// Identifiers and limits on text (docs/rules.md): refused by `decide` and by adoption and
/// publication, naming the field, without ever quoting an over-long value whole.
@Suite("Text rules")
struct TextRuleTests {
    static let tooLong = String(repeating: "x", count: 50_000)

    /// The refusal of registering `contract` with `title`, or `nil` if accepted.
    static func registration(contract: String = "C-1", title: String = "Highway resurfacing", policy: String = "lancashire-2024-28") -> DomainError? {
        let registration = Registration(
            reference: contract, title: title, buyerDepartment: "Highways", category: .works,
            estimatedValue: Money(pence: 10_000_000), startDate: CalendarDate("2025-04-01")!, endDate: CalendarDate("2027-03-31")!,
            areasServed: ["Preston"], policyId: policy, existingSupplier: nil)
        let command = ContractCommand(
            contract: contract, actor: Scenario.procurement, reason: nil, effectiveDate: CalendarDate("2025-02-03")!,
            action: .register(registration))
        do {
            _ = try decide(command, state: ContractState(), context: DecisionContext(reference: Scenario.shipped, today: CalendarDate("2026-11-22")!))
            return nil
        } catch { return error }
    }

    // MARK: - 12. Identifiers

    @Test("real contract ids are accepted", arguments: ["LCC-2025-014", "SYN-000001", "E-1", "LCC/2025/014", "lcc_2025.014", String(repeating: "A", count: 64)])
    func contractIdAccepted(_ id: String) {
        #expect(Self.registration(contract: id) == nil)
    }

    @Test("contract ids outside the character set are refused as invalid-identifier, naming the field", arguments: [
        " X ", "X ", " X", "../../etc", "a/../b", "=1+1", "+A", "-A", "@A", ".A", "/A", "_A", "A B", "A\u{0}", "LCC\u{1B}[2J",
        "LCC\u{202E}1", "LCC\u{200B}1", "LCC\u{7F}", "LCC\u{9B}1", "ＬＣＣ-1", "A@1", "A\tB", "",
    ])
    func contractIdRefused(_ id: String) throws {
        let error = try #require(Self.registration(contract: id))
        #expect(error.rule == .invalidIdentifier, "\(error)")
        #expect(error.message.hasPrefix("contract "), "\(error)")
        #expect(!error.message.unicodeScalars.contains { DisplayText.isControl($0) || DisplayText.isInvisibleFormat($0) }, "\(error)")
    }

    @Test("measure codes: the seeds' codes are accepted; NUL, ESC, a leading '=' and stray spaces are refused")
    func measureCodes() throws {
        #expect(TextRules.identifierProblem("CBC5 RBC1", .measure) == nil, "the Portal table's combined code")
        for code in ["NT1", "NT10a", "NT1c", "RE-1.2"] { #expect(TextRules.identifierProblem(code, .measure) == nil, "\(code)") }
        for code in ["NT1\u{0}", "\u{1B}NT1", "=NT1", " NT1", "NT1 ", "CBC5  RBC1", "NT/1", "NT1\u{202E}", "NT..1", "@SUM(A1)"] {
            #expect(TextRules.identifierProblem(code, .measure) != nil, "\(code)")
        }

        var scenario = try Scenario.awarded()
        let nul = try #require(refusal(of: .recordPledge(catalog: "portal-003@003.2", lines: Scenario.lines([("NT10", "1"), ("NT1\u{0}", "24")]), statedValues: [:]), in: &scenario))
        #expect(nul.rule == .invalidIdentifier)
        #expect(nul.message.hasPrefix("lines[1].measure \"NT1\\u{0}\""), "NUL is named, never priced as NT1: \(nul)")
        #expect(scenario.state.pledge == nil)

        var pledged = try Scenario.pledged()
        let withdraw = try #require(refusal(of: .refreshCommitments(revise: [], add: [], withdraw: ["=NT1"], catalog: nil), in: &pledged))
        #expect(withdraw.rule == .invalidIdentifier && withdraw.message.hasPrefix("withdraw[0] "), "\(withdraw)")
        let evidence = Scenario.lines([("NT1", "3")], evidence: "HR-1")
        let delivery = try #require(refusal(of: .reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: evidence + Scenario.lines([("NT10 ", "1")], evidence: "A"), attributionConfirmed: true), in: &pledged))
        #expect(delivery.rule == .invalidIdentifier && delivery.message.hasPrefix("lines[1].measure "), "\(delivery)")
    }

    @Test("policy ids and catalog references are identifiers too")
    func references() throws {
        #expect(Self.registration(policy: "../policies/lancashire-2024-28")?.rule == .invalidIdentifier)
        var scenario = try Scenario.awarded()
        let catalog = try #require(refusal(of: .recordPledge(catalog: "portal-003@../x", lines: Scenario.lines([("NT1", "1")]), statedValues: [:]), in: &scenario))
        #expect(catalog.rule == .invalidIdentifier && catalog.message.hasPrefix("catalog "), "\(catalog)")
        #expect(refusal(of: .recordPledge(catalog: "portal-003@003.2", lines: Scenario.lines([("NT1", "1")]), statedValues: [:]), in: &scenario) == nil)
        // A version may hold '+', as the version an import with --add-measures publishes does; an id may not.
        #expect(TextRules.identifierProblem("003.1+import-1a2b3c4d", .version) == nil)
        #expect(TextRules.identifierProblem("+1", .version) != nil)
        #expect(TextRules.identifierProblem("portal+003", .reference) != nil)
    }

    @Test("a shipped document is looked up by an identifier, never by a path")
    func builtinNames() {
        #expect(BuiltinReference.document(.policies, "lancashire-2024-28") != nil)
        #expect(BuiltinReference.document(.policies, "../policies/lancashire-2024-28") == nil)
        #expect(BuiltinReference.document(.catalogs, "../catalogs/portal-003") == nil)
    }

    @Test("adopting a policy or publishing a catalog whose ids or codes are not identifiers is refused, naming the field")
    func referenceDocuments() throws {
        let policy = try Policy(document: Self.edited(.policies, "lancashire-2024-28", ["policyId": " lancashire"]))
        #expect(Self.adoptionRefusal(policy: policy)?.rule == .invalidIdentifier)
        #expect(Self.adoptionRefusal(policy: policy)?.message.hasPrefix("policyId ") == true)
        let version = try Policy(document: Self.edited(.policies, "lancashire-2024-28", ["version": "1@2"]))
        #expect(Self.adoptionRefusal(policy: version)?.rule == .invalidIdentifier)

        guard case .object(var document) = BuiltinReference.document(.catalogs, "portal-003")!,
            case .array(var measures) = document["measures"]!, case .object(var first) = measures[0]
        else { Issue.record("shipped catalog changed shape"); return }
        first["code"] = "=HYPERLINK(\"x\")"
        measures[0] = .object(first)
        document["measures"] = .array(measures)
        document["version"] = "9"
        let code = try #require(Self.adoptionRefusal(catalog: try Catalog(document: .object(document))))
        #expect(code.rule == .invalidIdentifier && code.message.hasPrefix("measures[0].code "), "\(code)")
    }

    // MARK: - 11. Limits on text

    @Test("a title, name, reason or identifier over its limit is refused as text-too-long, quoting only its start")
    func limits() throws {
        #expect(Self.registration(title: String(repeating: "t", count: 200)) == nil)
        let title = try #require(Self.registration(title: String(repeating: "t", count: 201)))
        #expect(title.rule == .textTooLong && title.message.hasPrefix("title "), "\(title)")
        let huge = try #require(Self.registration(title: Self.tooLong))
        #expect(huge.description.utf8.count < 300, "a 50,000-character title is quoted by its start only: \(huge)")
        #expect(huge.message.contains("\"\(String(repeating: "x", count: 40))…\" (50000 bytes)"), "\(huge)")
        let id = try #require(Self.registration(contract: String(repeating: "A", count: 65)))
        #expect(id.rule == .textTooLong && id.message.hasPrefix("contract "), "\(id)")
        #expect(try #require(Self.registration(contract: Self.tooLong)).description.utf8.count < 300)

        // Combining marks count: a 201-code-point title is too long even if it shows as one character.
        #expect(Self.registration(title: "e" + String(repeating: "\u{301}", count: 200))?.rule == .textTooLong)

        var scenario = try Scenario.pledged()
        #expect(scenario.refusal(.close, reason: String(repeating: "r", count: 2_000)) == nil)
        var other = try Scenario.pledged()
        let reason = try #require(refusal(of: .close, reason: String(repeating: "r", count: 2_001), in: &other))
        #expect(reason.rule == .textTooLong && reason.message.hasPrefix("reason "), "\(reason)")
        let supplier = try #require(refusal(of: .reportDelivery(quarter: FinancialQuarter("2025-26-Q1")!, lines: Scenario.lines([("NT1", "3")], evidence: Self.tooLong), attributionConfirmed: true), in: &other))
        #expect(supplier.rule == .textTooLong && supplier.message.hasPrefix("lines[0].evidence "), "\(supplier)")
        let actor = ActorIdentity(id: Self.tooLong, role: "Contract Manager")
        #expect(other.refusal(.close, by: actor) == .textTooLong)
    }

    @Test("a policy or catalog document with over-long text is refused")
    func documentLimits() throws {
        let title = try Policy(document: Self.edited(.policies, "lancashire-2024-28", ["title": .string(Self.tooLong), "version": "7"]))
        let long = try #require(Self.adoptionRefusal(policy: title))
        #expect(long.rule == .textTooLong && long.message.hasPrefix("title "), "\(long)")
        let notes = try Policy(document: Self.edited(.policies, "lancashire-2024-28", ["notes": .array([.string(Self.tooLong)]), "version": "8"]))
        #expect(Self.adoptionRefusal(policy: notes)?.rule == .textTooLong)
        let catalog = try Catalog(document: Self.edited(.catalogs, "portal-003", ["title": .string(String(repeating: "c", count: 201)), "version": "9"]))
        #expect(Self.adoptionRefusal(catalog: catalog)?.rule == .textTooLong)

        let shipped = try Policy(document: BuiltinReference.document(.policies, "lancashire-2024-28")!)
        #expect(throws: DomainError.self) { try LedgerCommand.adoptPolicy(shipped, actor: Scenario.head, reason: Self.tooLong).checkText() }
        #expect(throws: DomainError.self) { try LedgerCommand.adoptPolicy(shipped, actor: ActorIdentity(id: Self.tooLong, role: "r"), reason: nil).checkText() }
        try LedgerCommand.adoptPolicy(shipped, actor: Scenario.head, reason: "adopted by Cabinet").checkText()
    }

    // MARK: - Helpers

    func refusal(of action: ContractAction, reason: String? = "testing", in scenario: inout Scenario) -> DomainError? {
        do {
            try scenario.run(action, reason: reason)
            return nil
        } catch { return error }
    }

    static func edited(_ kind: BuiltinReference.Kind, _ name: String, _ changes: [String: JSONValue]) -> JSONValue {
        guard case .object(var document) = BuiltinReference.document(kind, name)! else { fatalError("shipped document changed shape") }
        for (key, value) in changes { document[key] = value }
        return .object(document)
    }

    static func adoptionRefusal(policy: Policy? = nil, catalog: Catalog? = nil) -> DomainError? {
        do {
            if let policy { _ = try ReferenceData().adopt(policy) }
            if let catalog { _ = try ReferenceData().publish(catalog) }
            return nil
        } catch { return error }
    }
}
