import Foundation
import LedgerValues
import Testing
import TestSupport

/// Hostile and awkward text met through the CLI: byte-order marks and comment lines in input
/// files, over-long values, identifiers outside their character set, and control characters
/// that must never reach a terminal raw. Every refusal leaves data.mdb byte for byte as it was.
@Suite("Hostile text through the CLI")
struct HostileTextTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-hostile")

    static let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
    static let officer = ["--actor", "a.patel", "--role", "Procurement Officer"]
    static let bom = "\u{FEFF}"

    static func register(_ contract: String, title: String = "Roads") -> [String] {
        ["contract", "register", "--contract", contract, "--title", title, "--department", "Highways", "--category", "works",
         "--value", "£250,000", "--start", "2025-04-01", "--end", "2027-03-31", "--area", "Preston",
         "--policy", "lancashire-2024-28", "--effective-date", "2025-02-03"] + officer
    }

    /// A ledger with the Lancashire policy and the portal catalog.
    func prepare() throws {
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + Self.head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + Self.head)
    }

    /// A contract registered, assessed, weighted and awarded, ready for a pledge.
    func awarded(_ contract: String) throws {
        try svledger(Self.register(contract))
        try svledger(["threshold", "assess", "--contract", contract, "--effective-date", "2025-02-03"] + Self.officer)
        try svledger(["weighting", "decide", "--contract", contract, "--percent", "10", "--basis", "policy-minimum", "--effective-date", "2025-02-04"] + Self.officer)
        try svledger(["contract", "award", "--contract", contract, "--supplier", "North Roads Ltd", "--value", "£240,000", "--effective-date", "2025-03-01"] + Self.head)
    }

    func dataFile() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) }

    func write(_ text: String, to name: String) throws -> String {
        let path = directory.child(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs a command that must be refused: one error line naming `kind`, the category's exit
    /// code, nothing on stdout, and data.mdb unchanged.
    @discardableResult
    func refused(_ arguments: [String], kind: String, category: ErrorCategory, sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        let before = try dataFile()
        let result = try svledger(arguments, expectSuccess: false)
        #expect(result.status == category.exitCode, "\(result.stderr.prefix(500))", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr.prefix(500))", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr.prefix(500))", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("\(category == .refused ? "rule: " : "")\(kind))"), "\(result.stderr.prefix(500))", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result.stdout.prefix(500))", sourceLocation: sourceLocation)
        #expect(try dataFile() == before, "data.mdb changed", sourceLocation: sourceLocation)
        return result
    }

    // MARK: - 13. Terminal escapes

    static let hostileTitle = "Roads \u{1B}[2J\u{1B}]0;owned\u{7} \u{9B}31m \u{7F} \u{202E}evil\u{202C} \u{200B}"

    /// No character that a terminal acts on, and none that reorders or hides text.
    static func rawControls(_ output: String) -> [String] {
        output.unicodeScalars.filter { ($0 != "\n" && DisplayText.isControl($0)) || DisplayText.isInvisibleFormat($0) }
            .map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    @Test("control characters and bidi overrides in titles, names and actors reach no text output raw")
    func terminalEscapes() throws {
        try prepare()
        let register = Self.register("ESC-1", title: Self.hostileTitle).map { $0 == "Highways" ? "High\u{1B}[31mways" : $0 }
        let registered = try svledger(register)
        try svledger(["threshold", "assess", "--contract", "ESC-1", "--effective-date", "2025-02-03"] + Self.officer)
        try svledger(["weighting", "decide", "--contract", "ESC-1", "--percent", "10", "--basis", "policy-minimum", "--effective-date", "2025-02-04"] + Self.officer)
        try svledger(["contract", "award", "--contract", "ESC-1", "--supplier", "North \u{1B}[8mRoads\u{202E}", "--value", "£240,000", "--effective-date", "2025-03-01"] + Self.head)
        try svledger(["pledge", "record", "--contract", "ESC-1", "--catalog", "portal-003@003.2", "--line", "NT1=2", "--effective-date", "2025-03-02"] + Self.officer)
        try svledger(["delivery", "report", "--contract", "ESC-1", "--quarter", "2025-26-Q1", "--confirm-attribution", "--line", "NT1=1@HR\u{1B}[1A-9",
                      "--effective-date", "2025-07-10", "--actor", "p.ok\u{1B}[0mafor", "--role", "Supplier\u{7}", "--reason", "late \u{1B}[?25l"])
        let appended = try svledger(["append", "--stream", "notes\u{9B}", "--type", "Note\u{1B}[5m", "--actor", "x\u{1B}[31m", "--role", "r\u{202E}"])

        let outputs: [(String, CommandResult)] = [
            ("register", registered), ("append", appended),
            ("contracts", try svledger(["contracts", "--period", "2025-26-Q1"])), ("show", try svledger(["show", "ESC-1"])),
            ("audit", try svledger(["audit", "ESC-1"])), ("log", try svledger(["log"])),
            ("reconcile", try svledger(["reconcile", "--period", "2025-26-Q1"])),
            ("report md", try svledger(["report", "cabinet", "--period", "2025-26-Q1", "--format", "md"])),
        ]
        for (name, result) in outputs {
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(Self.rawControls(result.stdout).isEmpty, "\(name) wrote \(Self.rawControls(result.stdout)) raw")
        }
        // Reference data and imported tables are text from outside too.
        let resources = "\(CommandRunner.repositoryRoot)/Sources/SocialValue/Resources"
        var catalog = try String(contentsOfFile: "\(resources)/catalogs/portal-003.json", encoding: .utf8)
        catalog = catalog.replacingOccurrences(of: #""version": "003.2""#, with: #""version": "003.9""#)
            .replacingOccurrences(of: #""title": ""#, with: #""title": "\u001b]0;x\u0007"#)
            .replacingOccurrences(of: #""description": ""#, with: #""description": "\u001b[31m\u202e"#)
        try svledger(["catalog", "publish", try write(catalog, to: "hostile-catalog.json")] + Self.head)
        var policy = try String(contentsOfFile: "\(resources)/policies/leicestershire-2022.json", encoding: .utf8)
        policy = policy.replacingOccurrences(of: #""council": ""#, with: #""council": "\u001b[2J\u2066"#)
        try svledger(["policy", "adopt", try write(policy, to: "hostile-policy.json")] + Self.head)
        let table = "Theme\tReference\tQuestion\tUnits\tProxy Value\tAnswer\tPledged Social Value\nJobs\u{1B}[2J\tNT1\tLocal \u{202E}staff\u{7}\tno. people FTE\t30782\t2\t£ 61,564.00\nJobs\tNT\u{1B}[2J9\tMore\tno. people FTE\t1\t2\t£ 2.00\n"
        let references: [(String, CommandResult)] = [
            ("catalog show", try svledger(["catalog", "show", "portal-003@003.9"])), ("catalog list", try svledger(["catalog", "list"])),
            ("policy show", try svledger(["policy", "show", "leicestershire-2022"])), ("policy list", try svledger(["policy", "list"])),
            ("import", try svledger(["import", "portal", try write(table, to: "hostile.tsv"), "--contract", "ESC-1", "--catalog", "portal-003", "--dry-run"])),
        ]
        for (name, result) in references {
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(Self.rawControls(result.stdout).isEmpty, "\(name) wrote \(Self.rawControls(result.stdout)) raw")
            #expect(result.stdout.contains("\\u{1B}"), "\(name) shows the escape: \(result.stdout)")
        }

        let show = try svledger(["show", "ESC-1"]).stdout
        #expect(show.contains(#"Roads \u{1B}[2J\u{1B}]0;owned\u{7} \u{9B}31m \u{7F} <U+202E>evil<U+202C> <U+200B>"#), "\(show)")
        #expect(try svledger(["log"]).stdout.contains(#"x\u{1B}[31m (r<U+202E>)"#))

        // An error quoting such a value is escaped too.
        let error = try refused(["show", "NO\u{1B}[2J\u{202E}"], kind: "contract-not-found", category: .notFound)
        #expect(Self.rawControls(error.stderr).isEmpty && error.stderr.contains(#"NO\u{1B}[2J<U+202E>"#), "\(error.stderr)")

        // JSON keeps the text exactly: its own escapes make it safe.
        let json = try JSONValue(parsing: try svledger(["show", "ESC-1", "--format", "json"]).stdout)
        #expect(json["contract"]?["title"]?.stringValue == Self.hostileTitle)
    }

    // MARK: - 14. A byte-order mark

    @Test("every file input accepts a leading UTF-8 byte-order mark: policy, catalog, apply, append, --lines, portal table")
    func byteOrderMark() throws {
        try svledger(["init"])
        let builtin = "\(CommandRunner.repositoryRoot)/Sources/SocialValue/Resources"
        let policy = try String(contentsOfFile: "\(builtin)/policies/lancashire-2024-28.json", encoding: .utf8)
        try svledger(["policy", "adopt", try write(Self.bom + policy, to: "policy.json")] + Self.head)
        let catalog = try String(contentsOfFile: "\(builtin)/catalogs/portal-003.json", encoding: .utf8)
        try svledger(["catalog", "publish", try write(Self.bom + catalog, to: "catalog.json")] + Self.head)

        let register = #"{"command": "contract.register", "contract": "BOM-1", "actor": {"id": "a.patel", "role": "Procurement Officer"}, "effectiveDate": "2025-02-03", "title": "Roads", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "£250,000", "startDate": "2025-04-01", "endDate": "2027-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#
        try svledger(["apply", try write(Self.bom + register + "\n", to: "commands.ndjson")])
        let note = #"{"streamId": "notes", "eventType": "NoteRecorded", "actor": {"id": "a", "role": "r"}, "payload": {}}"#
        try svledger(["append", "--file", try write(Self.bom + note + "\n", to: "events.ndjson")])

        try svledger(["threshold", "assess", "--contract", "BOM-1", "--effective-date", "2025-02-03"] + Self.officer)
        try svledger(["weighting", "decide", "--contract", "BOM-1", "--percent", "10", "--basis", "policy-minimum"] + Self.officer)
        try svledger(["contract", "award", "--contract", "BOM-1", "--supplier", "North Roads Ltd", "--value", "£240,000"] + Self.head)
        let lines = try write(Self.bom + "measure,quantity\nNT1,2\n", to: "lines.csv")
        try svledger(["pledge", "record", "--contract", "BOM-1", "--catalog", "portal-003@003.2", "--lines", lines] + Self.officer)

        // A portal table whose first line is its header: the mark must not hide "Theme".
        let seed = try String(contentsOfFile: "\(CommandRunner.repositoryRoot)/tools/demo-data/seed-003-pledge-table.txt", encoding: .utf8)
        let table = seed.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("Theme\t") }.joined(separator: "\n")
        let dry = try svledger(["import", "portal", try write(Self.bom + table, to: "table.tsv"), "--contract", "BOM-1", "--catalog", "portal-003", "--dry-run"])
        #expect(dry.stdout.contains("NT18"), "\(dry.stdout)")
    }

    // MARK: - 11. Limits on text

    /// Every error line of these tests is short, whatever the size of the value it is about.
    static let shortLine = 600

    @Test("a 50 MB title is refused at reading, its line named, and nothing stored")
    func fiftyMegabyteTitle() throws {
        try prepare()
        let title = String(repeating: "t", count: 50 * 1_048_576)
        let register = #"{"command": "contract.register", "contract": "BIG-1", "actor": {"id": "a.patel", "role": "Procurement Officer"}, "effectiveDate": "2025-02-03", "title": "\#(title)", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "£250,000", "startDate": "2025-04-01", "endDate": "2027-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#
        let file = try write("// one huge command\n" + register + "\n", to: "big.ndjson")
        let result = try refused(["apply", file], kind: "input-too-long", category: .input)
        #expect(result.stderr.contains("big.ndjson line 2"), "\(result.stderr.prefix(300))")
        #expect(result.stderr.utf8.count < Self.shortLine, "\(result.stderr.prefix(300))")
        let appended = try refused(["append", "--file", file], kind: "input-too-long", category: .input)
        #expect(appended.stderr.utf8.count < Self.shortLine)
    }

    @Test("over-long values under the line limit are refused by the domain's limits, quoted by their start only", arguments: [
        ("title", 201), ("title", 100_000), ("contract", 65), ("contract", 100_000), ("reason", 2_001), ("supplier", 100_000),
    ])
    func overLongFields(field: String, length: Int) throws {
        try prepare()
        let value = String(repeating: field == "contract" ? "C" : "v", count: length)
        let contract = field == "contract" ? value : "LIM-1"
        let command = #"{"command": "contract.register", "contract": "\#(contract)", "actor": {"id": "a.patel", "role": "Procurement Officer"}, "reason": "\#(field == "reason" ? value : "new")", "effectiveDate": "2025-02-03", "title": "\#(field == "title" ? value : "Roads")", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "£250,000", "startDate": "2025-04-01", "endDate": "2027-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28", "existingSupplier": "\#(field == "supplier" ? value : "North Roads Ltd")"}"#
        let result = try refused(["apply", try write(command + "\n", to: "long.ndjson")], kind: "text-too-long", category: .refused)
        #expect(result.stderr.contains(field == "supplier" ? "existingSupplier \"" : "\(field) \""), "\(result.stderr.prefix(300))")
        #expect(result.stderr.utf8.count < Self.shortLine, "\(result.stderr.prefix(300))")
        #expect(result.stderr.contains("characters long; the limit is"), "\(result.stderr.prefix(300))")
    }

    @Test("an over-long value on the command line never makes a long error line", arguments: [
        ["show", "LONG"], ["audit", "LONG"], ["reconcile", "--contract", "LONG", "--period", "2025-26-Q1"], ["policy", "show", "LONG"],
        ["catalog", "show", "LONG"], ["LONG"], ["contracts", "--period", "LONG"], ["contracts", "--as-of", "LONG"],
        ["policy", "adopt", "--builtin", "LONG"] + head,
        ["contract", "register", "--contract", "LONG", "--title", "t", "--department", "d", "--category", "works", "--value", "1",
         "--start", "2025-04-01", "--end", "2026-03-31", "--area", "a", "--policy", "p"] + officer,
        ["contract", "close", "--contract", "C-1", "--effective-date", "LONG"] + officer,
        ["contract", "close", "--contract", "C-1", "--actor", "LONG", "--role", "r"],
        ["contract", "close", "--contract", "C-1", "--actor", "a", "--role", "r", "--reason", "LONG"],
        ["pledge", "record", "--contract", "C-1", "--catalog", "LONG", "--line", "NT1=1"] + officer,
        ["pledge", "record", "--contract", "C-1", "--catalog", "portal-003", "--line", "LONG"] + officer,
        ["append", "--stream", "LONG", "--type", "T", "--actor", "a", "--role", "r"],
        ["append", "--stream", "contract/LONG", "--type", "T", "--actor", "a", "--role", "r"],
        ["append", "--stream", "notes", "--type", "T", "--actor", "LONG", "--role", "r"],
        ["append", "--stream", "notes", "--type", "T", "--actor", "a", "--role", "r", "--reason", "LONG"],
        ["append", "--stream", "notes", "--type", "T", "--actor", "a", "--role", "r", "--event-id", "LONG"],
        ["import", "portal", "missing.tsv", "--contract", "C-1", "--catalog", "LONG", "--dry-run"],
    ])
    func longArguments(_ arguments: [String]) throws {
        try prepare()
        let long = String(repeating: "L", count: 100_000)
        let before = try dataFile()
        let result = try svledger(arguments.map { $0.replacingOccurrences(of: "LONG", with: long) }, expectSuccess: false)
        #expect(result.status != 0 && !result.wasSignalled, "\(result.stdout.prefix(300))")
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr.prefix(300))")
        #expect(result.stderr.utf8.count < Self.shortLine, "\(result.stderr.prefix(300))")
        #expect(try dataFile() == before)
    }

    @Test("raw events: the line limit, and the limits on actor, role and reason")
    func rawEventLimits() throws {
        try prepare()
        let note = { (actor: String, reason: String) in
            #"{"streamId": "notes", "eventType": "NoteRecorded", "actor": {"id": "\#(actor)", "role": "r"}, "reason": "\#(reason)", "payload": {}}"#
        }
        let actor = try refused(["append", "--file", try write(note(String(repeating: "a", count: 201), "ok") + "\n", to: "actor.ndjson")],
                                kind: "invalid-event-input", category: .input)
        #expect(actor.stderr.contains("actor.ndjson line 1") && actor.stderr.contains("actor.id"), "\(actor.stderr.prefix(300))")
        try refused(["append", "--file", try write(note("a", String(repeating: "r", count: 2_001)) + "\n", to: "reason.ndjson")],
                    kind: "invalid-event-input", category: .input)
        let payload = #"{"streamId": "notes", "eventType": "Big", "actor": {"id": "a", "role": "r"}, "payload": {"blob": "\#(String(repeating: "x", count: 1_100_000))"}}"#
        let big = try refused(["append", "--file", try write(payload + "\n", to: "payload.ndjson")], kind: "input-too-long", category: .input)
        #expect(big.stderr.contains("payload.ndjson line 1"), "\(big.stderr)")
        try svledger(["append", "--file", try write(note(String(repeating: "a", count: 200), String(repeating: "r", count: 2_000)) + "\n", to: "ok.ndjson")])
    }

    @Test("a policy document over the document limit is refused before it is parsed")
    func documentLimit() throws {
        try svledger(["init"])
        let padding = String(repeating: " ", count: 5 * 1_048_576)
        let file = try write("{" + padding + "}", to: "huge-policy.json")
        let result = try refused(["policy", "adopt", file] + Self.head, kind: "input-too-long", category: .input)
        #expect(result.stderr.contains("huge-policy.json"), "\(result.stderr)")
    }

    // MARK: - 12. Identifiers

    @Test("contract ids and measure codes outside their character set are refused by name, the ledger unchanged")
    func identifiers() throws {
        try prepare()
        for id in [" X ", "../../etc", "=1+1", "LCC\u{1B}[2J", "LCC\u{202E}1"] {
            let result = try refused(Self.register(id), kind: "invalid-identifier", category: .refused)
            #expect(result.stderr.contains("contract \""), "\(result.stderr)")
        }
        try awarded("ID-1")
        let pledge = #"{"command": "pledge.record", "contract": "ID-1", "actor": {"id": "a.patel", "role": "Contract Manager"}, "catalog": "portal-003@003.2", "lines": [{"measure": "NT1\u0000", "quantity": "24"}]}"#
        let nul = try refused(["apply", try write(pledge + "\n", to: "nul.ndjson")], kind: "invalid-identifier", category: .refused)
        #expect(nul.stderr.contains(#"lines[0].measure "NT1\u{0}""#), "NUL is shown, and the line is never priced as NT1: \(nul.stderr)")
        let formula = try write("measure,quantity\n=NT1,24\n", to: "formula.csv")
        try refused(["pledge", "record", "--contract", "ID-1", "--catalog", "portal-003@003.2", "--lines", formula] + Self.officer,
                    kind: "invalid-identifier", category: .refused)
        // `--line =NT1=24` once lost its leading '=' and recorded NT1.
        let before = try dataFile()
        let flag = try svledger(["pledge", "record", "--contract", "ID-1", "--catalog", "portal-003@003.2", "--line", "=NT1=24"] + Self.officer, expectSuccess: false)
        #expect(flag.status != 0 && flag.stderr.contains("=NT1=24"), "\(flag.stderr)")
        #expect(try dataFile() == before)
        try refused(["policy", "adopt", "--builtin", "../policies/lancashire-2024-28"] + Self.head, kind: "builtin-not-found", category: .notFound)
        #expect(try svledger(["show", "ID-1"]).stdout.contains("awarded"))
    }

    // MARK: - 19. Comment lines

    @Test("append --file skips // comment lines and blank lines as apply does, and names the right line of a bad one")
    func commentLines() throws {
        try prepare()
        let note = #"{"streamId": "notes", "eventType": "NoteRecorded", "actor": {"id": "a", "role": "r"}, "payload": {}}"#
        let file = try write("// notes for the auditor\n\n   // indented comment\n\(note)\r\n\(note)\n", to: "events.ndjson")
        let appended = try svledger(["append", "--file", file])
        #expect(appended.stdout.contains("appended 2 events"), "\(appended.stdout)")

        let bad = try write("// a comment\n\(note)\nnot json\n", to: "bad.ndjson")
        let result = try refused(["append", "--file", bad], kind: "invalid-json", category: .input)
        #expect(result.stderr.contains("bad.ndjson line 3"), "\(result.stderr)")

        let onlyComments = try write("// nothing here\n", to: "empty.ndjson")
        try refused(["append", "--file", onlyComments], kind: "empty-input", category: .input)
        try refused(["apply", onlyComments], kind: "empty-input", category: .input)
    }
}
