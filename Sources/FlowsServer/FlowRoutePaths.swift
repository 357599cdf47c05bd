/// Path arithmetic for flow routes.
enum FlowRoutePaths {
  /// `""`, `"/"` → `""`; `"api"`, `"/api/"` → `"/api"`.
  static func normalizedPrefix(_ prefix: String) -> String {
    let trimmed = trimSlashes(prefix)
    return trimmed.isEmpty ? "" : "/" + trimmed
  }

  /// `prefix` + `/` + `path` without doubled or trailing slashes.
  static func join(_ prefix: String, _ path: String) -> String {
    normalizedPrefix(prefix) + "/" + trimSlashes(path)
  }

  private static func trimSlashes(_ text: String) -> String {
    guard let start = text.firstIndex(where: { $0 != "/" }), let end = text.lastIndex(where: { $0 != "/" }) else {
      return ""
    }
    return String(text[start...end])
  }
}
