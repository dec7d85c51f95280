import ICCore

extension Spec {
    /// What differs between a bug and its fix: the words and the configuration (the program
    /// with or without the fix), and the call kinds when the fix is a change of call kind.
    public struct Variant: Sendable {
        public var summary: String
        public var details: String
        public var configuration: SystemConfiguration
        /// The call kinds of this side, when they differ from the pair's (e.g. a guaranteed-response
        /// call fixed by a best-effort one); `nil` uses the pair's.
        public var callKinds: [CallKind]?

        public init(summary: String, details: String, configuration: SystemConfiguration, callKinds: [CallKind]? = nil) {
            self.summary = summary
            self.details = details
            self.configuration = configuration
            self.callKinds = callKinds
        }
    }

    /// A bug pattern and its fix as the pair `<name>-buggy` (expected to violate `property`, with
    /// its shortest trace) and `<name>-fixed` (expected to hold), sharing everything else: the
    /// shape of every bug pattern, written once so a pair cannot drift apart (a property added
    /// to one side only, a different environment).
    public static func bugPattern(
        _ name: String, category: Category = .bugPattern, callKinds: [CallKind] = [], properties: [ICProperty] = [],
        livenessProperties: [ICLivenessProperty] = [], silentCanisters: Set<CanisterId> = [], eagerSchedule: Bool = false,
        violates property: String, buggy: Variant, fixed: Variant
    ) -> [Spec] {
        [(buggy, "buggy", Expectation.violated(property: property)), (fixed, "fixed", .holds)].map { variant, suffix, expectation in
            Spec(
                name: "\(name)-\(suffix)", summary: variant.summary, details: variant.details, category: category,
                callKinds: variant.callKinds ?? callKinds, configuration: variant.configuration, properties: properties,
                livenessProperties: livenessProperties, silentCanisters: silentCanisters, eagerSchedule: eagerSchedule,
                expectation: expectation)
        }
    }
}
