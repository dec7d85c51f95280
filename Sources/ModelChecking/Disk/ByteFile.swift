import Foundation

/// A file of raw bytes for the disk-backed search: buffered appends, positional reads.
///
/// Owned by one search and used from its coordinating thread only.
@usableFromInline
final class ByteFile: @unchecked Sendable {
    @usableFromInline let path: String
    @usableFromInline let descriptor: Int32
    /// The write buffer and counters, behind a pointer: appends run once per candidate state,
    /// and class properties would cost a dynamic exclusivity check per access.
    @usableFromInline
    struct Buffer {
        @usableFromInline var bytes: UnsafeMutableRawPointer
        @usableFromInline var count = 0
        /// Bytes written to the file (not counting the buffer).
        @usableFromInline var written = 0
        @usableFromInline init(bytes: UnsafeMutableRawPointer) { self.bytes = bytes }
    }
    @usableFromInline let state: UnsafeMutablePointer<Buffer>
    @inlinable static var bufferSize: Int { 1 << 18 }

    private init(path: String, descriptor: Int32, written: Int) {
        self.path = path
        self.descriptor = descriptor
        state = .allocate(capacity: 1)
        state.initialize(to: Buffer(bytes: .allocate(byteCount: Self.bufferSize, alignment: 16)))
        state.pointee.written = written
    }

    /// Creates (truncating) the file at `path`; `nil` if it cannot be created.
    @usableFromInline convenience init?(creating path: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return nil }
        self.init(path: path, descriptor: fd, written: 0)
    }

    /// Opens an existing file for reading; `nil` if it cannot be opened.
    @usableFromInline convenience init?(reading path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        var info = stat()
        self.init(path: path, descriptor: fd, written: fstat(fd, &info) == 0 ? Int(info.st_size) : 0)
    }

    deinit {
        close(descriptor)
        state.pointee.bytes.deallocate()
        state.deallocate()
    }

    /// Bytes in the file including the buffered ones.
    @inlinable var size: Int { state.pointee.written + state.pointee.count }

    @inlinable
    func append(_ bytes: UnsafeRawBufferPointer) {
        let state = self.state
        if state.pointee.count + bytes.count > Self.bufferSize { flush() }
        if bytes.count > Self.bufferSize {
            writeFully(bytes, at: state.pointee.written)
            state.pointee.written += bytes.count
        } else if bytes.count > 0 {
            (state.pointee.bytes + state.pointee.count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            state.pointee.count += bytes.count
        }
    }

    @inlinable
    func append<Value>(value: Value) {
        let state = self.state
        let size = MemoryLayout<Value>.size
        if state.pointee.count + size > Self.bufferSize { flush() }
        (state.pointee.bytes + state.pointee.count).storeBytes(of: value, as: Value.self)
        state.pointee.count += size
    }

    /// Writes the buffer out.
    @usableFromInline
    func flush() {
        let count = state.pointee.count
        guard count > 0 else { return }
        writeFully(UnsafeRawBufferPointer(start: state.pointee.bytes, count: count), at: state.pointee.written)
        state.pointee.written += count
        state.pointee.count = 0
    }

    @usableFromInline
    func writeFully(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            precondition(n > 0, "disk search: cannot write \(path): \(String(cString: strerror(errno)))")
            done += n
        }
    }

    /// Reads `count` bytes at `offset` (the buffer must have been flushed) into `target`;
    /// returns the number read (less only at the end of the file).
    @usableFromInline @discardableResult
    func read(into target: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        var done = 0
        while done < target.count {
            let n = pread(descriptor, target.baseAddress! + done, target.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            precondition(n >= 0, "disk search: cannot read \(path): \(String(cString: strerror(errno)))")
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Flushes and forces the bytes to the device.
    @usableFromInline
    func synchronize() {
        flush()
        _ = fsync(descriptor)
    }

    /// Empties the file.
    @usableFromInline
    func truncate() {
        state.pointee.count = 0
        state.pointee.written = 0
        _ = ftruncate(descriptor, 0)
    }

    @usableFromInline
    func remove() { unlink(path) }
}

/// Entries of one BFS level as raw bytes (`Entry` must be trivial: no references).
@usableFromInline
struct EntryFile<Entry> {
    @usableFromInline let file: ByteFile
    @usableFromInline var count = 0

    @inlinable init(_ file: ByteFile) { self.file = file }

    @inlinable
    mutating func append(_ entry: Entry) {
        file.append(value: entry)
        count += 1
    }

    /// Entries `range` into `target` (replacing its contents).
    @inlinable
    func read(_ range: Range<Int>, into target: inout [Entry]) {
        file.flush()
        let stride = MemoryLayout<Entry>.stride
        guard !range.isEmpty else {
            target.removeAll(keepingCapacity: true)
            return
        }
        // Entries are trivial, so filling uninitialised storage with their bytes is valid.
        target = [Entry](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            let read = file.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<range.count * stride]), at: range.lowerBound * stride)
            precondition(read == range.count * stride, "disk search: the queue file \(file.path) is short")
            initialized = range.count
        }
    }

    @inlinable
    func entry(at index: Int) -> Entry {
        var batch: [Entry] = []
        read(index..<index + 1, into: &batch)
        return batch[0]
    }

    @inlinable
    mutating func removeAll() {
        file.truncate()
        count = 0
    }
}
