/// One frame of a streamed flow response: the joined `data:` or `error:` lines between two blank
/// lines.
///
/// Genkit servers send `data: {"message": …}` for each chunk, `data: {"result": …}` at the end,
/// and an error either as `data: {"error": …}` (Go, Python) or on an `error:` line (JS).
public struct FlowFrame: Sendable, Hashable {
  /// Which field the frame's payload came from.
  public enum Kind: Sendable, Hashable {
    /// `data:` lines (chunks, the result, or Go/Python errors).
    case data
    /// An `error:` line (JS servers report stream errors this way).
    case error
  }

  /// `.error` when the frame had an `error:` line, else `.data`.
  public var kind: Kind
  /// The payload bytes; several lines are joined with `\n`.
  public var payload: [UInt8]

  /// A frame of this kind with these payload bytes.
  public init(kind: Kind, payload: [UInt8]) {
    self.kind = kind
    self.payload = payload
  }

  /// A frame of this kind with this payload text.
  public init(kind: Kind, payload: String) {
    self.init(kind: kind, payload: Array(payload.utf8))
  }

  /// The payload decoded as UTF-8 (invalid sequences are repaired).
  public var text: String { String(decoding: payload, as: UTF8.self) }

  /// True when the payload is empty or only spaces, tabs and newlines (a keep-alive).
  public var isBlank: Bool {
    payload.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
  }
}

/// A frame (or an unterminated line) grew past the parser's limit.
public struct FlowFrameTooLarge: Error, Sendable, Equatable, CustomStringConvertible {
  /// The limit, in bytes.
  public var limit: Int

  /// The error for this limit.
  public init(limit: Int) { self.limit = limit }

  /// `a stream frame is larger than <limit> bytes`.
  public var description: String { "a stream frame is larger than \(limit) bytes" }
}
