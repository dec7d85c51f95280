/// A readable IC-Ring state for counterexamples: the variables of ICRing.tla, each indexed by
/// canister, so a trace step shows exactly the variables it changed.
public struct ICRingTraceState: Hashable, Sendable, Codable {
    /// A response in flight, `<<id, refund>>` in the spec; encoded as the pair `[id, refund]`.
    public struct Response: Hashable, Sendable, Codable {
        public let id: Int
        public let refund: Int

        public init(id: Int, refund: Int) {
            self.id = id
            self.refund = refund
        }

        public init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            id = try container.decode(Int.self)
            refund = try container.decode(Int.self)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(id)
            try container.encode(refund)
        }
    }

    /// `next[i]`: id of the next call canister `i` will make.
    public let next: [Int]
    /// `reqs[i]`: FIFO of request ids in flight from `i` to its callee, head first.
    public let reqs: [[Int]]
    /// `resps[i]`: responses in flight back to `i`, by ascending id.
    public let resps: [[Response]]
    /// `waiting[i]`: ids `i` still awaits a response for, ascending.
    public let waiting: [[Int]]
    /// `balance[i]`: cycles held by `i`.
    public let balance: [Int]
    /// Cycles that left the system.
    public let lost: Int
}

extension ICRing {
    /// The readable form of a packed state.
    public func traceState(of state: ICRingState) -> ICRingTraceState {
        var next: [Int] = []
        var reqs: [[Int]] = []
        var resps: [[ICRingTraceState.Response]] = []
        var waiting: [[Int]] = []
        var balance: [Int] = []
        for i in 0..<n {
            let word = state.word(i)
            var queue: [Int] = []
            var slots = CanisterWord.slots(word)
            for _ in 0..<CanisterWord.length(word) {
                queue.append(Int(slots & 3) + 1)
                slots &>>= 2
            }
            var responses: [ICRingTraceState.Response] = []
            var awaited: [Int] = []
            let packedResps = CanisterWord.resps(word)
            let packedWaiting = CanisterWord.waiting(word)
            for id in 1...CanisterWord.maxCalls {
                let refund = Int((packedResps &>> UInt32(2 * (id - 1))) & 3)
                if refund != 0 { responses.append(.init(id: id, refund: refund)) }
                if packedWaiting & (1 << UInt32(id - 1)) != 0 { awaited.append(id) }
            }
            next.append(Int(CanisterWord.next(word)))
            reqs.append(queue)
            resps.append(responses)
            waiting.append(awaited)
            balance.append(Int(CanisterWord.balance(word)))
        }
        return ICRingTraceState(next: next, reqs: reqs, resps: resps, waiting: waiting, balance: balance, lost: state.lost)
    }
}
