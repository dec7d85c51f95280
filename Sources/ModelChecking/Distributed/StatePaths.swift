/// The paths of one BFS level's states: per state, the index of its initial state in
/// `TransitionSystem.initialStates`, then the index of each step's successor in
/// `forEachSuccessor` order, along the first-discovery tree (the tree of a sequential BFS).
/// All paths of a level have the same length, so they sit in one flat array.
///
/// A path is how a distributed search moves a state to another rank without a byte codec for
/// states (the receiver re-executes it, `PathReplayer`) and how it rebuilds a counterexample.
@usableFromInline
struct StatePaths {
    @usableFromInline var elements: [UInt32] = []
    /// Elements per path: the level's depth + 1.
    @usableFromInline let length: Int

    @inlinable
    init(length: Int) { self.length = length }

    @inlinable var count: Int { elements.count / length }

    @inlinable
    func path(_ index: Int) -> ArraySlice<UInt32> { elements[index * length..<(index + 1) * length] }

    /// Appends the path of `parent`'s successor number `successor` (`parents` is the previous level).
    @inlinable
    mutating func appendChild(of parent: Int, in parents: StatePaths, successor: UInt32) {
        elements += parents.path(parent)
        elements.append(successor)
    }

    /// Appends a path of this level's length.
    @inlinable
    mutating func append<Path: Collection<UInt32>>(_ path: Path) { elements += path }
}

/// Re-executes paths from the initial states, keeping the states along the last path so that
/// the next path, which usually shares most of its prefix (paths arrive in BFS order, which is
/// their lexicographic order), costs about one expansion.
@usableFromInline
struct PathReplayer<System: TransitionSystem> {
    @usableFromInline let system: System
    @usableFromInline let initialStates: [System.State]
    @usableFromInline var path: [UInt32] = []
    @usableFromInline var states: [System.State] = []

    @inlinable
    init(system: System, initialStates: [System.State]) {
        self.system = system
        self.initialStates = initialStates
    }

    /// The state at the end of `path`, with the action of each step if `actions` is set;
    /// `nil` if the path leaves the model (the model is not deterministic).
    @inlinable
    mutating func state<Path: Collection<UInt32>>(at newPath: Path) -> System.State? where Path.Index == Int {
        var shared = 0
        let start = newPath.startIndex
        while shared < min(path.count, newPath.count), path[shared] == newPath[start + shared] { shared += 1 }
        if shared == newPath.count, shared > 0 {
            path.removeLast(path.count - shared)
            states.removeLast(states.count - shared)
            return states.last
        }
        path.removeLast(path.count - shared)
        states.removeLast(states.count - shared)
        for position in shared..<newPath.count {
            let index = Int(newPath[start + position])
            if position == 0 {
                guard index < initialStates.count else { return nil }
                states.append(initialStates[index])
            } else {
                guard let next = Self.successor(index, of: states[position - 1], in: system) else { return nil }
                states.append(next.state)
            }
            path.append(newPath[start + position])
        }
        return states.last
    }

    /// Successor number `index` of `state`, with its action.
    @inlinable
    static func successor(_ index: Int, of state: System.State, in system: System) -> (action: System.Action, state: System.State)? {
        var position = 0
        var found: (action: System.Action, state: System.State)?
        system.forEachSuccessor(of: state) { action, successor in
            if position == index { found = (action, successor) }
            position += 1
        }
        return found
    }

    /// The trace along `path` (from its initial state), or `nil` if the path leaves the model.
    @inlinable
    static func trace<Path: Collection<UInt32>>(along path: Path, system: System, initialStates: [System.State]) -> Trace<System>? {
        guard let first = path.first, Int(first) < initialStates.count else { return nil }
        let initial = initialStates[Int(first)]
        var state = initial
        var steps: [Trace<System>.Step] = []
        for index in path.dropFirst() {
            guard let next = successor(Int(index), of: state, in: system) else { return nil }
            steps.append(Trace<System>.Step(action: next.action, state: next.state))
            state = next.state
        }
        return Trace(system: system, initialState: initial, steps: steps)
    }
}
