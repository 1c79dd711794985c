import DarkroomCore
import DarkroomWire
import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct A1111ProgressTests {
    @Test("reads state.job_count, sampling_step and sampling_steps")
    func parses() throws {
        let body = #"""
            {"progress": 0.5, "eta_relative": 1.2, "state": {"skipped": false, "interrupted": false, "job": "",
             "job_count": 1, "job_timestamp": "0", "job_no": 0, "sampling_step": 4, "sampling_steps": 8},
             "current_image": null, "textinfo": null}
            """#
        let progress = try #require(A1111ProgressAnswer(Data(body.utf8)))
        #expect(progress == A1111ProgressAnswer(jobCount: 1, samplingStep: 4, samplingSteps: 8))
        #expect(progress.isRunning)
    }

    @Test("reads state.interrupted, false when missing")
    func interrupted() throws {
        let body = #"{"state": {"interrupted": true, "job_count": 0, "sampling_step": 3, "sampling_steps": 8}}"#
        #expect(A1111ProgressAnswer(Data(body.utf8))?.isInterrupted == true)
        #expect(A1111ProgressAnswer(Data(#"{"state": {"job_count": 1}}"#.utf8))?.isInterrupted == false)
        #expect(
            A1111ProgressAnswer(Data(#"{"state": {"job_count": 1, "interrupted": 1}}"#.utf8))?.isInterrupted == false)
    }

    @Test(
        "a 200 is interrupted only when the last poll saw interrupted and Darkroom did not cancel",
        arguments: [
            (nil, false, nil), (false, false, nil), (true, true, nil), (false, true, nil),
            (true, false, BackendError.interrupted),
        ] as [(Bool?, Bool, BackendError?)])
    func interruption(lastPollInterrupted: Bool?, isCancelled: Bool, expected: BackendError?) {
        let lastPoll = lastPollInterrupted.map {
            A1111ProgressAnswer(jobCount: 0, samplingStep: 0, samplingSteps: 0, isInterrupted: $0)
        }
        #expect(A1111ProgressAnswer.interruption(lastPoll: lastPoll, isCancelled: isCancelled) == expected)
    }

    @Test("an idle server is not running, garbage is not progress")
    func idle() throws {
        let idle = #"{"progress": 0, "state": {"job_count": 0, "sampling_step": 0, "sampling_steps": 0}}"#
        #expect(A1111ProgressAnswer(Data(idle.utf8))?.isRunning == false)
        #expect(A1111ProgressAnswer(Data("nope".utf8)) == nil)
        #expect(A1111ProgressAnswer(Data(#"{"state": {}}"#.utf8)) == nil)
    }

    @Test("steps are scaled to the job's steps and only increases are reported")
    func scaling() {
        var tracker = StepProgress(steps: 8)
        #expect(tracker.advance(value: 0, total: 20) == nil)
        #expect(tracker.advance(value: 5, total: 20) == JobProgress(step: 2, steps: 8))
        #expect(tracker.advance(value: 5, total: 20) == nil)
        #expect(tracker.advance(value: 1, total: 20) == nil)
        #expect(tracker.advance(value: 19, total: 20) == JobProgress(step: 7, steps: 8))
        #expect(tracker.advance(value: 40, total: 20) == JobProgress(step: 8, steps: 8))
        #expect(tracker.advance(value: 1, total: 0) == nil)
        #expect(tracker.advance(value: .nan, total: 8) == nil)
    }

    @Test("reported steps never decrease, whatever the server says", arguments: [3, 8, 50])
    func monotonic(steps: Int) {
        var tracker = StepProgress(steps: steps)
        var last = 0
        for value in [3, 1, 7, 7, 2, 9, 12, 0, 12, 11] {
            if let progress = tracker.advance(value: Double(value), total: 12) {
                #expect(progress.step > last)
                #expect(progress.step <= steps)
                last = progress.step
            }
        }
        #expect(last == steps)
    }

    @Test("memory: cuda.system used and total, none without a GPU")
    func memory() throws {
        let gpu = try BackendTestFixtures.json(
            #"{"ram": {"free": 1, "used": 2, "total": 3}, "cuda": {"system": {"free": 6, "used": 4, "total": 10}}}"#)
        #expect(A1111MemoryAnswer.gpuMemory(gpu) == GPUMemory(usedBytes: 4, totalBytes: 10))
        #expect(
            A1111MemoryAnswer.gpuMemory(try BackendTestFixtures.json(#"{"cuda": {"error": "unavailable"}}"#)) == nil)
        #expect(A1111MemoryAnswer.gpuMemory(try BackendTestFixtures.json(#"{"error": "unavailable"}"#)) == nil)
    }
}
