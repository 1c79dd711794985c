/// Python's default recursion limit (`sys.getrecursionlimit()`), which the real servers' recursive code
/// (`json.loads`, ComfyUI's `validate_inputs`) runs into on hostile input.
///
/// The simulator stops at the same depth, so a deeply nested body or graph gets upstream's error answer
/// instead of overflowing the simulator's stack.
package enum PythonRecursion {
    /// How deep a nesting or a chain of calls may go before Python raises `RecursionError`.
    package static let limit = 1000
}
