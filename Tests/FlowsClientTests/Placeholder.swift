// Tests of FlowsClient.
