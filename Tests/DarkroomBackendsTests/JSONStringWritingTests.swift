import DarkroomWire
import Foundation
import Testing

/// JSON strings are written whole when nothing needs escaping (megabytes of base64), and escaped otherwise: the
/// word-at-a-time check must see every character that needs escaping wherever it sits.
@Suite struct JSONStringWritingTests {
    static let specials: [String] = ["\u{0}", "\u{1F}", "\n", "\"", "\\", "\u{7F}", "é", "😀", "\u{2028}"]

    @Test("a character needing escaping is escaped at every position of a long string", arguments: specials)
    func escapedAnywhere(special: String) throws {
        let plain = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIz"
        for position in 0...plain.count {
            var text = plain
            text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
            for style in [JSONStyle.compact, .pythonDefault] {
                let json = JSONValue.array([.string(text)]).serialized(style)
                let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
                #expect(decoded == [text], "\(special.debugDescription) at \(position), \(style)")
                if style == .pythonDefault {
                    #expect(json.utf8.allSatisfy { $0 < 0x7F }, "Python's json.dumps writes ASCII only")
                }
            }
        }
    }

    @Test("text with nothing to escape is written as it is")
    func plainTextUnchanged() {
        let base64 = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) }).base64EncodedString()
        #expect(JSONValue.string(base64).serialized(.compact) == "\"\(base64)\"")
        #expect(JSONValue.string("portrait, 85mm").serialized(.pythonDefault) == "\"portrait, 85mm\"")
        #expect(JSONValue.string("café").serialized(.compact) == "\"café\"")
    }
}
