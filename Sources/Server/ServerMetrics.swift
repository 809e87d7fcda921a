import Metrics
import Prometheus

/// The server's metrics through swift-metrics, kept in a Prometheus registry of this server's
/// own (not the process-wide bootstrap, so that several servers in one test process do not
/// mix), and served at `GET /metrics` in Prometheus's text format.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    static let requests = "svledger_http_requests_total"
    static let duration = "svledger_http_request_duration_seconds"
    static let batch = "svledger_commit_batch_commands"
    static let commits = "svledger_commits_total"

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.duration] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        factory.valueHistogramBuckets[Self.batch] = [1, 2, 4, 8, 16, 32, 64, 128]
        self.factory = factory
    }

    /// One answered request: counted by route template (never the raw path, so no contract
    /// reference becomes a label), method and status, and timed by route and method.
    func request(route: String, method: String, status: Int, duration: Duration) {
        Counter(label: Self.requests, dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory).increment()
        let (seconds, attoseconds) = duration.components
        Timer(label: Self.duration, dimensions: [("route", route), ("method", method)], factory: factory)
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// One durable commit, holding `commands` commands.
    func commit(commands: Int) {
        Recorder(label: Self.batch, dimensions: [], aggregate: true, factory: factory).record(commands)
        Counter(label: Self.commits, dimensions: [], factory: factory).increment()
    }

    public func exposition() -> String { registry.emitToString() }
}
