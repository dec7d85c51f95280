import ModelChecking

/// IC-Ring(N, K, W), the inter-canister messaging benchmark of `shared/bench/ic-ring.md`
/// (and `ICRing.tla`): canister `i` calls `(i + 1) mod N` with call ids `1 … K`, at most `W`
/// open at once; odd ids are guaranteed-response calls, even ids best-effort.
///
/// The state is packed (`ICRingState`), so `N ≤ 4` and `K ≤ 4`. Successors are enumerated
/// per canister in the spec's action order (Call, Reply, Reject, DropRequest, Deliver,
/// DropResponse, Timeout), responses and timeouts by ascending id.
public struct ICRing: TransitionSystem {
    public typealias State = ICRingState
    public typealias Action = ICRingAction

    /// Number of canisters.
    public let n: Int
    /// Calls per canister.
    public let k: Int
    /// Backpressure window: open calls per canister.
    public let w: Int
    /// Cycles a Reject refunds: 2 in the spec. 1 is a deliberate fault (for demonstrating
    /// counterexamples): it breaks cycle conservation.
    public let rejectRefund: Int

    /// Largest supported `N`.
    public static let maxCanisters = 4
    /// Largest supported `K`.
    public static let maxCalls = CanisterWord.maxCalls

    /// Throws `BenchmarkParameterError` for parameters the packed state cannot represent.
    public init(n: Int, k: Int, w: Int, rejectRefund: Int = 2) throws {
        guard (1...Self.maxCanisters).contains(n) else {
            throw BenchmarkParameterError("IC-Ring: N must be between 1 and \(Self.maxCanisters), got \(n)")
        }
        guard (1...Self.maxCalls).contains(k) else {
            throw BenchmarkParameterError("IC-Ring: K must be between 1 and \(Self.maxCalls), got \(k)")
        }
        guard w >= 1 else {
            throw BenchmarkParameterError("IC-Ring: W must be at least 1, got \(w)")
        }
        // A larger refund would create cycles and could overflow the packed balance and `lost`.
        guard (1...2).contains(rejectRefund) else {
            throw BenchmarkParameterError("IC-Ring: the Reject refund must be 1 or 2, got \(rejectRefund)")
        }
        self.n = n
        self.k = k
        self.w = w
        self.rejectRefund = rejectRefund
    }

    public var name: String {
        let base = "ic-ring(\(n),\(k),\(w))"
        return rejectRefund == 2 ? base : base + "[reject-refund=\(rejectRefund)]"
    }

    public var initialStates: [ICRingState] {
        let word = UInt32(1) | (UInt32(2 * k) &<< CanisterWord.balanceShift)
        var state = ICRingState(lo: 0, hi: 0)
        for i in 0..<n { state.setWord(i, word) }
        return [state]
    }

