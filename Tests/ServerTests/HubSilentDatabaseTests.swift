import Foundation
import Testing
import TestSupport

/// A hub whose database takes the connection and never answers its start-up (a server
/// restarting can do that): the follower gives up with `hub-database-unavailable` (PostgresNIO's
/// connect timeout, 10 s), never waits for ever. No PostgreSQL is needed: the "database" is a
/// socket that says nothing.
@Suite("the hub with a silent database", .timeLimit(.minutes(3)))
struct HubSilentDatabaseTests {
    @Test("a database that never answers the connection's start-up is given up, as unavailable")
    func silentDatabase() async throws {
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        listener.arguments = ["python3", "-c", """
            import socket, time
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
            print(s.getsockname()[1], flush=True)
            held = []
            while True: held.append(s.accept()[0])
            """]
        let output = Pipe()
        listener.standardOutput = output
        try listener.run()
        defer { kill(listener.processIdentifier, SIGKILL) }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))

        let directory = TemporaryDirectory("svledger-hub-silent")
        let follower = Process()
        follower.executableURL = URL(fileURLWithPath: CommandRunner.svledgerPath)
        follower.arguments = [
            "follow", "http://127.0.0.1:9", "--postgres", "postgres://postgres@127.0.0.1:\(port)/hub?sslmode=disable", "--council", "x", "--once",
        ]
        follower.environment = ["SVLEDGER_TOKEN": "svl_unused"]
        FileManager.default.createFile(atPath: directory.child("err"), contents: nil)
        follower.standardError = FileHandle(forWritingAtPath: directory.child("err"))
        follower.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try follower.run()
        defer { kill(follower.processIdentifier, SIGKILL) }
        #expect(try await FollowerTests.wait(.seconds(120)) { !follower.isRunning }, "the follower still waits on a silent database")
        let said = (try? String(contentsOfFile: directory.child("err"), encoding: .utf8)) ?? ""
        #expect(follower.terminationStatus == 75 && said.contains("hub-database-unavailable"), "\(follower.terminationStatus): \(said)")
    }
}
