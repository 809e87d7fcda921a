import EventStore
import Foundation
import LedgerValues
import LMDB
import Testing
import TestSupport
import Transparency

/// The Merkle tree beside the chain (Schemas/README.md §11): written with each event, made
/// for an older ledger, checked by verify, and the source of checkpoints that are never
/// inconsistent.
@Suite("Merkle tree")
struct MerkleStoreTests {
    /// A ledger of `count` events appended in batches of 1 to 4, and the leaf hashes computed
    /// here from each event's stored canonical bytes.
    func ledger(_ directory: TemporaryDirectory, events count: Int) throws -> (EventStore, [TreeHash]) {
        let store = try Fixtures.store(in: directory)
        var appended = 0
        while appended < count {
            let batch = min(1 + appended % 4, count - appended)
            try store.append((0..<batch).map { Fixtures.event(payload: ["index": .integer(Int64(appended + $0))]) }, to: "notes-\(appended % 3)")
            appended += batch
        }
        let leaves = try store.read { reader in
            try (1...UInt64(count)).map { position in
                try reader.transaction.withValue(in: try reader.transaction.openDatabase("log"), key: Bytes.bigEndian(position)) { value in
                    TreeHash.leaf(UnsafeRawBufferPointer(rebasing: value![32...]))
                }
            }
        }
        return (store, leaves)
    }

    /// MTH computed directly from the RFC's recursive definition.
    static func mth(_ leaves: ArraySlice<TreeHash>) -> TreeHash {
        if leaves.isEmpty { return .empty }
        if leaves.count == 1 { return leaves.first! }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        return .node(mth(leaves.prefix(k)), mth(leaves.dropFirst(k)))
    }

