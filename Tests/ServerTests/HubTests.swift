import EventStore
import Foundation
import LedgerValues
import Projections
import SyntheticData
import TestSupport
import Testing

/// `svledger follow --postgres`: councils' ledgers into one PostgreSQL, with real servers on
/// loopback and the PostgreSQL that tools/test starts (tools/postgres-for-tests).
@Suite(
    "the hub: councils' ledgers into PostgreSQL", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: HubDatabase.available, "tools/test starts PostgreSQL for these (SVLEDGER_TEST_POSTGRES)"))
struct HubTests {
    @Test("two councils into one hub: every event once, in order, with its chain checked again from the rows; run again, nothing is added; the views answer across councils and agree with each ledger")
    func twoCouncils() async throws {
        let database = try HubDatabase()
        let (north, northPath) = try FollowerTests.primaryLedger(events: 600)
        let south = try ServerFixture()
        _ = try SyntheticPortfolio.populate(south.ledger, events: 300, seed: 11)
        let southPath = try LiveServerTests.servedCopy(south, name: "south")
        let (northServer, northPort, _) = try await LiveServerTests.serve(northPath)
        defer { kill(northServer.processIdentifier, SIGKILL) }
        let (southServer, southPort, _) = try await LiveServerTests.serve(southPath)
        defer { kill(southServer.processIdentifier, SIGKILL) }

        for (council, port, fixture) in [("north", northPort, north), ("south", southPort, south)] {
            let result = try database.follow(port, council: council, fixture)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let northHead = try FollowerTests.head(northPath), southHead = try FollowerTests.head(southPath)
        #expect(try database.sql("SELECT council, count(*), count(DISTINCT position), max(position) FROM events GROUP BY council ORDER BY council")
            == ["north|\(northHead.position)|\(northHead.position)|\(northHead.position)", "south|\(southHead.position)|\(southHead.position)|\(southHead.position)"])
        #expect(try database.sql("SELECT hash FROM events WHERE council = 'north' AND position = \(northHead.position)") == [northHead.hash.hex])
        #expect(try database.sql("SELECT version, name FROM svledger_hub_migrations ORDER BY version")
            == ["1|0001_events", "2|0002_views", "3|0003_themes", "4|0004_figures"])

        // Each council's figures, worked out in SQL from the hub's rows alone: the file, its
        // totals to the penny, and its digest are the council's own (Schemas/README.md §10).
        for (council, path) in [("north", northPath), ("south", southPath)] {
            try Self.expectFiguresAgree(database, council: council, ledger: path, periods: ["2024-25-Q4", "2025-26-Q2", "2026-27-Q1", "2027-28-Q4"])
        }
        #expect(try database.sql("SELECT count(*) > 0 FROM svledger_figure_rows('north', '2025-26-Q2', '2025-09-30') WHERE level = 'measure' AND rating = 'good'") == ["t"])

        // Again: the chain is checked from the rows, and nothing is added.
        let again = try database.follow(northPort, council: "north", north)
        #expect(again.status == 0 && again.stdout.contains("appended 0 events of north"), "\(again.stdout)\(again.stderr)")
        #expect(try database.sql("SELECT count(*) FROM events") == ["\(northHead.position + southHead.position)"])

