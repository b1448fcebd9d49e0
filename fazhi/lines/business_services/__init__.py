"""Business line (aggregate data set): see dataset.yaml."""
