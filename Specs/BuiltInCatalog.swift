// Users of the built-in library write `import Specs` and get the spec vocabulary with it.
@_exported import ICSpec

extension SpecCatalog {
    /// The built-in specification library, in a stable order: the IC's message-execution
    /// properties, the scalable messaging claims, the bug patterns with their fixes, the
    /// applications, and the benchmark workloads (parameterised; `icmc verify` leaves them out).
    public static let builtIn: SpecCatalog =
        SpecCatalog(entries: MessagePropertySpecs.entries + PerKindSpecs.entries + PerKindSpecs.mixedClaimsPerKind)
        + SpecCatalog(
            ScalableMessagingSpecs.all + FairSheddingSpecs.all + RetrySpecs.claims + DepositSpecs.all + SafeUpgradeSpecs.all
                + BugPatternSpecs.all + RetrySpecs.bugPatterns + ApplicationSpecs.all + ManagementSpecs.all)
        + SpecCatalog(entries: QuotaSpecs.entries + CalleeQueueSpecs.entries + BroadcastSpecs.entries + [benchPubSub])

    /// The built-in library with every scalable spec at `scale=1`, its original small workload:
    /// what a debug-build test suite checks in seconds. `builtIn` itself is at the bounds the
    /// library's verdicts are about (`icmc verify`, in a release build).
    public static let builtInSmall: SpecCatalog = builtIn.withDefault("scale", 1)

    /// `bench-pubsub`: a publisher broadcasting to subscribers over lossy best-effort calls, sized
    /// by `subscribers` and `events` (a benchmark for `icmc bench spec`, not a guarantee).
    static let benchPubSub = SpecCatalog.Entry(
        name: "bench-pubsub",
        parameters: [
            SpecParameter("subscribers", summary: "subscriber canisters", range: 1 ... 8, default: 2),
            SpecParameter("events", summary: "events published", range: 1 ... 4, default: 1),
        ]
    ) { values in
        var spec = BenchPubSub.spec(subscribers: values["subscribers"] ?? 2, events: values["events"] ?? 1)
        spec.category = .benchmark
        return spec
    }
}
