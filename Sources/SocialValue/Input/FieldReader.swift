import LedgerValues

/// Why some input (a command, a policy file, an event payload) is not acceptable: the field,
/// by its path, and what is wrong with it.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON path of the field that is wrong (`lines[2].quantity`), or empty for the whole input.
    public let path: String
    /// What is wrong with it, any other field it names kept as a field.
    public let wording: Wording
    public var problem: String { wording.description }

    public init(path: String, problem: Wording) {
        self.path = path
        self.wording = problem
    }

    /// A problem that names no other field.
    public init(path: String, problem: String) { self.init(path: path, problem: Wording(problem)) }

    /// The path and the problem, with fields named by `name` (the CLI's flags).
    public func worded(naming name: (String) -> String) -> String {
        let problem = wording.rendered(naming: name)
        return path.isEmpty ? problem : "\(name(path)): \(problem)"
    }

    public var description: String { worded { $0 } }
}

/// Reads typed fields out of a JSON object, naming the exact path of any problem
/// (`lines[2].quantity: "-5" must not be negative`).
public struct FieldReader {
    public let members: JSONObject
    /// The path of this object, or of the array holding it when `element` is set. The element's
    /// own path is only spelt out when a problem is reported: readers are made for every line
    /// of every event replayed, and almost none of them fails.
    private let basePath: String
    private let element: Int?

    public var path: String { element.map { "\(basePath)[\($0)]" } ?? basePath }

    public init(_ value: JSONValue, path: String = "") throws(InputError) {
        try self.init(value, basePath: path, element: nil)
    }

    private init(_ value: JSONValue, basePath: String, element: Int?) throws(InputError) {
        guard case .object(let members) = value else {
            throw InputError(path: element.map { "\(basePath)[\($0)]" } ?? basePath, problem: "must be a JSON object")
        }
        self.members = members
        self.basePath = basePath
        self.element = element
    }

    func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func fail(_ key: String, _ problem: Wording) -> InputError { InputError(path: at(key), problem: problem) }
    public func fail(_ key: String, _ problem: String) -> InputError { InputError(path: at(key), problem: problem) }

    /// Refuses fields outside `allowed`, so that a misspelt field is not silently ignored.
    public func onlyFields(_ allowed: Set<String>) throws(InputError) {
        // Checked in place for every object of every event read back; the keys are listed and
        // sorted only to name the first unknown one.
        let allKnown = members.members.withUnsafeBufferPointer { buffer in buffer.indices.allSatisfy { allowed.contains(buffer[$0].key) } }
        if allKnown { return }
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw InputError(path: at(DisplayText.excerpt(unknown)), problem: "is not a known field (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    public func has(_ key: String) -> Bool { members[key].map { $0 != .null } ?? false }

    public func string(_ key: String) throws(InputError) -> String {
        guard let value = members[key], value != .null else { throw fail(key, "is required") }
        guard let text = value.stringValue else { throw fail(key, "must be a string") }
        guard !text.isBlank else { throw fail(key, "must not be empty") }
        return text
    }

    public func optionalString(_ key: String) throws(InputError) -> String? {
        has(key) ? try string(key) : nil
    }

    public func bool(_ key: String) throws(InputError) -> Bool {
        guard let value = members[key], value != .null else { throw fail(key, "is required") }
        guard let flag = value.boolValue else { throw fail(key, "must be true or false") }
        return flag
    }

    public func integer(_ key: String) throws(InputError) -> Int {
        guard let value = members[key], value != .null else { throw fail(key, "is required") }
        guard let number = value.integerValue else { throw fail(key, "must be an integer") }
        return Int(number)
    }

    public func date(_ key: String) throws(InputError) -> CalendarDate {
        let text = try string(key)
        guard let date = CalendarDate(text) else { throw fail(key, "\(DisplayText.quoted(text)) is not a date YYYY-MM-DD") }
        return date
    }

    public func optionalDate(_ key: String) throws(InputError) -> CalendarDate? { has(key) ? try date(key) : nil }

    /// Decimals are strings in svledger's JSON; a bare JSON integer is accepted as well.
    public func decimal(_ key: String, allowCurrency: Bool = false) throws(InputError) -> ExactDecimal {
        let text = try numberText(key)
        do { return try ValueParsing.decimal(text, allowCurrency: allowCurrency) } catch { throw fail(key, error.description) }
    }

    public func optionalDecimal(_ key: String) throws(InputError) -> ExactDecimal? { has(key) ? try decimal(key) : nil }

    public func money(_ key: String) throws(InputError) -> Money {
        let text = try numberText(key)
        do { return try ValueParsing.money(text) } catch { throw fail(key, error.description) }
    }

    public func optionalMoney(_ key: String) throws(InputError) -> Money? { has(key) ? try money(key) : nil }

    public func percent(_ key: String) throws(InputError) -> ExactDecimal {
        let text = try numberText(key)
        do { return try ValueParsing.percent(text) } catch { throw fail(key, error.description) }
    }

    private func numberText(_ key: String) throws(InputError) -> String {
        switch members[key] {
        case nil, .null?: throw fail(key, "is required")
        case .string(let text)?: return text
        case .integer(let number)?: return String(number)
        default: throw fail(key, "must be a number written as a string, e.g. \"0.25\"")
        }
    }

    public func object(_ key: String) throws(InputError) -> FieldReader {
        guard let value = members[key], value != .null else { throw fail(key, "is required") }
        return try FieldReader(value, path: at(key))
    }

    public func optionalObject(_ key: String) throws(InputError) -> FieldReader? { has(key) ? try object(key) : nil }

    /// Each element of an array of objects, read by `body`.
    public func objects<T>(_ key: String, allowEmpty: Bool = false, _ body: (FieldReader) throws(InputError) -> T) throws(InputError) -> [T] {
        guard let value = members[key], value != .null else {
            if allowEmpty { return [] }
            throw fail(key, "is required")
        }
        guard let elements = value.arrayValue else { throw fail(key, "must be an array") }
        if elements.isEmpty, !allowEmpty { throw fail(key, "must not be empty") }
        var results: [T] = []
        results.reserveCapacity(elements.count)
        let arrayPath = at(key)
        for (index, element) in elements.enumerated() {
            results.append(try body(try FieldReader(element, basePath: arrayPath, element: index)))
        }
        return results
    }

    public func strings(_ key: String, allowEmpty: Bool = true) throws(InputError) -> [String] {
        guard let value = members[key], value != .null else {
            if allowEmpty { return [] }
            throw fail(key, "is required")
        }
        guard let elements = value.arrayValue else { throw fail(key, "must be an array of strings") }
        var results: [String] = []
        for element in elements {
            guard let text = element.stringValue else { throw fail(key, "must be an array of strings") }
            results.append(text)
        }
        if results.isEmpty, !allowEmpty { throw fail(key, "must not be empty") }
        return results
    }

    /// One of `choices`, e.g. a category.
    public func choice<T: RawRepresentable<String> & CaseIterable>(_ key: String, as type: T.Type) throws(InputError) -> T {
        let text = try string(key)
        guard let value = T(rawValue: text) else {
            throw fail(key, "\(DisplayText.quoted(text)) is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

/// Small builders for the JSON svledger writes.
extension JSONValue {
    static func decimal(_ value: ExactDecimal) -> JSONValue { .string(value.description) }
    static func money(_ value: Money) -> JSONValue { .string(value.plain) }
    static func date(_ value: CalendarDate) -> JSONValue { .string(value.description) }
    static func optional(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
}

extension InputError: CategorizedError {
    public var kind: String { "invalid-input" }
    public var category: ErrorCategory { .input }
}
