import ICCore
import ICSpec

/// The scalable-messaging proposal's quotas, as proposed: per-canister quotas of 50 kB of small
/// guaranteed-response calls and 50 concurrent best-effort calls, and an optimistically shared
/// pool beyond them (`MessagingLimits`, ICMessaging/System/Quotas.swift).
///
/// The proposal's 50 is scaled down to the `quota` parameter (default 2, range 1...3): every
/// canister's own quota is `quota` units (1 kB of small calls each) or best-effort calls, and
/// the workloads are sized from it. The claims are about the quota's role, not its figure, so
/// they are the same at any size; 50 calls would not be explorable.
public enum QuotaSpecs {
    /// Makes `count` calls of `kind` to `callee` in one execution (arguments `[callee, count]`)
    /// and counts how `call_perform` answered: performed, or refused for quota.
    public struct QuotaCaller: CanisterProgram {
        public struct State: CanisterState {
            public var performed = 0
            /// `call_perform` failed with `quotaExhausted` (own quota and shared pool used up).
            public var quotaRefusals = 0
        }

        public enum Continuation: ContinuationValue { case response }
        public let kind: CallKind

        public init(kind: CallKind) { self.kind = kind }

        public var name: String { "quota-caller(\(kind))" }
        public var initialState: State { State() }

        public func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Continuation>) throws {
            let order = try call.arguments(as: [Int].self)
            guard order.count == 2 else { throw CanisterTrap("call: arguments are [callee, count]") }
            for _ in 0 ..< order[1] {
                switch try execution.call(CanisterId(order[0]), "work", kind: kind, timeout: 1, payloadBytes: 100, then: .response) {
                case .performed: execution.state.performed += 1
                case .failed(.quotaExhausted): execution.state.quotaRefusals += 1
                case .failed: break
                }
            }
        }

        public func handleResponse(_ response: Response, to continuation: Continuation, in execution: inout Execution<State, Continuation>) throws {}
    }

    /// C0's `call_perform` is never refused for quota.
    public static let neverRefusedForQuota = ICProperty(
        name: "c0-never-refused-for-quota", statement: "C0's call_perform is never refused for lack of quota (quotaExhausted).",
        observes: .none, mentions: .only([0]), observesContextRemoval: false
    ) { view in
        view.programState(of: 0, as: QuotaCaller.State.self)?.quotaRefusals == 0
    }

    static let quota = SpecParameter(
        "quota", summary: "each canister's own quota (the proposal's 50, scaled down)", range: 1 ... 3, default: 2)

    /// C0 and C1 make calls of `kind` to the server C2 (which replies to each at once), C0
    /// `c0Calls` and C1 `c1Calls` of them, each in one execution, in either order. Own quotas
    /// `quota`, a shared pool of `pool` units, incoming quotas large enough not to matter.
    static func configuration(kind: CallKind, quota: Int, c0Calls: Int, c1Calls: Int, pool: Int) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [CanisterSetup(QuotaCaller(kind: kind)), CanisterSetup(QuotaCaller(kind: kind)), CanisterSetup(ReplyingServer())],
            ingress: [IngressMessage(to: 0, "call", arguments: [2, c0Calls]), IngressMessage(to: 1, "call", arguments: [2, c1Calls])],
            limits: MessagingLimits(
                smallQuotaOut: kind == .smallGuaranteed ? quota : 50, smallQuotaIn: 2 * (quota + 1),
                bestEffortQuota: kind == .bestEffort ? quota : 50, sharedSmallPool: pool))
    }

    static func entry(
        name: String, summary: String, details: @escaping @Sendable (Int) -> String, kind: CallKind,
        c0Extra: Int, pool: Int, expectation: Spec.Expectation
    ) -> SpecCatalog.Entry {
        SpecCatalog.Entry(name: name, parameters: [quota]) { values in
            let q = values["quota"] ?? quota.defaultValue
            return Spec(
                name: name, summary: summary, details: details(q), category: .scalableMessagingClaim, callKinds: [kind],
                configuration: configuration(kind: kind, quota: q, c0Calls: q + c0Extra, c1Calls: q + 1, pool: pool),
                properties: [neverRefusedForQuota], expectation: expectation)
        }
    }

    static let scaling = "The proposal's 50 is scaled down to the `quota` parameter (`--param quota=N`, 1...3): the claim is about the quota's role, not its figure."
    static let environment = "C2 replies to every call at once; the two users' calls come in either order. No faults; no clock."

    public static var entries: [SpecCatalog.Entry] {
        [
            entry(
                name: "Q1-small-calls-within-own-quota",
                summary: "A canister can always have its own quota of small guaranteed calls in flight, whatever others do.",
                details: { q in "Claim (the proposal: 50 kB of small guaranteed-response calls per canister, 1 kB each): C0 can always make \(q) small calls, all in flight together, whatever others do: C1 makes \(q + 1) small calls to the same callee C2 at the same time and draws on the shared pool (1 unit) beyond its own quota. Quotas: \(q) units out per canister (the proposal's 50 scaled to quota=\(q)), shared pool 1. \(scaling) What the callee admits is another matter: its incoming quota is shared by its callers (S5-small-quota-shared-callee). \(environment) Expected: holds." },
                kind: .smallGuaranteed, c0Extra: 0, pool: 1, expectation: .holds),
            entry(
                name: "Q2-shared-pool-exhausted-by-others",
                summary: "The shared pool beyond the quotas can be used up by others: a call beyond the own quota may be refused.",
                details: { q in "Claim refuted: 'a canister can always make calls beyond its own quota from the shared pool'. C0 makes \(q + 1) small calls (one beyond its quota of \(q)); C1 makes \(q + 1) too, and if it goes first it takes the pool's only unit, so C0's last call_perform fails with quotaExhausted. The pool is optimistic, not a guarantee. Quotas: \(q) units out per canister, shared pool 1. \(scaling) \(environment) Expected: violated (c0-never-refused-for-quota)." },
                kind: .smallGuaranteed, c0Extra: 1, pool: 1, expectation: .violated(property: neverRefusedForQuota.name)),
            entry(
                name: "Q4-best-effort-calls-within-own-quota",
                summary: "A canister can always have its own quota of best-effort calls in flight, whatever others do.",
                details: { q in "Claim (the proposal: 50 concurrent best-effort calls per canister): C0 can always have \(q) best-effort calls (timeout 1 s) in flight together, whatever others do: C1 makes \(q + 1) to the same callee C2 at the same time, one beyond its own quota, with no shared pool (its last one is refused). Best-effort quota \(q) calls per canister (the proposal's 50 scaled to quota=\(q)), no shared pool. \(scaling) \(environment) Expected: holds." },
                kind: .bestEffort, c0Extra: 0, pool: 0, expectation: .holds),
        ]
    }
}
