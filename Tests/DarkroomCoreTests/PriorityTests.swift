import DarkroomCore
import Testing

@Suite struct PriorityTests {
    @Test("an absent priority becomes 5 and values within 0…9 are kept", arguments: [
        (Int?.none, 5), (0, 0), (5, 5), (9, 9),
    ])
    func accepted(value: Int?, expected: Int) throws {
        #expect(try Priority.validated(value) == expected)
    }

    @Test("a priority outside 0…9 is refused with invalid_priority", arguments: [-1, 10, Int.min, Int.max])
    func refused(value: Int) {
        let error = #expect(throws: ValidationError.self) { try Priority.validated(value) }
        #expect(error == .invalidPriority(value))
        #expect(error?.code == "invalid_priority")
        #expect(error?.field == "priority")
    }
}
