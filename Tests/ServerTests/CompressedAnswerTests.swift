import Foundation
import Synchronization
import CompressNIO
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// The Cabinet report is megabytes at scale: a client that takes gzip (every browser) gets it
/// gzipped, the same bytes once unzipped; any other gets it as it is.
@Suite("answers sent gzipped to those who take it")
struct CompressedAnswerTests {
    @Test("the report, asked with and without gzip: the same bytes, zipped only when asked, and always Vary: Accept-Encoding")
    func reportGzipped() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let uri = "/reports/cabinet?period=2025-26-Q2"
            let plain = try await client.execute(uri: uri, method: .get, headers: fixture.headers("cabinet"))
            #expect(plain.status == .ok && plain.headers[.contentEncoding] == nil && plain.headers[.vary] == "Accept-Encoding")
            #expect(plain.body.readableBytes >= CachedView.compressFrom, "the report is large enough to be zipped: \(plain.body.readableBytes)")
            for accept in ["gzip", "br, gzip;q=0.8", "*"] {
                let zipped = try await client.execute(uri: uri, method: .get, headers: fixture.headers("cabinet", [("Accept-Encoding", accept)]))
                #expect(zipped.status == .ok && zipped.headers[.contentEncoding] == "gzip", "\(accept)")
                #expect(zipped.body.readableBytes < plain.body.readableBytes / 3)
                var body = zipped.body
                let unzipped = try body.decompress(with: .gzip())
                #expect(unzipped == plain.body, "\(accept): the same report once unzipped")
            }
            for refused in ["identity", "gzip;q=0", "br"] {
                let answer = try await client.execute(uri: uri, method: .get, headers: fixture.headers("cabinet", [("Accept-Encoding", refused)]))
                #expect(answer.headers[.contentEncoding] == nil && answer.body == plain.body, "\(refused)")
            }
        }
    }

    @Test("Accept-Encoding: gzip is taken when named or by *, unless its weight is 0", arguments: [
        ("gzip", true), ("GZIP", true), ("deflate, gzip", true), ("gzip;q=0.5", true), ("*;q=0.1", true),
        ("gzip;q=0", false), ("gzip; q=0.0", false), ("deflate", false), ("", false), ("x-gzip", false),
    ])
    func acceptEncoding(header: String, takes: Bool) {
        #expect(CachedView.takesGzip(header) == takes)
    }
}

@Suite("answers rendered once per view")
struct RenderedOnceTests {
    @Test("reads asking at once for an answer not yet rendered wait for the one rendering it: it is rendered once")
    func renderedOnce() async throws {
        let fixture = try ServerFixture()
        let cached = try await fixture.server.cachedView(.init(), nil)
        final class Count: Sendable { let value = Atomic<Int>(0) }
        let renders = Count()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await offload {
                        cached.rendered("a slow answer") { _ in
                            renders.value.add(1, ordering: .relaxed)
                            Thread.sleep(forTimeInterval: 0.2)
                            return .init(body: Array("the answer".utf8), version: nil)
                        }.body.count
                    }
                }
            }
            for try await count in group { #expect(count == 10) }
        }
        #expect(renders.value.load(ordering: .relaxed) == 1)
    }
}
