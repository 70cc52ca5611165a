"""The scoring layer: results, the scoring kernel and the engine."""
