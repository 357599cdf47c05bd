enum _PlaceholderTraceStore {}
