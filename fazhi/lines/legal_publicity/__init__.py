"""普法宣传: events by venue and audience, materials, people reached, new-media posts (a data set)."""
