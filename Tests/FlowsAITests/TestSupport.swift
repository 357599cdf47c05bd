import FlowsAI
import Testing
