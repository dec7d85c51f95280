extension ICProperty {
    /// The history parts any of `properties` reads (what a check of all of them must record).
    public static func observations(of properties: [ICProperty]) -> HistoryObservation {
        properties.reduce(into: HistoryObservation.none) { $0.formUnion($1.observes) }
    }

    /// What a conjunction of `properties` singles out: nothing beyond what any part does.
    public static func mentions(of properties: [ICProperty]) -> CanisterMentions {
        properties.reduce(CanisterMentions.symmetric) { combined, property in
            switch (combined, property.mentions) {
            case (.undeclared, _), (_, .undeclared): .undeclared
            case (.symmetric, let other), (let other, .symmetric): other
            case (.only(let some), .only(let others)): .only(some.union(others))
            }
        }
    }

    /// One property that holds where every one of `properties` holds. It observes, mentions
    /// and reads what its parts do (history, canisters, context removal, state reads, monitors), so a check of it records the same history and may use the same
    /// symmetry as a check of the parts.
    public static func conjunction(name: String, statement: String, of properties: [ICProperty]) -> ICProperty {
        ICProperty(
            name: name, statement: statement,
            callKinds: CallKind.allCases.filter { kind in properties.contains { $0.callKinds.contains(kind) } },
            observes: observations(of: properties), mentions: mentions(of: properties),
            observesContextRemoval: properties.contains { $0.observesContextRemoval },
            reads: properties.reduce(StateReads.canisters(fields: [])) { $0.union($1.reads) },
            monitors: properties.reduce(into: [:]) { $0.merge($1.monitors) { first, _ in first } }
        ) { view in
            properties.allSatisfy { $0.holds(view) }
        }
    }
}
