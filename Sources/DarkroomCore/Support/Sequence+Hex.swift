extension Sequence<UInt8> {
    /// The bytes as lowercase hexadecimal, two digits each (how Darkroom writes SHA-256 digests).
    public var lowercaseHex: String {
        map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
