/// CRC-32 (ISO 3309, polynomial 0xEDB88320) as PNG chunks need it.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    static func checksum(_ bytes: some Sequence<UInt8>, startingWith crc: UInt32 = 0) -> UInt32 {
        // Contiguous bytes (Data, arrays) are read through a buffer: Data's iterator costs a call per byte.
        if let sum = bytes.withContiguousStorageIfAvailable({ update(~crc, with: $0) }) { return ~sum }
        return ~update(~crc, with: bytes)
    }

    private static func update(_ crc: UInt32, with bytes: some Sequence<UInt8>) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var value = crc
            for byte in bytes {
                value = table[Int((value ^ UInt32(byte)) & 0xFF)] ^ (value >> 8)
            }
            return value
        }
    }
}
