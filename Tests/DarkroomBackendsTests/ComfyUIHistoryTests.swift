import DarkroomWire
import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct ComfyUIHistoryTests {
    func outcome(_ body: String, promptID: String = "p1") throws -> ComfyUIHistory.Outcome {
        try ComfyUIHistory.outcome(from: Data(body.utf8), promptID: promptID)
    }

    @Test("an empty history, or another prompt's, is pending")
    func pending() throws {
        #expect(try outcome("{}") == .pending)
        #expect(try outcome(#"{"other": {"outputs": {}, "status": {"status_str": "success"}}}"#) == .pending)
    }

    @Test("success lists each output node's images")
    func success() throws {
        let body = #"""
            {"p1": {"prompt": [1, "p1", {}, {}, ["11"]],
                    "outputs": {"11": {"images": [
                                  {"filename": "p1_00001_.png", "subfolder": "darkroom", "type": "output"},
                                  {"filename": "p1_00002_.png", "subfolder": "darkroom", "type": "output"}]},
                                "12": {"images": [{"filename": "prev.png", "type": "temp"}]},
                                "13": {"text": ["not an image"]}},
                    "status": {"status_str": "success", "completed": true, "messages": []}, "meta": {}}}
            """#
        let result = try outcome(body)
        guard case .succeeded(let outputs) = result else {
            Issue.record("expected success, got \(result)")
            return
        }
        let images = ComfyUIHistory.images(in: outputs, nodeIDs: ["11"])
        #expect(images.map(\.filename) == ["p1_00001_.png", "p1_00002_.png"])
        #expect(images.allSatisfy { $0.subfolder == "darkroom" && $0.type == "output" })
        #expect(outputs["12"] == [ComfyUIHistory.ImageReference(filename: "prev.png", subfolder: "", type: "temp")])
        #expect(outputs["13"] == [])
    }

    @Test("an entry without a status (old builds) counts as success")
    func noStatus() throws {
        #expect(try outcome(#"{"p1": {"outputs": {}}}"#) == .succeeded(outputs: [:]))
    }

    @Test("an error takes its cause from the status messages")
    func failures() throws {
        let oom = #"""
            {"p1": {"outputs": {}, "status": {"status_str": "error", "completed": false, "messages": [
              ["execution_start", {"prompt_id": "p1"}],
              ["execution_error", {"prompt_id": "p1", "exception_type": "torch.OutOfMemoryError",
                                   "exception_message": "Allocation on device"}]]}}}
            """#
        #expect(try outcome(oom) == .failed(.outOfMemory))
        let failed = #"""
            {"p1": {"status": {"status_str": "error", "messages": [
              ["execution_error", {"exception_type": "RuntimeError", "exception_message": "mat1 and mat2 shapes\n"}]]}}}
            """#
        #expect(try outcome(failed) == .failed(.executionFailed("mat1 and mat2 shapes")))
        let interrupted = #"""
            {"p1": {"status": {"status_str": "error", "messages": [["execution_interrupted", {"prompt_id": "p1"}]]}}}
            """#
        #expect(try outcome(interrupted) == .failed(.interrupted))
        let cuda = #"""
            {"p1": {"status": {"status_str": "error", "messages": [
              ["execution_error", {"exception_type": "RuntimeError",
                                   "exception_message": "CUDA error: an illegal memory access was encountered\n"}]]}}}
            """#
        #expect(try outcome(cuda) == .failed(.gpuFault("CUDA error: an illegal memory access was encountered")))
        let silent = #"{"p1": {"status": {"status_str": "error", "messages": "garbage"}}}"#
        #expect(try outcome(silent) == .failed(.executionFailed("the prompt failed without an error message")))
    }

    @Test("a body that is not a JSON object is a bad response")
    func notJSON() {
        #expect(throws: BackendError.badResponse("the /history answer is not a JSON object")) {
            try outcome("<html>")
        }
    }

    @Test("system_stats: used is total minus free of the first device")
    func systemStats() throws {
        let stats = try BackendTestFixtures.json(
            #"""
            {"system": {"os": "posix"}, "devices": [{"name": "cuda:0", "type": "cuda", "index": 0,
              "vram_total": 25769803776, "vram_free": 5769803776}, {"vram_total": 1, "vram_free": 1}]}
            """#)
        #expect(ComfyUIBackend.gpuMemory(stats) == GPUMemory(usedBytes: 20_000_000_000, totalBytes: 25_769_803_776))
        #expect(ComfyUIBackend.gpuMemory(try BackendTestFixtures.json(#"{"devices": []}"#)) == nil)
    }
}
