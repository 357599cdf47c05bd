import FlowscopeCLI

await FlowscopeCommand.start()
