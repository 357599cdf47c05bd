/// Versions Flowscope reports to Genkit tooling.
public enum ReflectionVersion {
  /// Flowscope's runtime version.
  public static let runtime = "0.1.0"
  /// What goes in `x-genkit-version` and the runtime file's `genkitVersion`: `swift/<version>`,
  /// in the style of `nodejs/1.41.0`, `go/…` and `py/…`.
  public static let genkitVersion = "swift/" + runtime
  /// The reflection API spec version (`reflectionApiSpecVersion`) this runtime implements.
  public static let apiSpecVersion = 1
}
