import ICCore
import ModelChecking

extension ICProperty {
    /// The property as an invariant (`always`) of the model.
    public var invariant: Property<ICState> {
        let holds = self.holds
        return .always(name) { $0.withView(holds) }
    }

    /// The property as a reachability goal of the model ("some reachable state satisfies it"):
    /// for witnesses of behaviours the IC allows (e.g. responses out of send order). A witness
    /// with a monitor goes in `ICSystem(…, witnesses:)`, which keeps its monitor in the states.
    public var witness: Property<ICState> {
        let holds = self.holds
        return .sometimes(name) { $0.withView(holds) }
    }
}

extension Array where Element == ICProperty {
    /// Every property as an invariant (`always`) of the model.
    public var invariants: [Property<ICState>] { map(\.invariant) }
}
