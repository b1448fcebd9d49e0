"""Business line: 诉前调解 (court-referred mediation) — see register.yaml."""
