/// What an `ICProperty` reads of a state, for partial-order reduction (`icmc check --por`).
///
/// A reduced search may postpone a step that does not change what the checked properties read
/// (the visibility condition C2). A property that does not declare its reads is treated as
/// reading everything, which leaves nothing to postpone.
public struct StateReads: Hashable, Sendable, CustomStringConvertible {
    /// The canisters whose own fields are read (`status`, `balance`, `programState`,
    /// `codeVersion`, `globalTimer`, `systemTasksRun`); `nil`: every canister.
    public let fields: Set<CanisterId>?
    /// The canisters whose open callbacks (the `callbacks` of their own calls) are read; `nil`:
    /// every canister.
    public let callbacks: Set<CanisterId>?
    /// The canisters whose call contexts are read; `nil`: every canister. Only a canister's own
    /// steps create, answer or remove its contexts.
    public let contexts: Set<CanisterId>?
    /// The global cycle totals read (`CycleSums`): a step is visible to them only if it changes
    /// a total, which a step that conserves cycles never does, wherever it runs (its change to a
    /// total is its own effect).
    public let cycleSums: CycleSums
    /// Whether anything else may be read (requests, responses, contexts, history, clock, lost
    /// cycles): then every step may be visible.
    public let readsEverything: Bool

    /// Sums of cycles over the whole state that a property may read (global conservation).
    public struct CycleSums: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// `ICView.accountedCycles`: balances + in flight + held by contexts + lost cycles.
        public static let withSink = CycleSums(rawValue: 1 << 0)
        /// The same without the lost cycles (`accountedCycles - lostCycles`).
        public static let withoutSink = CycleSums(rawValue: 1 << 1)
    }

    init(fields: Set<CanisterId>?, callbacks: Set<CanisterId>?, contexts: Set<CanisterId>?, cycleSums: CycleSums = [], readsEverything: Bool) {
        self.fields = fields
        self.callbacks = callbacks
        self.contexts = contexts
        self.cycleSums = cycleSums
        self.readsEverything = readsEverything
    }

    /// Undeclared: the property may read any part of the state (the default).
    public static let everything = StateReads(fields: nil, callbacks: nil, contexts: nil, readsEverything: true)

    /// Only the own fields of `fields` (`nil`: of every canister), the open callbacks of
    /// `callbacks` and the call contexts of `contexts`, besides `canisterIds` and the constant
    /// `initialTotalCycles`.
    public static func canisters(
        fields: Set<CanisterId>?, callbacks: Set<CanisterId>? = [], contexts: Set<CanisterId>? = [], cycleSums: CycleSums = []
    ) -> StateReads {
        StateReads(fields: fields, callbacks: callbacks, contexts: contexts, cycleSums: cycleSums, readsEverything: false)
    }

    /// What a conjunction of parts reading `self` and `other` reads.
    public func union(_ other: StateReads) -> StateReads {
        func merged(_ some: Set<CanisterId>?, _ others: Set<CanisterId>?) -> Set<CanisterId>? {
            guard let some, let others else { return nil }
            return some.union(others)
        }
        return StateReads(
            fields: merged(fields, other.fields), callbacks: merged(callbacks, other.callbacks),
            contexts: merged(contexts, other.contexts), cycleSums: cycleSums.union(other.cycleSums),
            readsEverything: readsEverything || other.readsEverything)
    }

    /// Whether `canister`'s own fields are read.
    public func readsFields(of canister: CanisterId) -> Bool { fields?.contains(canister) ?? true }

    /// Whether `canister`'s open callbacks are read.
    public func readsCallbacks(of canister: CanisterId) -> Bool { callbacks?.contains(canister) ?? true }

    /// Whether `canister`'s call contexts are read.
    public func readsContexts(of canister: CanisterId) -> Bool { contexts?.contains(canister) ?? true }

    public var description: String {
        guard !readsEverything else { return "everything" }
        func list(_ set: Set<CanisterId>?) -> String { set.map { $0.sorted().map(\.description).joined(separator: ", ") } ?? "every canister" }
        var read = "fields of \(list(fields)); callbacks of \(list(callbacks))"
        if contexts?.isEmpty != true { read += "; contexts of \(list(contexts))" }
        if cycleSums.contains(.withSink) { read += "; the cycles accounted with the sink" }
        if cycleSums.contains(.withoutSink) { read += "; the cycles accounted without the sink" }
        return read
    }
}
