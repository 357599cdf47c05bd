import Flows

extension GenAIAttributes {
  /// Attributes of a model span: operation, provider and model, request settings, usage and finish
  /// reasons.
  static func modelAttributes(_ span: SpanData) -> JSONObject {
    var attributes = JSONObject()
    attributes[Key.operationName] = "chat"
    let name = span.attributes["genkit:name"]?.stringValue ?? span.displayName
    let model = GenAIProvider.split(modelName: name)
    attributes[Key.providerName] = .string(model.provider)
    attributes[Key.system] = .string(model.provider)

    let request = span.input
    let config = request?["config"]
    if let version = config?["version"]?.stringValue, !version.isEmpty {
      attributes[Key.requestModel] = .string(version)
    } else {
      attributes[Key.requestModel] = .string(model.model)
    }
    if let temperature = config?["temperature"]?.doubleValue {
      attributes[Key.requestTemperature] = .number(temperature)
    }
    if let maxTokens = config?["maxOutputTokens"]?.int64Value { attributes[Key.requestMaxTokens] = .integer(maxTokens) }
    if let topP = config?["topP"]?.doubleValue { attributes[Key.requestTopP] = .number(topP) }
    if let topK = config?["topK"]?.doubleValue { attributes[Key.requestTopK] = .number(topK) }
    if let stops = config?["stopSequences"]?.arrayValue {
      let strings = stops.compactMap(\.stringValue)
      if !strings.isEmpty { attributes[Key.requestStopSequences] = .array(strings.map { .string($0) }) }
    }
    if let format = request?["output"]?["format"]?.stringValue, format == "json" || format == "text" {
      attributes[Key.outputType] = .string(format)
    }

    guard let response = span.output else { return attributes }
    let usage = response["usage"]
    if let input = usage?["inputTokens"]?.int64Value { attributes[Key.usageInputTokens] = .integer(input) }
    if let output = usage?["outputTokens"]?.int64Value { attributes[Key.usageOutputTokens] = .integer(output) }
    let reasons = finishReasons(response)
    if !reasons.isEmpty { attributes[Key.responseFinishReasons] = .array(reasons.map { .string($0) }) }
    return attributes
  }

  /// `finishReason` (or each candidate's, in the older `candidates` form), as Genkit names them
  /// (`stop`, `length`, `blocked`, …).
  static func finishReasons(_ response: JSONValue) -> [String] {
    if let reason = response["finishReason"]?.stringValue { return [reason] }
    return (response["candidates"]?.arrayValue ?? []).compactMap { $0["finishReason"]?.stringValue }
  }
}
