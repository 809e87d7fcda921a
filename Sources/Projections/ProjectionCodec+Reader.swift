import EventStore
import LedgerValues
import SocialValue

extension ProjectionCodec {
    /// Reads a projection from `bytes`, which may be borrowed from LMDB's map: nothing is
    /// copied but the fields themselves.
    /// - Throws: ``ProjectionCodecError`` for another format version, a value cut short, a
    ///   field no projection can hold (a bad tag, date, scale or UTF-8) or bytes left over.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(ProjectionCodecError) -> ContractProjection {
        var reader = ProjectionReader(bytes)
        let version = try reader.byte()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let projection = try reader.projection()
        guard reader.isAtEnd else { throw .trailingBytes(offset: reader.offset) }
        return projection
    }

    public static func decode(_ bytes: [UInt8]) throws(ProjectionCodecError) -> ContractProjection {
        // `withUnsafeBytes` does not pass typed throws through: carry the outcome out instead.
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(ProjectionCodecError) in try decode(buffer) } }
        return try result.get()
    }
}

// MARK: - Reading

/// Reads the layout's scalars, checking every read against the end of the buffer.
struct ProjectionReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0

    init(_ raw: UnsafeRawBufferPointer) {
        // LMDB's map is untyped memory that only C writes, and it is only read as bytes here;
        // a typed view lets string slices go to `String(decoding:as:)` without a copy.
        bytes = raw.assumingMemoryBound(to: UInt8.self)
    }

    var isAtEnd: Bool { offset == bytes.count }

    private func invalid(_ what: String, at start: Int) -> ProjectionCodecError { .invalid(what, offset: start) }

    mutating func byte() throws(ProjectionCodecError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func flag(_ what: String) throws(ProjectionCodecError) -> Bool {
        let start = offset
        switch try byte() {
        case 0: return false
        case 1: return true
        case let other: throw invalid("\(what) is \(other), neither 0 nor 1", at: start)
        }
    }

    mutating func bool() throws(ProjectionCodecError) -> Bool { try flag("a bool") }

    mutating func isPresent() throws(ProjectionCodecError) -> Bool { try flag("an optional's tag") }

    /// Unsigned LEB128, refusing a form longer than needed and a value wider than `Value`,
    /// so that every value has exactly one encoding.
    mutating func varint<Value: FixedWidthInteger & UnsignedInteger>(_: Value.Type = Value.self) throws(ProjectionCodecError) -> Value {
        let start = offset
        var result: Value = 0
        var shift = 0
        while true {
            let byte = try byte()
            let bits = Value(byte & 0x7f)
            if Value.bitWidth - shift < 7, bits >> (Value.bitWidth - shift) != 0 { throw invalid("a number too large", at: start) }
            result |= bits << shift
            if byte < 0x80 {
                if byte == 0, shift > 0 { throw invalid("a number in a longer form than needed", at: start) }
                return result
            }
            shift += 7
            if shift >= Value.bitWidth { throw invalid("a number too long", at: start) }
        }
    }

    mutating func signed() throws(ProjectionCodecError) -> Int64 {
        let zigzag = try varint(UInt64.self)
        return Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
    }

    /// A count of elements that each take at least one byte, so that garbage cannot make the
    /// caller reserve more than the buffer could hold.
    mutating func count() throws(ProjectionCodecError) -> Int {
        let start = offset
        let count = try varint(UInt64.self)
        guard count <= UInt64(bytes.count - offset) else { throw invalid("a count of \(count) beyond the value's end", at: start) }
        return Int(count)
    }

    mutating func string() throws(ProjectionCodecError) -> String {
        let length = try count()
        let start = offset
        let stored = UnsafeBufferPointer(rebasing: bytes[start..<start + length])
        // `String(validating:as:)` looks up generic metadata on every call (a quarter of a
        // snapshot's time in a profile). `String(decoding:as:)` is specialised here, but
        // repairs bad UTF-8 with U+FFFD: the bytes were valid only if nothing was repaired.
        var text = String(decoding: stored, as: UTF8.self)
        guard text.withUTF8({ Self.sameBytes($0, stored) }) else { throw invalid("a string that is not UTF-8", at: start) }
        offset += length
        return text
    }

    /// A domain vocabulary value stored as its raw text.
    mutating func token<Token: RawRepresentable<String>>(_: Token.Type) throws(ProjectionCodecError) -> Token {
        let start = offset
        let text = try string()
        guard let token = Token(rawValue: text) else { throw invalid("\"\(text)\" is not a \(Token.self)", at: start) }
        return token
    }

    /// A plain loop: the generic `elementsEqual` showed up in a profile.
    private static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }

    mutating func optionalString() throws(ProjectionCodecError) -> String? {
        try isPresent() ? try string() : nil
    }

    mutating func money() throws(ProjectionCodecError) -> Money { Money(pence: try signed()) }

    /// The largest scale ``ExactDecimal`` allows (its initialiser traps beyond it).
    static let maxDecimalScale = 36

    mutating func decimal() throws(ProjectionCodecError) -> ExactDecimal {
        let start = offset
        let scale = Int(try byte())
        guard scale <= Self.maxDecimalScale else { throw invalid("a decimal scale of \(scale)", at: start) }
        let zigzag = try varint(UInt128.self)
        return ExactDecimal(units: Int128(bitPattern: zigzag >> 1) ^ -Int128(bitPattern: zigzag & 1), scale: scale)
    }

    mutating func date() throws(ProjectionCodecError) -> CalendarDate {
        let start = offset
        let year = try signed(), month = try byte(), day = try byte()
        guard let date = CalendarDate(year: Int(year), month: Int(month), day: Int(day)) else {
            throw invalid("an impossible date \(year)-\(month)-\(day)", at: start)
        }
        return date
    }

    mutating func optionalDate() throws(ProjectionCodecError) -> CalendarDate? {
        try isPresent() ? try date() : nil
    }

    mutating func quarter() throws(ProjectionCodecError) -> FinancialQuarter {
        let start = offset
        let year = try signed(), number = try byte()
        guard let quarter = FinancialQuarter(startYear: Int(year), number: Int(number)) else {
            throw invalid("an impossible quarter \(year) Q\(number)", at: start)
        }
        return quarter
    }

    mutating func eventID() throws(ProjectionCodecError) -> EventID {
        guard bytes.count - offset >= 16 else { throw .truncated(offset: bytes.count) }
        defer { offset += 16 }
        return EventID(bytes: Array(bytes[offset..<offset + 16]))!
    }
}

