import DarkroomBench
import Testing

@Suite struct MeasurementWindowTests {
    @Test("the planned window is the last part of the run, or the whole run")
    func planned() {
        #expect(
            MeasurementWindow.planned(duration: .seconds(120), measureLast: .seconds(90))
                == MeasurementWindow(start: .seconds(30), end: .seconds(120)))
        #expect(
            MeasurementWindow.planned(duration: .seconds(10), measureLast: .seconds(90))
                == MeasurementWindow(start: .zero, end: .seconds(10)))
    }

    @Test("a transaction counts where it ends, both bounds included")
    func contains() {
        let window = MeasurementWindow(start: .seconds(30), end: .seconds(120))
        #expect(!window.contains(.milliseconds(29_999)))
        #expect(window.contains(.seconds(30)))
        #expect(window.contains(.seconds(120)))
        #expect(!window.contains(.milliseconds(120_001)))
        #expect(window.length == .seconds(90))
    }

    @Test("an early stop cuts the window; a stop before it opens measures the whole run")
    func stopped() {
        let window = MeasurementWindow(start: .seconds(30), end: .seconds(120))
        #expect(window.stopped(at: .seconds(60)) == MeasurementWindow(start: .seconds(30), end: .seconds(60)))
        #expect(window.stopped(at: .seconds(20)) == MeasurementWindow(start: .zero, end: .seconds(20)))
        #expect(window.stopped(at: .seconds(121)) == window)
    }
}
