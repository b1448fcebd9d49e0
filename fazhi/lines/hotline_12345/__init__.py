"""Business line: 12345 政务服务便民热线 work orders (see register.yaml)."""
