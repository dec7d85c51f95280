import ICCore

/// Groups of interchangeable canisters: same program, initial state, balance, freezing
/// threshold, ingress pattern and controller permissions, so that swapping two members (and
/// renaming calls accordingly) maps runs to runs.
///
/// Checking the declaration against the configuration catches the usual mistakes; it cannot see
/// inside programs, so a program that treats members differently (e.g. a field naming one
/// member) is caught only by `SymmetryAudit` on a small instance, which the library's tests run
/// for every symmetric spec.
public struct SymmetryGroups: Hashable, Sendable {
    /// Disjoint groups of two or more canisters, each sorted.
    public let groups: [[CanisterId]]

    /// Why a declaration or a derivation cannot be used.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Checks `groups` against the configuration, the checked properties and the silent canisters.
    public init(
        validating groups: [[CanisterId]], configuration: SystemConfiguration, properties: [ICProperty],
        silent: Set<CanisterId> = []
    ) throws(Problem) {
        var seen = Set<CanisterId>()
        for group in groups {
            guard group.count >= 2 else { throw Problem("a symmetry group needs at least two canisters, got \(group)") }
            for member in group {
                guard configuration.canisters.indices.contains(member.index) else {
                    throw Problem("symmetry group \(group) names \(member), which the configuration does not have")
                }
                guard seen.insert(member).inserted else { throw Problem("\(member) is in more than one symmetry group") }
            }
            let first = group[0]
            for member in group.dropFirst() {
                if let difference = Self.difference(first, member, configuration, silent) {
                    throw Problem("\(first) and \(member) are not interchangeable: \(difference)")
                }
            }
            for property in properties where !property.mentions.allowsSwapping(Set(group)) {
                switch property.mentions {
                case .undeclared:
                    throw Problem("property \(property.name) does not declare which canisters it names (ICProperty.mentions), so it may tell \(group.map(\.description).joined(separator: ", ")) apart")
                default:
                    throw Problem("property \(property.name) names \(property.mentions), a single member of the symmetry group \(group.map(\.description).joined(separator: ", ")); swapping members would change its verdict")
                }
            }
        }
        self.groups = groups.map { $0.sorted() }
    }

    /// The largest groups the configuration allows: canisters alike in everything the
    /// configuration says, minus those a property singles out. Empty when a property does not
    /// declare what it names (then nothing may be swapped).
    public static func derived(configuration: SystemConfiguration, properties: [ICProperty], silent: Set<CanisterId> = []) -> SymmetryGroups {
        guard properties.allSatisfy({ $0.mentions != .undeclared }) else { return SymmetryGroups(unchecked: []) }
        var named = Set<CanisterId>()
        for property in properties { if case .only(let canisters) = property.mentions { named.formUnion(canisters) } }
        var groups: [[CanisterId]] = []
        for id in configuration.canisterIds where !named.contains(id) {
            if let index = groups.firstIndex(where: { difference($0[0], id, configuration, silent) == nil }) {
                groups[index].append(id)
            } else {
                groups.append([id])
            }
        }
        return SymmetryGroups(unchecked: groups.filter { $0.count >= 2 })
    }

    private init(unchecked groups: [[CanisterId]]) { self.groups = groups }

    public var isEmpty: Bool { groups.isEmpty }

    /// The group `canister` belongs to, if any.
    public func groupIndex(of canister: CanisterId) -> Int? { groups.firstIndex { $0.contains(canister) } }

    /// What tells `a` and `b` apart in the configuration, or `nil` if nothing does.
    static func difference(_ a: CanisterId, _ b: CanisterId, _ configuration: SystemConfiguration, _ silent: Set<CanisterId>) -> String? {
        // The management canister's queues are laid out per canister, outside what renamings move.
        if configuration.hasManagementCanister { return "the management canister is a call target (no symmetry then)" }
        let setupA = configuration.canisters[a.index], setupB = configuration.canisters[b.index]
        if setupA.program.name != setupB.program.name { return "programs \(setupA.program.name) and \(setupB.program.name)" }
        if setupA.program.initialState != setupB.program.initialState { return "different initial states" }
        if setupA.initialBalance != setupB.initialBalance { return "balances \(setupA.initialBalance) and \(setupB.initialBalance)" }
        if setupA.freezingThreshold != setupB.freezingThreshold { return "different freezing thresholds" }
        if setupA.maxSystemTasks != setupB.maxSystemTasks { return "different system-task bounds" }
        if setupA.instantStop != setupB.instantStop { return "only one stops instantly" }
        let pattern = { (id: CanisterId) in configuration.ingress.filter { $0.canister == id }.map { IngressMessage(to: 0, $0.method, arguments: $0.arguments) } }
        if pattern(a) != pattern(b) { return "different ingress messages" }
        let controller = configuration.controller
        for (name, set) in [("stop", controller.stop), ("start", controller.start), ("upgrade", controller.upgrade), ("uninstall", controller.uninstall),
                              ("install", controller.install), ("reinstall", controller.reinstall)]
        where set.contains(a) != set.contains(b) {
            return "only one may be \(name == "stop" ? "stopped" : name + "ed") by the controller"
        }
        if silent.contains(a) != silent.contains(b) { return "only one is silent" }
        return nil
    }

    /// The ingress slots of each canister, in slot order.
    static func slots(of configuration: SystemConfiguration) -> [[Int]] {
        var slots = Array(repeating: [Int](), count: configuration.canisters.count)
        for (slot, message) in configuration.ingress.enumerated() { slots[message.canister.index].append(slot) }
        return slots
    }
}
