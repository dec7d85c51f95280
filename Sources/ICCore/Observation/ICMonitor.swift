import ModelChecking

/// What one property remembers of the run so far: a small value that every step updates.
///
/// A property whose claim is about the past ("each reply carries a value no earlier reply
/// carried") needs some history, but rarely the whole ghost `CallHistory`. A monitor keeps just
/// that: a check carries the monitors of the properties it checks and nothing else, so two
/// situations that differ only in a past no checked property cares about are one state (TLA+'s
/// auxiliary variables; Stateright's actor-model history). Both the model and the reference
/// executor update the monitors after every step, each from its own states, so a replayed
/// counterexample is judged independently.
///
/// ```swift
/// /// The values the server has replied with so far.
/// struct RepliedValues: IdentityFreeMonitor {
///     let server: CanisterId
///     var values: [Int] = []
///     var repeated = false
///
///     mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView) {
///         for response in after.pendingResponses where !before.pendingResponses.contains(response) { … }
///     }
///     func fingerprint(into hasher: inout FingerprintHasher) { … }
/// }
/// let property = ICProperty(name: "no-lost-update", statement: "…", monitor: RepliedValues(server: 2)) { view, monitor in
///     !monitor.repeated
/// }
/// ```
///
/// A monitor must be a function of the run's steps as `ICView`s show them (never of how a
/// state is stored), and its `reads` declaration goes into the property's `reads`.
public protocol ICMonitor: Hashable, Sendable, Fingerprintable {
    /// Takes one step into account: `action` led from `before` to `after`.
    mutating func observe(_ action: ICAction, from before: any ICView, to after: any ICView)

    /// Whether `observe` could change the monitor on a step labelled `action` (the default:
    /// always). A search asks this on every step of every state; a monitor that answers `false`
    /// for the steps it ignores (most of them, typically) spares each such step a copy of the
    /// monitor, the `observe` call and a comparison. It must never answer `false` for a step
    /// that `observe` would change the monitor on.
    func mayChange(on action: ICAction) -> Bool
    /// Whether a step labelled `action` may change the monitor, whatever its value and state
    /// (the default: every step). What partial-order reduction treats as visible; see
    /// `PartialOrderMonitor`, which declares it.
    func isVisible(_ action: ICAction) -> Bool
    /// Whether `isVisible` is declared (the monitor is a `PartialOrderMonitor`). A static
    /// requirement, so the search asks the type, never casts the value.
    static var declaresVisibleSteps: Bool { get }
}

extension ICMonitor {
    @inlinable public func mayChange(on action: ICAction) -> Bool { true }
    @inlinable public func isVisible(_ action: ICAction) -> Bool { true }
    @inlinable public static var declaresVisibleSteps: Bool { false }
}

/// A monitor whose value names no canister, call or instant (it counts, or keeps payload
/// values): renaming canisters (symmetry), calls (canonical call ids) or shifting time
/// (relative time) leaves it as it is, so those reductions stay sound with it. Other monitors
/// switch them off.
public protocol IdentityFreeMonitor: ICMonitor {}

/// A monitor that partial-order reduction (`icmc check --por`) may keep. The reduction postpones
/// only *invisible* steps; with a monitor in the state a step is visible when it may change the
/// monitor (docs/architecture.md, "Partial-order reduction", "Monitors"). A conforming monitor
/// promises two things:
/// - `isVisible(_:)` names, from the step's label alone, every step that may change the monitor,
///   in any state and from any value (`mayChange(on:)` may also look at the value); the reduction
///   never postpones those;
/// - `observe` judges a visible step of one canister by what no invisible step of another
///   canister changes (the step's own effect and the parts of the state only its owner's steps
///   write), so an invisible step moved before it leaves the judgement as it is.
/// Monitors that do not conform keep a spec checked with `--por` unreduced.
public protocol PartialOrderMonitor: ICMonitor {
    /// Whether a step labelled `action` may change the monitor, whatever its value and state.
    func isVisible(_ action: ICAction) -> Bool
}

extension PartialOrderMonitor {
    @inlinable public static var declaresVisibleSteps: Bool { true }
}

