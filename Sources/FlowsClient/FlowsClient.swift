/// Client side of Genkit's flow protocol (run and stream remote flows). See `FlowClient`.
public enum FlowsClientModule {}
