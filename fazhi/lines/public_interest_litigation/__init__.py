"""Business line: 公益诉讼 (procuratorate) — see register.yaml."""
