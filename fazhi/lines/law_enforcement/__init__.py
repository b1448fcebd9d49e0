"""Business line: 行政执法 — inspection plans, 涉企行政检查备案, enforcement permits and penalty cases (four registers)."""
