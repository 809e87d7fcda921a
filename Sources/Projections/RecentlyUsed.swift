/// A bounded map that forgets its least recently used entry when a new key would pass the
/// bound. The caches of a long-lived process use it: forgetting an arbitrary entry instead
/// made a working set near the bound thrash (each miss evicting a member of the set).
///
/// Eviction scans for the oldest stamp, O(count); it happens only on a miss, which costs a
/// replay or a decode anyway, so a list threaded through the entries would buy nothing.
public struct RecentlyUsed<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let limit: Int
    private var entries: [Key: (value: Value, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    public init(limit: Int) { self.limit = max(1, limit) }

    public var count: Int { entries.count }

    /// The value for `key`, marking it as just used.
    public mutating func value(_ key: Key) -> Value? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.value, clock)
        return entry.value
    }

    /// Stores `value` for `key`, first forgetting the least recently used entry if the map is
    /// full; returns the entry forgotten.
    @discardableResult
    public mutating func insert(_ value: Value, for key: Key) -> (key: Key, value: Value)? {
        var forgotten: (key: Key, value: Value)?
        if entries[key] == nil, entries.count >= limit,
            let oldest = entries.min(by: { $0.value.used < $1.value.used })
        {
            entries[oldest.key] = nil
            forgotten = (oldest.key, oldest.value.value)
        }
        clock += 1
        entries[key] = (value, clock)
        return forgotten
    }

    public mutating func removeAll() { entries.removeAll() }

    /// Forgets `key`'s entry, if any.
    public mutating func remove(_ key: Key) { entries[key] = nil }
}
