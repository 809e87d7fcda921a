/// The members of a JSON object, kept sorted by the UTF-8 bytes of their keys, which is the
/// canonical order (Schemas/README.md §3).
///
/// Why not a `Dictionary`: every stored event is parsed on replay and verify, and the objects
/// are small. Canonical input arrives already sorted, so parsing just appends; encoding just
/// walks the members; equality is element-wise. No key is ever hashed.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public struct Member: Sendable, Hashable {
        public let key: String
        public var value: JSONValue

        package init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init() { members = [] }

    /// Members already in strictly ascending byte order of their keys (checked by the parser).
    package init(sorted members: [Member]) { self.members = members }

    public init(_ dictionary: [String: JSONValue]) {
        members = dictionary.map { Member(key: $0.key, value: $0.value) }
        members.sort { Self.precedes($0.key, $1.key) }
    }

    /// A repeated key keeps its last value, as assigning in order would.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    package init(_ elements: [(String, JSONValue)]) {
        var members: [Member] = []
        members.reserveCapacity(elements.count)
        for (key, value) in elements {
            if let existing = members.firstIndex(where: { $0.key == key }) {
                members[existing].value = value
            } else {
                members.append(Member(key: key, value: value))
            }
        }
        members.sort { Self.precedes($0.key, $1.key) }
        self.members = members
    }

    // MARK: - Collection of members

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }

    // MARK: - Dictionary-like access

    public var keys: [String] { members.map(\.key) }
    public var values: [JSONValue] { members.map(\.value) }

    public subscript(key: String) -> JSONValue? {
        get { index(of: key).map { members[$0].value } }
        set {
            switch (index(of: key), newValue) {
            case (let found?, let value?): members[found].value = value
            case (let found?, nil): members.remove(at: found)
            case (nil, let value?):
                let insertion = members.firstIndex { Self.precedes(key, $0.key) } ?? members.endIndex
                members.insert(Member(key: key, value: value), at: insertion)
            case (nil, nil): break
            }
        }
    }

    /// A linear scan: the objects svledger reads have a handful of keys, and comparing two
    /// small strings for equality is cheaper than any hashing.
    public func index(of key: String) -> Int? {
        // Through the buffer, so that no member is copied (and retained) to be compared.
        members.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index].key == key { return index }
            return nil
        }
    }

    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        JSONObject(sorted: try members.map { Member(key: $0.key, value: try transform($0.value)) })
    }

    /// Byte-wise order of UTF-8, which Swift's `String <` (Unicode canonical order) is not.
    public static func precedes(_ left: String, _ right: String) -> Bool {
        // Through the UTF-8 views, which need no mutable copy; small strings are compared from
        // a stack copy, and a bridged string falls back to the view's own comparison.
        let fast: Bool?? = left.utf8.withContiguousStorageIfAvailable { a in
            right.utf8.withContiguousStorageIfAvailable { b in Self.compare(a, b) < 0 }
        }
        return (fast ?? nil) ?? left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    package static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = Swift.min(a.count, b.count)
        for index in 0..<common where a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
        return a.count - b.count
    }
}
