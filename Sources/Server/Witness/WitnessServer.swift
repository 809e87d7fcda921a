import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import ServiceLifecycle
import Transparency

/// `svledger witness`: a small C2SP tlog-witness. It follows the logs whose keys it is
/// given, and cosigns a checkpoint only when a consistency proof shows it extends the last one
/// it cosigned for that log; it never cosigns a fork of what it has seen.
public struct WitnessServer: Sendable {
    public let key: NoteSigningKey
    public let policy: WitnessPolicy
    public let state: WitnessState
    let logger = Logger(label: "svledger.witness")

    public init(key: NoteSigningKey, logs: [NoteVerifierKey], state: WitnessState) {
        self.key = key
        policy = WitnessPolicy(logs: logs)
        self.state = state
    }

    /// The largest request body read: a checkpoint with its signatures and 63 proof lines.
    static let bodyLimit = 64 << 10

    /// Answers one `add-checkpoint` body, as the protocol says: 200 with the cosignature
    /// line, or the refusal's status with its reason (409 with the size it holds).
    public func addCheckpoint(_ body: String, now: UInt64) -> (status: Int, type: String, body: String) {
        do {
            let request = try AddCheckpointRequest(body: body)
            let checkpoint = try state.admit(request, policy: policy)
            let cosignature = try key.sign(checkpoint.text, time: now)
            logger.info("cosigned", metadata: ["origin": .string(checkpoint.origin), "size": .stringConvertible(checkpoint.size)])
            return (200, "text/plain; charset=utf-8", cosignature.line)
        } catch let refusal as WitnessRefusal {
            logger.notice("refused", metadata: ["status": .stringConvertible(refusal.status), "reason": .string(refusal.description)])
            if case .conflict(let size) = refusal { return (409, "text/x.tlog.size", "\(size)\n") }
            return (refusal.status, "text/plain; charset=utf-8", refusal.description + "\n")
        } catch {
            logger.error("failed", metadata: ["error": .string("\(error)")])
            return (500, "text/plain; charset=utf-8", "the witness could not record its state: \(error)\n")
        }
    }

    /// The witness over HTTP on `host:port` (0: any free port), until SIGTERM or SIGINT.
    public func run(host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.post("/add-checkpoint") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: Self.bodyLimit)
            let answer = self.addCheckpoint(String(buffer: buffer), now: UInt64(Date().timeIntervalSince1970))
            var headers = HTTPFields()
            headers[.contentType] = answer.type
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        router.get("/healthz") { _, _ in "witness \(key.verifier.vkey)\n" }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "svledger-witness"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