/// A monitor value of any type: how states store the monitors of the checked properties.
public struct AnyICMonitor: Hashable, Sendable, Fingerprintable, CustomStringConvertible {
    /// The value with its fingerprint; immutable, shared by every state that has this value.
    @usableFromInline
    class Storage: @unchecked Sendable {  // immutable: only `let`s, here and in the subclass
        let fingerprint: UInt64
        /// The monitor's type: `MonitorStates.monitor(of:as:)` finds its entry by a comparison
        /// of this word instead of a virtual, generic `typedValue(as:)` per entry.
        @usableFromInline let monitorType: ObjectIdentifier
        init(fingerprint: UInt64, monitorType: ObjectIdentifier) {
            self.fingerprint = fingerprint
            self.monitorType = monitorType
        }
        var isIdentityFree: Bool { preconditionFailure("AnyICMonitor.Storage is abstract") }
        var declaresVisibleSteps: Bool { preconditionFailure("AnyICMonitor.Storage is abstract") }
        func isVisible(_ action: ICAction) -> Bool { preconditionFailure("AnyICMonitor.Storage is abstract") }
        func mayChange(on action: ICAction) -> Bool { preconditionFailure("AnyICMonitor.Storage is abstract") }
        func isEqual(to other: Storage) -> Bool { preconditionFailure("AnyICMonitor.Storage is abstract") }
        @usableFromInline func typedValue<Wanted>(as wanted: Wanted.Type) -> Wanted? {
            preconditionFailure("AnyICMonitor.Storage is abstract")
        }
        var description: String { preconditionFailure("AnyICMonitor.Storage is abstract") }
        /// The value after one more step, or `nil` if the step left it as it is (most steps: no
        /// reference to this storage is handed out and dropped again).
        func observing(_ action: ICAction, from before: any ICView, to after: any ICView) -> Storage? {
            preconditionFailure("AnyICMonitor.Storage is abstract")
        }
    }

    @usableFromInline
    final class TypedStorage<Monitor: ICMonitor>: Storage, @unchecked Sendable {
        @usableFromInline let typed: Monitor
        init(_ typed: Monitor) {
            self.typed = typed
            super.init(fingerprint: typed.fingerprint, monitorType: ObjectIdentifier(Monitor.self))
        }
        override var isIdentityFree: Bool { typed is any IdentityFreeMonitor }
        override var declaresVisibleSteps: Bool { Monitor.declaresVisibleSteps }
        override func isVisible(_ action: ICAction) -> Bool { typed.isVisible(action) }
        override func mayChange(on action: ICAction) -> Bool { typed.mayChange(on: action) }
        override var description: String { "\(typed)" }
        override func isEqual(to other: Storage) -> Bool { other.typedValue(as: Monitor.self) == typed }
        @usableFromInline override func typedValue<Wanted>(as wanted: Wanted.Type) -> Wanted? {
            Monitor.self == Wanted.self ? unsafeBitCast(typed, to: Wanted.self) : nil
        }
        override func observing(_ action: ICAction, from before: any ICView, to after: any ICView) -> Storage? {
            guard typed.mayChange(on: action) else { return nil }
            var next = typed
            next.observe(action, from: before, to: after)
            return next == typed ? nil : TypedStorage(next)
        }
    }

    @usableFromInline let storage: Storage

    public init<Monitor: ICMonitor>(_ monitor: Monitor) { storage = TypedStorage(monitor) }

    fileprivate init(storage: Storage) { self.storage = storage }

    /// Whether the monitor is a `PartialOrderMonitor`.
    public var declaresVisibleSteps: Bool { storage.declaresVisibleSteps }

    /// Whether a step labelled `action` may change the monitor (`PartialOrderMonitor.isVisible`;
    /// always for a monitor that does not declare its visible steps).
    public func isVisible(_ action: ICAction) -> Bool { storage.isVisible(action) }

    /// The value as its concrete type, or `nil` if it has another. Inlinable, as the lookups
    /// below: a property reads its monitor on every state.
    @inlinable
    public func `as`<Monitor: ICMonitor>(_ type: Monitor.Type) -> Monitor? { storage.typedValue(as: type) }

    /// Whether the monitor is an `IdentityFreeMonitor`.
    public var isIdentityFree: Bool { storage.isIdentityFree }

    /// The monitor after one more step.
    public func observing(_ action: ICAction, from before: any ICView, to after: any ICView) -> AnyICMonitor {
        storage.observing(action, from: before, to: after).map(AnyICMonitor.init(storage:)) ?? self
    }

    public static func == (lhs: AnyICMonitor, rhs: AnyICMonitor) -> Bool {
        lhs.storage === rhs.storage || (lhs.storage.fingerprint == rhs.storage.fingerprint && lhs.storage.isEqual(to: rhs.storage))
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fingerprint) }

    public func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(storage.fingerprint) }

    public var description: String { storage.description }
}

extension Array {
    /// Whether both arrays are views of the same buffer (so equal), without comparing elements.
    @inlinable @inline(__always)
    public func sharesBuffer(with other: [Element]) -> Bool {
        withUnsafeBufferPointer { mine in
            other.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress && mine.count == theirs.count }
        }
    }
}

/// The monitors a run carries, one per monitored property (by property name), in name order.
/// One array, empty when no checked property has a monitor: a state copies it with one
/// reference count, and without monitors with none that matters.
public struct MonitorStates: Hashable, Sendable, Fingerprintable, CustomStringConvertible {
    @usableFromInline
    struct Entry: Hashable, Sendable {
        @usableFromInline let name: String
        @usableFromInline var value: AnyICMonitor
    }

    @usableFromInline private(set) var entries: [Entry] = []

    public init() {}