extension ProjectionReader {
    /// Every field in the order of the layout (``ProjectionCodec``), mirroring
    /// ``ProjectionWriter/projection(_:)``. A new non-optional field of ``ContractProjection``
    /// fails to compile here until it is read; a new optional one would silently stay `nil`.
    mutating func projection() throws(ProjectionCodecError) -> ContractProjection {
        try ContractProjection(reading: &self)
    }

    mutating func list<Element>(_ element: (inout ProjectionReader) throws(ProjectionCodecError) -> Element) throws(ProjectionCodecError) -> [Element] {
        let count = try count()
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try element(&self)) }
        return elements
    }

    mutating func optionalFigure() throws(ProjectionCodecError) -> ContractProjection.Figure? {
        guard try isPresent() else { return nil }
        let quantity = try decimal()
        let proxy = try isPresent() ? try decimal() : nil
        let value = try isPresent() ? try money() : nil
        return ContractProjection.Figure(quantity: quantity, proxy: proxy, value: value)
    }
}

extension ContractProjection {
    fileprivate init(reading r: inout ProjectionReader) throws(ProjectionCodecError) {
        reference = try r.string()
        title = try r.string()
        buyerDepartment = try r.string()
        category = try r.token(ContractCategory.self)
        estimatedValue = try r.money()
        startDate = try r.date()
        endDate = try r.date()
        areasServed = try r.list { r throws(ProjectionCodecError) in try r.string() }
        policyId = try r.string()
        stage = try r.token(Stage.self)

        if try r.isPresent() {
            assessment = Assessment(
                policyVersion: try r.string(), outcome: try r.token(ThresholdAssessment.Outcome.self), threshold: try r.money(),
                statutoryDutyApplies: try r.bool(), assessedOn: try r.date())
        }
        if try r.isPresent() {
            exemption = Exemption(
                status: try r.token(ExemptionStatus.self), businessCase: try r.string(), decidedByRole: try r.optionalString(),
                decidedOn: try r.optionalDate(), reason: try r.optionalString())
        }
        if try r.isPresent() {
            weighting = Weighting(
                percent: try r.decimal(), basis: try r.token(WeightingDecision.Basis.self), policyMinimumPercent: try r.decimal(),
                overrideReason: try r.optionalString(), exemptionApplied: try r.bool())
        }
        supplier = try r.optionalString()
        if try r.isPresent() { award = Award(date: try r.date(), value: try r.money()) }
        commitmentCatalog = try r.optionalString()
        pledgedOn = try r.optionalDate()
        closedOn = try r.optionalDate()
        commitmentsChangedOn = try r.optionalDate()
        migrated = try r.bool()
        migrationReason = try r.optionalString()
        closureReason = try r.optionalString()
        earlyTermination = try r.bool()
        datesNotGiven = try r.list { r throws(ProjectionCodecError) in
            DateNotGiven(eventType: try r.string(), quarter: try r.isPresent() ? try r.quarter() : nil, effectiveDate: try r.date())
        }

        lines = try r.list { r throws(ProjectionCodecError) in
            CommitmentLine(measure: try r.string(), unit: try r.string(), original: try r.optionalFigure(), current: try r.optionalFigure())
        }
        deliveries = try r.list { r throws(ProjectionCodecError) in
            DeliveredFigure(
                quarter: try r.quarter(), measure: try r.string(), quantity: try r.decimal(), evidence: try r.string(),
                pledged: try r.bool(), source: try r.eventID(), corrected: try r.bool())
        }
        returnedQuarters = try r.list { r throws(ProjectionCodecError) in try r.quarter() }

        version = try r.varint()
        position = try r.varint()
    }
}
