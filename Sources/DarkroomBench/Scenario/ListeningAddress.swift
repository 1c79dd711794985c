/// Where a child `darkroom` server listens, read from its log.
enum ListeningAddress {
    /// The `address=` value of the first "Darkroom listening" line in `log` (`http://127.0.0.1:PORT`), if any.
    static func find(in log: String) -> String? {
        for line in log.split(separator: "\n") where line.contains("Darkroom listening") {
            guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }) else { continue }
            let address = field.dropFirst("address=".count)
            if !address.isEmpty { return String(address) }
        }
        return nil
    }
}
