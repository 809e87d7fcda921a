/// A record's compiled release: its releases merged by the OCDS 1.1 merge rules, as the
/// standard's reference implementation (ocdsmerge) applies them:
/// - releases are taken in date order (a stable sort: releases of the same date keep the log's
///   order; svledger's releases are dated by their recording, which is the log's order);
/// - an object's fields merge one by one; a later value replaces an earlier one;
/// - an array of objects merges by `id` (an item with a new id is appended in order), unless
///   the schema merges that list whole or its items are not objects: then it is replaced whole;
/// - an empty object or array in a release changes nothing;
/// - `id` becomes `<ocid>-<date of the last release>`, `date` that date, `tag` ["compiled"].
public enum OCDSMerge {
    /// The arrays the merged schema declares `wholeListMerge` (or whose items have no `id`)
    /// among those the export writes: replaced whole, never merged by id.
    static let wholeListArrays: Set<String> = ["criteria", "numbers", "sustainability", "deliveryAddresses", "deliveryLocations"]

    /// The order the merge takes releases in: by `date`, stably.
    public static func ordered(_ releases: [OCDSValue]) -> [OCDSValue] {
        releases.enumerated().sorted { lhs, rhs in
            let (left, right) = (lhs.element["date"]?.stringValue ?? "", rhs.element["date"]?.stringValue ?? "")
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// The compiled release of `releases`, already in merge order (``ordered(_:)``).
    public static func compiled(_ releases: [OCDSValue]) -> OCDSValue? {
        guard let last = releases.last, let ocid = last["ocid"], let date = last["date"] else { return nil }
        var merged: [OCDSValue.Member] = [
            .init("ocid", ocid), .init("id", .string("\(ocid.stringValue ?? "")-\(date.stringValue ?? "")")),
            .init("date", date), .init("tag", .array([.string("compiled")])),
        ]
        let own: Set<String> = ["ocid", "id", "date", "tag"]
        for release in releases {
            guard case .object(let members) = release else { continue }
            merge(members.filter { !own.contains($0.key) }, into: &merged)
        }
        return .object(merged)
    }

    /// Merges in place: each value is taken out of its parent before it is merged, so that it
    /// is the only reference to its storage and grows without being copied (a record's
    /// compiled release is merged from every one of its releases, each into the last result).
    private static func merge(_ members: [OCDSValue.Member], into target: inout [OCDSValue.Member]) {
        for member in members {
            if let index = target.firstIndex(where: { $0.key == member.key }) {
                var value = target[index].value
                target[index].value = .null
                merge(member.value, into: &value, key: member.key)
                target[index].value = value
            } else {
                var value = OCDSValue.null
                if merge(member.value, into: &value, key: member.key) { target.append(.init(member.key, value)) }
            }
        }
    }

    /// `new` merged over `old`, in place. Returns false, leaving `old` as it was, when `new`
    /// changes nothing (an empty object or array).
    @discardableResult
    private static func merge(_ new: OCDSValue, into old: inout OCDSValue, key: String) -> Bool {
        switch new {
        case .object(let members):
            guard !members.isEmpty else { return false }
            var target: [OCDSValue.Member] = []
            if case .object(let existing) = old {
                target = existing
                old = .null
            }
            merge(members, into: &target)
            old = .object(target)
            return true
        case .array(let items):
            let objects = items.allSatisfy { if case .object = $0 { true } else { false } }
            guard objects, !wholeListArrays.contains(key) else {
                old = new
                return true
            }
            guard !items.isEmpty else { return false }
            var target: [OCDSValue] = []
            if case .array(let existing) = old {
                target = existing
                old = .null
            }
            for item in items {
                let id = item["id"]
                if let id, let index = target.firstIndex(where: { $0["id"] == id }) {
                    var value = target[index]
                    target[index] = .null
                    merge(item, into: &value, key: key)
                    target[index] = value
                } else {
                    // A new id, or an item with none (ocdsmerge gives those a fresh id): appended.
                    var value = OCDSValue.null
                    if merge(item, into: &value, key: key) { target.append(value) }
                }
            }
            old = .array(target)
            return true
        default:
            old = new
            return true
        }
    }
}
