import LedgerValues

/// Whose ledger it is: a council, described by a `CouncilDescribed` event in the stream
/// `council/<councilId>` (command `council.describe`). It names who reports to the Cabinet and
/// whom to ask, the council's directorates, and the council's own social value themes with the
/// catalogs' themes that count under each, so that a report shows one set of themes whichever
/// catalog a contract was priced with.
///
/// A contract belongs to the council its policy names: the policy's `council` is the council's
/// `name` (compared ignoring case). A later description of the same council replaces the
/// earlier one from its position in the log on; the earlier stays in the history.
public struct Council: Sendable, Equatable {
    public let id: String
    /// "Lancashire County Council": the name its policies give as their `council`.
    public let name: String
    /// Who the Cabinet report is "of": "Director of Finance".
    public let author: String
    public let contact: Contact
    /// The directorates contracts are bought by (a contract's `buyerDepartment`), in the order given.
    public let directorates: [String]
    /// The council's own themes, in the order given; empty means the catalogs' themes as they are.
    public let themes: [Theme]
    /// The council's electoral divisions (or the areas its contracts name in `areasServed`), so
    /// that a report can say "(All Divisions)" when its contracts serve every one; empty when not given.
    public let divisions: [String]
    /// The name a contract gives in `areasServed` for the council's whole area ("County-wide").
    public let wholeArea: String?
    /// The council's ocid prefix, registered with the Open Contracting Partnership
    /// (`ocds-` and six letters or digits): what its contracts' OCDS ocids start with. `nil`
    /// when not given; the key is then absent from the event, as in every description recorded
    /// before svledger kept it.
    public let ocidPrefix: String?
    /// The description exactly as recorded (every key present, `null` where absent).
    public let document: JSONValue

    /// Whom to ask about the report.
    public struct Contact: Sendable, Equatable {
        public let name: String
        public let role: String?
        public let phone: String?
        public let email: String
    }

    /// One of the council's themes and the catalog themes counted under it.
    public struct Theme: Sendable, Equatable {
        public let name: String
        public let catalogThemes: [String]
    }

    /// The council theme a catalog's `theme` counts under: the council theme that lists it, or
    /// the one of that very name (both compared ignoring case); `nil` when the council's themes
    /// do not cover it.
    public func councilTheme(for catalogTheme: String) -> String? {
        let key = Self.key(catalogTheme)
        return themes.first { $0.catalogThemes.contains { Self.key($0) == key } }?.name
            ?? themes.first { Self.key($0.name) == key }?.name
    }

    /// Whether contracts serving `areas` affect every division: one serves the whole area, or
    /// together they name every division the council lists.
    public func affectsEveryDivision(_ areas: [String]) -> Bool {
        let served = Set(areas.map(Self.key))
        if let wholeArea, served.contains(Self.key(wholeArea)) { return true }
        return !divisions.isEmpty && divisions.allSatisfy { served.contains(Self.key($0)) }
    }

    /// Whether a policy's `council` names this council.
    public func isNamed(_ text: String) -> Bool { Self.key(text) == Self.key(name) }

    /// Names are compared ignoring case and the spaces around them.
    public static func key(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces).lowercased() }
}

extension Council {
    /// The fields of the description, in a command and in the event's `council` object.
    static let fields: Set<String> = ["councilId", "name", "author", "contact", "directorates", "themes", "divisions", "wholeArea", "ocidPrefix"]

