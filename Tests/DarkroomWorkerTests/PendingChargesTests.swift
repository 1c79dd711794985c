import Testing

@testable import DarkroomWorker

/// Which summed fair-share charges a backend sends, and when.
@Suite struct PendingChargesTests {
    @Test("small charges are summed and sent once the sum reaches half a portrait; none is then left")
    func summedUntilDue() {
        var charges = PendingCharges()
        #expect(charges.add(0.2, for: "a") == nil)
        #expect(charges.add(0.2, for: "a") == nil)
        let sent = charges.add(0.2, for: "a")
        #expect(abs((sent ?? 0) - 0.6) < 1e-9)
        #expect(charges.pending(for: "a") == 0)
    }

    @Test("charges of opposite signs cancel out and are never sent")
    func noiseCancels() {
        var charges = PendingCharges()
        for _ in 0..<100 {
            #expect(charges.add(0.3, for: "a") == nil)
            #expect(charges.add(-0.3, for: "a") == nil)
        }
        #expect(abs(charges.pending(for: "a")) < 1e-9)
    }

    @Test("a charge of half a portrait or more either way is sent at once")
    func largeSentAtOnce() {
        var charges = PendingCharges()
        #expect(charges.add(1, for: "a") == 1)
        #expect(charges.add(-0.5, for: "b") == -0.5)
    }

    @Test("each tenant's charges are summed apart")
    func perTenant() {
        var charges = PendingCharges()
        #expect(charges.add(0.4, for: "a") == nil)
        #expect(charges.add(0.4, for: "b") == nil)
        #expect(charges.pending(for: "a") == 0.4)
        let sent = charges.add(0.1, for: "b")
        #expect(abs((sent ?? 0) - 0.5) < 1e-9)
        #expect(charges.pending(for: "a") == 0.4)
    }
}
