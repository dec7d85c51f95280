@testable import ModelChecking

/// A counter stepping up and down within 0...limit (or unbounded upward with `limit == nil`).
struct Counter: TransitionSystem {
    var limit: Int?
    var boundary: Int?
    var extraProperties: [Property<Int>] = []

    var name: String { "counter" }
    var initialStates: [Int] { [0] }

    func forEachSuccessor(of state: Int, _ body: (String, Int) -> Void) {
        if limit.map({ state < $0 }) ?? true { body("inc", state + 1) }
        if state > 0 { body("dec", state - 1) }
    }

    func isWithinBoundary(_ state: Int) -> Bool { boundary.map { state <= $0 } ?? true }

    var properties: [Property<Int>] { [.always("nonNegative") { $0 >= 0 }] + extraProperties }
}

/// A walk on a grid from (0, 0) moving right or up (and optionally left/down); the corner
/// (width-1, height-1) has no successors when only right/up moves exist.
struct Grid: TransitionSystem {
    struct State: Hashable, Sendable, Codable, Fingerprintable {
        var x: Int
        var y: Int
    }

    enum Move: String, Hashable, Sendable, Codable, CustomStringConvertible {
        case right, up, left, down
        var description: String { rawValue }
    }

    var width: Int
    var height: Int
    var allDirections = false
    var deadlocks = false
    var props: [Property<State>] = []

    var name: String { "grid(\(width)x\(height))" }
    var initialStates: [State] { [State(x: 0, y: 0)] }
    var reportsDeadlocks: Bool { deadlocks }
    var properties: [Property<State>] { props }

    func forEachSuccessor(of state: State, _ body: (Move, State) -> Void) {
        if state.x + 1 < width { body(.right, State(x: state.x + 1, y: state.y)) }
        if state.y + 1 < height { body(.up, State(x: state.x, y: state.y + 1)) }
        if allDirections {
            if state.x > 0 { body(.left, State(x: state.x - 1, y: state.y)) }
            if state.y > 0 { body(.down, State(x: state.x, y: state.y - 1)) }
        }
    }
}

/// The Die Hard water-jug puzzle: get 4 gallons using a 3- and a 5-gallon jug.
struct Jugs: TransitionSystem {
    struct State: Hashable, Sendable, Codable, Fingerprintable {
        var small: Int
        var big: Int
    }

    var name: String { "jugs" }
    var initialStates: [State] { [State(small: 0, big: 0)] }

    func forEachSuccessor(of s: State, _ body: (String, State) -> Void) {
        body("fillSmall", State(small: 3, big: s.big))
        body("fillBig", State(small: s.small, big: 5))
        body("emptySmall", State(small: 0, big: s.big))
        body("emptyBig", State(small: s.small, big: 0))
        let toBig = min(s.small, 5 - s.big)
        body("smallToBig", State(small: s.small - toBig, big: s.big + toBig))
        let toSmall = min(s.big, 3 - s.small)
        body("bigToSmall", State(small: s.small + toSmall, big: s.big - toSmall))
    }

    var properties: [Property<State>] {
        [
            .always("notFour") { $0.big != 4 },
            .sometimes("fourReachable") { $0.big == 4 },
            .sometimes("sevenInBig") { $0.big == 7 },
            .eventually("eventuallyFour") { $0.big == 4 },
        ]
    }
}

/// A deliberately broken token ring with many equal-length paths: N counters, each step
/// increments one counter mod M; the invariant wrongly claims the sum stays below a bound.
struct TokenCounters: TransitionSystem {
    var counters: Int
    var modulus: Int
    var bound: Int

    var name: String { "token-counters" }
    var initialStates: [[Int]] { [Array(repeating: 0, count: counters)] }

    func forEachSuccessor(of state: [Int], _ body: (String, [Int]) -> Void) {
        for index in state.indices {
            var next = state
            next[index] = (next[index] + 1) % modulus
            body("inc\(index)", next)
            if state[index] > 0 && index + 1 < state.count {
                var moved = state
                moved[index] -= 1
                moved[index + 1] = (moved[index + 1] + 1) % modulus
                body("pass\(index)", moved)
            }
        }
    }

    var properties: [Property<[Int]>] {
        let bound = bound
        return [.always("sumBelowBound") { $0.reduce(0, +) < bound }]
    }
}

/// Reference explorer for tests: a plain BFS with `Set<State>`, no fingerprints.
func referenceCounts<S: TransitionSystem>(_ system: S) -> (states: Int, transitions: Int, terminal: Int) {
    var seen = Set(system.initialStates)
    var frontier = Array(seen)
    var transitions = 0
    var terminal = 0
    while !frontier.isEmpty {
        var next: [S.State] = []
        for state in frontier where system.isWithinBoundary(state) {
            var count = 0
            system.forEachSuccessor(of: state) { _, successor in
                count += 1
                if seen.insert(successor).inserted { next.append(successor) }
            }
            transitions += count
            if count == 0 { terminal += 1 }
        }
        frontier = next
    }
    return (seen.count, transitions, terminal)
}

/// Flipping one of `bits` bits per step: 2^bits states, wide BFS levels (binomial), many
/// shortest paths to each state: a stress test for deterministic parallel search.
struct BitFlips: TransitionSystem {
    var bits: Int
    var name: String { "bit-flips(\(bits))" }
    var initialStates: [UInt32] { [0] }

    func forEachSuccessor(of state: UInt32, _ body: (Int, UInt32) -> Void) {
        for bit in 0..<bits { body(bit, state ^ (1 << UInt32(bit))) }
    }

    var properties: [Property<UInt32>] {
        let bits = bits
        return [
            .always("fewBitsSet") { $0.nonzeroBitCount < bits / 2 + 1 },
            .sometimes("allSet") { $0.nonzeroBitCount == bits },
        ]
    }
}
