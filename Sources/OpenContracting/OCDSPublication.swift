import LedgerValues
import Transparency

/// The package metadata that ties an export to the chain: the head it was read at (position
/// and chain hash) in the package uri, with the Merkle tree's root there (what a checkpoint of
/// that size signs), and the time that head event was recorded as the publication date, so
/// the same ledger state always exports the same bytes. The publisher is the council by name
/// alone: an organisation's `scheme` and `uid` are for its registered identifier (GB-COH,
/// GB-PPON), which svledger does not record, never for a ledger's head.
public struct OCDSPublication: Sendable {
    public let head: LedgerHead
    /// The root of the tree of the events up to the head (Schemas/README.md §11).
    public let treeRoot: TreeHash
    /// When the head event was recorded; `nil` for an empty ledger.
    public let headRecordedAt: Timestamp?
    /// The council described in the ledger, if any.
    public let councilName: String?

    public init(head: LedgerHead, treeRoot: TreeHash, headRecordedAt: Timestamp?, councilName: String?) {
        self.head = head
        self.treeRoot = treeRoot
        self.headRecordedAt = headRecordedAt
        self.councilName = councilName
    }

    /// `<position>:<chain hash hex>`, what `svledger verify` prints as the head.
    public var headIdentifier: String { "\(head.position):\(head.hash.hex)" }

    /// What every svledger package's uri starts with; an import knows its own exports by it.
    public static let uriPrefix = "urn:svledger:ledger:"

    /// `urn:svledger:ledger:<position>:<chain hash hex>:tree:<root base64>`: the head, and the
    /// root a checkpoint of tree size <position> states, written as the checkpoint writes it (a
    /// URN may hold base64's `+`, `/` and `=`). OCDS has no field for a signature, and a field
    /// of our own would be an additional field that validators flag: the uri names the state,
    /// and the council's signed checkpoint of that size vouches for it.
    public var uri: String { "\(Self.uriPrefix)\(headIdentifier):tree:\(treeRoot.base64)" }

    /// The package's fields before its releases or records.
    var members: [OCDSValue.Member] {
        [
            .init("version", .string("1.1")), .init("uri", .string(uri)),
            // An empty ledger has no event to date it by: the start of the Unix epoch.
            .init("publishedDate", .string((headRecordedAt ?? Timestamp(millisecondsSinceEpoch: 0)).description)),
            .init("publisher", .object(("name", .string(councilName ?? "svledger ledger")))),
            .init("extensions", .array(OCDSExtensions.urls.map(OCDSValue.string))),
        ]
    }
}
