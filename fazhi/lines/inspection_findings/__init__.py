"""法治督察问题整改: findings fed back by a rule-of-law inspection and their rectification (a register)."""
