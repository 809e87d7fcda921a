import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Testing

/// Every operation × every role, plus no token, a token that is not one, a revoked and an
/// expired token, and a supplier acting on another supplier's contract, each with the status
/// it must get. The table is the specification; the test only runs it.
@Suite("authorization matrix", .timeLimit(.minutes(2)))
struct AuthorizationMatrixTests {
    /// The columns. `bridge` is Bridge Experts Ltd's supplier acting on LCC-2025-014, which is
    /// North Roads Ltd's (`north`): it must be told 404, as for a contract that does not exist.
    static let who = ["none", "garbage", "revoked", "expired", "po", "cm", "hop", "board", "north", "bridge", "auditor", "cabinet", "admin"]

    static let matrix: [(operation: String, expected: [Int])] = [
        //                                                 none garb revk expd  po   cm  hop brd north bridge aud  cab  admin
        ("GET /healthz",                                  [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("GET /metrics",                                  [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("GET /contracts",                                [401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("GET /contracts/LCC-2025-014",                   [401, 401, 401, 401, 200, 200, 200, 200, 200, 404, 200, 200, 200]),
        ("GET /contracts/LCC-2025-014/audit",             [401, 401, 401, 401, 200, 200, 200, 200, 200, 404, 200, 200, 200]),
        ("GET /audit?since=1",                            [401, 401, 401, 401, 200, 200, 200, 200, 403, 403, 200, 200, 200]),
        ("GET /reconcile?contract=LCC-2025-014&period=2025-26-Q2",
                                                          [401, 401, 401, 401, 200, 200, 200, 200, 200, 404, 200, 200, 200]),
        ("GET /reconcile?period=2025-26-Q2",              [401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("GET /figures?period=2025-26-Q2",                [401, 401, 401, 401, 200, 200, 200, 200, 403, 403, 200, 200, 200]),
        ("GET /log?stream=contract/LCC-2025-014",         [401, 401, 401, 401, 200, 200, 200, 200, 200, 404, 200, 200, 200]),
        ("GET /log?stream=policy/lancashire-2024-28",     [401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("GET /log?stream=council/lancashire",            [401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("GET /log?stream=access",                        [401, 401, 401, 401, 403, 403, 403, 403, 403, 403, 200, 403, 200]),
        ("GET /log",                                      [401, 401, 401, 401, 403, 403, 403, 403, 403, 403, 200, 403, 200]),
        ("GET /verify",                                   [401, 401, 401, 401, 200, 200, 200, 200, 403, 403, 200, 200, 200]),
        ("GET /reports/cabinet?format=csv&period=2025-26-Q2",
                                                          [401, 401, 401, 401, 200, 200, 200, 200, 403, 403, 200, 200, 200]),
        ("GET /export/ndjson",                            [401, 401, 401, 401, 403, 403, 403, 403, 403, 403, 200, 403, 200]),
        ("POST import portal LCC-2025-020 (dry run)",     [401, 401, 401, 401, 200, 200, 200, 200, 403, 403, 403, 403, 403]),
        ("GET /access",                                   [401, 401, 401, 401, 403, 403, 403, 403, 403, 403, 200, 403, 200]),
        ("POST access.grant",                             [401, 401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 403, 201]),
        ("POST contract.register",                        [401, 401, 401, 401, 201, 201, 201, 201, 403, 403, 403, 403, 403]),
        ("POST delivery.report LCC-2025-014",             [401, 401, 401, 401, 201, 201, 201, 201, 201, 404, 403, 403, 403]),
        ("POST contract.close LCC-2025-014 (If-Match 0)", [401, 401, 401, 401, 409, 409, 409, 409, 403, 403, 403, 403, 403]),
        ("GET /contracts/LCC-2025-014/evidence",          [401, 401, 401, 401, 200, 200, 200, 200, 200, 404, 200, 403, 200]),
        ("GET /due?today=2025-11-10",                     [401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200, 200, 403]),
        ("GET /calendar.ics?today=2025-11-10",            [401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200, 200, 403]),
        // A file the contract does not cite: 404 to whoever may read files, 403 to whoever may not.
        ("GET /contracts/LCC-2025-014/evidence/\(String(repeating: "a", count: 64))",
                                                          [401, 401, 401, 401, 404, 404, 404, 404, 404, 404, 404, 403, 403]),
        // Only an administrator erases; here a file not cited, so the rule refuses it.
        ("POST erasure LCC-2025-014",                     [401, 401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 403, 422]),
        // Never through POST /commands, whoever sends it.
        ("POST evidence.erase LCC-2025-014",              [401, 401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ]

    /// The quarters a return may be made for on the fixture's day, one per column that may write.
    static let quarters = ["2025-26-Q3", "2025-26-Q4", "2026-27-Q1", "2026-27-Q2", "2026-27-Q3"]

    static func request(_ operation: String, column: Int) -> (method: HTTPRequest.Method, uri: String, body: String?, headers: [(String, String)]) {
        switch operation {
        case "POST contract.register":
            return (.post, "/commands", """
                {"command": "contract.register", "contract": "MX-\(column)", "title": "Matrix \(column)", "buyerDepartment": "Highways", "category": "works", \
                "estimatedWholeLifeValueGBP": "£250,000", "startDate": "2026-04-01", "endDate": "2028-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}
                """, [])
        case "POST delivery.report LCC-2025-014":
            return (.post, "/commands", """
                {"command": "delivery.report", "contract": "LCC-2025-014", "quarter": "\(quarters[column % quarters.count])", \
                "lines": [{"measure": "NT1", "quantity": "1", "evidence": "MATRIX-\(column)"}], "attributionConfirmed": true}
                """, [])
        case "POST access.grant":
            return (.post, "/access", #"{"command": "access.grant", "account": "mx-\#(column)", "role": "contract-manager", "reason": "matrix"}"#, [])
        case "POST import portal LCC-2025-020 (dry run)":
            let table = (try? String(contentsOfFile: TransferRouteTests.seed003, encoding: .utf8)) ?? ""
            return (.post, "/imports/portal?contract=LCC-2025-020&catalog=portal-003&dry-run=true", table, [("Content-Type", "text/tab-separated-values")])
        case "POST erasure LCC-2025-014":
            return (.post, "/contracts/LCC-2025-014/evidence/\(String(repeating: "b", count: 64))/erasure", #"{"reason": "matrix"}"#, [("Content-Type", "application/json")])
        case "POST evidence.erase LCC-2025-014":
            return (.post, "/commands", #"{"command": "evidence.erase", "contract": "LCC-2025-014", "sha256": "\#(String(repeating: "b", count: 64))", "reason": "matrix"}"#, [])
        case "POST contract.close LCC-2025-014 (If-Match 0)":
            return (.post, "/commands", #"{"command": "contract.close", "contract": "LCC-2025-014"}"#, [("If-Match", "\"0\"")])
        default:
            let parts = operation.split(separator: " ", maxSplits: 1)
            return (HTTPRequest.Method(String(parts[0]))!, String(parts[1]), nil, [])
        }
    }

    @Test func everyOperationForEveryRole() async throws {
        let fixture = try ServerFixture()
        let size = Self.matrix.count * Self.who.count
        print("authorization matrix: \(Self.matrix.count) operations × \(Self.who.count) identities = \(size) cells")
        for row in Self.matrix { #expect(row.expected.count == Self.who.count, "row \(row.operation)") }
        let failures = try await fixture.test { client in
            var failures: [String] = []
            for row in Self.matrix {
                for (column, name) in Self.who.enumerated() {
                    let (method, uri, body, extra) = Self.request(row.operation, column: column)
                    let token: String? = switch name {
                    case "none": nil
                    case "garbage": "svl_not-a-token-this-ledger-issued"
                    default: name
                    }
                    var headers = fixture.headers(token, extra)
                    if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
                    let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                    let expected = row.expected[column]
                    if Int(response.status.code) != expected {
                        failures.append("\(row.operation) as \(name): \(response.status.code), expected \(expected): \(response.text.prefix(300))")
                    }
                    if response.status.code >= 400 {
                        if response.headers[.contentType] != "application/problem+json" { failures.append("\(row.operation) as \(name): not problem+json") }
                        if response.status.code == 401, response.headers[.wwwAuthenticate] == nil { failures.append("\(row.operation) as \(name): 401 without WWW-Authenticate") }
                    }
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) of \(size) cells differ:\n\(failures.joined(separator: "\n"))")
    }
}
