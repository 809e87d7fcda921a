@testable import Hub
import Testing

/// How a migration file is cut into statements (`HubStore.statements(in:)`): a function's
/// `$$` body is one statement with its blank lines and comments, and a file that cannot be cut
/// surely is refused, never applied in part.
@Suite("the hub's migration files")
struct HubMigrationFileTests {
    @Test("statements end with a semicolon at the end of a line, outside $$ bodies, which are kept as written")
    func statementsAndBodies() throws {
        let text = """
            -- a comment, left out
            CREATE TABLE t (a integer);

            CREATE FUNCTION f() RETURNS integer
            LANGUAGE plpgsql AS $$
            BEGIN
                -- kept: inside the body
                RETURN 1;

            END
            $$;
            CREATE FUNCTION g() RETURNS integer LANGUAGE sql AS $$ SELECT 2 $$;
            """
        let statements = try HubStore.statements(in: text)
        #expect(statements.count == 3)
        #expect(statements[0] == "CREATE TABLE t (a integer);")
        #expect(statements[1].contains("    -- kept: inside the body\n    RETURN 1;\n\nEND\n$$;"), "\(statements[1])")
        #expect(statements[2].hasSuffix("AS $$ SELECT 2 $$;"))
    }

    @Test("a body never closed, a last statement without its semicolon, or a tagged dollar quote is refused", arguments: [
        "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$\nSELECT 1;\n",
        "CREATE TABLE t (a integer);\nCREATE TABLE u (b integer)",
        "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $body$ SELECT 1 $body$;",
    ])
    func refused(_ text: String) {
        #expect(throws: HubError.self) { try HubStore.statements(in: text) }
    }

    @Test("every migration shipped is cut without a statement left over")
    func shipped() throws {
        let migrations = try HubStore.migrations()
        #expect(migrations.map(\.version) == Array(1...migrations.count) && migrations.count >= 4)
        #expect(migrations.allSatisfy { !$0.statements.isEmpty })
    }
}
