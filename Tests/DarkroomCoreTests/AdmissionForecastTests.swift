import DarkroomCore
import Testing

@Suite struct AdmissionForecastTests {
    /// Two slots, both busy, 10 s per job: each job ahead adds 5 s of wait.
    static let busyPair = Capacity(slots: 2, busySlots: 2)

    @Test("the wait is the work ahead shared by the slots; the finish adds one service time")
    func forecast() {
        let forecast = AdmissionForecast(ahead: 3, capacity: Self.busyPair, meanServiceSeconds: 10)
        #expect(forecast.startSeconds == 20)
        #expect(forecast.finishSeconds == 30)
        let idle = AdmissionForecast(ahead: 0, capacity: Capacity(slots: 2, busySlots: 0), meanServiceSeconds: 10)
        #expect(idle.startSeconds == 0)
        #expect(idle.finishSeconds == 10)
    }

    @Test("a job that would finish after its deadline is refused with the seconds until it would fit")
    func deadlineRefusal() {
        let forecast = AdmissionForecast(ahead: 3, capacity: Self.busyPair, meanServiceSeconds: 10)
        #expect(forecast.refusal(deadlineSeconds: 30, maxQueueSeconds: 3_600) == nil)
        let late = forecast.refusal(deadlineSeconds: 24.5, maxQueueSeconds: 3_600)
        #expect(late == .deadlineUnmeetable(retryAfterSeconds: 6))
        // Shorter than one service time: no retry can make it.
        #expect(
            forecast.refusal(deadlineSeconds: 5, maxQueueSeconds: 3_600) == .deadlineUnmeetable(retryAfterSeconds: nil))
    }

    @Test("without a deadline only a wait past the server's limit is refused")
    func queueFull() {
        let forecast = AdmissionForecast(ahead: 3, capacity: Self.busyPair, meanServiceSeconds: 10)
        #expect(forecast.refusal(deadlineSeconds: nil, maxQueueSeconds: 20) == nil)
        #expect(forecast.refusal(deadlineSeconds: nil, maxQueueSeconds: 12) == .queueFull(retryAfterSeconds: 8))
        // A deadline that fits admits the job however long the wait.
        #expect(forecast.refusal(deadlineSeconds: 60, maxQueueSeconds: 12) == nil)
    }

    @Test("with no pace measured or no slots at all, a job is admitted")
    func noEvidenceAdmits() {
        let unknownPace = AdmissionForecast(ahead: 1_000, capacity: Self.busyPair, meanServiceSeconds: 0)
        #expect(unknownPace.refusal(deadlineSeconds: 1, maxQueueSeconds: 1) == nil)
        let scaledToZero = AdmissionForecast(
            ahead: 1_000, capacity: Capacity(slots: 0, busySlots: 0), meanServiceSeconds: 10)
        #expect(scaledToZero.startSeconds == 0)
        #expect(scaledToZero.refusal(deadlineSeconds: nil, maxQueueSeconds: 1) == nil)
    }

    @Test("while a queue stands, a job with a deadline waits at most the target; one without is not affected")
    func standingQueue() {
        let forecast = AdmissionForecast(ahead: 3, capacity: Self.busyPair, meanServiceSeconds: 10)
        #expect(forecast.refusal(deadlineSeconds: 60, maxQueueSeconds: 3_600, standingQueueSeconds: 20) == nil)
        #expect(
            forecast.refusal(deadlineSeconds: 60, maxQueueSeconds: 3_600, standingQueueSeconds: 15)
                == .queueFull(retryAfterSeconds: 5))
        #expect(forecast.refusal(deadlineSeconds: nil, maxQueueSeconds: 3_600, standingQueueSeconds: 15) == nil)
        #expect(
            forecast.refusal(deadlineSeconds: nil, maxQueueSeconds: 12, standingQueueSeconds: 15)
                == .queueFull(retryAfterSeconds: 8))
        // A deadline it cannot meet is still the reason given, and the retry waits for both limits to pass.
        #expect(
            forecast.refusal(deadlineSeconds: 24.5, maxQueueSeconds: 3_600, standingQueueSeconds: 15)
                == .deadlineUnmeetable(retryAfterSeconds: 6))
        #expect(
            forecast.refusal(deadlineSeconds: 24.5, maxQueueSeconds: 3_600, standingQueueSeconds: 5)
                == .deadlineUnmeetable(retryAfterSeconds: 15))
    }
}