        // The views, across councils: contracts, and each return's claimed quantities as the ledger has them.
        let counted = try database.sql("SELECT council, count(*) FROM contracts GROUP BY council ORDER BY council")
        let northContracts = try north.ledger.snapshot().contracts, southContracts = try south.ledger.snapshot().contracts
        #expect(counted == ["north|\(northContracts.count)", "south|\(southContracts.count)"])
        var expected: [String] = []
        for contract in northContracts {
            for figure in contract.deliveries { expected.append("\(contract.reference)|\(figure.quarter)|\(figure.measure)|\(Self.number(figure.quantity.description))") }
        }
        let rows = try database.sql("SELECT contract, quarter, measure, quantity FROM deliveries WHERE council = 'north'")
            .map { row in row.split(separator: "|").enumerated().map { $0.offset == 3 ? Self.number(String($0.element)) : String($0.element) }.joined(separator: "|") }
        #expect(!expected.isEmpty && rows.sorted() == expected.sorted())
        #expect(try database.sql("SELECT count(DISTINCT council) FROM pledged_against_delivered") == ["2"])
        // By theme: every pledged measure of the shipped catalog has one, and the pledged value
        // by council adds up to the commitments' own.
        #expect(try database.sql("SELECT count(*) FROM pledged_against_delivered WHERE theme = '(not in the catalog)'") == ["0"])
        #expect(try database.sql("SELECT council, sum(pledged_value_gbp) FROM pledged_against_delivered GROUP BY council ORDER BY council")
            == (try database.sql("SELECT council, sum(value_gbp) FROM commitments GROUP BY council ORDER BY council")))

        // A column the views read, altered in the hub: the next run finds it, and adds nothing.
        _ = try database.sql("UPDATE events SET payload = jsonb_set(payload, '{title}', '\"Altered\"') WHERE council = 'north' AND event_type = 'ContractRegistered' AND position = (SELECT min(position) FROM events WHERE council = 'north' AND event_type = 'ContractRegistered')")
        let column = try database.follow(northPort, council: "north", north)
        #expect(column.status == 3 && column.stderr.contains("does not say what its canonical bytes say"), "\(column.stderr)")
        _ = try database.sql("UPDATE events SET payload = (canonical::jsonb)->'payload' WHERE council = 'north'")
        // A row's bytes altered in the hub: the chain, checked again from the rows, breaks there.
        _ = try database.sql("UPDATE events SET canonical = replace(canonical, '\"position\":300', '\"position\": 300') WHERE council = 'north' AND position = 300")
        let altered = try database.follow(northPort, council: "north", north)
        #expect(altered.status == 3 && altered.stderr.contains("position 300") && altered.stderr.contains("altered"), "\(altered.stderr)")
    }

    @Test("the figures' edge cases in SQL: a spread that starts after the term ended, suppliers whose names differ only in their Unicode form, and the demo's portfolio (levels, record-only lines, reviews, several policies)")
    func figuresEdgeCases() async throws {
        let database = try HubDatabase()
        let directory = TemporaryDirectory("svledger-hub-edge")
        let edge = directory.child("edge"), portfolio = directory.child("portfolio")
        try FiguresEdgeLedger.make(at: edge, scratch: directory.path)
        let head = ["--actor", "r.shah", "--role", "Head of Procurement", "--ledger", portfolio]
        for arguments in [
            ["init", "--ledger", portfolio], ["policy", "adopt", "--builtin", "lancashire-2024-28"] + head, ["catalog", "publish", "--builtin", "portal-003"] + head,
            ["apply", CommandRunner.repositoryRoot + "/tools/demo-data/portfolio.ndjson", "--ledger", portfolio],
        ] {
            let made = try CommandRunner.svledger(arguments)
            #expect(made.status == 0, "\(arguments.prefix(2)): \(made.stderr)")
        }
        for (council, path) in [("edge", edge), ("portfolio", portfolio)] {
            try await Self.load(path, into: database, council: council)
        }
        try Self.expectFiguresAgree(database, council: "edge", ledger: edge, periods: ["2025-26-Q1", "2025-26-Q2", "2025-26-Q4"])
        try Self.expectFiguresAgree(database, council: "portfolio", ledger: portfolio, periods: ["2024-25-Q4", "2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4", "2026-27-Q2"])
        // Two supplier rows for the two spellings of "Café Ltd", told apart by their bytes.
        #expect(try database.sql("SELECT encode(convert_to(key, 'UTF8'), 'hex') FROM svledger_figure_rows('edge', '2025-26-Q2', '2025-09-30') WHERE level = 'supplier' AND key LIKE 'Caf%' ORDER BY 1")
            == ["43616665cc81204c7464", "436166c3a9204c7464"])
    }

    /// Serves the ledger at `path` and loads it into the hub as `council`, with an auditor's
    /// token made for the purpose.
    static func load(_ path: String, into database: HubDatabase, council: String) async throws {
        for arguments in [
            ["access", "grant", "ada", "--role", "administrator", "--actor", "installer", "--reason", "set-up"],
            ["access", "grant", "aud", "--role", "auditor", "--actor", "ada", "--reason", "the hub"],
        ] {
            #expect(try CommandRunner.svledger(arguments + ["--ledger", path]).status == 0)
        }
        let token = try CommandRunner.svledger(["access", "token", "issue", "aud", "--role", "auditor", "--actor", "ada", "--ledger", path])
            .stdout.split(separator: "\n").last.map(String.init) ?? ""
        let (server, port, _) = try await LiveServerTests.serve(path)
        defer { kill(server.processIdentifier, SIGKILL) }
        let loaded = try CommandRunner.svledger(
            ["follow", "http://127.0.0.1:\(port)", "--postgres", database.url, "--council", council, "--once"], environment: ["SVLEDGER_TOKEN": token])
        #expect(loaded.status == 0, "\(loaded.stderr)")
    }

    /// Each council's figures, worked out in SQL from the hub's rows alone: the file, its
    /// totals to the penny, and its digest are the council's own (Schemas/README.md §10).
    static func expectFiguresAgree(_ database: HubDatabase, council: String, ledger path: String, periods: [String]) throws {
        for period in periods {
            let own = try CommandRunner.svledger(["figures", "--ledger", path, "--period", period])
            #expect(own.status == 0, "\(own.stderr)")
            let sql = try database.sql("SELECT svledger_figures('\(council)', '\(period)', svledger_reporting_date('\(period)'))")
            #expect(sql.joined(separator: "\n") + "\n" == own.stdout, "\(council) \(period): the hub's figures differ from the ledger's")
            let portfolio = try #require(own.stdout.split(separator: "\n").last { $0.hasPrefix("portfolio,") })
            let totals = portfolio.split(separator: ",", omittingEmptySubsequences: false)[3...8].joined(separator: "|")
            #expect(try database.sql("SELECT original, current, delivered, validated, capped, expected FROM svledger_figure_rows('\(council)', '\(period)', svledger_reporting_date('\(period)')) WHERE level = 'portfolio'")
                == [totals])
            let digest = try CommandRunner.svledger(["figures", "--ledger", path, "--period", period, "--digest"])
            #expect(try database.sql("SELECT svledger_figures_digest('\(council)', '\(period)')") == [digest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        }
    }

    @Test("PostgreSQL restarted while the hub loads: the hub waits, resumes from the highest position stored, and holds every event once")
    func postgresRestarts() async throws {
        let database = try HubDatabase()
        let (fixture, primary) = try FollowerTests.primaryLedger(events: 3_000)
        let (server, port, _) = try await LiveServerTests.serve(primary)
        defer { kill(server.processIdentifier, SIGKILL) }
        let log = fixture.directory.child("hub.log")
        let process = try database.startFollowing(port, council: "north", fixture, log: log)
        defer { kill(process.processIdentifier, SIGKILL) }
        #expect(try await FollowerTests.wait { FollowerTests.lines(log).contains { $0.contains("appended") } })
        // Three restarts while pages go in: some land in a transaction, which the hub gives up
        // (or times out on), then resumes from the rows the database kept.
        for _ in 0..<3 {
            let started = try database.sql("SELECT pg_postmaster_start_time()")
            #expect(HubDatabase.restart() == 0)
            #expect(try database.sql("SELECT pg_postmaster_start_time()") != started, "the server restarted")
            try await Task.sleep(for: .milliseconds(300))
        }
        let head = try FollowerTests.head(primary)
        #expect(try await FollowerTests.wait(.seconds(150)) {
            (try? database.sql("SELECT max(position) FROM events")) == ["\(head.position)"]
        }, "\(FollowerTests.lines(log).suffix(5))")
        #expect(try database.sql("SELECT count(*), count(DISTINCT position) FROM events") == ["\(head.position)|\(head.position)"])
        #expect(process.isRunning)
    }

    /// A decimal's digits without trailing zeros, so that `110.0` and `110` compare equal.
    static func number(_ text: String) -> String {
        guard text.contains(".") else { return text }
        let trimmed = text.reversed().drop { $0 == "0" }.reversed()
        return String(trimmed.last == "." ? trimmed.dropLast() : trimmed[...])
    }
}

