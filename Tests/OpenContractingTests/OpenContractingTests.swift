import OpenContracting
import Testing

@Suite struct OpenContractingVersionTests {
    @Test func declaresOCDSOnePointOne() { #expect(OpenContracting.version == "1.1") }
}