    /// Reads a description: the `council` object of a `CouncilDescribed` payload, or the
    /// fields of a `council.describe` command (`reader`'s other fields are the caller's).
    /// - Throws: ``InputError`` naming the first field that is missing or wrong.
    init(reading reader: FieldReader) throws(InputError) {
        id = try reader.string("councilId")
        name = try reader.string("name")
        author = try reader.string("author")
        let contact = try reader.object("contact")
        try contact.onlyFields(["name", "role", "phone", "email"])
        let email = try contact.string("email")
        if let problem = Self.emailProblem(email) { throw contact.fail("email", "\(DisplayText.quoted(email)) \(problem)") }
        self.contact = Contact(
            name: try contact.string("name"), role: try contact.optionalString("role"), phone: try contact.optionalString("phone"), email: email)
        directorates = try reader.strings("directorates")
        for (index, directorate) in directorates.enumerated() {
            if directorate.isBlank { throw reader.fail("directorates", "item \(index + 1) is blank") }
            if directorates[..<index].contains(where: { Self.key($0) == Self.key(directorate) }) {
                throw reader.fail("directorates", "\(DisplayText.quoted(directorate)) is listed twice")
            }
        }
        let themes = try reader.objects("themes", allowEmpty: true) { entry throws(InputError) -> Theme in
            try entry.onlyFields(["name", "catalogThemes"])
            let theme = Theme(name: try entry.string("name"), catalogThemes: try entry.strings("catalogThemes"))
            if theme.catalogThemes.contains(where: \.isBlank) { throw entry.fail("catalogThemes", "must not hold blank names") }
            return theme
        }
        var claimed: [String: String] = [:]
        for (index, theme) in themes.enumerated() {
            if themes[..<index].contains(where: { Self.key($0.name) == Self.key(theme.name) }) {
                throw InputError(path: "themes[\(index)].name", problem: "\(DisplayText.quoted(theme.name)) is listed twice")
            }
            // A theme's own name counts under it, so no other theme may list it.
            for catalogTheme in [theme.name] + theme.catalogThemes {
                if let owner = claimed.updateValue(theme.name, forKey: Self.key(catalogTheme)), Self.key(owner) != Self.key(theme.name) {
                    throw InputError(
                        path: "themes[\(index)].catalogThemes",
                        problem: "\(DisplayText.quoted(catalogTheme)) already counts under \(DisplayText.quoted(owner)); a catalog theme counts under one council theme")
                }
            }
        }
        self.themes = themes
        divisions = try reader.strings("divisions")
        for (index, division) in divisions.enumerated() {
            if division.isBlank { throw reader.fail("divisions", "item \(index + 1) is blank") }
            if divisions[..<index].contains(where: { Self.key($0) == Self.key(division) }) {
                throw reader.fail("divisions", "\(DisplayText.quoted(division)) is listed twice")
            }
        }
        wholeArea = try reader.optionalString("wholeArea")
        if let wholeArea, wholeArea.isBlank { throw reader.fail("wholeArea", "is blank") }
        ocidPrefix = try reader.optionalString("ocidPrefix")
        if let ocidPrefix, !Self.isRegisteredPrefix(ocidPrefix) {
            throw reader.fail("ocidPrefix", "\(DisplayText.quoted(ocidPrefix)) is not an ocid prefix as the Open Contracting Partnership registers them: ocds- and six lower-case letters or digits, e.g. ocds-h6vhtk")
        }
        var document = JSONObject([
            "councilId": .string(id), "name": .string(name), "author": .string(author),
            "contact": .object(JSONObject([
                "name": .string(self.contact.name), "role": .optional(self.contact.role), "phone": .optional(self.contact.phone),
                "email": .string(email),
            ])),
            "directorates": .strings(directorates),
            "themes": .array(themes.map { .object(JSONObject(["name": .string($0.name), "catalogThemes": .strings($0.catalogThemes)])) }),
            "divisions": .strings(divisions), "wholeArea": .optional(wholeArea),
        ])
        if let ocidPrefix { document["ocidPrefix"] = .string(ocidPrefix) }
        self.document = .object(document)
    }

    /// `ocds-` and six lower-case ASCII letters or digits: the form of a registered ocid prefix.
    public static func isRegisteredPrefix(_ text: String) -> Bool {
        let code = text.utf8.dropFirst(5)
        return text.hasPrefix("ocds-") && code.count == 6 && code.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }

    /// Reads the `council` object of a `CouncilDescribed` payload.
    public init(document: JSONValue) throws(InputError) {
        let reader = try FieldReader(document)
        try reader.onlyFields(Self.fields)
        try self.init(reading: reader)
    }