    @inlinable
    public func forEachSuccessor(of state: ICRingState, _ body: (ICRingAction, ICRingState) -> Void) {
        let n = self.n
        let k = UInt32(self.k)
        let w = self.w
        let rejectRefund = UInt32(self.rejectRefund)
        let balanceUnit = UInt32(1) &<< CanisterWord.balanceShift
        for i in 0..<n {
            let canister = UInt8(truncatingIfNeeded: i)
            let word = state.word(i)
            let inLow = i < 2
            let shift = UInt64((i & 1) &* 30)
            /// `state` with canister i's word replaced by `updated` (an xor into one word).
            @inline(__always) func with(_ updated: UInt32) -> ICRingState {
                let delta = UInt64(word ^ updated) &<< shift
                return inLow ? ICRingState(lo: state.lo ^ delta, hi: state.hi) : ICRingState(lo: state.lo, hi: state.hi ^ delta)
            }
            let next = CanisterWord.next(word)
            let length = CanisterWord.length(word)
            let resps = CanisterWord.resps(word)
            let waiting = CanisterWord.waiting(word)

            // 1. Call(i): append id `next` (stored as next − 1) at slot `length`.
            if next <= k && waiting.nonzeroBitCount < w {
                var updated = word &+ 1  // next += 1
                updated &+= UInt32(1) &<< CanisterWord.lengthShift  // length += 1
                updated |= (next &- 1) &<< (CanisterWord.slotsShift &+ 2 &* length)
                updated |= UInt32(1) &<< (CanisterWord.waitingShift &+ next &- 1)
                updated &-= 2 &* balanceUnit
                body(.call(canister: canister), with(updated))
            }

            if length != 0 {
                let slots = CanisterWord.slots(word)
                let id = (slots & 3) &+ 1
                let popped = (word & ~(CanisterWord.queueMask &<< CanisterWord.lengthShift))
                    | ((length &- 1) &<< CanisterWord.lengthShift)
                    | ((slots &>> 2) &<< CanisterWord.slotsShift)
                let respShift = CanisterWord.respsShift &+ 2 &* (id &- 1)

                // 2. Reply(i): the callee j keeps 1 cycle, the caller gets (id, 1).
                var replied = with(popped | (UInt32(1) &<< respShift))
                let j = i &+ 1 == n ? 0 : i &+ 1
                replied.setWord(j, replied.word(j) &+ balanceUnit)
                body(.reply(canister: canister), replied)

                // 3. Reject(i): (id, full refund).
                body(.reject(canister: canister), with(popped | (rejectRefund &<< respShift)))

                // 4. DropRequest(i): best-effort requests only.
                if id & 1 == 0 {
                    var dropped = with(popped)
                    dropped.lostCycles &+= 2
                    body(.dropRequest(canister: canister), dropped)
                }
            }

            // 5./6. Deliver(i, r) and DropResponse(i, r), by ascending id.
            var present = CanisterWord.responsePresence(resps)
            while present != 0 {
                let index = UInt32(present.trailingZeroBitCount)  // id − 1
                present &= present &- 1
                let id = index &+ 1
                let respShift = 2 &* index
                let refund = (resps &>> respShift) & 3
                let removed = word & ~(UInt32(3) &<< (CanisterWord.respsShift &+ respShift))
                let waitBit = UInt32(1) &<< (CanisterWord.waitingShift &+ index)
                var delivered: ICRingState
                if word & waitBit != 0 {
                    delivered = with((removed & ~waitBit) &+ refund &* balanceUnit)
                } else {
                    delivered = with(removed)
                    delivered.lostCycles &+= refund
                }
                body(.deliver(canister: canister, id: UInt8(id), refund: UInt8(refund)), delivered)

                if id & 1 == 0 {
                    var droppedResponse = with(removed)
                    droppedResponse.lostCycles &+= refund
                    body(.dropResponse(canister: canister, id: UInt8(id), refund: UInt8(refund)), droppedResponse)
                }
            }

            // 7. Timeout(i, id): best-effort calls only (even ids are bits 1 and 3).
            var timeouts = waiting & 0b1010
            while timeouts != 0 {
                let bit = UInt32(timeouts.trailingZeroBitCount)
                timeouts &= timeouts &- 1
                body(.timeout(canister: canister, id: UInt8(bit &+ 1)), with(word & ~(UInt32(1) &<< (CanisterWord.waitingShift &+ bit))))
            }
        }
    }

    public var properties: [Property<ICRingState>] {
        [
            .always("Conservation") { [n, k] state in Self.conserves(state, n: n, k: k) },
            .always("ReqOrder") { [n] state in Self.requestsAreOrdered(state, n: n) },
            .always("GuaranteedNotLate") { [n] state in Self.guaranteedResponsesAreOnTime(state, n: n) },
        ]
    }

    /// Cycle conservation: `Σ balance + 2·Σ len(reqs) + Σ refunds + lost = 2·K·N`.
    @inlinable
    public static func conserves(_ state: ICRingState, n: Int, k: Int) -> Bool {
        var total = Int(state.lostCycles)
        for i in 0..<n {
            let word = state.word(i)
            let resps = CanisterWord.resps(word)
            let refunds = (resps & 0x33) &+ ((resps &>> 2) & 0x33)
            total &+= Int(CanisterWord.balance(word))
                &+ 2 &* Int(CanisterWord.length(word))
                &+ Int((refunds & 0xF) &+ (refunds &>> 4))
        }
        return total == 2 * k * n
    }

    /// Request order: every `reqs[i]` is strictly increasing.
    @inlinable
    public static func requestsAreOrdered(_ state: ICRingState, n: Int) -> Bool {
        for i in 0..<n {
            let word = state.word(i)
            var slots = CanisterWord.slots(word)
            var remaining = CanisterWord.length(word)
            if remaining > 1 {
                var previous = slots & 3
                remaining &-= 1
                while remaining > 0 {
                    slots &>>= 2
                    let id = slots & 3
                    if id <= previous { return false }
                    previous = id
                    remaining &-= 1
                }
            }
        }
        return true
    }

    /// Guaranteed (odd-id) responses are never late: their id is still awaited.
    @inlinable
    public static func guaranteedResponsesAreOnTime(_ state: ICRingState, n: Int) -> Bool {
        for i in 0..<n {
            let word = state.word(i)
            let present = CanisterWord.responsePresence(CanisterWord.resps(word))
            if present & 0b0101 & ~CanisterWord.waiting(word) != 0 { return false }
        }
        return true
    }
}
