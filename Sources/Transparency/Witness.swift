/// A request to a witness (C2SP tlog-witness `add-checkpoint`): the size of the checkpoint
/// the log believes the witness last cosigned, a consistency proof from it, and the new
/// signed checkpoint.
public struct AddCheckpointRequest: Sendable, Equatable {
    public let oldSize: UInt64
    public let proof: [TreeHash]
    public let checkpoint: SignedCheckpoint

    public init(oldSize: UInt64, proof: [TreeHash], checkpoint: SignedCheckpoint) {
        self.oldSize = oldSize
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// The most proof lines the protocol allows.
    public static let maximumProofLines = 63

    /// Reads a request body: `old N`, proof lines, a blank line, the checkpoint.
    /// - Throws: ``WitnessRefusal/badRequest(_:)``.
    public init(body: String) throws(WitnessRefusal) {
        guard let blank = body.range(of: "\n\n") else { throw .badRequest("the body has no blank line before the checkpoint") }
        let head = body[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = head.first, first.hasPrefix("old "), let old = UInt64(first.dropFirst(4)), first.dropFirst(4) == "0" || !first.dropFirst(4).hasPrefix("0") else {
            throw .badRequest("the first line is not `old SIZE`")
        }
        guard head.count - 1 <= Self.maximumProofLines else { throw .badRequest("more than \(Self.maximumProofLines) proof lines") }
        var proof: [TreeHash] = []
        for line in head.dropFirst() {
            guard let hash = TreeHash(base64: String(line)) else { throw .badRequest("a proof line is not base64 of 32 bytes") }
            proof.append(hash)
        }
        do {
            checkpoint = try SignedCheckpoint(parsing: String(body[blank.upperBound...]))
        } catch {
            throw .badRequest("the checkpoint does not read: \(error)")
        }
        oldSize = old
        self.proof = proof
    }

    public var body: String { "old \(oldSize)\n" + proof.map { $0.base64 + "\n" }.joined() + "\n" + checkpoint.serialized }
}

/// Why a witness does not cosign, with the HTTP status the protocol gives it.
public enum WitnessRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case badRequest(String)
    /// The checkpoint's origin is no log this witness follows.
    case unknownLog(String)
    /// No good signature by the log's key.
    case forbidden(String)
    /// The old size is not the size this witness last cosigned, which it gives back.
    case conflict(currentSize: UInt64)
    /// The proof does not show the new checkpoint consistent with what it cosigned.
    case unprocessable(String)

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .forbidden: 403
        case .unknownLog: 404
        case .conflict: 409
        case .unprocessable: 422
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let why): "bad request: \(why)"
        case .unknownLog(let origin): "this witness follows no log named \(origin.debugDescription)"
        case .forbidden(let why): why
        case .conflict(let size): "this witness last cosigned the log at size \(size)"
        case .unprocessable(let why): why
        }
    }
}

/// What a witness checks before it cosigns (C2SP tlog-witness), as a pure decision: given
/// the last checkpoint it cosigned for the log, whether the new one may be cosigned.
public struct WitnessPolicy: Sendable {
    /// The logs it follows: their checkpoint keys (a key's name is its log's origin).
    public let logs: [NoteVerifierKey]

    public init(logs: [NoteVerifierKey]) { self.logs = logs }

    /// Decides a request against the last cosigned state of its log (size 0 and no root when
    /// never). Returns the checkpoint to record and cosign.
    public func decide(_ request: AddCheckpointRequest, last: (size: UInt64, root: TreeHash)?) throws(WitnessRefusal) -> Checkpoint {
        let checkpoint = request.checkpoint.checkpoint
        let keys = logs.filter { $0.name == checkpoint.origin }
        guard !keys.isEmpty else { throw .unknownLog(checkpoint.origin) }
        var verified = false
        for key in keys {
            guard request.checkpoint.note.signatures.contains(where: key.signed) else { continue }
            do {
                try request.checkpoint.verify(logKey: key)
                verified = true
            } catch {
                throw .forbidden("the log's signature does not verify: \(error)")
            }
        }
        guard verified else { throw .forbidden("the checkpoint carries no signature by a key of \(checkpoint.origin) this witness trusts") }
        guard request.oldSize <= checkpoint.size else { throw .badRequest("the old size \(request.oldSize) is larger than the checkpoint's \(checkpoint.size)") }
        let current = last?.size ?? 0
        guard request.oldSize == current else { throw .conflict(currentSize: current) }
        if checkpoint.size == 0, checkpoint.root != .empty { throw .unprocessable("a checkpoint of size 0 must have the empty tree's root") }
        if request.oldSize == 0 {
            guard request.proof.isEmpty else { throw .unprocessable("a consistency proof from size 0 must be empty") }
            return checkpoint
        }
        guard let last else { throw .conflict(currentSize: 0) }
        do {
            try ProofVerification.verifyConsistency(request.proof, size1: last.size, size2: checkpoint.size, root1: last.root, root2: checkpoint.root)
        } catch {
            throw .unprocessable("the checkpoint is not consistent with the one this witness cosigned at size \(last.size): \(error)")
        }
        return checkpoint
    }
}
