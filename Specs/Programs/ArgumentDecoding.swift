import ICCore

extension IncomingCall {
    /// The integer argument at `index` of a call whose arguments are an integer list, or a trap
    /// (a malformed call) if it is missing.
    func argument(_ index: Int) throws -> Int {
        let arguments = try self.arguments(as: [Int].self)
        guard arguments.indices.contains(index) else { throw CanisterTrap("\(method): missing argument \(index)") }
        return arguments[index]
    }
}
