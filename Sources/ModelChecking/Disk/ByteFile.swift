import Foundation

/// A file of raw bytes for the disk-backed search: buffered appends, positional reads.
///
/// Owned by one search and used from its coordinating thread only.
@usableFromInline
final class ByteFile: @unchecked Sendable {
    @usableFromInline let path: String
    @usableFromInline let descriptor: Int32
    /// Bytes written to the file (not counting the buffer).
    @usableFromInline private(set) var written = 0
    @usableFromInline var buffer: [UInt8] = []
    @usableFromInline static var bufferSize: Int { 1 << 18 }

    /// Creates (truncating) the file at `path`; `nil` if it cannot be created.
    @usableFromInline init?(creating path: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return nil }
        self.path = path
        descriptor = fd
        buffer.reserveCapacity(Self.bufferSize)
    }

    /// Opens an existing file for reading; `nil` if it cannot be opened.
    @usableFromInline init?(reading path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        self.path = path
        descriptor = fd
        var info = stat()
        written = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    }

    deinit { close(descriptor) }

    /// Bytes in the file including the buffered ones.
    @usableFromInline var size: Int { written + buffer.count }

    @inlinable
    func append(_ bytes: UnsafeRawBufferPointer) {
        if buffer.count + bytes.count > Self.bufferSize { flush() }
        if bytes.count > Self.bufferSize {
            writeFully(bytes, at: written)
            written += bytes.count
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    @inlinable
    func append<Value>(value: Value) {
        withUnsafeBytes(of: value) { append($0) }
    }

    /// Writes the buffer out.
    @usableFromInline
    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { writeFully($0, at: written) }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
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
        buffer.removeAll(keepingCapacity: true)
        _ = ftruncate(descriptor, 0)
        written = 0
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
        target.removeAll(keepingCapacity: true)
        guard !range.isEmpty else { return }
        target.reserveCapacity(range.count)
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
