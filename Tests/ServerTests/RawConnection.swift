import Foundation
import TestSupport

/// A TCP connection to the server on loopback, written and read byte by byte, for the clients
/// that HTTP libraries will not be: slow, malformed, or gone half-way.
final class RawConnection: @unchecked Sendable {
    let socket: Int32

    init(port: Int) throws {
        // Close-on-exec: a process another test starts meanwhile must not inherit this socket,
        // or closing it here would not close the connection (the connection-cap test waits for
        // exactly that close).
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RawConnectionError(message: "connect: errno \(errno)") }
    }

    deinit { close(socket) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything the server sends until it closes the connection, or `nil` if it is still
    /// open after `limit` (the precondition a test waits for, with a generous bound).
    func readUntilClosed(within limit: Duration) async -> String? {
        let (text, closed) = await receive(within: limit) { _ in false }
        return closed ? text : nil
    }

    /// What the server has sent within `limit`, up to the end of a response's head, without
    /// waiting for it to close.
    func read(within limit: Duration) async -> String {
        await receive(within: limit) { $0.contains("\r\n\r\n") }.text
    }

    /// Reads until `enough` holds of what came, the server closes, or `limit` passes, on a
    /// thread of its own: the wait must not hold one of Swift's few cooperative threads.
    private func receive(within limit: Duration, until enough: @escaping @Sendable (String) -> Bool) async -> (text: String, closed: Bool) {
        await offThePool { self.receiveBlocking(within: limit, until: enough) }
    }

    private func receiveBlocking(within limit: Duration, until enough: (String) -> Bool) -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var poll = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard Foundation.poll(&poll, 1, 50) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (String(decoding: received, as: UTF8.self), true) }
            received += buffer[..<count]
            if enough(String(decoding: received, as: UTF8.self)) { break }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }
}

struct RawConnectionError: Error { let message: String }
