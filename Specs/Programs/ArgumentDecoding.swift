import ICCore

/// Decoding of call kinds passed as ingress arguments (index into `CallKind.allCases`).
extension CallKind {
    /// The argument that selects this kind in the library's programs.
    public var argument: Int { CallKind.allCases.firstIndex(of: self)! }

    /// The kind an argument selects; traps on a bad argument.
    static func fromArgument(_ value: Int) throws -> CallKind {
        guard CallKind.allCases.indices.contains(value) else { throw CanisterTrap("bad call kind \(value)") }
        return CallKind.allCases[value]
    }
}

extension IncomingCall {
    /// The argument at `index`, or a trap (a malformed call) if it is missing.
    func argument(_ index: Int) throws -> Int {
        guard arguments.indices.contains(index) else { throw CanisterTrap("\(method): missing argument \(index)") }
        return arguments[index]
    }
}
