"""Business line: 营商环境监督 — supervision letters, problem clues, commitments and arrears (three registers)."""
