import ICCore
import ModelChecking

extension ICProperty {
    /// The property as an invariant of any transition system whose states are IC views.
    public func always<State: ICView>(on _: State.Type = ICState.self) -> Property<State> {
        let holds = self.holds
        return .always(name) { holds($0) }
    }

    /// The property as a reachability goal ("some reachable state satisfies it"): used for
    /// witnesses of behaviours the IC allows (e.g. responses out of send order).
    public func sometimes<State: ICView>(on _: State.Type = ICState.self) -> Property<State> {
        let holds = self.holds
        return .sometimes(name) { holds($0) }
    }

    /// The property as an invariant of the model.
    public var invariant: Property<ICState> { always(on: ICState.self) }
}

extension Array where Element == ICProperty {
    /// Every property as an invariant (`always`) of the model.
    public var invariants: [Property<ICState>] { map(\.invariant) }
}