    /// Why `text` is not an email address as a report prints one (`name@example.gov.uk`), or `nil`.
    static func emailProblem(_ text: String) -> String? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return "is not an email address (one @ between a name and a domain)" }
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return "is not an email address: it holds a space or a control character"
        }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else {
            return "is not an email address: its domain has no dot between names"
        }
        return nil
    }

    /// Refuses a description whose id is not an identifier or whose text is over its limit.
    func checkText() throws(DomainError) {
        try TextRules.checkIdentifier(id, .reference, field: "councilId")
        try TextRules.checkName(name, field: "name")
        try TextRules.checkName(author, field: "author")
        try TextRules.checkName(contact.name, field: "contact.name")
        if let role = contact.role { try TextRules.checkName(role, field: "contact.role") }
        if let phone = contact.phone { try TextRules.checkName(phone, field: "contact.phone") }
        for (index, division) in divisions.enumerated() { try TextRules.checkName(division, field: "divisions[\(index)]") }
        if let wholeArea { try TextRules.checkName(wholeArea, field: "wholeArea") }
        try TextRules.checkName(contact.email, field: "contact.email")
        for (index, directorate) in directorates.enumerated() { try TextRules.checkName(directorate, field: "directorates[\(index)]") }
        for (index, theme) in themes.enumerated() {
            try TextRules.checkName(theme.name, field: "themes[\(index)].name")
            for (offset, catalogTheme) in theme.catalogThemes.enumerated() {
                try TextRules.checkName(catalogTheme, field: "themes[\(index)].catalogThemes[\(offset)]")
            }
        }
    }
}

/// `council.describe`: describes (or describes again) a council, with who asks, why, and from when.
public struct CouncilDescription: Sendable, Equatable {
    public let council: Council
    public let actor: ActorIdentity
    public let reason: String?
    public let effectiveDate: CalendarDate

    public init(council: Council, actor: ActorIdentity, reason: String?, effectiveDate: CalendarDate) {
        self.council = council
        self.actor = actor
        self.reason = reason
        self.effectiveDate = effectiveDate
    }

    public static let name = "council.describe"
}

/// Any command svledger records: the domain's ``LedgerCommand``s and describing a council.
/// `svledger apply` and every CLI subcommand read commands through ``parse(_:today:builtin:)``.
public enum AnyLedgerCommand: Sendable {
    case ledger(LedgerCommand)
    case describeCouncil(CouncilDescription)

    /// Every command name of the JSON form (Schemas/commands/).
    public static var names: [String] { LedgerCommand.names + [CouncilDescription.name] }

    /// Reads the JSON form of a command (one line of `svledger apply`).
    /// - Throws: ``InputError`` naming the field at fault.
    public static func parse(
        _ json: JSONValue, today: CalendarDate, builtin: (BuiltinReference.Kind, String) -> JSONValue? = { _, _ in nil }
    ) throws(InputError) -> AnyLedgerCommand {
        let reader = try FieldReader(json)
        let name = try reader.string("command")
        if LedgerCommand.names.contains(name) { return .ledger(try LedgerCommand.parse(json, today: today, builtin: builtin)) }
        guard name == CouncilDescription.name else {
            throw reader.fail("command", "\(DisplayText.quoted(name)) is not a command; the commands are \(names.joined(separator: ", "))")
        }
        try reader.onlyFields(Set(["command", "actor", "reason", "effectiveDate"]).union(Council.fields))
        let actorReader = try reader.object("actor")
        try actorReader.onlyFields(["id", "role"])
        let actor = ActorIdentity(id: try actorReader.string("id"), role: try actorReader.string("role"))
        return .describeCouncil(
            CouncilDescription(
                council: try Council(reading: reader), actor: actor, reason: try reader.optionalString("reason"),
                effectiveDate: try reader.optionalDate("effectiveDate") ?? today))
    }
}

extension CouncilDescription {
    /// Refuses a description whose text breaks ``TextRules`` (who and why included).
    public func checkText() throws(DomainError) {
        try TextRules.checkWho(actor, reason: reason)
        try council.checkText()
    }
}