    /// The initial monitors of `properties` (a conjunction contributes those of its parts).
    public init(properties: [ICProperty]) {
        var byName: [String: AnyICMonitor] = [:]
        for property in properties {
            for (name, monitor) in property.monitors where byName[name] == nil { byName[name] = monitor }
        }
        entries = byName.keys.sorted().map { Entry(name: $0, value: byName[$0]!) }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Whether both hold the same storage (then they are equal without a comparison): a state's
    /// box reused for a sibling state keeps its monitors when they are the parent's.
    @inlinable
    public func sharesStorage(with other: MonitorStates) -> Bool { entries.sharesBuffer(with: other.entries) }

    /// The monitored properties' names, in order.
    public var names: [String] { entries.map(\.name) }

    /// Whether every monitor is identity-free (see `IdentityFreeMonitor`).
    public var areIdentityFree: Bool { entries.allSatisfy(\.value.isIdentityFree) }

    /// The monitored properties whose monitor does not declare its visible steps
    /// (`PartialOrderMonitor`).
    public var undeclaredVisibleSteps: [String] { entries.filter { !$0.value.declaresVisibleSteps }.map(\.name) }

    /// Whether a step labelled `action` may change some monitor: a visible step for
    /// partial-order reduction.
    public func isVisible(_ action: ICAction) -> Bool { entries.contains { $0.value.isVisible(action) } }

    /// The monitor of the property `name` as its concrete type.
    @inlinable
    public func monitor<Monitor: ICMonitor>(of name: String, as type: Monitor.Type) -> Monitor? {
        // The type first (one word compared), the name only for a monitor of that type, and the
        // value read straight from its storage: comparing the name with every other monitor's
        // went through the string comparison's slow path, and asking each storage for its value
        // as `Monitor` was a virtual, unspecialised call per entry (together a third of a P1
        // property check).
        let wanted = ObjectIdentifier(type)
        for index in entries.indices where entries[index].value.storage.monitorType == wanted && entries[index].name == name {
            return unsafeDowncast(entries[index].value.storage, to: AnyICMonitor.TypedStorage<Monitor>.self).typed
        }
        return nil
    }

    /// Whether a step labelled `action` may change some monitor's current value
    /// (`ICMonitor.mayChange(on:)`): when none may, the step needs no view of its states.
    public func mayChange(on action: ICAction) -> Bool {
        for index in entries.indices {
            let may = Unmanaged.passUnretained(entries[index].value.storage)._withUnsafeGuaranteedRef { $0.mayChange(on: action) }
            if may { return true }
        }
        return false
    }

    /// Every monitor after one more step, or `nil` when none changed (most steps: then the
    /// successor shares the monitors' storage with its parent).
    public func observing(_ action: ICAction, from before: any ICView, to after: any ICView) -> MonitorStates? {
        var changed: [Entry]?
        for index in entries.indices {
            // Borrowed, not retained: `self` holds the storage for the whole call, and a retain
            // and release per monitor and step were a third of this function.
            let observed = Unmanaged.passUnretained(entries[index].value.storage)._withUnsafeGuaranteedRef {
                $0.observing(action, from: before, to: after)
            }
            guard let observed else { continue }
            if changed == nil { changed = entries }
            changed![index].value = AnyICMonitor(storage: observed)
        }
        guard let changed else { return nil }
        var next = self
        next.entries = changed
        return next
    }

    /// In place: `for entry in entries` copied each entry, a retain and a release of its name
    /// and its monitor, on every state's fingerprint.
    public func fingerprint(into hasher: inout FingerprintHasher) {
        entries.withUnsafeBufferPointer { entries in
            for index in entries.indices { hasher.combine(entries[index].value.storage.fingerprint) }
        }
    }

    public var description: String { entries.map { "\($0.name): \($0.value)" }.joined(separator: ", ") }
}

extension ICProperty {
    /// A property judged on the state and its own monitor: `monitor` is the value at the start
    /// of every run, and `holds` gets the monitor's value after the steps so far. The property
    /// observes no ghost history unless `observes` says so.
    ///
    /// Inlinable, so that the judging closure is specialised for `Monitor` where the property is
    /// made: it runs on every state, and unspecialised it handled the monitor through its
    /// metadata (about two thirds of a P1 property check).
    @inlinable
    public init<Monitor: ICMonitor>(
        name: String, statement: String, callKinds: [CallKind] = CallKind.allCases, observes: HistoryObservation = .none,
        mentions: CanisterMentions = .undeclared, observesContextRemoval: Bool = true, reads: StateReads = .everything,
        monitor: Monitor, holds: @escaping @Sendable (any ICView, Monitor) -> Bool
    ) {
        self.init(
            name: name, statement: statement, callKinds: callKinds, observes: observes, mentions: mentions,
            observesContextRemoval: observesContextRemoval, reads: reads, monitors: [name: AnyICMonitor(monitor)]
        ) { view in
            guard let value = view.monitors.monitor(of: name, as: Monitor.self) else {
                preconditionFailure("property \(name): its monitor is not kept by this state (a system built without it)")
            }
            return holds(view, value)
        }
    }
}