    @Test("the stored tree has the RFC's root at every size, and its proofs verify")
    func rootsAndProofs() throws {
        let directory = TemporaryDirectory()
        let (store, leaves) = try ledger(directory, events: 45)
        try store.read { reader in
            let tree = try reader.merkleTree()
            #expect(tree.size == 45)
            for size in 0...45 { #expect(try tree.root(size: UInt64(size)) == Self.mth(leaves.prefix(size)), "size \(size)") }
            for position in [1, 2, 17, 32, 33, 45] as [UInt64] {
                #expect(try reader.leafHash(position: position) == leaves[Int(position - 1)])
                let proof = try tree.inclusionProof(leaf: position - 1, size: 45)
                try ProofVerification.verifyInclusion(proof, leafIndex: position - 1, size: 45, leafHash: leaves[Int(position - 1)], root: Self.mth(leaves[...]))
            }
            let proof = try tree.consistencyProof(from: 13, to: 45)
            try ProofVerification.verifyConsistency(proof, size1: 13, size2: 45, root1: Self.mth(leaves.prefix(13)), root2: Self.mth(leaves[...]))
            let merkle = try reader.transaction.openDatabase("merkle")
            #expect(UInt64(try reader.transaction.statistics(merkle).entries) == MerkleAppend.storedNodeCount(size: 45))
        }
        #expect(try store.verify().eventCount == 45)
    }

    @Test("a ledger written before the tree gets it when opened for writing; read-only, proofs say why they cannot be made")
    func olderLedger() throws {
        let directory = TemporaryDirectory()
        let (path, leaves) = try { () throws -> (String, [TreeHash]) in
            let (store, leaves) = try ledger(directory, events: 21)
            try store.environment.write { txn in try txn.drop(try txn.openDatabase("merkle")) }
            return (store.environment.path, leaves)
        }()
        let root = Self.mth(leaves[...])
        try {
            let readOnly = try EventStore(path: path, mode: .readOnly)
            let error = #expect(throws: EventStoreError.self) { try readOnly.read { try $0.merkleTree() } }
            #expect(error == .noMerkleTree(path: path))
            // A read still knows the root at any size: worked out from the events themselves.
            for size in [0, 1, 13, 21] as [UInt64] { #expect(try readOnly.read { try $0.treeRoot(size: size) } == Self.mth(leaves[..<Int(size)])) }
            #expect(throws: TreeRangeError.self) { try readOnly.read { try $0.treeRoot(size: 22) } }
            let failure = #expect(throws: VerificationFailure.self) { try readOnly.verify() }
            #expect(failure?.position == 1)
            #expect(failure?.problem.contains("check 13") == true)
        }()
        let reopened = try EventStore(path: path, mode: .readWrite)
        #expect(try reopened.read { try $0.merkleTree().root(size: 21) } == root)
        #expect(try reopened.verify().eventCount == 21)
    }

    @Test("verify names a changed leaf, a changed or missing node, and a stray one")
    func tamperedTree() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try ledger(directory, events: 12)
        let merkle = try store.environment.write { try $0.openDatabase("merkle") }
        // Schemas/README.md §11.2: the node's post-order number, 8 bytes big-endian.
        func key(_ level: UInt8, _ index: UInt64) -> [UInt8] {
            let last = ((index + 1) << UInt64(level)) - 1
            return Bytes.bigEndian(2 * last - UInt64(last.nonzeroBitCount) + UInt64(level))
        }
        func failure() -> VerificationFailure? { #expect(throws: VerificationFailure.self) { try store.verify() } }

        let leaf = try #require(try store.environment.read { try $0.get(merkle, key: key(0, 6)) })
        try store.environment.write { txn in try txn.put(merkle, key: key(0, 6), value: Array(leaf.reversed())) }
        #expect(failure()?.position == 7)
        try store.environment.write { txn in try txn.put(merkle, key: key(0, 6), value: leaf) }

        // Node (2, 1) covers leaves 4 to 7: the walk completes it at position 8.
        let node = try #require(try store.environment.read { try $0.get(merkle, key: key(2, 1)) })
        try store.environment.write { txn in _ = try txn.delete(merkle, key: key(2, 1)) }
        #expect(failure()?.position == 8)
        try store.environment.write { txn in try txn.put(merkle, key: key(2, 1), value: node) }

        try store.environment.write { txn in try txn.put(merkle, key: key(3, 1), value: node) }
        let stray = failure()
        #expect(stray?.position == 12)
        #expect(stray?.problem.contains("check 14") == true)
        try store.environment.write { txn in _ = try txn.delete(merkle, key: key(3, 1)) }
        #expect(try store.verify().eventCount == 12)
    }

    @Test("the store never signs two inconsistent checkpoints, and verify holds it to the last one")
    func checkpoints() throws {
        let directory = TemporaryDirectory()
        let (store, leaves) = try ledger(directory, events: 10)
        let key = try NoteSigningKey(name: "council.example/svledger", type: .ed25519)
        let first = try store.signCheckpoint(origin: key.verifier.name, key: key)
        #expect(first.checkpoint.size == 10)
        #expect(first.checkpoint.root == Self.mth(leaves[...]))
        try first.verify(logKey: key.verifier)
        #expect(try store.read { try $0.lastCheckpoint() } == first)

        let before = try Fixtures.fileBytes(store)
        let again = #expect(throws: EventStoreError.self) { try store.signCheckpoint(origin: key.verifier.name, key: key) }
        #expect(again == .checkpointNotNewer(signedSize: 10, headSize: 10))
        #expect(try Fixtures.fileBytes(store) == before)

        try store.append([Fixtures.event()], to: "notes-0")
        // The tree changed under the signed size, as a history rewritten with its tree rebuilt
        // would change it: node (3, 0), the first 8 leaves, is part of the root at size 10.
        let merkle = try store.environment.write { try $0.openDatabase("merkle") }
        let node = Bytes.bigEndian(14)    // node (3, 0): after its 8 leaves and 6 nodes below it
        let leaf = try #require(try store.environment.read { try $0.get(merkle, key: node) })
        try store.environment.write { txn in try txn.put(merkle, key: node, value: Array(leaf.reversed())) }
        let inconsistent = #expect(throws: EventStoreError.self) { try store.signCheckpoint(origin: key.verifier.name, key: key) }
        if case .checkpointInconsistent(let size, _, _) = inconsistent { #expect(size == 10) } else { Issue.record("\(String(describing: inconsistent))") }
        try store.environment.write { txn in try txn.put(merkle, key: node, value: leaf) }
        let second = try store.signCheckpoint(origin: key.verifier.name, key: key)
        #expect(second.checkpoint.size == 11)
        #expect(try store.verify().eventCount == 11)
    }

    @Test("a ledger truncated below its last checkpoint fails check 15 at the first missing position")
    func truncatedBelowCheckpoint() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try ledger(directory, events: 6)
        // The ledger at 6 events, whole and consistent, kept aside; the original grows to 9
        // and signs; its checkpoint is then put beside the copy: the copy is the ledger cut back.
        let copy = directory.child("copy")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: store.environment.path + "/data.mdb", toPath: copy + "/data.mdb")
        for index in 6..<9 { try store.append([Fixtures.event(payload: ["index": .integer(Int64(index))])], to: "notes") }
        let key = try NoteSigningKey(name: "council.example/svledger", type: .ed25519)
        let signed = try store.signCheckpoint(origin: key.verifier.name, key: key)
        let truncated = try EventStore(path: copy, mode: .readWrite)
        #expect(try truncated.verify().eventCount == 6)
        try truncated.environment.write { txn in try txn.put(try txn.openDatabase("meta"), key: Array("checkpoint".utf8), value: Array(signed.serialized.utf8)) }
        let failure = #expect(throws: VerificationFailure.self) { try truncated.verify() }
        #expect(failure?.position == 7)
        #expect(failure?.problem.contains("check 15") == true, "\(failure?.problem ?? "")")
    }
}