/// A database of its own for one test, in the PostgreSQL tools/test started.
struct HubDatabase {
    static let server = ProcessInfo.processInfo.environment["SVLEDGER_TEST_POSTGRES"]
    static var available: Bool { server != nil }
    static var restartCommand: String { ProcessInfo.processInfo.environment["SVLEDGER_TEST_POSTGRES_RESTART"] ?? "false" }

    /// Restarts the server (tools/postgres-for-tests restart), waiting with waitpid: the
    /// restarted server outlives the command, and Foundation's `Process` then waits for ever.
    static func restart() -> Int32 {
        let arguments = ["/bin/sh", "-c", restartCommand + " </dev/null >/dev/null 2>&1"]
        var pointers = arguments.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", nil, nil, &pointers, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return status
    }
    let url: String

    init() throws {
        let name = "hub_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let server = try #require(Self.server)
        let created = try CommandRunner.run("/usr/bin/psql", [server, "-Atc", "CREATE DATABASE \(name)"])
        guard created.status == 0 else { throw HubDatabaseFailure(message: created.stderr) }
        url = server.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
    }

    /// The rows of `query`, each as psql prints it unaligned (`a|b|c`).
    func sql(_ query: String) throws -> [String] {
        let result = try CommandRunner.run("/usr/bin/psql", [url, "-Atc", query])
        guard result.status == 0 else { throw HubDatabaseFailure(message: result.stderr) }
        return result.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("UPDATE ") }
    }

    func follow(_ port: Int, council: String, _ fixture: ServerFixture) throws -> CommandResult {
        try CommandRunner.svledger(
            ["follow", "http://127.0.0.1:\(port)", "--postgres", url, "--council", council, "--once"],
            environment: ["SVLEDGER_TOKEN": fixture.tokens["auditor"]!])
    }

    func startFollowing(_ port: Int, council: String, _ fixture: ServerFixture, log: String) throws -> Process {
        try FollowerTests.startFollowing(
            port, into: ["--postgres", url, "--council", council, "--page-size", "25", "--interval", "0.05"], fixture, log: log)
    }
}

struct HubDatabaseFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
