/// "Did you mean …?": the existing name closest to one that was not found, by edit distance.
public enum Suggestion {
    /// The candidate closest to `name` by edit distance (letters compared without case), if it
    /// is close enough to be a likely slip: at most 2 edits, or a third of the name's length
    /// for a longer name. Ties go to the candidate first in sorted order.
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        let limit = max(2, target.count / 3)
        var best: (distance: Int, name: String)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars), limit: limit)
            guard let distance, distance <= limit else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
                best = (distance, candidate)
            }
        }
        return best?.name
    }

    /// `" (did you mean X?)"`, or nothing when no candidate is close.
    public static func phrase(for name: String, among candidates: some Sequence<String>) -> String {
        closest(to: name, among: candidates).map { " (did you mean \($0)?)" } ?? ""
    }

    /// Levenshtein distance: insertions, deletions and substitutions each count 1. `nil` when
    /// it is certainly over `limit` (the lengths alone differ by more).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
