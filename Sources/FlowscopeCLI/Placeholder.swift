enum _PlaceholderFlowscopeCLI {}
