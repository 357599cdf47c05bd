import CNCurses

/// Turns what ncurses reads (`wget_wch` results, see `RawInput`) into the debugger's input.
///
/// Pure and deterministic: no terminal access, so it is unit-tested directly. It keeps state
/// across batches only for sequences that can be split between reads: a bracketed paste and a CSI
/// sequence with parameters. Rules:
/// - ESC followed by a key in the same batch is that key with Alt (ncurses already waited ESCDELAY
///   for it); ESC at the end of a batch is the Escape key.
/// - `ESC[200~ … ESC[201~` becomes one `.paste` (CR and CRLF become `\n`, other controls dropped).
/// - CSI/SS3 sequences ncurses did not translate become keys when known (arrows, F-keys, SGR and
///   X10 mouse reports), and are swallowed otherwise, never inserted as text.
public struct KeyDecoder: Sendable {
  private enum State: Sendable, Equatable {
    case ground
    /// After ESC; `doubled` after ESC ESC (Alt+Escape, or an Alt-prefixed sequence).
    case escape(doubled: Bool)
    /// After `ESC [`: the parameter and intermediate bytes so far.
    case csi(parameters: [UInt8], alt: Bool)
    /// After `ESC O`.
    case ss3(alt: Bool)
    /// After `CSI M`: the raw bytes of an X10 mouse report so far.
    case x10Mouse([UInt32])
    /// Inside a bracketed paste: the text so far; `marker` holds what followed an ESC that may
    /// start the end marker `[201~`.
    case paste(text: [Unicode.Scalar], marker: [UInt32]?)
  }

  private static let pasteEndMarker: [UInt32] = Array("[201~".unicodeScalars.map(\.value))
  private static let maximumSequenceLength = 32

  private var state = State.ground

  /// A decoder with nothing pending.
  public init() {}

  /// Whether part of a sequence (a paste, a split CSI sequence) is waiting for the next batch.
  public var hasPendingSequence: Bool { state != .ground }

  /// Decodes one batch: everything read until `wget_wch` returned ERR. `size` is the terminal
  /// size after the batch (what `KEY_RESIZE` reports).
  public mutating func decode(_ batch: [RawInput], size: TerminalSize) -> [TerminalInput] {
    var output: [TerminalInput] = []
    for item in batch { feed(item, size: size, into: &output) }
    finishBatch(into: &output)
    return output
  }

  private mutating func feed(_ item: RawInput, size: TerminalSize, into output: inout [TerminalInput]) {
    switch state {
    case .ground:
      ground(item, alt: false, size: size, into: &output)
    case .escape(let doubled):
      afterEscape(item, doubled: doubled, size: size, into: &output)
    case .csi(let parameters, let alt):
      guard case .character(let code) = item, code < 0x7F else {
        state = .ground  // an aborted sequence is swallowed; the item counts on its own
        return feed(item, size: size, into: &output)
      }
      switch code {
      case 0x20...0x3F where parameters.count < Self.maximumSequenceLength:
        state = .csi(parameters: parameters + [UInt8(code)], alt: alt)
      case 0x40...0x7E:
        state = .ground
        finishCSI(parameters: parameters, final: UInt8(code), alt: alt, into: &output)
      default:
        state = .ground
        if code < 0x20 { feed(item, size: size, into: &output) }
      }
    case .ss3(let alt):
      guard case .character(let code) = item, (0x40...0x7E).contains(code) else {
        state = .ground
        return feed(item, size: size, into: &output)
      }
      state = .ground
      if let key = KeyMapping.ss3(final: UInt8(code)) { output.append(.key(KeyEvent(key, alt: alt))) }
    case .x10Mouse(let bytes):
      guard case .character(let code) = item else {
        state = .ground
        return feed(item, size: size, into: &output)
      }
      let all = bytes + [code]
      guard all.count == 3 else { return state = .x10Mouse(all) }
      state = .ground
      if let event = KeyMapping.x10Mouse(all) { output.append(.mouse(event)) }
    case .paste:
      paste(item, into: &output)
    }
  }

  private mutating func ground(_ item: RawInput, alt: Bool, size: TerminalSize, into output: inout [TerminalInput]) {
    switch item {
    case .character(27):
      state = .escape(doubled: false)
    case .character(let code):
      if let key = KeyMapping.key(forCharacter: code) { output.append(.key(KeyEvent(key, alt: alt))) }
    case .keyCode(KEY_RESIZE):
      output.append(.resize(size))
    case .keyCode(let code):
      if let (key, keyAlt) = KeyMapping.key(forKeyCode: code) {
        output.append(.key(KeyEvent(key, alt: alt || keyAlt)))
      }
    case .namedKey(let name):
      if let (key, keyAlt) = KeyMapping.key(forName: name) {
        output.append(.key(KeyEvent(key, alt: alt || keyAlt)))
      }
    case .mouse(let event):
      output.append(.mouse(event))
    }
  }

