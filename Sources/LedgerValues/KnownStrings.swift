/// Strings read before, found again by their bytes. A reader of the whole log meets the same
/// stream ids, measure codes and evidence references over and over, between other events, and
/// each was a new `String`: an allocation past 15 bytes, and a check of its bytes at any length.
/// Each string is kept in a place given by a hash of its bytes; two strings with one place take
/// turns. A table with no places keeps nothing, for a reader of a few events, which would only
/// pay for the table.
package struct KnownStrings {
    fileprivate var places: [String?]

    package init(places count: Int = 0) {
        places = count > 0 ? [String?](repeating: nil, count: count) : []
    }
}

extension JSONParser {
    /// The string here, the parser at its opening quote, as ``parseString()`` reads it: the one
    /// kept in `known` when it has the same bytes, written with nothing to unescape, else the
    /// string read, which is then kept in its place.
    package mutating func parseString(knownIn known: inout KnownStrings) throws(JSONParseError) -> String {
        guard !known.places.isEmpty, current == UInt8(ascii: "\""), let base = bytes.baseAddress else { return try parseString() }
        let start = index + 1
        let end = plainRun(from: start).end
        // Escaped, unterminated or holding a control character: read (or refused) the general way.
        guard end < bytes.count, base.load(fromByteOffset: end, as: UInt8.self) == UInt8(ascii: "\"") else { return try parseString() }
        let count = end - start
        let place = Self.place(of: base + start, count: count, readable: bytes.count - start, among: known.places.count)
        if let candidate = known.places[place], candidate.utf8.count == count,
            candidate.utf8.withContiguousStorageIfAvailable({ $0.baseAddress.map { Self.sameBytes(base + start, $0, count: count) } ?? true }) == true
        {
            index = end + 1
            return candidate
        }
        let text = try parseString()
        known.places[place] = text
        return text
    }

    /// The place among `places` of the `count` bytes at `start`, of which `readable` can be read:
    /// a hash of their first, middle and last eight (ids and references differ in a digit or
    /// two, mostly near an end), not of each byte, which cost more than the string it saved.
    private static func place(of start: UnsafeRawPointer, count: Int, readable: Int, among places: Int) -> Int {
        var key = UInt64(count)
        if count >= 8 {
            key ^= start.loadUnaligned(as: UInt64.self)
            key = (key &* 0x9E37_79B9_7F4A_7C15) ^ start.loadUnaligned(fromByteOffset: count / 2 - 4, as: UInt64.self)
            key = (key &* 0x9E37_79B9_7F4A_7C15) ^ start.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if readable >= 8 {
            // The bytes past the string (its closing quote and what follows) masked out.
            key ^= UInt64(littleEndian: start.loadUnaligned(as: UInt64.self)) & ~(UInt64.max << (8 * count))
        } else {
            for offset in 0..<count { key = (key << 8) | UInt64(start.load(fromByteOffset: offset, as: UInt8.self)) }
        }
        return Int(((key &* 0x9E37_79B9_7F4A_7C15) >> 32) % UInt64(places))
    }
}
