import LedgerValues
import SocialValue

/// What a read's answer states about where it was read, so that its reader can hold it to
/// the ledger. It is chosen on typed data, before any document is encoded, and each read
/// document is written with it (`head` or `streams`, then `figures`):
/// - everyone but a supplier is given the ledger's head and the digest of the figures shown;
/// - a supplier is given only what proves its own contracts: the version of each of their
///   streams and the digest of its own figures. The head, and the whole portfolio's digest,
///   move with every council's and every other supplier's activity, so a supplier polling
///   either would learn when others act (README, "Server": what a supplier can infer).
public enum ReadProof: Sendable {
    case ledger(LedgerHead, figures: FiguresFile?, effectiveOn: CalendarDate?)
    /// `streams`: stream id → version.
    case supplier(streams: [String: UInt64], figures: FiguresFile?, effectiveOn: CalendarDate?)

    /// The ledger's head alone, for a read that states no figures.
    public static func head(_ head: LedgerHead) -> ReadProof { .ledger(head, figures: nil, effectiveOn: nil) }

    /// The members a read document carries for it.
    public var members: JSONObject {
        var members = JSONObject()
        switch self {
        case .ledger(let head, let figures, let effectiveOn):
            members["head"] = head.json
            if let figures { members["figures"] = figures.json(effectiveOn: effectiveOn) }
        case .supplier(let streams, let figures, let effectiveOn):
            var versions = JSONObject()
            for (stream, version) in streams { versions[stream] = .integer(Int64(version)) }
            members["streams"] = .object(versions)
            if let figures { members["figures"] = figures.json(effectiveOn: effectiveOn) }
        }
        return members
    }

    /// `document` with this proof's members.
    func stated(in document: JSONObject) -> JSONValue {
        var document = document
        for member in members { document[member.key] = member.value }
        return .object(document)
    }
}
