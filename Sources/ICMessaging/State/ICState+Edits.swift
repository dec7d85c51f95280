import ModelChecking

/// Inserting into and removing from the sorted arrays (responses, contexts, callbacks) in one
/// pass over a spare box.
///
/// Why: a write to a component that the parent shares first copies it into a spare box
/// (`FingerprintCached.prepareWrite`, `ICState.copyElements`), and `insert(_:at:)` or
/// `remove(at:)` then shifted every later element again, through the array's generic
/// `replaceSubrange` (about 370 instructions per insert on P1 scale 2, with an outlined copy
/// and destroy per element). Here the spare takes the edited value directly: each element is
/// written once, and only where the spare's old element differs.
extension ICState {
    mutating func insertResponse(_ response: InFlightResponse, at index: Int) {
        let storage = uniqueStorage
        Self.insert(response, at: index, into: &storage.responses, spare: &storage.spareResponses)
    }

    mutating func insertContext(_ context: CallContext, at index: Int) {
        let storage = uniqueStorage
        Self.insert(context, at: index, into: &storage.contexts, spare: &storage.spareContexts)
    }

    mutating func insertCallback(_ callback: Callback, at index: Int) {
        let storage = uniqueStorage
        Self.insert(callback, at: index, into: &storage.callbacks, spare: &storage.spareCallbacks)
    }

    mutating func removeResponse(at index: Int) {
        let storage = uniqueStorage
        Self.remove(at: index, from: &storage.responses, spare: &storage.spareResponses)
    }

    mutating func removeContext(at index: Int) {
        let storage = uniqueStorage
        Self.remove(at: index, from: &storage.contexts, spare: &storage.spareContexts)
    }

    mutating func removeCallback(at index: Int) {
        let storage = uniqueStorage
        Self.remove(at: index, from: &storage.callbacks, spare: &storage.spareCallbacks)
    }

    /// The canisters reordered (a symmetry renaming): new index `i` gets the record at
    /// `oldIndex[i]`. Into the spare box in one pass when the box is shared; copying the records
    /// into the spare and then moving them cost two assignments per moved record.
    mutating func permuteCanisters(_ oldIndex: UnsafeBufferPointer<Int>) {
        let storage = uniqueStorage
        var done = false
        storage.canisters.prepareWrite(reusing: &storage.spareCanisters) { target, source in
            Self.copyElements(&target, source, count: source.count, inserted: nil) { oldIndex[$0] }
            done = true
        }
        guard !done else { return }
        let records = storage.canisters.value
        records.withUnsafeBufferPointer { old in
            storage.canisters.value.withUnsafeMutableBufferPointer { new in
                for index in new.indices where oldIndex[index] != index { new[index] = old[oldIndex[index]] }
            }
        }
    }

    /// `component.value.insert(element, at: index)`, into the spare when the box is shared.
    @inline(__always)
    static func insert<Element: Hashable & Sendable & Fingerprintable>(
        _ element: Element, at index: Int, into component: inout FingerprintCached<[Element]>,
        spare: inout FingerprintCached<[Element]>?
    ) {
        var done = false
        component.prepareWrite(reusing: &spare) { target, source in
            copyElements(&target, source, count: source.count + 1, inserted: element) { $0 < index ? $0 : $0 == index ? -1 : $0 - 1 }
            done = true
        }
        if !done { component.value.insert(element, at: index) }
    }

    /// `component.value.remove(at: index)`, into the spare when the box is shared.
    @inline(__always)
    static func remove<Element: Hashable & Sendable & Fingerprintable>(
        at index: Int, from component: inout FingerprintCached<[Element]>, spare: inout FingerprintCached<[Element]>?
    ) {
        var done = false
        component.prepareWrite(reusing: &spare) { target, source in
            copyElements(&target, source, count: source.count - 1, inserted: nil) { $0 < index ? $0 : $0 + 1 }
            done = true
        }
        if !done { component.value.remove(at: index) }
    }

    /// Makes `target` the `count` elements `source[sourceIndex(position)]`, or `inserted` where
    /// `sourceIndex` is negative (`copyElements(_:_:)` is the identity case): positions whose
    /// target holds the same bits already are left alone (no copy, no reference count).
    @inlinable @inline(__always)
    static func copyElements<Element>(
        _ target: inout [Element], _ source: [Element], count: Int, inserted: Element?, from sourceIndex: (Int) -> Int
    ) {
        while target.count > count { target.removeLast() }
        let common = target.count
        source.withUnsafeBufferPointer { source in
            if common > 0 {
                target.withUnsafeMutableBufferPointer { target in
                    for position in 0 ..< common {
                        let from = sourceIndex(position)
                        if from < 0 {
                            target[position] = inserted!
                        } else if !bitwiseEqual(target.baseAddress! + position, source.baseAddress! + from) {
                            target[position] = source[from]
                        }
                    }
                }
            }
            if count > common {
                target.reserveCapacity(count)
                for position in common ..< count {
                    let from = sourceIndex(position)
                    target.append(from < 0 ? inserted! : source[from])
                }
            }
        }
    }
}
