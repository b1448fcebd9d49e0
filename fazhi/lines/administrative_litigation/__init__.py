"""Business line: 行政应诉 — administrative litigation defended by the district government (see register.yaml)."""