  private mutating func afterEscape(
    _ item: RawInput, doubled: Bool, size: TerminalSize, into output: inout [TerminalInput]
  ) {
    switch item {
    case .character(27):
      if doubled {
        output.append(.key(KeyEvent(.escape, alt: true)))
        state = .escape(doubled: false)
      } else {
        state = .escape(doubled: true)
      }
    case .character(0x5B):  // [
      state = .csi(parameters: [], alt: doubled)
    case .character(0x4F):  // O
      state = .ss3(alt: doubled)
    case .character, .keyCode, .namedKey:
      state = .ground
      if doubled { output.append(.key(KeyEvent(.escape))) }
      if case .keyCode(KEY_RESIZE) = item { output.append(.key(KeyEvent(.escape))) }
      ground(item, alt: true, size: size, into: &output)
    case .mouse:
      state = .ground
      output.append(.key(KeyEvent(.escape, alt: doubled)))
      ground(item, alt: false, size: size, into: &output)
    }
  }

  private mutating func finishCSI(parameters: [UInt8], final: UInt8, alt: Bool, into output: inout [TerminalInput]) {
    switch KeyMapping.csi(parameters: parameters, final: final) {
    case .key(let key, let keyAlt): output.append(.key(KeyEvent(key, alt: alt || keyAlt)))
    case .mouse(let event): output.append(.mouse(event))
    case .pasteStart: state = .paste(text: [], marker: nil)
    case .x10MouseStart: state = .x10Mouse([])
    case .ignored: break
    }
  }

  private mutating func paste(_ item: RawInput, into output: inout [TerminalInput]) {
    guard case .paste(var text, let marker) = state else { return }
    state = .ground  // drop the enum's reference so `text` grows in place
    if var marker {
      guard case .character(let code) = item else {
        state = .paste(text: text, marker: nil)  // a lone ESC inside the paste is dropped
        return paste(item, into: &output)
      }
      marker.append(code)
      if marker == Self.pasteEndMarker {
        state = .ground
        output.append(.paste(Self.pastedString(text)))
      } else if Self.pasteEndMarker.starts(with: marker) {
        state = .paste(text: text, marker: marker)
      } else {
        // Not the end marker: the ESC is dropped, what followed it is pasted text.
        state = .paste(text: text, marker: nil)
        for code in marker { paste(.character(code), into: &output) }
      }
      return
    }
    switch item {
    case .character(27):
      state = .paste(text: text, marker: [])
    case .character(let code):
      Self.appendPasted(code, to: &text)
      state = .paste(text: text, marker: nil)
    case .keyCode(KEY_ENTER):
      text.append("\n")
      state = .paste(text: text, marker: nil)
    case .keyCode, .namedKey, .mouse:
      state = .paste(text: text, marker: nil)  // keys ncurses recognised inside pasted text carry no text
    }
  }

  private mutating func finishBatch(into output: inout [TerminalInput]) {
    switch state {
    case .escape(let doubled):
      output.append(.key(KeyEvent(.escape, alt: doubled)))
      state = .ground
    case .csi(let parameters, let alt) where parameters.isEmpty:
      if alt { output.append(.key(KeyEvent(.escape))) }
      output.append(.key(KeyEvent(.character("["), alt: true)))
      state = .ground
    case .ss3(let alt):
      if alt { output.append(.key(KeyEvent(.escape))) }
      output.append(.key(KeyEvent(.character("O"), alt: true)))
      state = .ground
    default:
      break
    }
  }

  /// Keeps text, tabs and newlines (CR kept for now, see `pastedString`); drops other controls.
  private static func appendPasted(_ code: UInt32, to text: inout [Unicode.Scalar]) {
    switch code {
    case 9, 10, 13: text.append(Unicode.Scalar(UInt8(code)))
    case 0..<0x20, 0x7F..<0xA0: return
    default: if let scalar = Unicode.Scalar(code) { text.append(scalar) }
    }
  }

  /// The pasted text with CRLF and CR turned into LF.
  private static func pastedString(_ scalars: [Unicode.Scalar]) -> String {
    var result = String.UnicodeScalarView()
    var previousWasReturn = false
    for scalar in scalars {
      if scalar == "\n", previousWasReturn {
        previousWasReturn = false
        continue
      }
      previousWasReturn = scalar == "\r"
      result.append(previousWasReturn ? "\n" : scalar)
    }
    return String(result)
  }
}
