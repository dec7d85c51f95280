/// Namespace for the ICProofs module: a symbolic (Z3) encoding of the IC inter-canister messaging
/// rules over unbounded state, inductive invariant proofs, and bounded model checking.
public enum ICProofs {}

/// Message-side phase of one call (one request/response pair), the value of `phase[c]`.
public enum Phase {
    /// Not issued yet (every call id starts here; ids are unbounded).
    public static let none = 0
    /// The request is in flight in its per-pair FIFO queue (carries `attached[c]` cycles).
    public static let requested = 1
    /// A call context is open at the callee and still needs to respond (holds `available[c]`).
    public static let executing = 2
    /// The response is in flight (carries `refund[c]` cycles).
    public static let responded = 3
    /// Nothing of this call is in flight any more (response consumed, or message dropped).
    public static let done = 4
    /// Printable names, indexed by value.
    public static let names = ["none", "requested", "executing", "responded", "done"]
}

/// Caller-side state of the callback of one call, the value of `callerState[c]`.
public enum CallerState {
    public static let none = 0
    /// The caller waits for a response.
    public static let waiting = 1
    /// Best-effort call expired: a SYS_UNKNOWN reject (refund 0) is on its way to the caller.
    public static let expired = 2
    /// The callee's (or a system) response was delivered to the callback.
    public static let done = 3
    /// The SYS_UNKNOWN reject was delivered to the callback.
    public static let doneUnknown = 4
    public static let names = ["none", "waiting", "expired", "done", "doneUnknown"]
}

/// Call kinds, the value of `kind[c]`.
public enum CallKindCode {
    public static let guaranteed = 0
    public static let bestEffort = 1
    public static let names = ["guaranteed", "bestEffort"]
}

/// Canister lifecycle status, the value of `status[p]`.
public enum StatusCode {
    public static let running = 0
    public static let stopping = 1
    public static let stopped = 2
    public static let names = ["running", "stopping", "stopped"]
}

/// Response codes recorded in `rejectCode[c]`: 0 is a reply, 1...6 the IC reject codes.
public enum ResponseCode {
    public static let reply = 0
    public static let sysFatal = 1
    public static let sysTransient = 2
    public static let destinationInvalid = 3
    public static let canisterReject = 4
    public static let canisterError = 5
    public static let sysUnknown = 6
}

/// What a call to the management canister asks for, the value of `method[c]`.
public enum MethodCode {
    /// A call to a canister, not to the management canister.
    public static let none = 0
    /// A method the management canister does not know, or an argument it cannot decode.
    public static let invalid = 1
    public static let depositCycles = 2
    public static let stopCanister = 3
    public static let startCanister = 4
    /// `install_code` in `upgrade` mode.
    public static let upgrade = 5
    /// `install_code` in `install` mode.
    public static let install = 6
    /// `install_code` in `reinstall` mode.
    public static let reinstall = 7
    public static let names = ["none", "invalid", "depositCycles", "stopCanister", "startCanister", "upgrade", "install", "reinstall"]
}
