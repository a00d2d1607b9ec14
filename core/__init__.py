"""What every layer may use: the settings, the domain's errors (with the contract's codes), the clock."""
