import LedgerValues

/// What identifies an organisation a contract names, beyond its name: its registered
/// identifiers and its address, as a notice publishes them. A scheme is an org-id.guide list
/// code: `GB-COH` (Companies House), `GB-PPON` (the Public Procurement Organisation Number the
/// Procurement Act 2023 brings in), `GB-CHC` (the Charity Commission) and the like. Kept as
/// published, so that a supplier can be told apart from another of the same name, and found
/// across councils; none of it changes a rule or a figure.
public struct OrganisationDetails: Sendable, Equatable {
    public struct Identifier: Sendable, Equatable {
        public let scheme: String
        public let id: String

        public init(scheme: String, id: String) {
            self.scheme = scheme
            self.id = id
        }
    }

    public struct Address: Sendable, Equatable {
        public let streetAddress: String?
        public let locality: String?
        public let region: String?
        public let postalCode: String?
        public let countryName: String?

        public init(streetAddress: String? = nil, locality: String? = nil, region: String? = nil, postalCode: String? = nil, countryName: String? = nil) {
            self.streetAddress = streetAddress
            self.locality = locality
            self.region = region
            self.postalCode = postalCode
            self.countryName = countryName
        }

        /// The fields in the order OCDS lists them, with their keys.
        public var fields: [(key: String, value: String?)] {
            [("streetAddress", streetAddress), ("locality", locality), ("region", region), ("postalCode", postalCode), ("countryName", countryName)]
        }

        static let keys: Set<String> = ["streetAddress", "locality", "region", "postalCode", "countryName"]
    }

    /// The first is the organisation's main identifier; the others are additional.
    public let identifiers: [Identifier]
    public let address: Address?

    /// Details with at least one identifier or an address; `nil` when there is neither.
    public init?(identifiers: [Identifier], address: Address?) {
        let address = address.flatMap { $0.fields.contains { $0.value != nil } ? $0 : nil }
        guard !identifiers.isEmpty || address != nil else { return nil }
        self.identifiers = identifiers
        self.address = address
    }

    /// Reads `{"identifiers": [{"scheme", "id"}], "address": {…}}`.
    /// - Throws: ``InputError`` naming the field that is wrong: a scheme that is not a list
    ///   code, an id with spaces, an empty object.
    init(_ reader: FieldReader) throws(InputError) {
        try reader.onlyFields(["identifiers", "address"])
        let identifiers = reader.has("identifiers")
            ? try reader.objects("identifiers", allowEmpty: true) { item throws(InputError) -> Identifier in
                try item.onlyFields(["scheme", "id"])
                let scheme = try item.string("scheme"), id = try item.string("id")
                if let problem = Self.schemeProblem(scheme) { throw item.fail("scheme", "\(DisplayText.quoted(scheme)) \(problem)") }
                if let problem = Self.idProblem(id) { throw item.fail("id", "\(DisplayText.quoted(id)) \(problem)") }
                return Identifier(scheme: scheme, id: id)
            } : []
        var address: Address?
        if reader.has("address") {
            let fields = try reader.object("address")
            try fields.onlyFields(Address.keys)
            var values: [String: String] = [:]
            for key in Address.keys {
                guard let value = try fields.optionalString(key) else { continue }
                if value.isBlank { throw fields.fail(key, "is blank") }
                values[key] = value
            }
            address = Address(
                streetAddress: values["streetAddress"], locality: values["locality"], region: values["region"],
                postalCode: values["postalCode"], countryName: values["countryName"])
        }
        guard let details = OrganisationDetails(identifiers: identifiers, address: address) else {
            throw InputError(path: reader.at("identifiers"), problem: "give at least one identifier or an address (or leave the details out)")
        }
        self = details
    }

    /// A scheme is an org-id.guide list code: two capital letters, a hyphen, then capital
    /// letters or digits (`GB-COH`, `GB-PPON`).
    public static func schemeProblem(_ scheme: String) -> String? {
        let bytes = Array(scheme.utf8)
        let isCapital = { (byte: UInt8) in (0x41...0x5A).contains(byte) }
        guard bytes.count >= 4, bytes.count <= 16, isCapital(bytes[0]), isCapital(bytes[1]), bytes[2] == 0x2D,
            bytes[3...].allSatisfy({ isCapital($0) || (0x30...0x39).contains($0) })
        else { return "is not an org-id.guide list code such as GB-COH or GB-PPON" }
        return nil
    }

    /// An identifier within a scheme: 1 to 64 letters, digits, `-`, `_`, `.` and `/`.
    public static func idProblem(_ id: String) -> String? {
        guard !id.isEmpty, id.utf8.count <= 64,
            id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || [0x2D, 0x5F, 0x2E, 0x2F].contains($0) })
        else { return "is not an identifier: 1 to 64 letters, digits, '-', '_', '.' and '/'" }
        return nil
    }

    var json: JSONValue {
        var members: JSONObject = [:]
        if !identifiers.isEmpty {
            members["identifiers"] = .array(identifiers.map { ["scheme": .string($0.scheme), "id": .string($0.id)] })
        }
        if let address {
            var fields: JSONObject = [:]
            for (key, value) in address.fields { if let value { fields[key] = .string(value) } }
            members["address"] = .object(fields)
        }
        return .object(members)
    }

    /// Refuses an address line over the limit for names (docs/rules.md, "Limits on text").
    func checkText(field: String) throws(DomainError) {
        for (key, value) in address?.fields ?? [] { if let value { try TextRules.checkName(value, field: "\(field).address.\(key)") } }
    }

    /// `key`'s details in `reader`: absent or null for none (every event recorded before svledger kept them).
    static func optional(_ key: String, _ reader: FieldReader) throws(InputError) -> OrganisationDetails? {
        reader.has(key) ? try OrganisationDetails(try reader.object(key)) : nil
    }
}
