import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// Rights are declared where routes are: every route names who may call it when it is
/// registered (``RouteAccess``, a required argument), and its gate enforces it before the
/// handler runs. This holds the declarations to what the API promises.
@Suite("routes declare their rights")
struct RouteAccessTests {
    @Test("every method of every route declares its access: five open routes, every operation on a route")
    func declared() throws {
        let fixture = try ServerFixture()
        var open: [String] = [], openPages: [String] = [], operations: Set<Operation> = []
        for route in fixture.server.controllers().flatMap(\.routes) {
            #expect(Set(route.access.keys) == Set(route.methods), "\(route.template): a method without its access")
            for (method, access) in route.access {
                switch access {
                case .open: open.append("\(method.rawValue) \(route.template)")
                case .operation(let operation): operations.insert(operation)
                case .openPage: openPages.append("\(method.rawValue) \(route.template)")
                case .page(let operation): if let operation { operations.insert(operation) }
                }
            }
        }
        #expect(open.sorted() == ["GET /checkpoint", "GET /healthz", "GET /metrics", "GET /openapi.json", "GET /readyz"], "only these answer without a token")
        #expect(
            openPages.sorted() == [
                "GET /", "GET /app/invitations/{secret}", "GET /app/sign-in", "GET /app/sign-in/code", "GET /app/style.css", "GET /favicon.ico",
                "POST /app/invitations/{secret}", "POST /app/sign-in", "POST /app/sign-in/code",
            ], "only these pages answer without a full session (the code's pages check the session's first step themselves)")
        #expect(operations == Set(Operation.allCases), "an operation no route declares: \(Set(Operation.allCases).subtracting(operations))")
    }

    @Test("a handler registered with an operation is not reached by a role the operation refuses")
    func enforcedBeforeTheHandler() async throws {
        let fixture = try ServerFixture()
        let routes = RouteTable()
        nonisolated(unsafe) var reached = false
        routes.add(.get, "/probe", access: .operation(.exportNDJSON)) { _, _ in
            reached = true
            return Response(status: .ok)
        }
        let responder = fixture.server.responder([routes])
        try await fixture.test(responder: responder) { client in
            let refused = try await client.execute(uri: "/probe", method: .get, headers: fixture.headers("cabinet"))
            #expect(refused.status == .forbidden)
            #expect(!reached, "the handler ran for a role the operation refuses")
            let allowed = try await client.execute(uri: "/probe", method: .get, headers: fixture.headers("auditor"))
            #expect(allowed.status == .ok)
            #expect(reached)
        }
    }

    @Test("a route whose path names a contract is not reached by a supplier for a contract not its own: the gate answers 404")
    func supplierScopeBeforeTheHandler() async throws {
        let fixture = try ServerFixture()
        let routes = RouteTable()
        nonisolated(unsafe) var reached: [String] = []
        routes.add(.get, "/probe/{contract}", access: .operation(.showContract)) { _, context in
            reached.append(context.parameters.get("contract") ?? "")
            return Response(status: .ok)
        }
        let responder = fixture.server.responder([routes])
        try await fixture.test(responder: responder) { client in
            // LCC-2025-020 is Bridge Experts Ltd's; a reference that cannot name a contract is as missing.
            for reference in ["LCC-2025-020", "NO-SUCH-1", "%FF"] {
                let refused = try await client.execute(uri: "/probe/\(reference)", method: .get, headers: fixture.headers("north"))
                #expect(refused.status == .notFound, "\(reference)")
            }
            #expect(reached.isEmpty, "the handler ran for a supplier on a contract not its own: \(reached)")
            let own = try await client.execute(uri: "/probe/LCC-2025-014", method: .get, headers: fixture.headers("north"))
            #expect(own.status == .ok)
            let council = try await client.execute(uri: "/probe/LCC-2025-020", method: .get, headers: fixture.headers("auditor"))
            #expect(council.status == .ok)
            #expect(reached == ["LCC-2025-014", "LCC-2025-020"])
        }
    }
}
