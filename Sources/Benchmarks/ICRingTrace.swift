/// A readable IC-Ring state for counterexamples: the spec's per-canister fields, unpacked.
public struct ICRingTraceState: Hashable, Sendable, Codable {
    /// A response in flight, `(id, refund)` in the spec.
    public struct Response: Hashable, Sendable, Codable {
        public let id: Int
        public let refund: Int
    }

    /// One canister's fields, named as in ic-ring.md.
    public struct Canister: Hashable, Sendable, Codable {
        public let next: Int
        /// FIFO of request ids in flight to the callee, head first.
        public let reqs: [Int]
        /// Responses in flight back to this canister, by ascending id.
        public let resps: [Response]
        /// Ids still awaiting a response, ascending.
        public let waiting: [Int]
        public let balance: Int
    }

    public let canisters: [Canister]
    public let lost: Int
}

extension ICRing {
    /// The readable form of a packed state.
    public func traceState(of state: ICRingState) -> ICRingTraceState {
        var canisters: [ICRingTraceState.Canister] = []
        for i in 0..<n {
            let word = state.word(i)
            var reqs: [Int] = []
            var queue = CanisterWord.reqs(word)
            while queue != 0 {
                reqs.append(Int(queue & 7))
                queue &>>= 3
            }
            var resps: [ICRingTraceState.Response] = []
            var waiting: [Int] = []
            let packedResps = CanisterWord.resps(word)
            let packedWaiting = CanisterWord.waiting(word)
            for id in 1...CanisterWord.maxCalls {
                let refund = Int((packedResps &>> UInt32(2 * (id - 1))) & 3)
                if refund != 0 { resps.append(.init(id: id, refund: refund)) }
                if packedWaiting & (1 << UInt32(id - 1)) != 0 { waiting.append(id) }
            }
            canisters.append(
                .init(
                    next: Int(CanisterWord.next(word)),
                    reqs: reqs,
                    resps: resps,
                    waiting: waiting,
                    balance: Int(CanisterWord.balance(word))
                )
            )
        }
        return ICRingTraceState(canisters: canisters, lost: state.lost)
    }
}
