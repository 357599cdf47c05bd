import Flows
import Foundation

/// Writes to standard output and standard error without buffering surprises.
enum Console {
  static func out(_ text: String, terminator: String = "\n") {
    StandardStream.output.write(text + terminator)
  }

  static func error(_ text: String) {
    StandardStream.error.write(text + "\n")
  }
}

/// A command failure with the message already worded for the user (printed as `Error: <message>`,
/// exit code 1).
struct CLIFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
