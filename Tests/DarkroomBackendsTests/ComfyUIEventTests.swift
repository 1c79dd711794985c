import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct ComfyUIEventTests {
    @Test("progress carries value and max")
    func progress() {
        let text = #"{"type": "progress", "data": {"value": 3, "max": 8, "prompt_id": "p1", "node": "9"}}"#
        #expect(ComfyUIEvent(text: text) == ComfyUIEvent(promptID: "p1", kind: .progress(value: 3, max: 8)))
    }

    @Test("progress_state stands for the running node with the most steps")
    func progressState() {
        let text = #"""
            {"type": "progress_state", "data": {"prompt_id": "p1", "nodes": {
              "1": {"value": 1, "max": 1, "state": "finished", "node_id": "1", "prompt_id": "p1"},
              "4": {"value": 30, "max": 30, "state": "finished", "node_id": "4", "prompt_id": "p1"},
              "9": {"value": 5, "max": 8, "state": "running", "node_id": "9", "prompt_id": "p1"},
              "10": {"value": 0, "max": 1, "state": "running", "node_id": "10", "prompt_id": "p1"}}}}
            """#
        #expect(ComfyUIEvent(text: text) == ComfyUIEvent(promptID: "p1", kind: .progress(value: 5, max: 8)))
    }

    @Test("progress_state before sampling (loaders done, sampler at 0 of 1) is no progress")
    func progressStateBeforeSampling() {
        let text = #"""
            {"type": "progress_state", "data": {"prompt_id": "p1", "nodes": {
              "1": {"value": 1, "max": 1, "state": "finished", "node_id": "1", "prompt_id": "p1"},
              "9": {"value": 0, "max": 1, "state": "running", "node_id": "9", "prompt_id": "p1"}}}}
            """#
        #expect(ComfyUIEvent(text: text) == nil)
        let empty = #"{"type": "progress_state", "data": {"prompt_id": "p1", "nodes": {}}}"#
        #expect(ComfyUIEvent(text: empty) == nil)
    }

    @Test("executing with a null node, and execution_success, mean finished")
    func finished() {
        let executingNull = #"{"type": "executing", "data": {"node": null, "display_node": null, "prompt_id": "p1"}}"#
        #expect(ComfyUIEvent(text: executingNull) == ComfyUIEvent(promptID: "p1", kind: .finished))
        let success = #"{"type": "execution_success", "data": {"prompt_id": "p1", "timestamp": 1700000000000}}"#
        #expect(ComfyUIEvent(text: success) == ComfyUIEvent(promptID: "p1", kind: .finished))
        let executingNode = #"{"type": "executing", "data": {"node": "9", "display_node": "9", "prompt_id": "p1"}}"#
        #expect(ComfyUIEvent(text: executingNode) == nil)
    }

    @Test("execution_error is outOfMemory for a CUDA OOM, else the trimmed message")
    func executionError() {
        let oom = #"""
            {"type": "execution_error", "data": {"prompt_id": "p1", "node_id": "9", "node_type": "KSampler",
             "exception_message": "Allocation on device \nThis error means you ran out of memory on your GPU.\n",
             "exception_type": "torch.OutOfMemoryError", "traceback": ["..."], "executed": []}}
            """#
        #expect(ComfyUIEvent(text: oom) == ComfyUIEvent(promptID: "p1", kind: .failed(.outOfMemory)))
        let other = #"""
            {"type": "execution_error", "data": {"prompt_id": "p1", "node_id": "3", "node_type": "VAELoader",
             "exception_message": "  Error while deserializing header: HeaderTooLarge\n",
             "exception_type": "safetensors_rust.SafetensorError"}}
            """#
        #expect(
            ComfyUIEvent(text: other)
                == ComfyUIEvent(
                    promptID: "p1", kind: .failed(.executionFailed("Error while deserializing header: HeaderTooLarge")))
        )
        let bare = #"{"type": "execution_error", "data": {"prompt_id": "p1", "node_type": "KSampler"}}"#
        #expect(
            ComfyUIEvent(text: bare) == ComfyUIEvent(promptID: "p1", kind: .failed(.executionFailed("KSampler failed")))
        )
    }

    @Test(
        "execution_error naming CUDA in its type or message is a GPU fault with the trimmed message",
        arguments: [
            ("RuntimeError", "CUDA error: an illegal memory access was encountered\n"),
            ("RuntimeError", "cuda runtime error (719) : unspecified launch failure"),
            ("RuntimeError", "CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasGemmEx`"),
            ("RuntimeError", "cuDNN error: CUDNN_STATUS_INTERNAL_ERROR"),
            ("torch.AcceleratorError", "CUDA error: unspecified launch failure"),
        ])
    func gpuFault(type: String, message: String) {
        let data: BackendJSON = .object([
            "prompt_id": .string("p1"), "node_type": .string("KSampler"), "exception_type": .string(type),
            "exception_message": .string(message),
        ])
        let expected = message.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(ComfyUIExecutionError.backendError(from: data) == .gpuFault(expected))
    }

    @Test("an AcceleratorError without a message is a GPU fault named by node and type")
    func acceleratorErrorWithoutMessage() {
        let data: BackendJSON = .object([
            "node_type": .string("KSampler"), "exception_type": .string("torch.AcceleratorError"),
        ])
        #expect(
            ComfyUIExecutionError.backendError(from: data) == .gpuFault("KSampler failed with torch.AcceleratorError"))
    }

    @Test("execution_interrupted is its own kind (the run loop throws BackendError.interrupted)")
    func interrupted() {
        let text =
            #"{"type": "execution_interrupted", "data": {"prompt_id": "p1", "node_id": "9", "node_type": "KSampler"}}"#
        #expect(ComfyUIEvent(text: text) == ComfyUIEvent(promptID: "p1", kind: .interrupted))
    }

    @Test("executed names the output node and the images it wrote")
    func executed() {
        let text = #"""
            {"type": "executed", "data": {"node": "11", "display_node": "11", "prompt_id": "p1",
             "output": {"images": [{"filename": "darkroom/p1_00001_.png", "subfolder": "", "type": "output"},
                                   {"filename": "", "type": "output"}]}}}
            """#
        #expect(
            ComfyUIEvent(text: text)
                == ComfyUIEvent(
                    promptID: "p1",
                    kind: .executed(
                        node: "11",
                        images: [.init(filename: "darkroom/p1_00001_.png", subfolder: "", type: "output")])))
    }

    @Test(
        "status, unknown types, events without a prompt id and non-JSON are ignored",
        arguments: [
            #"{"type": "status", "data": {"status": {"exec_info": {"queue_remaining": 1}}, "sid": "abc"}}"#,
            #"{"type": "execution_start", "data": {"prompt_id": "p1"}}"#,
            #"{"type": "execution_cached", "data": {"nodes": [], "prompt_id": "p1"}}"#,
            #"{"type": "executed", "data": {"output": {"images": []}, "prompt_id": "p1"}}"#,
            #"{"type": "feature_flags", "data": {"supports_preview_metadata": true}}"#,
            #"{"type": "progress", "data": {"value": 1, "max": 8}}"#,
            #"{"type": "progress", "data": {"prompt_id": "p1"}}"#,
            #"{"type": "crystools.monitor", "data": {"cpu_utilization": 3}}"#,
            #"{"data": {"prompt_id": "p1"}}"#,
            "\u{0}\u{0}\u{0}\u{1}\u{0}\u{0}\u{0}\u{2}\u{89}PNG",
            "not json",
        ])
    func ignored(text: String) {
        #expect(ComfyUIEvent(text: text) == nil)
    }
}
