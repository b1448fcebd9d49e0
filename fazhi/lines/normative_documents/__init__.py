"""Business line: see register.yaml."""
