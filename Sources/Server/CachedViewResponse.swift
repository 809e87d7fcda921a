import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import Queries

extension LedgerServer {
    /// The answer named `key` of a view, gzipped when the request takes gzip and the answer is
    /// large enough to gain from it (the Cabinet report is megabytes at scale): rendered once
    /// and compressed once per view. An answer kept already is sent straight away; only
    /// rendering or compressing waits for a worker thread, so a read of a kept answer never
    /// queues behind a view being worked out.
    func response(_ cached: CachedView, _ key: String, type: String, request: Request, render: @escaping @Sendable (FigureView) throws -> CachedView.Rendered)
        async throws -> Response
    {
        let zip = CachedView.takesGzip(request.headers[.acceptEncoding])
        if let plain = cached.kept(key), plain.body.count < CachedView.compressFrom || !zip { return Self.answer(plain, type: type, zipped: false) }
        if zip, let zipped = cached.kept(key + " gzip") { return Self.answer(zipped, type: type, zipped: true) }
        return try await offload {
            let plain = try cached.rendered(key, render)
            guard plain.body.count >= CachedView.compressFrom, zip else { return Self.answer(plain, type: type, zipped: false) }
            return Self.answer(try cached.zipped(key, plain), type: type, zipped: true)
        }
    }

    private static func answer(_ rendered: CachedView.Rendered, type: String, zipped: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.vary] = "Accept-Encoding"
        if zipped { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: rendered.body)))
    }
}

extension CachedView {
    /// The answer named `key` gzipped, compressed once.
    func zipped(_ key: String, _ plain: Rendered) throws -> Rendered {
        try rendered(key + " gzip") { _ in
            var buffer = ByteBuffer(bytes: plain.body)
            return .init(body: Array(buffer: try buffer.compress(with: .gzip())), version: plain.version)
        }
    }

    /// Renders the answer named `key`, and gzips it too if it is large: done as part of working
    /// a view out (``FigureViewCache/Prepared``), so that the reads which follow, all at once,
    /// find both ready rather than each compressing megabytes.
    func prepare(_ key: String, _ render: (FigureView) throws -> Rendered) throws {
        let plain = try rendered(key, render)
        if plain.body.count >= Self.compressFrom { _ = try zipped(key, plain) }
    }

    /// Below this, an answer goes as it is: gzip would save little and cost a step.
    static let compressFrom = 16 * 1024

    /// Whether an `Accept-Encoding` header admits gzip (named, or `*`, without `q=0`).
    static func takesGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "*" else { return false }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return weight > 0
        }
    }
}
