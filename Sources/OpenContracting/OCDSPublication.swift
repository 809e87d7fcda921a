import LedgerValues
import Transparency

/// The package metadata that ties an export to the chain: the head it was read at (position
/// and chain hash) as the publisher's uid and in the package uri, with the Merkle tree's root
/// there (what a checkpoint of that size signs), and the time that head event was recorded as
/// the publication date, so the same ledger state always exports the same bytes.
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

    /// `urn:svledger:ledger:<position>:<chain hash hex>:tree:<root base64>`: the head, and the
    /// root a checkpoint of tree size <position> states, written as the checkpoint writes it (a
    /// URN may hold base64's `+`, `/` and `=`). OCDS has no field for a signature, and a field
    /// of our own would be an additional field that validators flag: the uri names the state,
    /// and the council's signed checkpoint of that size vouches for it.
    public var uri: String { "urn:svledger:ledger:\(headIdentifier):tree:\(treeRoot.base64)" }

    /// The package's fields before its releases or records.
    var members: [OCDSValue.Member] {
        [
            .init("version", .string("1.1")), .init("uri", .string(uri)),
            // An empty ledger has no event to date it by: the start of the Unix epoch.
            .init("publishedDate", .string((headRecordedAt ?? Timestamp(millisecondsSinceEpoch: 0)).description)),
            .init("publisher", .object(
                ("name", .string(councilName ?? "svledger ledger")), ("scheme", .string("svledger-ledger-head")),
                ("uid", .string(headIdentifier)))),
            .init("extensions", .array(OCDSExtensions.urls.map(OCDSValue.string))),
        ]
    }
}
