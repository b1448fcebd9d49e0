"""Business line: 万件清理 special clean-up cases (see register.yaml)."""
