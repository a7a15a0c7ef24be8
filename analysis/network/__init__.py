"""The actor network: the graph built from the facts, its metrics, its layout and its chart."""
