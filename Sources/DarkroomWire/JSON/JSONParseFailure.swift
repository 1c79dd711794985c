/// Why ``JSONParser`` refused a document: the exception Python's `json.loads` would raise.
package enum JSONParseFailure: Error, Sendable, Equatable {
    /// Not JSON: `json.JSONDecodeError`.
    case malformed(JSONDecodeError)
    /// Arrays and objects nested deeper than ``PythonRecursion/limit``: `RecursionError`, which FastAPI and
    /// aiohttp handlers do not treat as a decode error.
    case nestedTooDeeply
}
